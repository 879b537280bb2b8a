"""The assistant's custom actions. Logic lives in `bot/`; these read the tracker and send replies.

Every action catches its own errors: an unhandled exception would make the action server answer with
the whole request, conversation included, and leave the parent with silence.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import answers, index
from bot.intents import SECTION_INTENTS
from bot.service import KnowledgeService, service_from_settings

logger = logging.getLogger(__name__)

SORRY = (
    "Sorry, something went wrong on my side and I can't show that answer right now. "
    "Please try again in a moment, or ask to talk to an adviser."
)
FACT_SLOTS = ("school_type", "need_type", "year_group", "child_age", "duration", "date")


@lru_cache(maxsize=1)
def knowledge_service() -> KnowledgeService:
    """One service per action-server process, validated and indexed on first use."""
    service = service_from_settings()
    service.build()
    return service


def send(dispatcher: CollectingDispatcher, replies: Iterable[answers.Reply]) -> None:
    for reply in replies:
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None)


def titles_by_intent(service: KnowledgeService) -> dict[str, str]:
    """Readable titles for every situation intent that has an article."""
    return {intent: a.title for a in index.all_articles(service.engine) for intent in a.intents}


class SafeAction(Action):
    """Runs `act`; on any error logs it (without the conversation) and says sorry kindly."""

    def name(self) -> str:  # pragma: no cover - each subclass names itself
        raise NotImplementedError

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        try:
            return self.act(dispatcher, tracker, knowledge_service())
        except Exception:
            logger.exception("action %s failed", self.name())
            dispatcher.utter_message(text=SORRY, buttons=[answers.ADVISER_BUTTON])
            return []

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, service: KnowledgeService
    ) -> list[dict[str, Any]]:
        raise NotImplementedError


class ActionAnswerSituation(SafeAction):
    def name(self) -> str:
        return "action_answer_situation"

    def act(self, dispatcher, tracker, service):
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        article = service.article_for_intent(intent) if intent else None
        if article is None:
            logger.error("no article for intent %s", intent)
            dispatcher.utter_message(text=SORRY, buttons=[answers.ADVISER_BUTTON])
            return []
        facts = {slot: tracker.get_slot(slot) for slot in FACT_SLOTS}
        send(dispatcher, answers.article_answer(article, facts, bool(tracker.get_slot("disclaimer_shown"))))
        return [SlotSet("article_id", article.id), SlotSet("disclaimer_shown", True)]


class ActionShowSection(SafeAction):
    def name(self) -> str:
        return "action_show_section"

    def act(self, dispatcher, tracker, service):
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        section = SECTION_INTENTS.get(intent or "")
        article_id = tracker.get_slot("article_id")
        article = service.article(article_id) if article_id else None
        if section is None or article is None:
            dispatcher.utter_message(
                text="Tell me a little about your situation first, and then I can show you what the law says, "
                "what you can do and who can help."
            )
            return []
        send(dispatcher, answers.section_answer(article, section))
        return []


class ActionDidYouMean(SafeAction):
    def name(self) -> str:
        return "action_did_you_mean"

    def act(self, dispatcher, tracker, service):
        message = tracker.latest_message
        articles = index.all_articles(service.engine)
        titles = {intent: a.title for a in articles for intent in a.intents}
        first_intent = {a.id: a.intents[0] for a in articles if a.intents}
        hits = service.search(message.get("text") or "", limit=3)
        send(dispatcher, answers.did_you_mean(message.get("intent_ranking") or [], titles, hits, first_intent))
        return []


class ActionCrisisFollowUp(SafeAction):
    def name(self) -> str:
        return "action_crisis_follow_up"

    def act(self, dispatcher, tracker, service):
        titles = titles_by_intent(service)
        titles.pop("crisis", None)
        send(dispatcher, [answers.crisis_follow_up(tracker.latest_message.get("intent_ranking") or [], titles)])
        return []
