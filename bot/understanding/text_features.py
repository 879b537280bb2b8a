"""The one text representation both learned models use: tf-idf over words and character n-grams.

Character n-grams inside word boundaries make typos and abbreviations ("exluded", "ehcp", "SALT") look
like what they mean; word pairs keep short phrases ("sent home", "no plan"). Sublinear term frequency
stops a long message from drowning out a short one. scikit-learn is already pinned by Rasa, so this adds
no dependency, and nothing is downloaded. docs/nlu.md shows the cross-validation behind these choices.
"""

from __future__ import annotations

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, make_union


def text_features(char_min_df: int = 1) -> FeatureUnion:
    return make_union(
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=char_min_df, sublinear_tf=True),
    )
