"""The assistant's custom actions. Logic lives in `bot/`; these read the tracker and send replies.

Every action catches its own errors: an unhandled exception would make the action server answer with
the whole request, conversation included, and leave the parent with silence.
"""

from __future__ import annotations

import datetime as dt
import logging
from abc import ABC, abstractmethod
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import facts as conversation
from bot.content import articles, claims, index
from bot.content.articles import Article
from bot.content.ladders import Ladder, ladder_for_article
from bot.content.letters import letters_for_article
from bot.content.live import ladder_files, letter_files
from bot.content.partners import PartnerBook
from bot.content.service import KnowledgeService, service_from_settings
from bot.dialogue import answers, clarify, emergency, guided_replies
from bot.dialogue.forms import ARTICLE_DEADLINE_KIND
from bot.directory.answers import AREA_ASKED_SLOT, AREA_SLOT, other_nation_note, place_answer, who_can_help
from bot.directory.load import served_directory
from bot.documents.chat import document_button
from bot.law.parent_dates import england_today
from bot.settings import load_settings
from bot.understanding.intents import SECTION_INTENTS
from bot.understanding.openers import opener_buttons
from bot.web import CHANNEL_NAME as WEBCHAT_CHANNEL

logger = logging.getLogger(__name__)

SORRY = (
    "Sorry, something went wrong on my side and I can't show that answer right now. "
    "Please try again in a moment, or ask to talk to an adviser."
)
ADVISER_INTENT = "talk_to_adviser"
REQUESTED_SLOT = "requested_slot"
# Where the parent is on the article's escalation ladder: None = overview not shown yet, -1 = overview
# shown (next: step 1), n = step n+1 shown.
LADDER_SLOT = "ladder_step"


@lru_cache(maxsize=1)
def knowledge_service() -> KnowledgeService:
    """One service per action-server process, validated and indexed on first use."""
    service = service_from_settings()
    service.build()
    return service


@lru_cache(maxsize=1)
def partner_book() -> PartnerBook:
    """The partners (knowledge/partners), re-read when a file changes."""
    return PartnerBook(load_settings().partners_dir)


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def partner_help(tracker: Tracker, with_services: bool) -> list[answers.Reply]:
    """The helpline of the partner whose site the message came from (the default one if none is named).

    Best effort: a broken partner file must not take the answer itself away.
    """
    try:
        metadata = tracker.latest_message.get("metadata") or {}
        partner_id = metadata.get("partner") if isinstance(metadata, dict) else None
        return answers.partner_help(partner_book().get_or_default(partner_id), now(), with_services)
    except Exception:
        logger.exception("partner help could not be added")
        return []


def local_help(
    tracker: Tracker, service: KnowledgeService, article_id: str | None
) -> tuple[list[answers.Reply], list[answers.Reply], list[dict[str, Any]]]:
    """The parent's council's contacts (to lead "Who can help"), the national help that fits the situation
    (bot/directory), and the slot events; best effort, like the partner's helpline."""
    try:
        metadata = tracker.latest_message.get("metadata") or {}
        partner = partner_book().get_or_default(metadata.get("partner") if isinstance(metadata, dict) else None)
        found = who_can_help(
            served_directory(service.knowledge_dir),
            article_id,
            tracker.get_slot(AREA_SLOT),
            bool(tracker.get_slot(AREA_ASKED_SLOT)),
            partner.area if partner else (),
            tuple(s.key for s in partner.national_services) if partner else (),
        )
    except Exception:
        logger.exception("local help could not be added")
        return [], [], []
    events = changed_slots(tracker, found.slots)
    return [answers.Reply(t) for t in found.local], [answers.Reply(t) for t in found.national], events


def answer_place(dispatcher: CollectingDispatcher, tracker: Tracker, service: KnowledgeService) -> list | None:
    """A message that only says where the parent is ("Leeds", "we're in Kent"): their local help, then
    what to do next. None for any other message, or if the directory can't be read."""
    try:
        found = place_answer(served_directory(service.knowledge_dir), tracker.latest_message.get("text") or "")
    except Exception:
        logger.exception("the place could not be looked up")
        return None
    if found is None:
        return None
    texts, slots = found
    article_id = tracker.get_slot("article_id")
    if article_id:
        closing = answers.Reply("What would you like to know next?", answers.section_buttons())
    else:
        closing = answers.Reply(
            "Now tell me a little about what's happening, or choose one of these:", opener_buttons()
        )
    send(dispatcher, [*(answers.Reply(t) for t in texts), closing])
    return changed_slots(tracker, {**slots, AREA_ASKED_SLOT: True}) + leave_form(tracker)


def nation_note(service: KnowledgeService, text: str, intent: str | None) -> list[answers.Reply]:
    """England only: a message that names Wales, Scotland or Northern Ireland is told so first, with a tap to
    their own help (bot/directory/answers.other_nation_note); best effort, like the local help."""
    try:
        note = other_nation_note(served_directory(service.knowledge_dir), text, intent)
    except Exception:
        logger.exception("the nation could not be looked up")
        return []
    return [answers.Reply(note[0], [note[1]])] if note else []


def send(dispatcher: CollectingDispatcher, replies: Iterable[answers.Reply]) -> None:
    for reply in answers.drop_repeats(list(replies)):
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None)


def mark_article(dispatcher: CollectingDispatcher, tracker: Tracker, article_id: str) -> None:
    """Name the article this turn answered from, for the web chat only (other channels would show it)."""
    if tracker.get_latest_input_channel() == WEBCHAT_CHANNEL:
        dispatcher.utter_message(json_message=answers.article_mark(article_id))


def changed_slots(tracker: Tracker, values: dict[str, Any]) -> list[dict[str, Any]]:
    """SlotSet events only for the slots whose value changes: Rasa stores and replays every event of a
    conversation on every turn, so an unchanged value set again only makes later turns slower."""
    return [SlotSet(name, value) for name, value in values.items() if tracker.get_slot(name) != value]


def told_in_words(tracker: Tracker) -> dict[str, Any]:
    """The parse of what the parent last typed: after a tap ("Yes, someone is in danger" under the safety
    question) the message before it, which says what the danger is and what else the parent was asking about."""
    latest = tracker.latest_message or {}
    if not str(latest.get("text") or "").startswith("/"):
        return latest
    for event in reversed(tracker.events or []):
        said = event.get("parse_data") or {}
        if event.get("event") == "user" and not str(event.get("text") or "").startswith("/") and said:
            return {**said, "text": event.get("text") or ""}
    return latest


def leave_form(tracker: Tracker) -> list[dict[str, Any]]:
    """Events that close an open form: asking about something else means the parent has moved on."""
    if (tracker.active_loop or {}).get("name"):
        return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
    return []


def live_tools(service: KnowledgeService, article_id: str):
    """The article's ladder and letters, as the staff last saved them (same folder as the articles)."""
    ladders = ladder_files(service.knowledge_dir, service.refresh_seconds).items()
    letters = letter_files(service.knowledge_dir, service.refresh_seconds).items()
    return ladder_for_article(ladders, article_id), letters_for_article(letters, article_id)


def tool_reply(service: KnowledgeService, article_id: str, web_chat: bool = False) -> list[answers.Reply]:
    """The guided tools under a first answer: the questions, the deadline calculator, a letter, and in the
    web chat the document checker (bot/documents/chat.py)."""
    ladder, letters = live_tools(service, article_id)
    has_deadlines = article_id in ARTICLE_DEADLINE_KIND
    buttons = guided_replies.tool_buttons(article_id, None, bool(letters), ladder is not None, has_deadlines)
    checker = document_button(article_id) if web_chat else None
    buttons += [checker] if checker else []
    return [answers.Reply("Or I can help with your case:", buttons)] if buttons else []


def titles_by_intent(service: KnowledgeService) -> dict[str, str]:
    """Readable titles for every situation intent that has an article."""
    return articles.titles_by_intent(index.all_articles(service.engine))


class SafeAction(Action, ABC):
    """Runs `act`; on any error logs it (without the conversation) and says sorry kindly.

    Abstract, so the action server (which registers every subclass of Action it finds) skips it.
    """

    needs_knowledge = True  # False: `act` gets None, so the action works while the knowledge index doesn't

    @abstractmethod
    def name(self) -> str:  # pragma: no cover - each subclass names itself
        raise NotImplementedError

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        try:
            return self.act(dispatcher, tracker, knowledge_service() if self.needs_knowledge else None)
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
        placed = answer_place(dispatcher, tracker, service)
        if placed is not None:
            return placed
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        article = service.article_for_intent(intent) if intent else None
        if article is None:
            logger.error("no article for intent %s", intent)
            dispatcher.utter_message(text=SORRY, buttons=[answers.ADVISER_BUTTON])
            return []
        # What the parent has told us in the whole conversation (bot/understanding/facts.py), kept in slots.
        today = england_today(now())
        found = conversation.conversation_facts(tracker)
        facts = conversation.tailoring_facts(found, article)
        replies = answers.article_answer(article, facts, bool(tracker.get_slot("disclaimer_shown")))
        replies = conversation.with_facts(replies, found, article.id, today)
        # Something the parent was told ("we must wait a year") is answered first: right or not (knowledge/claims).
        text = tracker.latest_message.get("text") or ""
        verdict = claims.verdict_reply(service.knowledge_dir, service.refresh_seconds, text, intent)
        replies = [answers.Reply(verdict), *replies] if verdict else replies
        replies = [*nation_note(service, text, intent), *replies]
        area_events: list[dict[str, Any]] = []
        if intent == ADVISER_INTENT:  # the parent's own SENDIASS and the partner's helpline first, then national help
            local, national, area_events = local_help(tracker, service, article.id)
            replies = answers.before_buttons(replies, [*local, *partner_help(tracker, with_services=True), *national])
        try:
            replies += tool_reply(service, article.id, tracker.get_latest_input_channel() == WEBCHAT_CHANNEL)
        except Exception:  # the answer itself matters more than the tool buttons
            logger.exception("guided tools could not be offered")
        confidence = float((tracker.latest_message.get("intent") or {}).get("confidence") or 0.0)
        if confidence < clarify.CONFIDENT_AT:  # the titles (an index read) are needed only for this question
            ranking = tracker.latest_message.get("intent_ranking") or []
            unsure = clarify.check_guess(intent, confidence, ranking, titles_by_intent(service))
            replies += [unsure] if unsure else []
        send(dispatcher, replies)
        mark_article(dispatcher, tracker, article.id)
        return [
            *changed_slots(tracker, {"article_id": article.id, "disclaimer_shown": True, LADDER_SLOT: None}),
            *conversation.slot_events(tracker, found),
            *area_events,
            *leave_form(tracker),
        ]


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
                "what you can do and who can help.",
                buttons=opener_buttons(),
            )
            return leave_form(tracker)
        ladder, letters = live_tools(service, article.id)
        events: list[dict[str, Any]] = []
        if section == "escalation" and ladder is not None:
            replies, events = self.walk(article, ladder, tracker.get_slot(LADDER_SLOT))
        else:
            replies = answers.section_answer(article, section)
            buttons = guided_replies.tool_buttons(article.id, section, bool(letters), ladder is not None)
            if buttons:
                replies.append(answers.Reply("I can also help with:", buttons))
        if section == "who_can_help":  # the parent's own SENDIASS and the partner's helpline lead
            local, national, area_events = local_help(tracker, service, article.id)
            replies = [*local, *partner_help(tracker, with_services=False), *answers.before_buttons(replies, national)]
            events += area_events
        send(dispatcher, replies)
        mark_article(dispatcher, tracker, article.id)
        return events + leave_form(tracker)

    @staticmethod
    def walk(
        article: Article, ladder: Ladder, position: float | None
    ) -> tuple[list[answers.Reply], list[dict[str, Any]]]:
        """First the whole route at a glance, then one step each time the parent asks "what next?"."""
        if position is None:
            replies = answers.section_answer(article, "escalation", ladder=ladder)
            last = replies[-1]  # "Anything else about this?" and its buttons: step by step comes first
            replies[-1] = answers.Reply(last.text, [guided_replies.WHAT_NEXT_BUTTON, *last.buttons])
            return replies, [SlotSet(LADDER_SLOT, -1.0)]
        current = int(position)
        replies, shown = guided_replies.ladder_walk(ladder, None if current < 0 else current)
        return replies, [SlotSet(LADDER_SLOT, -1.0 if shown is None else float(shown))]


class ActionDidYouMean(SafeAction):
    def name(self) -> str:
        return "action_did_you_mean"

    def act(self, dispatcher, tracker, service):
        placed = answer_place(dispatcher, tracker, service)
        if placed is not None:
            return placed
        message = tracker.latest_message
        indexed = index.all_articles(service.engine)
        titles, first_intent = articles.titles_by_intent(indexed), articles.intent_of_article(indexed)
        hits = service.search(message.get("text") or "", limit=3)
        send(dispatcher, answers.did_you_mean(message.get("intent_ranking") or [], titles, hits, first_intent))
        return []


class ActionOutOfScope(SafeAction):
    """Out of scope, unless the message only names where the parent is ("Leeds"): then their local help."""

    def name(self) -> str:
        return "action_out_of_scope"

    def act(self, dispatcher, tracker, service):
        placed = answer_place(dispatcher, tracker, service)
        if placed is not None:
            return placed
        dispatcher.utter_message(response="utter_out_of_scope")
        return []


class ActionSafetyCheck(SafeAction):
    def name(self) -> str:
        return "action_safety_check"

    def act(self, dispatcher, tracker, service):
        titles = titles_by_intent(service)
        titles.pop("crisis", None)
        send(dispatcher, [clarify.safety_question(tracker.latest_message.get("intent_ranking") or [], titles)])
        return leave_form(tracker)


class ActionCrisisFollowUp(SafeAction):
    def name(self) -> str:
        return "action_crisis_follow_up"

    def act(self, dispatcher, tracker, service):
        titles = titles_by_intent(service)
        titles.pop("crisis", None)
        message = told_in_words(tracker)
        fitting = [answers.Reply(line) for line in emergency.help_for_parse(message)]
        send(dispatcher, [*fitting, answers.crisis_follow_up(message.get("intent_ranking") or [], titles)])
        return leave_form(tracker)
