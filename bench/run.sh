#!/usr/bin/env bash
# `make bench`: measure our assistant against a stock `rasa init` bot (docs/benchmarks.md).
# Arguments go to `python -m bench`, e.g. `bash bench/run.sh --quick` or `--profile`.
source "$(dirname "$0")/../scripts/common.sh"
bash scripts/setup.sh
exec "$PY" -m bench "$@"
