#!/usr/bin/env bash
# Everything CI runs, in order of cost: cheap checks first so a typo fails in seconds, not minutes.
source "$(dirname "$0")/common.sh"
bash scripts/setup.sh

step() { say "$1"; STEP_START=$(date +%s); }
done_step() { echo "    ($(( $(date +%s) - STEP_START ))s)"; }

step "Lint and format (ruff)"
"$VENV/bin/ruff" check . && "$VENV/bin/ruff" format --check . || fail "ruff found problems: run 'make format' and fix what remains"
done_step

step "Knowledge check (articles, sources, sections)"
"$PY" -m bot knowledge check || fail "the knowledge check failed: fix the files and lines named above"
done_step

step "Unit and action tests (pytest, with the local PostgreSQL and Redis)"
# The conversation store, knowledge index and feedback must work on PostgreSQL too: start the local
# server if it is down.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && command -v pg_ctlcluster >/dev/null 2>&1; then
  say "Starting the local PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  export REQUIRE_POSTGRES=1
else
  say "PostgreSQL is not available here: its tests will be skipped"
fi
# Conversation locks shared by several Rasa processes live in Redis: start a local one if none answers.
# Loopback only, and no snapshot files (--save ""), so nothing is written into the project.
redis_answers() { "$PY" -c "import redis; redis.Redis(host='127.0.0.1', port=6379, socket_timeout=1).ping()" 2>/dev/null; }
if ! redis_answers && command -v redis-server >/dev/null 2>&1; then
  say "Starting a local Redis"
  redis-server --bind 127.0.0.1 --port 6379 --save "" --appendonly no --daemonize yes >/dev/null || true
  for _ in 1 2 3 4 5 6 7 8 9 10; do redis_answers && break; sleep 0.5; done
fi
if redis_answers; then
  export REQUIRE_REDIS=1
else
  say "Redis is not available here: its tests will be skipped"
fi
"$PY" -m pytest || fail "pytest failed"
done_step

step "Rasa data validation"
"$RASA" data validate --config config.yml --domain domain.yml --data data --fail-on-warnings --quiet \
  || fail "rasa data validate found problems (see above)"
done_step

step "Model"
bash scripts/train.sh
done_step

step "Held-out NLU evaluation (tests/nlu, never trained on)"
rm -rf results/nlu
"$RASA" test nlu --nlu tests/nlu --model "$MODEL" --out results/nlu --successes --no-plot --quiet >/dev/null \
  || fail "rasa test nlu did not run"
"$PY" scripts/check_nlu.py results/nlu || fail "NLU scores are below the thresholds (table above)"
done_step

step "Crisis routing with the trained model (tests/safety)"
"$PY" scripts/check_safety.py "$MODEL" || fail "crisis routing is below its floor (see above)"
done_step

step "Understanding on every fresh set (tests/fresh to tests/fresh10; never trained on), each and pooled"
"$PY" scripts/evaluate.py "$MODEL" --set all --gate || fail "understanding is below its floors (FAIL lines above; docs/nlu.md, docs/safety-and-privacy.md)"
done_step

step "Conversation tests (tests/stories)"
rm -rf results/core
"$RASA" test core --stories tests/stories --model "$MODEL" --endpoints endpoints.yml --out results/core \
  --e2e --fail-on-prediction-errors --no-plot --quiet || { cat results/core/failed_test_stories.yml 2>/dev/null; fail "conversation tests failed (see above)"; }
done_step

step "The image (deploy/Dockerfile built with podman; user, secrets, one conversation through it)"
if ! command -v podman >/dev/null || ! command -v runc >/dev/null || ! command -v debootstrap >/dev/null; then
  [ "$(id -u)" = 0 ] || fail "podman is missing: run 'apt-get install -y podman runc debootstrap' as root, then run this again"
  say "Installing Debian's podman, runc and debootstrap (first time only)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap >/dev/null; } \
    || fail "could not install podman with apt-get"
fi
# The first run makes the base image and fetches the wheels (about 4 minutes); then about 15 s.
IMAGE_STRICT=1 "$PY" -m pytest tests/test_image.py -m image || fail "the image tests failed (see above)"
done_step

step "Outages and several servers (tests/integration: 2 Rasa + 2 action servers behind nginx, PostgreSQL, Redis)"
nginx_binary >/dev/null
# A fresh PostgreSQL database for the run (dropped afterwards) and Redis database 15. INTEGRATION_STRICT:
# a missing model or nginx fails the run instead of skipping the tests. Server logs: results/integration/.
REQUIRE_POSTGRES=1 REQUIRE_REDIS=1 INTEGRATION_STRICT=1 "$PY" -m pytest tests/integration -m integration \
  --basetemp=results/integration || fail "integration tests failed (server logs in results/integration/)"
done_step

step "Web chat widget in a real browser (Playwright + Debian's Chromium, axe-core)"
if [ ! -x /usr/bin/chromium ]; then
  [ "$(id -u)" = 0 ] || fail "Chromium is missing: run 'apt-get install -y chromium' as root, then run this again"
  say "Installing Debian's Chromium (first time only)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
    || fail "could not install Chromium with apt-get"
fi
npm ci --no-audit --no-fund --silent || fail "npm ci failed (axe-core for the accessibility checks)"
# E2E_STRICT: a missing model, browser or axe-core fails the run instead of skipping the tests.
E2E_STRICT=1 "$PY" -m pytest tests/e2e -m e2e || fail "browser tests failed (screenshots in results/screenshots/)"
done_step

say "All checks passed"
