#!/usr/bin/env bash
# The API fuzz soak: the TypeScript OpenAPI fuzzer always (PACER_FUZZ_SOAK_REQUESTS, >= 10,000 requests
# per service), then the Schemathesis soak where Schemathesis is installed (tools/fuzz/setup.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${PACER_FUZZ_VENV:-$ROOT/.venv-fuzz}"
cd "$ROOT"

PACER_FUZZ_SOAK=1 npx jest --config apps/api-fuzz/jest.config.js --forceExit
if [ -x "$VENV/bin/schemathesis" ]; then
  PACER_FUZZ_SOAK=1 npx jest --config apps/api-fuzz/jest.schemathesis.config.js --forceExit
else
  echo "fuzz: no Schemathesis in $VENV (tools/fuzz/setup.sh installs it where PyPI is reachable); its soak is skipped"
fi
