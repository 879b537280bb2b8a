"""5-fold cross-validation of the risk detector's choices on its own training split only.

Risk: data/safety/risk.txt and every `crisis` example; hard ordinary: data/safety/ordinary.txt; other:
every other training example. Folds are stratified by those three groups (seed 2026), and each variant
reports the share of each group at or above the two thresholds (0.50 emergency help, 0.25 the safety
question). Never reads tests/. docs/safety-and-privacy.md gives the figures.
Usage: python scripts/cross_validate_risk.py [VARIANT ...]   (default: every variant below)
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from cross_validate import training_examples  # noqa: E402

from bot.understanding.risk_model import CHECK_AT, EMERGENCY_AT, SEED, build_pipeline, read_examples  # noqa: E402

RISK, HARD, OTHER = 2, 1, 0
VARIANTS = {
    "C=3, balanced": lambda: build_pipeline(3.0),
    "C=8, balanced": lambda: build_pipeline(8.0),
    "C=20, balanced (chosen)": lambda: build_pipeline(20.0),
    "C=50, balanced": lambda: build_pipeline(50.0),
    "C=20, risk weighted 3:1": lambda: build_pipeline(20.0, {0: 1, 1: 3}),
    "C=8, unweighted": lambda: build_pipeline(8.0, None),
}


def split() -> tuple[list[str], np.ndarray]:
    texts, labels, _ = training_examples()
    risk = read_examples(ROOT / "data" / "safety" / "risk.txt") + [
        t for t, x in zip(texts, labels, strict=True) if x == "crisis"
    ]
    hard = read_examples(ROOT / "data" / "safety" / "ordinary.txt")
    other = [t for t, x in zip(texts, labels, strict=True) if x != "crisis"]
    return risk + hard + other, np.array([RISK] * len(risk) + [HARD] * len(hard) + [OTHER] * len(other))


def fold_shares(name: str, texts: list[str], groups: np.ndarray, train, test) -> list[float]:
    model = VARIANTS[name]()
    model.fit([texts[i] for i in train], (groups[train] == RISK).astype(int))
    probability = model.predict_proba([texts[i] for i in test])[:, 1]
    tested = groups[test]
    return [
        float((probability[tested == g] >= t).mean()) for g in (RISK, HARD, OTHER) for t in (EMERGENCY_AT, CHECK_AT)
    ]


def main(names: list[str]) -> int:
    texts, groups = split()
    folds = list(StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED).split(texts, groups))
    print(f"{(groups == RISK).sum()} risk, {(groups == HARD).sum()} hard ordinary, {(groups == OTHER).sum()} other")
    print(
        f"{'variant':28s} risk@{EMERGENCY_AT} risk@{CHECK_AT} hard@{EMERGENCY_AT} hard@{CHECK_AT} other@{EMERGENCY_AT} other@{CHECK_AT}"
    )
    for name in names or list(VARIANTS):
        shares = Parallel(n_jobs=2)(delayed(fold_shares)(name, texts, groups, tr, te) for tr, te in folds)
        mean = np.mean(shares, axis=0)
        print(f"{name:28s} " + " ".join(f"{value:8.1%}" for value in mean), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
