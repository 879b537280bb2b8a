#!/usr/bin/env bash
# Set up (if needed), index the knowledge base, train (if needed), start the action server, then chat.
source "$(dirname "$0")/common.sh"
bash scripts/setup.sh
mkdir -p var/log

say "Checking and indexing the knowledge base"
"$PY" -m bot knowledge build || say "Some articles have errors (listed above); the valid ones are served"

bash scripts/train.sh

ACTION_PORT="${ACTION_PORT:-5055}"
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

say "Starting the assistant. Talk to it below; type /stop or press Ctrl+C to finish."
echo "    Conversations are kept in var/tracker.db on this machine."
"$RASA" shell --model "$MODEL" --endpoints endpoints.yml --credentials credentials.yml \
  --interface 127.0.0.1 --port "${RASA_PORT:-5005}" --quiet
