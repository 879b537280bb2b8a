"""Choose the confidence bands on the older held-out sets, never on tests/fresh/ (which only reports).

Situations (tests/nlu/heldout_situations.yml): for each pair (fallback threshold, confident threshold),
what share of messages is right on the first reply, right within one tap, and confidently wrong.
Risk (tests/safety/*.txt): for each pair (check, emergency) of detector thresholds, how many risk
messages get emergency help or the safety question, and how many ordinary messages do.
Usage: python scripts/choose_bands.py MODEL
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.check_safety import lines  # noqa: E402
from scripts.evaluate import situation_examples  # noqa: E402

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

    agent = Agent.load(model)
    situations = situation_examples(HELD_OUT)
    rows = []
    for truth, text in situations:
        parse = await agent.parse_message(text)
        rows.append((truth, [(r["name"], float(r["confidence"])) for r in parse.get("intent_ranking", [])]))
    print(f"Situations: {len(rows)} held-out messages ({HELD_OUT.relative_to(ROOT)})")
    table(rows, [0.2, 0.25, 0.3, 0.35, 0.4, 0.5], [0.4, 0.5, 0.6, 0.65, 0.7, 0.8])

    risk = lines("crisis_unseen.txt") + lines("crisis_fresh.txt")
    ordinary = lines("ordinary_unseen.txt") + lines("ordinary_fresh.txt")
    risk_p = [await _probability(agent, t) for t in risk]
    ordinary_p = [await _probability(agent, t) for t in ordinary]
    print(f"\nRisk detector alone: {len(risk)} risk and {len(ordinary)} ordinary messages (tests/safety/)")
    print(f"{'threshold':>9} {'risk >=':>8} {'ordinary >=':>11}")
    for threshold in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9):
        r = sum(p >= threshold for p in risk_p) / len(risk)
        o = sum(p >= threshold for p in ordinary_p) / len(ordinary)
        print(f"{threshold:9.2f} {r:8.1%} {o:11.1%}")


async def _probability(agent, text: str) -> float:
    return float((await agent.parse_message(text)).get("risk", {}).get("probability", 0.0))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "models" / "send-assistant.tar.gz")))
