"""5-fold cross-validation of the situation model's choices on the training data only (data/nlu/).

Never reads tests/: the figures it prints are the ones docs/nlu.md gives for choosing the features and C.
Stratified folds, seed 2026, two folds at a time on the two cores.
With --by-author, each voice file (data/nlu/voices_*.yml, written by one author who saw no other file) is
held out in turn and the model trained on everything else: closer to a message from a new author than
random folds, where every fold holds some of every voice.
Usage: python scripts/cross_validate.py [--by-author] [VARIANT ...]   (default: every variant below)
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import yaml
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline, make_union

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.rasa_ext.intent_classifier import TfidfIntentClassifier, build_pipeline  # noqa: E402

SEED = 2026


def training_examples() -> tuple[list[str], list[str], list[str]]:
    """Every example's text, intent and the file it came from."""
    texts, labels, files = [], [], []
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" not in block:
                continue
            for line in str(block.get("examples", "")).splitlines():
                if line.strip().startswith("- "):
                    texts.append(line.strip()[2:].strip())
                    labels.append(block["intent"])
                    files.append(path.name)
    return texts, labels, files


def author_folds(files: list[str]) -> list[tuple[list[int], list[int]]]:
    voices = sorted({name for name in files if name.startswith("voices_")})
    return [
        ([i for i, f in enumerate(files) if f != voice], [i for i, f in enumerate(files) if f == voice])
        for voice in voices
    ]


def chosen(labels: list[str], c: float = 10.0):
    # Class weights from all the training labels (as the figures in docs/nlu.md were made), not per fold.
    return build_pipeline({**TfidfIntentClassifier.get_default_config(), "C": c}, labels)


def other_features(labels: list[str], words: tuple[int, int], chars: tuple[int, int], analyzer: str, c: float = 10.0):
    """The chosen classifier on other tf-idf features: word n-grams `words`, character n-grams `chars`."""
    features = make_union(
        TfidfVectorizer(analyzer="word", ngram_range=words, token_pattern=r"(?u)\b\w+\b", sublinear_tf=True),
        TfidfVectorizer(analyzer=analyzer, ngram_range=chars, sublinear_tf=True),
    )
    return make_pipeline(features, chosen(labels, c).steps[-1][1])


VARIANTS = {
    "chosen (C=10)": lambda labels: chosen(labels, 10.0),
    "C=3": lambda labels: chosen(labels, 3.0),
    "C=30": lambda labels: chosen(labels, 30.0),
    "C=100": lambda labels: chosen(labels, 100.0),
    # More features, to see whether the chosen ones leave accuracy behind.
    "words 1-3 + characters 1-6, C=10": lambda labels: other_features(labels, (1, 3), (1, 6), "char_wb"),
    # Characters 2-5 taken across word boundaries too ("sent home" as one stretch of letters).
    "characters across words, C=10": lambda labels: other_features(labels, (1, 2), (2, 5), "char"),
}


def fold_accuracy(model, texts: list[str], labels: list[str], train: list[int], test: list[int]) -> float:
    model = clone(model)
    model.fit([texts[i] for i in train], [labels[i] for i in train])
    predicted = model.predict([texts[i] for i in test])
    return sum(p == labels[i] for p, i in zip(predicted, test, strict=True)) / len(test)


def main(args: list[str]) -> int:
    by_author = "--by-author" in args
    names = [a for a in args if a != "--by-author"]
    texts, labels, files = training_examples()
    if by_author:
        folds = author_folds(files)
        print(f"{len(texts)} examples, {len(set(labels))} intents, {len(folds)} voice files held out in turn")
    else:
        folds = list(StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED).split(texts, labels))
        print(f"{len(texts)} examples, {len(set(labels))} intents, 5 folds (seed {SEED})")
    for name in names or list(VARIANTS):
        model = VARIANTS[name](labels)
        scores = Parallel(n_jobs=2)(delayed(fold_accuracy)(model, texts, labels, tr, te) for tr, te in folds)
        print(f"{name:40s} mean {statistics.mean(scores):.3f}  sd {statistics.stdev(scores):.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
