#!/usr/bin/env bash
# Installs Schemathesis (pinned) into .venv-fuzz/ for the optional Schemathesis fuzz of apps/api-fuzz
# (`npm run test:fuzz`). Idempotent: does nothing when the pinned version is already installed.
# Only from the package index pip is configured with: machines without PyPI (CI, the shared dev box)
# run the TypeScript fuzzer in `npm test` instead.
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
if ! "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"; then
  cat >&2 <<MSG
fuzz: schemathesis==$SCHEMATHESIS_VERSION is not available from the configured package index
(see \`pip config list\`). The Schemathesis fuzz needs PyPI or a mirror that carries it; without one,
\`npm test\` still runs the TypeScript OpenAPI fuzz (apps/api-fuzz/test/openapi-fuzz.integration-spec.ts).
MSG
  exit 1
fi

"$VENV/bin/schemathesis" --version
