"""Fail when held-out NLU scores fall below our floors (Rasa itself never fails on low scores).

Floors: macro F1 >= 0.92 over every intent in the held-out set, and F1 >= 0.85 for each situation intent.
Usage: python scripts/check_nlu.py results/nlu
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.understanding.intents import CONVERSATION_INTENTS

MACRO_F1_FLOOR = 0.92
SITUATION_F1_FLOOR = 0.85


def main(results_dir: str) -> int:
    report = json.loads((Path(results_dir) / "intent_report.json").read_text())
    rows = {name: v for name, v in report.items() if isinstance(v, dict) and "f1-score" in v and v.get("support")}
    rows = {name: v for name, v in rows.items() if name not in {"micro avg", "macro avg", "weighted avg"}}
    failures: list[str] = []
    print(f"{'intent':32} {'precision':>9} {'recall':>7} {'f1':>6} {'n':>4}")
    for name in sorted(rows, key=lambda n: rows[n]["f1-score"]):
        row = rows[name]
        situation = name not in CONVERSATION_INTENTS
        flag = ""
        if situation and row["f1-score"] < SITUATION_F1_FLOOR:
            flag = f"  < {SITUATION_F1_FLOOR}"
            failures.append(f"{name}: F1 {row['f1-score']:.3f} < {SITUATION_F1_FLOOR}")
        print(
            f"{name:32} {row['precision']:9.3f} {row['recall']:7.3f} {row['f1-score']:6.3f} {row['support']:4d}{flag}"
        )
    macro = sum(r["f1-score"] for r in rows.values()) / len(rows)
    print(f"\nmacro F1 over {len(rows)} intents: {macro:.3f} (floor {MACRO_F1_FLOOR})")
    if macro < MACRO_F1_FLOOR:
        failures.append(f"macro F1 {macro:.3f} < {MACRO_F1_FLOOR}")
    for failure in failures:
        print(f"FAIL {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "results/nlu"))
