#!/usr/bin/env bash
# The main job from a fresh checkout: set-up, then R = 10 unrolls of every bundled task with the default
# model (the offline simulated agent), graded in Docker, then the report. Extra arguments go to `hotmess run`
# and win over the defaults here (e.g. `npm start -- --model anthropic:claude-sonnet-4-5 --unrolls 30`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
hotmess() { node bin/hotmess.js "$@"; }

hotmess doctor
hotmess run --instances instances/pocket --unrolls 10 --concurrency "${HOTMESS_CONCURRENCY:-4}" \
  --run-id "main-$(date -u +%Y%m%d-%H%M%S)" --report "$@"
