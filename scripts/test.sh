#!/usr/bin/env bash
# The whole test suite from a fresh checkout: set-up, typecheck, lint, unit tests, then the Docker tests.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
bash scripts/setup.sh
echo "== typecheck"; npx tsc --noEmit -p tsconfig.json
echo "== lint"; npx eslint .
echo "== format"; npx prettier --check . >/dev/null || { npx prettier --list-different .; echo "format: run npx prettier --write ." >&2; exit 1; }
echo "== unit tests"; npx vitest run --project unit
echo "== docker tests"; npx vitest run --project docker
echo "== all passed in $((SECONDS - start)) s"
