"""One-tap questions for when the assistant is not sure: "is anyone in danger?" and "is this about X?".

Three bands of the situation model's confidence (docs/nlu.md shows how they were chosen):

- at or above CONFIDENT_AT: answer;
- between the FallbackClassifier threshold (config.yml) and CONFIDENT_AT: answer the best guess, then ask
  "Is this about something else?" with the next two guesses and "Something else" as buttons;
- below the FallbackClassifier threshold: "did you mean" (bot/answers.did_you_mean).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.dialogue.answers import Reply

CONFIDENT_AT = 0.65
# A guess this unlikely is not worth a button.
ALTERNATIVE_FLOOR = 0.03
SOMETHING_ELSE = {"title": "Something else", "payload": "/something_else"}
DANGER_NOW = {"title": "Yes, someone is in danger now", "payload": "/crisis"}


def _guesses(ranking: Sequence[Mapping[str, object]], titles: Mapping[str, str], skip: set[str]) -> list[str]:
    found = []
    for entry in ranking:
        name = str(entry.get("name"))
        if name in titles and name not in skip and float(entry.get("confidence") or 0.0) >= ALTERNATIVE_FLOOR:  # type: ignore[arg-type]
            found.append(name)
    return found


def check_guess(
    answered: str, confidence: float, ranking: Sequence[Mapping[str, object]], titles: Mapping[str, str]
) -> Reply | None:
    """After an answer the model was only fairly sure of: the next two guesses, one tap away."""
    if confidence >= CONFIDENT_AT:
        return None
    others = _guesses(ranking, titles, {answered, "crisis"})[:2]
    buttons = [{"title": titles[name], "payload": f"/{name}"} for name in others]
    return Reply(
        "I wasn't completely sure what you meant. If this isn't it, is it one of these?", [*buttons, SOMETHING_ELSE]
    )


def safety_question(ranking: Sequence[Mapping[str, object]], titles: Mapping[str, str]) -> Reply:
    """Asked before anything else when a message might show risk but the signs are not clear. "No" carries
    on with the model's best two guesses, as the middle band offers them: the question is now also asked
    when the model was not sure (bot/understanding/risk_model.UNSURE_CHECK_AT)."""
    carry_on = [
        {"title": f"No. Carry on: {titles[name]}", "payload": f"/{name}"}
        for name in _guesses(ranking, titles, {"crisis"})[:2]
    ]
    no = {"title": "No, something else" if carry_on else "No, nobody is in danger", "payload": "/something_else"}
    return Reply("Before I answer: is anyone in danger right now?", [DANGER_NOW, *carry_on, no])
