"""Show how the fallback threshold trades answered messages against confident wrong answers.

Reads the held-out predictions written by `rasa test nlu --successes` and prints, for each candidate
threshold, how many messages would be answered directly and how many of those would be wrong.
The chosen threshold and the reasoning are in docs/nlu.md.
Usage: python scripts/fallback_threshold.py results/nlu
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def load_predictions(results_dir: Path) -> list[tuple[bool, float]]:
    rows: list[tuple[bool, float]] = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = results_dir / name
        if path.exists():
            for item in json.loads(path.read_text()):
                predicted = item["intent_prediction"]
                rows.append((predicted["name"] == item["intent"], float(predicted["confidence"] or 0.0)))
    return rows


def main(results_dir: str) -> int:
    rows = load_predictions(Path(results_dir))
    if not rows:
        print("no predictions found: run `rasa test nlu --successes` first")
        return 1
    total = len(rows)
    print(f"{total} held-out messages\n")
    print(f"{'threshold':>9} {'answered':>9} {'wrong among answered':>21} {'wrong, % of all':>16} {'asked back':>11}")
    for step in range(30, 96, 5):
        threshold = step / 100
        answered = [(ok, c) for ok, c in rows if c >= threshold]
        wrong = sum(1 for ok, _ in answered if not ok)
        print(
            f"{threshold:9.2f} {len(answered) / total:9.1%} {wrong / max(len(answered), 1):21.1%} "
            f"{wrong / total:16.1%} {(total - len(answered)) / total:11.1%}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "results/nlu"))
