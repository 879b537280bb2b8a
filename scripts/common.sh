# Shared settings for the project's scripts. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
RASA="$VENV/bin/rasa"
MODEL="$ROOT/models/send-assistant.tar.gz"

# Rasa must never phone home, and TensorFlow's start-up chatter hides real errors.
export RASA_TELEMETRY_ENABLED=false
export TF_CPP_MIN_LOG_LEVEL=3
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export PYTHONHASHSEED=0
export PYTHONDONTWRITEBYTECODE=1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

# The path of Debian's nginx, installing the package first if needed (as root). The package's own
# system service is never started: policy-rc.d answering 101 stops it starting on port 80.
nginx_binary() {
  local found
  found="$(command -v nginx || true)"
  [ -z "$found" ] && [ -x /usr/sbin/nginx ] && found=/usr/sbin/nginx
  if [ -z "$found" ]; then
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null \
      || fail "nginx is not installed: run 'apt-get install -y nginx' as root, then run this again"
    say "Installing Debian's nginx (first time only; its system service is not started)" >&2
    local guard="" status=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && guard=1
    fi
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; } || status=$?
    [ -n "$guard" ] && rm -f /usr/sbin/policy-rc.d
    [ "$status" = 0 ] || fail "could not install nginx with apt-get"
    found=/usr/sbin/nginx
  fi
  printf '%s\n' "$found"
}
