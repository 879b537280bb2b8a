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

# A setting the way bot/settings.py reads one: the real environment, else .env, else the default.
setting() { # NAME DEFAULT
  "$PY" -c 'import os, sys; from dotenv import dotenv_values
name, default = sys.argv[1:]
print(os.environ.get(name) or dotenv_values(".env").get(name) or default)' "$1" "$2"
}

# endpoints.yml with custom actions sent to ACTION_URL, written to OUT (deploy/endpoints.py keeps the rest).
write_endpoints() { # ACTION_URL OUT
  "$PY" deploy/endpoints.py --action-url "$1" --out "$2" >/dev/null || fail "could not write $2"
}

# The ports `make run` and `make shell` use, and Rasa's endpoints for them: Rasa calls the action server
# at the address in its endpoints file, not at the port the script starts it on, so each run writes its
# own copy (var/run/endpoints-<Rasa port>.yml: two instances can't share a Rasa port) from ACTION_PORT.
# Sets ACTION_PORT, RASA_PORT and ENDPOINTS.
run_settings() {
  ACTION_PORT="$(setting ACTION_PORT 5055)"
  RASA_PORT="$(setting RASA_PORT 5005)"
  local name
  for name in ACTION_PORT RASA_PORT; do
    [[ "${!name}" =~ ^[1-9][0-9]{0,4}$ && "${!name}" -le 65535 ]] || fail "$name must be a port number, such as 5055; it is '${!name}'"
  done
  [ "$ACTION_PORT" != "$RASA_PORT" ] || fail "ACTION_PORT and RASA_PORT must differ; both are $RASA_PORT"
  ENDPOINTS="$ROOT/var/run/endpoints-$RASA_PORT.yml"
  write_endpoints "http://127.0.0.1:$ACTION_PORT/webhook" "$ENDPOINTS"
}
