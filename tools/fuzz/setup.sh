#!/usr/bin/env bash
# Installs Schemathesis (pinned) into .venv-fuzz/ for the OpenAPI fuzz of apps/api-fuzz.
# Idempotent: does nothing when the pinned version is already installed.
#
#   tools/fuzz/setup.sh                      # from the package index pip is configured with (PyPI)
#   PACER_FUZZ_SCHEMATHESIS_SOURCE=DIR tools/fuzz/setup.sh
#                                            # from a schemathesis source checkout of the same version,
#                                            # for machines without PyPI (dependencies still come from
#                                            # the configured index or find-links)
set -euo pipefail

SCHEMATHESIS_VERSION="${PACER_FUZZ_SCHEMATHESIS_VERSION:-4.25.0}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${PACER_FUZZ_VENV:-$ROOT/.venv-fuzz}"
PYTHON="${PYTHON:-python3}"

if [ -x "$VENV/bin/schemathesis" ] && "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "version $SCHEMATHESIS_VERSION\$"; then
  echo "fuzz: schemathesis $SCHEMATHESIS_VERSION already in $VENV"
  exit 0
fi

"$PYTHON" -m venv "$VENV"
PIP=("$VENV/bin/pip" install --quiet --disable-pip-version-check)

if [ -n "${PACER_FUZZ_SCHEMATHESIS_SOURCE:-}" ]; then
  # The runtime dependencies of schemathesis 4.25 that the CLI run needs (starlette-testclient is only
  # for in-process ASGI apps, which Pacer does not use), then schemathesis itself without resolving.
  "${PIP[@]}" hatchling click harfile hypothesis hypothesis_graphql jsonschema_rs pyrate-limiter \
    'pytest>=9,<10' 'PyYAML>=5.1,<7' 'requests>=2.22,<3' rich typing-extensions 'werkzeug<4'
  "${PIP[@]}" --no-deps --no-build-isolation "$PACER_FUZZ_SCHEMATHESIS_SOURCE"
else
  "${PIP[@]}" "schemathesis==$SCHEMATHESIS_VERSION"
fi

"$VENV/bin/schemathesis" --version
