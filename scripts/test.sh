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

step "Unit and action tests (pytest)"
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

step "Conversation tests (tests/stories)"
rm -rf results/core
"$RASA" test core --stories tests/stories --model "$MODEL" --endpoints endpoints.yml --out results/core \
  --e2e --fail-on-prediction-errors --no-plot --quiet || { cat results/core/failed_test_stories.yml 2>/dev/null; fail "conversation tests failed (see above)"; }
done_step

say "All checks passed"
