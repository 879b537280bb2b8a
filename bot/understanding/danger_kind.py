"""Which kind of danger a risk message tells of (a medical emergency, a child missing, domestic abuse...), learned
from the risk detector's own labelled examples (data/safety/risk.txt, `kind<TAB>message`).

The emergency help is the same first line for every danger; the line after it fits the kind (NHS 111, Missing
People, the domestic abuse helpline...: bot/dialogue/emergency.py). The words and patterns there find the kind when
the message names it; this reader finds it when the message tells it another way ("the trachy came out and they
can't get the spare in"). It is only asked about a message already given emergency help or the safety question, and
only a sure reading counts. docs/safety-and-privacy.md gives its cross-validated accuracy.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from bot.understanding.text_features import text_features

SEED = 2026
# A reading under this is no kind at all: the parent then gets the general emergency help alone.
KIND_SURE_AT = 0.50


class KindReader:
    def __init__(self, pipeline: Pipeline) -> None:
        self._pipeline = pipeline

    @classmethod
    def train(cls, labelled: Iterable[tuple[str, str]]) -> KindReader:
        pairs = [(kind, " ".join(text.split())) for kind, text in labelled if kind and text.strip()]
        if len({kind for kind, _ in pairs}) < 2:
            raise ValueError("the kind reader needs examples of at least two kinds")
        pipeline = build_pipeline()
        pipeline.fit([text for _, text in pairs], [kind for kind, _ in pairs])
        return cls(pipeline)

    def kind(self, text: str) -> str | None:
        """The kind of danger, when the reading is sure enough (KIND_SURE_AT); otherwise None."""
        if not (text or "").strip():
            return None
        probabilities = self._pipeline.predict_proba([text])[0]
        best = int(probabilities.argmax())
        return str(self._pipeline.classes_[best]) if probabilities[best] >= KIND_SURE_AT else None


def build_pipeline() -> Pipeline:
    classifier = LogisticRegression(C=10.0, class_weight="balanced", max_iter=3000, random_state=SEED)
    return make_pipeline(text_features(char_min_df=2), classifier)


def read_labelled(path: Path) -> list[tuple[str, str]]:
    """The `kind<TAB>message` lines of a file (comments and unlabelled lines left out)."""
    if not path.exists():
        return []
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        kind, text = line.split("\t", 1)
        if kind.strip() and text.strip():
            pairs.append((kind.strip(), text.strip()))
    return pairs
