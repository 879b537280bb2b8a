#!/usr/bin/env bash
# Set up (if needed), index the knowledge base, train (if needed), start the action server, then the
# assistant: the web chat (default), or `run.sh shell` for a chat in this terminal (what `make shell` does).
source "$(dirname "$0")/common.sh"
MODE="${1:-web}"
bash scripts/setup.sh
run_settings  # ACTION_PORT, RASA_PORT and this run's own endpoints file (common.sh)
mkdir -p var/log

say "Checking and indexing the knowledge base"
"$PY" -m bot knowledge build || say "Some articles have errors (listed above); the valid ones are served"

bash scripts/train.sh

# Where conversations go (DATABASE_URL, or var/tracker.db), password hidden.
STORE="$("$PY" -c "from bot.settings import load_settings; from sqlalchemy.engine import make_url; print(make_url(load_settings().conversation_store_url).render_as_string(hide_password=True))")"

say "Starting the action server on 127.0.0.1:$ACTION_PORT (log: var/log/actions.log)"
# SANIC_HOST keeps the action server on loopback: it has no authentication of its own.
SANIC_HOST=127.0.0.1 "$RASA" run actions --actions actions --port "$ACTION_PORT" >var/log/actions.log 2>&1 &
ACTIONS_PID=$!
trap 'kill $ACTIONS_PID 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 60); do
  if "$PY" -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$ACTION_PORT/health', timeout=1)" 2>/dev/null; then
    break
  fi
  kill -0 "$ACTIONS_PID" 2>/dev/null || { tail -20 var/log/actions.log; fail "the action server stopped (see above)"; }
  sleep 1
done

if [ "$MODE" = "shell" ]; then
  say "Starting the assistant. Talk to it below; type /stop or press Ctrl+C to finish."
  echo "    Conversations (personal data redacted) are kept in $STORE"
  "$RASA" shell --model "$MODEL" --endpoints "$ENDPOINTS" --credentials credentials-shell.yml \
    --interface 127.0.0.1 --port "$RASA_PORT" --quiet
  exit
fi

# The staff console (bot/console): its own process, on loopback. Plain http on loopback only, so its
# cookies may go without the Secure flag here (docs/staff-console.md).
CONSOLE_PORT="$(setting CONSOLE_PORT 5056)"
[ -f node_modules/chart.js/dist/chart.umd.min.js ] || npm ci --no-audit --no-fund --silent \
  || say "npm ci failed: the staff console shows its tables without charts"
CONSOLE_HOST=127.0.0.1 CONSOLE_PORT="$CONSOLE_PORT" CONSOLE_SECURE_COOKIES=0 "$PY" -m bot.console >var/log/console.log 2>&1 &
CONSOLE_PID=$!
trap 'kill $ACTIONS_PID $CONSOLE_PID 2>/dev/null || true' EXIT INT TERM

# The web chat channel only (credentials.yml), on loopback, and never Rasa's HTTP API (no --enable-api).
say "Starting the assistant on 127.0.0.1:$RASA_PORT (it takes a few seconds to load; Ctrl+C stops it)"
echo "    Open http://127.0.0.1:$RASA_PORT/webhooks/webchat/demo to talk to the assistant"
echo "    Staff console: http://127.0.0.1:$CONSOLE_PORT/ (an account first: $PY -m bot staff add-user NAME --role editor)"
echo "    Conversations (personal data redacted) are kept in $STORE"
"$RASA" run --model "$MODEL" --endpoints "$ENDPOINTS" --credentials credentials.yml \
  -i 127.0.0.1 -p "$RASA_PORT"
