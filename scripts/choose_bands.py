"""Choose the confidence bands on the older held-out sets, never on tests/fresh/ (which only reports).

Situations (tests/nlu/heldout_situations.yml): for each pair (fallback threshold, confident threshold),
what share of messages is right on the first reply, right within one tap, and confidently wrong.
Risk (tests/safety/, the rule's three sets): for each detector threshold, how many risk and ordinary
messages reach it; then, for a few pairs of thresholds, what the whole assistant (patterns, detector and
model) does with the risk, ordinary and older held-out situation messages, since a lower question
threshold also diverts situation messages; last, what the whole assistant does with every set in
tests/safety/ as it stands (session 6's history, red-team and openers sets included), and the threshold for a
sentence that says now (risk_model.LINE_EMERGENCY_AT) on all of them.
Usage: python scripts/choose_bands.py MODEL
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.check_safety import lines  # noqa: E402
from scripts.evaluate import quiet_rasa_logs, situation_examples  # noqa: E402

HELD_OUT = ROOT / "tests" / "nlu" / "heldout_situations.yml"
SKIP = {"nlu_fallback", "crisis", "safety_check", "opener"}


def band_outcome(truth: str, ranking: list[tuple[str, float]], low: float, confident: float) -> tuple[bool, bool, bool]:
    """(right first, right within one tap, confidently wrong) for one message under these bands."""
    guesses = [(n, c) for n, c in ranking if n not in SKIP]
    if not guesses:
        return False, False, False
    top, confidence = guesses[0]
    names = [n for n, _ in guesses]
    if confidence < low:  # "did you mean": three guesses, one tap
        return False, truth in names[:3], False
    if confidence < confident:  # answer, then "is it one of these?"
        return top == truth, truth in names[:3], False
    return top == truth, top == truth, top != truth


def table(rows: list[tuple[str, list[tuple[str, float]]]], lows: list[float], confidents: list[float]) -> None:
    print(f"{'fallback':>8} {'confident':>9} {'first':>6} {'1 tap':>6} {'conf.wrong':>10}")
    for low in lows:
        for confident in confidents:
            if confident < low:
                continue
            outcomes = [band_outcome(t, r, low, confident) for t, r in rows]
            n = len(outcomes)
            first, tap, wrong = (sum(o[i] for o in outcomes) / n for i in range(3))
            print(f"{low:8.2f} {confident:9.2f} {first:6.1%} {tap:6.1%} {wrong:10.1%}")


async def main(model: str) -> None:
    from rasa.core.agent import Agent

    quiet_rasa_logs()  # only the figures; the debug log would print every message

    parsed = Parses(Agent.load(model))
    situations = situation_examples(HELD_OUT)
    rows = []
    for truth, text in situations:
        parse = await parsed(text)
        rows.append((truth, [(r["name"], float(r["confidence"])) for r in parse.get("intent_ranking", [])]))
    print(f"Situations: {len(rows)} held-out messages ({HELD_OUT.relative_to(ROOT)})")
    table(rows, [0.2, 0.25, 0.3, 0.35, 0.4, 0.5], [0.4, 0.5, 0.6, 0.65, 0.7, 0.8])

    # The thresholds' rule is read on the sets written for it: the first two (check_safety.py's regression
    # guard) and the third (session 5). Session 6's sets (history, red team, openers) were written to test
    # particular rules and are shown per set below, not pooled into the rule.
    risk = [t for name in RULE_SETS for t in lines(f"crisis_{name}.txt")]
    ordinary = [t for name in RULE_SETS for t in lines(f"ordinary_{name}.txt")]
    risk_p = [(await parsed(t))["risk"]["probability"] for t in risk]
    ordinary_p = [(await parsed(t))["risk"]["probability"] for t in ordinary]
    print(
        f"\nRisk detector alone: {len(risk)} risk and {len(ordinary)} ordinary messages (tests/safety/, the rule's sets)"
    )
    print(f"{'threshold':>9} {'risk >=':>8} {'ordinary >=':>11}")
    for threshold in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9):
        r = sum(p >= threshold for p in risk_p) / len(risk)
        o = sum(p >= threshold for p in ordinary_p) / len(ordinary)
        print(f"{threshold:9.2f} {r:8.1%} {o:11.1%}")
    await per_set(parsed)
    await whole_assistant(parsed, risk, ordinary, [text for _, text in situations])
    await sentence_that_says_now(parsed)


class Parses:
    """Each message parsed once; other bands are tried on the parse's risk reading (risk_model.reassess), so
    no constant is changed and the model is not asked again."""

    def __init__(self, agent) -> None:
        self._agent = agent
        self._parses: dict[str, dict] = {}

    async def __call__(self, text: str) -> dict:
        if text not in self._parses:
            self._parses[text] = await self._agent.parse_message(text)
        return self._parses[text]

    async def verdicts(self, texts: list[str], bands) -> list[str]:
        """What the assistant would do with each message at these bands: "emergency", "check" or neither."""
        from bot.rasa_ext.safety_net import settled
        from bot.understanding.risk_model import reassess

        return [settled(text, reassess(text, (await self(text))["risk"], bands)).value for text in texts]


WHOLE_PAIRS = [
    (0.50, 0.25),
    (0.50, 0.15),
    (0.50, 0.10),
    (0.40, 0.25),
    (0.35, 0.25),
    (0.30, 0.20),
    (0.25, 0.15),
    (0.20, 0.15),
    (0.20, 0.10),
]
RULE_SETS = ("unseen", "fresh", "tuning3")


async def per_set(parsed: Parses) -> None:
    """What the whole assistant does with every set in tests/safety, as it stands."""
    print("\nThe whole assistant now, per set: emergency help, the safety question, neither")
    for path in sorted((ROOT / "tests" / "safety").glob("*.txt")):
        got = [(await parsed(t))["intent"]["name"] for t in lines(path.name)]
        emergency, question = got.count("crisis"), got.count("safety_check")
        print(f"  {path.name:28} {emergency:4} {question:4} {len(got) - emergency - question:4}  of {len(got)}")


async def whole_assistant(parsed: Parses, risk: list[str], ordinary: list[str], situations: list[str]) -> None:
    """Each (emergency, question) pair as the assistant would act on it."""
    from bot.understanding.risk_model import BANDS

    print(
        "\nThe whole assistant: emergency, question -> risk given emergency help / helped, ordinary emergency / question,"
        " situations given emergency help / diverted"
    )
    for emergency, question in WHOLE_PAIRS:
        bands = replace(BANDS, emergency_at=emergency, check_at=question)
        got = {
            name: await parsed.verdicts(texts, bands)
            for name, texts in (("risk", risk), ("ordinary", ordinary), ("situations", situations))
        }
        print(
            f"{emergency:.2f}, {question:.2f} -> {_share(got['risk'], 'emergency'):.1%} / "
            f"{_share(got['risk'], 'emergency', 'check'):.1%}, "
            f"{_share(got['ordinary'], 'emergency'):.1%} / {_share(got['ordinary'], 'check'):.1%}, "
            f"{_share(got['situations'], 'emergency'):.1%} / {_share(got['situations'], 'emergency', 'check'):.1%}"
        )


LINE_EMERGENCY_TRIED = (0.85, 0.90, 0.93, 0.96, 0.98, 0.99, 1.01)


async def sentence_that_says_now(parsed: Parses) -> None:
    """risk_model.LINE_EMERGENCY_AT on every set in tests/safety: the crisis sets against all the others."""
    from bot.understanding.risk_model import BANDS

    risk = [t for path in sorted((ROOT / "tests" / "safety").glob("crisis_*.txt")) for t in lines(path.name)]
    ordinary = [
        t
        for path in sorted((ROOT / "tests" / "safety").glob("*.txt"))
        if not path.name.startswith("crisis_")
        for t in lines(path.name)
    ]
    print(
        f"\nA sentence that says now: threshold -> emergency help for risk (of {len(risk)}), ordinary (of {len(ordinary)})"
    )
    for threshold in LINE_EMERGENCY_TRIED:
        bands = replace(BANDS, line_emergency_at=threshold)
        risk_got = await parsed.verdicts(risk, bands)
        ordinary_got = await parsed.verdicts(ordinary, bands)
        print(f"{threshold:9.2f} -> {risk_got.count('emergency'):4} {ordinary_got.count('emergency'):4}")


def _share(verdicts: list[str], *wanted: str) -> float:
    return sum(v in wanted for v in verdicts) / len(verdicts)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "models" / "send-assistant.tar.gz")))
