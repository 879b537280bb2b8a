#!/usr/bin/env bash
# Train a model only when the training data, domain or config changed since the last one.
source "$(dirname "$0")/common.sh"

fingerprint=$(cat config.yml domain.yml bot/rasa_ext/safety_net.py bot/understanding/risk_model.py bot/rasa_ext/intent_classifier.py bot/understanding/text_features.py bot/rasa_ext/stored_model.py $(find data -path data/nlu/review -prune -o -type f \( -name '*.yml' -o -name '*.txt' \) -print | LC_ALL=C sort) | sha256sum | cut -d' ' -f1)
if [ -f "$MODEL" ] && [ "$(cat models/fingerprint 2>/dev/null)" = "$fingerprint" ]; then
  say "Model is up to date (training data, domain and config unchanged)"
  exit 0
fi
say "Training the model (a few minutes on 2 cores)"
mkdir -p models
start=$(date +%s)
"$RASA" train --config config.yml --domain domain.yml --data data --out models \
  --fixed-model-name send-assistant --quiet || fail "training failed (see above)"
echo "$fingerprint" > models/fingerprint
say "Trained in $(( $(date +%s) - start ))s: $MODEL"
