#!/usr/bin/env bash
# A small production-like cluster on this machine, loopback only:
#   nginx 127.0.0.1:8080  web chat  -> Rasa servers   127.0.0.1:5006, 127.0.0.1:5007
#   nginx 127.0.0.1:8081  actions   -> action servers 127.0.0.1:5056, 127.0.0.1:5057
# sharing PostgreSQL (conversations, knowledge index, feedback) and Redis (conversation locks).
#
#   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/send REDIS_URL=redis://127.0.0.1:6379/1 scripts/cluster.sh
#   ... scripts/cluster.sh check    # check settings, services, nginx config and endpoints; start nothing
#
# Ctrl+C stops everything it started. Logs, nginx's pid and the generated endpoints are in var/cluster/.
# It serves the model in models/ and never trains one: a cluster runs a release (`make train` first).
source "$(dirname "$0")/common.sh"
MODE="${1:-start}"
case "$MODE" in start | check) ;; *) fail "usage: scripts/cluster.sh [start|check]" ;; esac

# Fixed ports: deploy/nginx/nginx.conf names the same ones (tests/test_deploy.py checks they agree).
RASA_PORTS=(5006 5007)
ACTION_PORTS=(5056 5057)
WEB_PORT=8080
ACTIONS_PROXY_PORT=8081
CLUSTER="$ROOT/var/cluster"
NGINX_CONF="$ROOT/deploy/nginx/nginx.conf"
NGINX_PREFIX="$CLUSTER/nginx/"
ENDPOINTS="$CLUSTER/endpoints.yml"

# -- settings ----------------------------------------------------------------------------------------
[[ "${DATABASE_URL:-}" == postgresql*://* ]] || fail "set DATABASE_URL to a PostgreSQL database, e.g.
  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/send REDIS_URL=redis://127.0.0.1:6379/1 scripts/cluster.sh
(several servers can't share the SQLite files that \`make run\` uses)"
[[ "${REDIS_URL:-}" == redis://* ]] || fail "set REDIS_URL to a Redis database, e.g. REDIS_URL=redis://127.0.0.1:6379/1
(it holds the per-conversation locks, so two servers never answer the same conversation at once)"
# Explicit pool sizes, so the connection arithmetic below is about what really runs.
export DATABASE_URL REDIS_URL
export DB_POOL_SIZE="${DB_POOL_SIZE:-5}" DB_MAX_OVERFLOW="${DB_MAX_OVERFLOW:-5}" SANIC_WORKERS="${SANIC_WORKERS:-1}"

bash scripts/setup.sh

say "Checking PostgreSQL and Redis"
"$PY" - <<'PY' || fail "fix the connection above, then run this again"
import os
import sys

import redis
from sqlalchemy import create_engine, text

try:
    engine = create_engine(os.environ["DATABASE_URL"], future=True)
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
except Exception as exc:
    print(f"PostgreSQL (DATABASE_URL) is not reachable: {exc}", file=sys.stderr)
    print("If the database doesn't exist yet: createdb -h 127.0.0.1 -U postgres send", file=sys.stderr)
    sys.exit(1)
try:
    redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=3).ping()
except Exception as exc:
    print(f"Redis (REDIS_URL) is not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
PY
"$PY" deploy/connections.py --rasa "${#RASA_PORTS[@]}" --actions "${#ACTION_PORTS[@]}" --database-url "$DATABASE_URL" \
  || fail "the servers could open more PostgreSQL connections than it allows (see above)"

# -- nginx: Debian's package, run as our own process with our own config (never the system service) --
NGINX="$(nginx_binary)"
mkdir -p "$CLUSTER/logs" "$NGINX_PREFIX/logs" "$NGINX_PREFIX/temp"
"$NGINX" -t -q -p "$NGINX_PREFIX" -c "$NGINX_CONF" -e stderr || fail "nginx rejected $NGINX_CONF (see above)"

# Rasa takes one action server address: nginx's, which spreads the calls and skips a stopped server.
write_endpoints "http://127.0.0.1:$ACTIONS_PROXY_PORT/webhook" "$ENDPOINTS"

for port in "${RASA_PORTS[@]}" "${ACTION_PORTS[@]}" "$WEB_PORT" "$ACTIONS_PROXY_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "127.0.0.1:$port is already in use (another cluster.sh or make run?)"
  fi
done

[ -f "$MODEL" ] || fail "no model at $MODEL: run \`make train\` first (the cluster serves a trained release)"
if [ "$MODE" = check ]; then
  say "Ready to start: settings, PostgreSQL, Redis, connection budget, nginx config and $ENDPOINTS are fine"
  exit 0
fi

# -- start -------------------------------------------------------------------------------------------
PIDS=()
stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all EXIT
trap 'exit 130' INT TERM

is_up() { "$PY" -c "import urllib.request; urllib.request.urlopen('$1', timeout=2)" 2>/dev/null; }
wait_up() { # URL PID LOG SECONDS
  local _
  for _ in $(seq 1 "$4"); do
    is_up "$1" && return 0
    kill -0 "$2" 2>/dev/null || { tail -20 "$3"; fail "the server for $1 stopped (log: $3)"; }
    sleep 1
  done
  tail -20 "$3"
  fail "$1 did not answer within $4 s (log: $3)"
}

# Tables are made once, here: servers starting together would race to create the same table.
say "Preparing PostgreSQL (knowledge index, conversation and feedback tables) and the web chat secret"
"$PY" -m bot knowledge build || say "Some articles have errors (listed above); the valid ones are served"
"$PY" - <<'PY' || fail "could not create the conversation and feedback tables (see above)"
from bot.settings import load_settings
from bot.rasa_ext.tracker_store import store_from_settings
from bot.web.feedback import feedback_engine
from bot.web.tokens import load_secret

settings = load_settings()
store_from_settings(settings).engine.dispose()
feedback_engine(settings.database_url, settings.db_pool_size, settings.db_max_overflow).dispose()
# Every Rasa server must sign tokens with the same secret: WEBCHAT_SECRET, or else the one
# var/webchat_secret made here, before they start.
load_secret(settings.webchat_secret)
PY

say "Starting nginx on 127.0.0.1:$WEB_PORT (web chat) and 127.0.0.1:$ACTIONS_PROXY_PORT (actions)"
"$NGINX" -p "$NGINX_PREFIX" -c "$NGINX_CONF" -e "$NGINX_PREFIX/logs/error.log" &
PIDS+=($!)

for port in "${ACTION_PORTS[@]}"; do
  log="$CLUSTER/logs/actions-$port.log"
  # SANIC_HOST keeps the action server on loopback: it has no authentication of its own.
  SANIC_HOST=127.0.0.1 "$RASA" run actions --actions actions --port "$port" >"$log" 2>&1 &
  PIDS+=($!)
  say "Action server on 127.0.0.1:$port (pid $!, log: $log)"
done
for i in "${!ACTION_PORTS[@]}"; do
  port="${ACTION_PORTS[$i]}"
  wait_up "http://127.0.0.1:$port/health" "${PIDS[$((i + 1))]}" "$CLUSTER/logs/actions-$port.log" 60
done

# SANIC_PROXIES_COUNT=1: the client address is the one nginx puts in X-Forwarded-For.
# The web chat channel only, never Rasa's HTTP API (no --enable-api).
first_rasa=${#PIDS[@]}
for port in "${RASA_PORTS[@]}"; do
  log="$CLUSTER/logs/rasa-$port.log"
  SANIC_PROXIES_COUNT=1 "$RASA" run --model "$MODEL" --endpoints "$ENDPOINTS" --credentials credentials.yml \
    -i 127.0.0.1 -p "$port" >"$log" 2>&1 &
  PIDS+=($!)
  say "Rasa server on 127.0.0.1:$port (pid $!, log: $log); loading the model takes 30-90 s"
done
for i in "${!RASA_PORTS[@]}"; do
  port="${RASA_PORTS[$i]}"
  wait_up "http://127.0.0.1:$port/webhooks/webchat/" "${PIDS[$((first_rasa + i))]}" "$CLUSTER/logs/rasa-$port.log" 240
done
wait_up "http://127.0.0.1:$WEB_PORT/webhooks/webchat/" "${PIDS[0]}" "$NGINX_PREFIX/logs/error.log" 10

printf '%s\n' "${PIDS[@]}" >"$CLUSTER/pids"
say "Cluster running. Open http://127.0.0.1:$WEB_PORT/webhooks/webchat/demo (Ctrl+C stops everything)"
echo "    pids (nginx, actions x2, rasa x2): ${PIDS[*]}; stop one with kill to watch nginx route around it"
wait
