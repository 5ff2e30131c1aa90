#!/usr/bin/env bash
# Idempotent set-up for a Debian 12 machine: Node dependencies, and a running Docker engine
# (installed from Debian's docker.io when missing and we are root). Exits non-zero with one sentence
# naming what is missing when it cannot proceed.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# --- Node.js and packages -------------------------------------------------------------------------
command -v node >/dev/null || die "Node.js 20.19 or newer is required; install it (https://nodejs.org) and rerun."
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || die "Node.js $(node -v) is too old; hotmess needs 20.19 or newer."
stamp=node_modules/.hotmess-lock.sha
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >&2 || die "npm ci failed; check that the npm registry is reachable."
  echo "$want" >"$stamp"
fi
# The CLI runs as JavaScript built from src/ (bin/hotmess.js falls back to the slower sources when it is stale).
node scripts/build.js --if-stale || die "building dist/ failed; see the errors above."

# --- system packages (Debian) ----------------------------------------------------------------------
need_pkgs=()
if ! docker info >/dev/null 2>&1 && ! command -v dockerd >/dev/null; then need_pkgs+=(docker.io); fi
command -v debootstrap >/dev/null || need_pkgs+=(debootstrap)
# A loopback registry (image pulls), Redis (the queue) and tmux (terminal tests) are started by the tests.
command -v docker-registry >/dev/null || need_pkgs+=(docker-registry)
command -v redis-server >/dev/null || need_pkgs+=(redis-server)
command -v tmux >/dev/null || need_pkgs+=(tmux)
if [[ ${HOTMESS_SETUP_BROWSER:-1} == 1 && ! -x /usr/bin/chromium ]]; then need_pkgs+=(chromium); fi
if ((${#need_pkgs[@]})); then
  [[ $(id -u) == 0 ]] || die "missing ${need_pkgs[*]}: install them (apt-get install ${need_pkgs[*]}) or rerun as root."
  command -v apt-get >/dev/null || die "missing ${need_pkgs[*]} and there is no apt-get to install them with."
  say "installing ${need_pkgs[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || die "apt-get update failed; Debian's package mirror must be reachable."
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >&2 \
    || die "apt-get install ${need_pkgs[*]} failed; see its output above."
fi

# --- Docker engine ---------------------------------------------------------------------------------
if ! docker info >/dev/null 2>&1; then
  if [[ -n ${DOCKER_HOST:-} ]]; then
    die "no Docker engine answers at DOCKER_HOST=$DOCKER_HOST; start it or unset DOCKER_HOST."
  fi
  [[ $(id -u) == 0 ]] || die "no Docker engine is running; start one (sudo dockerd &) or ask an administrator."
  command -v dockerd >/dev/null || die "dockerd is not installed; apt-get install docker.io and rerun."
  say "starting dockerd (log: /var/log/hotmess-dockerd.log)"
  nohup dockerd >/var/log/hotmess-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || die "dockerd did not come up within 30 s; see /var/log/hotmess-dockerd.log."
fi
say "ready: node $(node -v), docker $(docker version --format '{{.Server.Version}}' 2>/dev/null)"
