"""A learned detector of messages that show immediate risk, and the one decision that combines it.

The patterns in bot/understanding/safety.py catch the wordings we know; the situation model knows the `crisis`
examples; this detector is trained on its own split (every `crisis` example and data/safety/risk.txt
against every other training example and data/safety/ordinary.txt), so it generalises to wordings no
pattern names ("she sent a goodbye text and now nothing", "he keeps carrying packages for older lads").

scikit-learn is already pinned by Rasa, so the detector adds no dependency: the same tf-idf features as
the situation model (bot/understanding/text_features.py), then a balanced logistic regression. Its probability is read in
three bands (docs/safety-and-privacy.md says how the bands were chosen):

- at or above EMERGENCY_AT: emergency help first;
- between CHECK_AT and EMERGENCY_AT (from UNSURE_CHECK_AT when the situation model is not sure what the
  message is about): one tap, "Before I answer: is anyone in danger right now?";
- below CHECK_AT: the message is answered as usual.

A pattern match gives emergency help first, unless every risk word is told only as the past, a plan, a
topic or a quoted label (bot/understanding/risk_context.py), or everything else doubts it (pattern_doubted:
then it asks the one-tap question). A longer message is also read sentence by
sentence: a sure sentence that itself says now or very recently (LINE_EMERGENCY_AT: "also she's been
drowsy and breathing weird since lunch") gives emergency help, and any very sure sentence (LINE_CHECK_AT)
asks the one-tap question. `assess` is where all of it is decided.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from bot.text import normalise_text
from bot.understanding.danger_kind import KindReader
from bot.understanding.intents import CRISIS_INTENT, situation_intents
from bot.understanding.openers import is_opener
from bot.understanding.risk_context import (
    lines_that_may_be_now,
    not_about_danger_now,
    says_it_is_over,
    says_now,
    tells_of_now,
    without_deadlines,
    without_time_words,
)
from bot.understanding.safety import asks_about_safety, risk_matches
from bot.understanding.text_features import text_features

# Chosen on the older held-out crisis sets (tests/safety/, `scripts/choose_bands.py`), never on tests/fresh*;
# the rule and each session's table are in docs/safety-and-privacy.md. Re-read in session 7 and kept: with
# this model, on the rule's sets, 98.8% of risk messages get emergency help first and 99.6% are helped one
# way or the other, with 1.7% of ordinary messages given emergency help and 2.2% asked the question.
EMERGENCY_AT = 0.50
CHECK_AT = 0.25
# One sentence of a longer message, read on its own, asks the one-tap safety question when the detector is
# very sure of it: a short line of an ordinary message ("the council is bleeding us dry") scores higher
# alone than the whole message does, so a sure line alone is not enough for emergency help. Chosen on the
# tuning sets in tests/safety/ (session 6, docs/safety-and-privacy.md says how, and what the fresh sets
# showed first).
LINE_CHECK_AT = 0.95
# The exception: a sentence that is sure of danger and itself says now or very recently ("tonight I found a
# rope in his wardrobe", "he's just found us") is the parent telling us what is happening, so it gives
# emergency help even when the rest of the message is about an EHC plan; unless the message also says it
# is over and everyone is safe (risk_context.says_it_is_over), when it only asks. Chosen on the tuning sets
# in tests/safety/ (session 7, `scripts/choose_bands.py`, docs/safety-and-privacy.md): the lowest that
# gives no ordinary message of those sets emergency help (0.93 gave it to "help the deadline is
# tonight!!", 0.98 to a hospital discharge today).
LINE_EMERGENCY_AT = 0.99
# When the situation model is not sure what the message is about (below its confident band: it would
# answer "did you mean", or answer its best guess and ask "is this about X?"), a lower reading asks the
# safety question instead: the "a one-tap safety question instead of a plain 'not sure'".
# Confident answers are untouched, so no situation the model recognises is diverted. Chosen on the tuning
# sets in tests/safety/ (docs/safety-and-privacy.md): the highest that leaves no risk message of those sets
# with neither emergency help nor the question. Session 7 applied it to "did you mean" only, at 0.20;
# session 8 to both unsure bands, at 0.12, and at 0.11 after the detector's thirteenth wave (no held-out
# situation message diverted). Session 9's medical waves would have moved it to 0.15; they were not kept
# (docs/safety-and-privacy.md), so 0.11 stands.
UNSURE_CHECK_AT = 0.11
# Likewise a sentence that itself says now ("he's still twitching on one side now"), read on its own, asks the
# question from this reading when the situation model is not sure, not only from LINE_CHECK_AT. Chosen in
# session 9 by session 7's rule on the tuning sets (docs/safety-and-privacy.md): the highest round reading that
# leaves no risk message the situation model is unsure of with neither; 4 more risk messages helped (medical
# emergencies told inside a school message), 7 of about 3,300 ordinary ones asked, no situation message diverted.
UNSURE_LINE_CHECK_AT = 0.70
# A sentence counts as "sure and says now" only if what it says stays alarming without its words of time: in
# "Writing it tonight after the kids are in bed." the short line reads 1.0 on "tonight" alone. Chosen in
# session 11 on the tuning sets in tests/safety/ (docs/safety-and-privacy.md): no risk message changes from 0.30
# to 0.55 (0.60 would move a feverish child on chemotherapy "tonight" to the question); 0.50 for a margin.
LINE_NOW_CONTENT_AT = 0.50
# A pattern asks the one-tap question instead of giving emergency help when everything else says the danger
# word is not about now: the detector reads the whole message under PATTERN_DOUBT_BELOW, no sentence reads sure,
# no word says now (risk_context.tells_of_now), and the situation model's best guess is a SEND situation at
# PATTERN_DOUBT_GUESS_AT or more ("we can't go on like this with the school run, can I ask for transport?", "the
# exclusion letter says she is a danger to others"). Where the model is unsure the parent would tap once anyway,
# and the question carries on with the same guesses. Chosen in session 11 on the tuning sets
# (docs/safety-and-privacy.md): no risk message of 1,880 changes at 0.10 whatever the guess, nor at 0.20 with a
# guess of 0.50 or more; 0.10, well under the detector's own question band, and a guess of 0.30 keep a margin
# (the few risk messages near it had guesses under 0.25). Session 14 lowered the guess to 0.10 on the same rule:
# no risk message of any set (4,300 with the new red team) changes at any guess, while 53 tuning and 10 check-set
# ordinary messages move from emergency help to the question; 0.10 still asks that the model lean to a SEND matter.
PATTERN_DOUBT_BELOW = 0.10
PATTERN_DOUBT_GUESS_AT = 0.10
# Only the kinds of pattern whose words are often a figure of speech, a topic, a label or history ("killing
# me", "abusive paperwork", "self-harm in his plan") are doubted; words of a concrete event happening (a child
# missing, weapons outside, a medical emergency, an overdose, a child on a roof, nowhere to sleep) never are,
# however calmly told: a calm red team (tests/safety/crisis_calm.txt) lost "lads outside our house with knives".
DOUBTED_KINDS = frozenset(
    {
        "suicide",
        "wants to die",
        "kill self",
        "no point living",
        "self-harm",
        "abuse",
        "hurt by someone",
        "injury",
        "threat",
        "warning signs",
        "crisis",
    }
)
# The situation model's own crisis guess decides only with the detector's agreement and a confident
# model; on its own it asks (one tap) rather than showing emergency numbers to "my son".
MODEL_CRISIS_CONFIDENT = 0.65
# A word or three the situation model confidently reads as steering the chat ("stop", "bye", "no thanks")
# ends or answers a step; the detector has too little to go on there ("stop" shares a word with "the fit
# won't stop"), so only a pattern or the emergency band overrides it. "Confidently" is the situation model's
# own confident band (docs/nlu.md), the same figure as MODEL_CRISIS_CONFIDENT but a different question.
CHAT_COMMANDS = frozenset({"stop", "goodbye", "thank", "affirm", "deny"})
CHAT_COMMAND_MAX_WORDS = 3
CHAT_COMMAND_CONFIDENT = 0.65
SEED = 2026
DETECTOR_C = 20.0


@dataclass(frozen=True)
class Bands:
    """The readings at which `assess` acts, the constants above by default. scripts/choose_bands.py tries
    others on one parse per message (`reassess`) instead of changing the constants."""

    emergency_at: float = EMERGENCY_AT
    check_at: float = CHECK_AT
    line_check_at: float = LINE_CHECK_AT
    line_emergency_at: float = LINE_EMERGENCY_AT
    unsure_check_at: float = UNSURE_CHECK_AT
    unsure_line_check_at: float = UNSURE_LINE_CHECK_AT
    pattern_doubt_below: float = PATTERN_DOUBT_BELOW
    pattern_doubt_guess_at: float = PATTERN_DOUBT_GUESS_AT


BANDS = Bands()
# With no trained detector (an old model archive) its reading is 0.0, which is no doubt at all.
WITHOUT_DETECTOR = replace(BANDS, pattern_doubt_below=0.0)


class Verdict(enum.Enum):
    EMERGENCY = "emergency"
    CHECK = "check"
    OPENER = "opener"
    NONE = "none"


def build_pipeline(c: float = DETECTOR_C, class_weight: str | dict | None = "balanced") -> Pipeline:
    # C=20 by 5-fold cross-validation on the detector's own training split (scripts/cross_validate_risk.py,
    # docs/safety-and-privacy.md): the same share of risk messages at 0.50 as C=8, fewer ordinary ones.
    classifier = LogisticRegression(C=c, class_weight=class_weight, max_iter=3000, random_state=SEED)
    return make_pipeline(text_features(char_min_df=2), classifier)


@dataclass(frozen=True)
class LineReading:
    """The detector's reading of a longer message sentence by sentence (all 0.0 for a single sentence)."""

    surest: float = 0.0  # the surest sentence
    surest_now: float = 0.0  # the surest sentence that itself says now or very recently


class RiskDetector:
    """Probability that a message shows immediate risk, learned from examples; and, trained with it and stored
    with it, which kind of danger a risk message tells of (bot/understanding/danger_kind.py)."""

    def __init__(self, pipeline: Pipeline, kinds: KindReader | None = None) -> None:
        self._pipeline = pipeline
        self._kinds = kinds

    @classmethod
    def train(cls, risk: Iterable[str], ordinary: Iterable[str], kinds: Iterable[tuple[str, str]] = ()) -> RiskDetector:
        """`kinds`: labelled risk examples (kind, message); without them no kind is read."""
        risk_texts, ordinary_texts = _clean(risk), _clean(ordinary)
        if not risk_texts or not ordinary_texts:
            raise ValueError("the risk detector needs both risk and ordinary examples")
        pipeline = build_pipeline()
        pipeline.fit(risk_texts + ordinary_texts, [1] * len(risk_texts) + [0] * len(ordinary_texts))
        labelled = list(kinds)
        return cls(pipeline, KindReader.train(labelled) if labelled else None)

    def kind(self, text: str) -> str | None:
        """The kind of danger the message tells of, when sure (None from a model stored before session 12)."""
        reader = getattr(self, "_kinds", None)
        return reader.kind(text) if reader else None

    def probability(self, text: str) -> float:
        if not (text or "").strip():
            return 0.0
        return float(self._pipeline.predict_proba([without_deadlines(text)])[0][1])

    def read_lines(self, text: str) -> LineReading:
        """Each sentence of a longer message on its own, so one line of danger is not diluted by the rest."""
        lines = lines_that_may_be_now(text)
        if not lines:
            return LineReading()
        scores = [float(p) for p in self._pipeline.predict_proba([without_deadlines(line) for line in lines])[:, 1]]
        now = [(line, score) for line, score in zip(lines, scores, strict=True) if says_now(line)]
        if not now:
            return LineReading(surest=max(scores))
        # The same sentence without its words of time: "tonight" alone must not make a line sure of danger.
        what_it_says = self._pipeline.predict_proba([without_time_words(line) for line, _ in now])[:, 1]
        sure_now = [score for (_, score), rest in zip(now, what_it_says, strict=True) if rest >= LINE_NOW_CONTENT_AT]
        return LineReading(surest=max(scores), surest_now=max(sure_now, default=0.0))


def _clean(texts: Iterable[str]) -> list[str]:
    return [" ".join(t.split()) for t in texts if t and t.strip() and not t.lstrip().startswith("/")]


def read_examples(path: Path) -> list[str]:
    """One message per line; `kind<TAB>message` lines keep only the message; # starts a comment."""
    if not path.exists():
        return []
    lines = (line.split("\t")[-1].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def assess(
    text: str,
    risk_probability: float,
    model_guess: str | None,
    model_confidence: float,
    lines: LineReading = LineReading(),
    model_unsure: bool = False,
    bands: Bands = BANDS,
) -> Verdict:
    """The single decision on risk, for the pipeline component and for the evaluation scripts alike.

    `risk_probability` is the detector's reading of the whole message, `lines` its reading sentence by sentence
    (RiskDetector.read_lines): a sure sentence that says now gives emergency help, a very sure one asks.
    `model_unsure` is true when the situation model is not sure (is_unsure: "did you mean" or the middle band):
    then a lower reading asks. `bands` are the readings it acts at (BANDS unless a script tries others).
    """
    normalised = normalise_text(text)
    if lines.surest >= bands.line_check_at or asks_about_safety(normalised):
        risk_probability = max(risk_probability, bands.check_at)
    matches = danger_now_matches(normalised)
    if matches:
        if pattern_doubted(normalised, matches, risk_probability, lines, model_guess, model_confidence, bands):
            return Verdict.CHECK
        return Verdict.EMERGENCY
    # A sure sentence that says now, unless the message says it is over ("nobody was hurt"): then the
    # sentence has already raised the question, above.
    if lines.surest_now >= bands.line_emergency_at and not says_it_is_over(text):
        return Verdict.EMERGENCY
    if is_opener(text):
        return Verdict.OPENER
    if is_chat_command(text, model_guess, model_confidence) and risk_probability < bands.emergency_at:
        return Verdict.NONE
    model_says_crisis = model_guess == "crisis"
    if risk_probability >= bands.emergency_at or (
        model_says_crisis and model_confidence >= MODEL_CRISIS_CONFIDENT and risk_probability >= bands.check_at
    ):
        return Verdict.EMERGENCY
    if risk_probability >= bands.check_at or model_says_crisis:
        return Verdict.CHECK
    if model_unsure and (risk_probability >= bands.unsure_check_at or lines.surest_now >= bands.unsure_line_check_at):
        return Verdict.CHECK
    return Verdict.NONE


def reading(
    probability: float,
    lines: LineReading,
    guess: str | None,
    confidence: float,
    unsure: bool,
    verdict: Verdict,
    kind: str | None = None,
    patterns: Sequence[str] | None = None,
) -> dict:
    """What `assess` was given and decided, kept in the parse result (stored with the message's intents: numbers
    and names, no text) for evaluation and logs, so that `reassess` can decide again at other bands without
    parsing again."""
    # Not rounded: `reassess` must decide exactly as `assess` did (0.98996 is under 0.99).
    return {
        "probability": probability,
        "line": lines.surest,
        "line_now": lines.surest_now,
        "guess": guess,
        "guess_confidence": confidence,
        "unsure": unsure,
        "verdict": verdict.value,
        "kind": kind,  # the kind of danger (RiskDetector.kind), read only with emergency help or the question
        # The risk patterns that matched (safety.risk_signals), read only then too: None when not read, so a later
        # "someone is in danger" tap under an ordinary answer has them read then (emergency.help_for_parse).
        "patterns": None if patterns is None else list(patterns),
    }


def reassess(text: str, kept: dict, bands: Bands) -> Verdict:
    """`assess` again on a parse's `reading`, at other bands (scripts/choose_bands.py)."""
    lines = LineReading(surest=kept["line"], surest_now=kept["line_now"])
    return assess(
        text, kept["probability"], kept["guess"], kept["guess_confidence"], lines, kept["unsure"], bands=bands
    )


def pattern_doubted(
    normalised: str,
    matches: Sequence[tuple[str, tuple[int, int]]],
    risk_probability: float,
    lines: LineReading,
    model_guess: str | None,
    model_confidence: float,
    bands: Bands,
) -> bool:
    """Everything but the patterns that matched (danger_now_matches) says the danger word is not about now
    (PATTERN_DOUBT_BELOW): then the parent is asked, one tap, rather than shown emergency numbers over a question
    about the school run."""
    return (
        {kind for kind, _ in matches} <= DOUBTED_KINDS
        and risk_probability < bands.pattern_doubt_below
        and lines.surest < bands.line_check_at
        and model_guess in _situations()
        and model_confidence >= bands.pattern_doubt_guess_at
        and not tells_of_now(normalised, [span for _, span in matches])
    )


@cache
def _situations() -> frozenset[str]:
    """The SEND situations the model knows: not crisis, nor asking for a person to talk to or naming another
    nation (where a parent in danger may well start), nor the chat's own intents such as "stop"."""
    return frozenset(situation_intents()) - {CRISIS_INTENT, "talk_to_adviser", "outside_england"}


def patterns_show_danger_now(normalised: str) -> bool:
    """A risk pattern fires on already normalised text, and not only on words told as the past, a plan or a
    topic ("self-harmed two years ago, doing well now", "suicide prevention training"): those leave the
    decision to the detector and the model."""
    return bool(danger_now_matches(normalised))


def danger_now_matches(normalised: str) -> list[tuple[str, tuple[int, int]]]:
    """Every pattern's matches (kind, span), when the patterns show danger now (patterns_show_danger_now); empty
    otherwise. One pass over the patterns serves both the verdict and the doubt (pattern_doubted: its kinds, and
    whether "now" is near its words)."""
    matches = risk_matches(normalised)
    if not matches or not_about_danger_now(normalised, [span for _, span in matches]):
        return []
    return matches


def is_chat_command(text: str, model_guess: str | None, model_confidence: float) -> bool:
    return (
        model_guess in CHAT_COMMANDS
        and model_confidence >= CHAT_COMMAND_CONFIDENT
        and len(text.split()) <= CHAT_COMMAND_MAX_WORDS
    )


def is_unsure(ranking: Sequence[dict], confident_at: float) -> bool:
    """The situation model is not sure: it fell back ("did you mean"), or its best guess is below the
    confident band `confident_at` (the assistant would answer it and ask "is this about X?")."""
    if not ranking:
        return False
    first = ranking[0]
    return first.get("name") == "nlu_fallback" or float(first.get("confidence") or 0.0) < confident_at


def top_guess(ranking: Sequence[dict]) -> tuple[str | None, float]:
    for entry in ranking:
        if entry.get("name") != "nlu_fallback":
            return entry.get("name"), float(entry.get("confidence") or 0.0)
    return None, 0.0
