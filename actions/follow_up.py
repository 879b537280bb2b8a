"""`action_follow_up`: "what about academies?", "how long do they have?", "and if they say no?" after an
answer, answered from the article the parent is reading (`bot/dialogue/follow_up.py` decides what answers it).

Thin on purpose: read the tracker and the live ladder, call `bot.dialogue.follow_up`, send the replies.
"""

from __future__ import annotations

import logging
from typing import Any

from actions.actions import (
    LADDER_SLOT,
    ActionShowSection,
    SafeAction,
    leave_form,
    live_tools,
    mark_article,
    send,
)
from bot.dialogue import follow_up
from bot.dialogue.answers import Reply, section_answer
from bot.understanding.openers import opener_buttons

logger = logging.getLogger(__name__)
# Entities of the follow-up itself: what it asks about, not facts about the child, so no slot is set.
ASKED_ENTITIES = ("school_type", "year_group", "need_type")


def asked_entities(message: dict[str, Any]) -> dict[str, str]:
    """What the NLU found in the follow-up ("academy" in "what about academies?")."""
    return {
        str(entity["entity"]): str(entity["value"])
        for entity in message.get("entities") or []
        if entity.get("entity") in ASKED_ENTITIES and entity.get("value")
    }


class ActionFollowUp(SafeAction):
    def name(self) -> str:
        return "action_follow_up"

    def act(self, dispatcher, tracker, service):
        article_id = tracker.get_slot("article_id")
        article = service.article(article_id) if article_id else None
        if article is None:
            send(dispatcher, follow_up.no_article(opener_buttons()))
            return leave_form(tracker)
        message = tracker.latest_message
        question = follow_up.read_question(message.get("text") or "", asked_entities(message))
        ladder, _ = live_tools(service, article.id)
        events: list[dict[str, Any]] = []
        if question.refusal:
            # The same walk as "what if that doesn't work?", so both wordings get the same answer.
            if ladder is not None:
                replies, events = ActionShowSection.walk(article, ladder, tracker.get_slot(LADDER_SLOT))
            else:
                replies = section_answer(article, "escalation")
            replies = [Reply(follow_up.understood(question)), *replies]
        else:
            replies = follow_up.answer(article, question, ladder, tracker.get_slot(LADDER_SLOT))
        send(dispatcher, replies)
        mark_article(dispatcher, tracker, article.id)
        return events + leave_form(tracker)
