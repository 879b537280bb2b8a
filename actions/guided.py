"""The guided tools in the chat: the two forms, their questions and results, letters and "what next?".

Thin on purpose: read the tracker, call `bot.forms` / `bot.guided`, send what they return.
"""

from __future__ import annotations

import datetime as dt
import logging
from abc import ABC, abstractmethod
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

import actions.actions as acts
from actions.actions import REQUESTED_SLOT, SORRY, SafeAction, leave_form, send
from bot import forms, guided
from bot.answers import ADVISER_BUTTON
from bot.letters import letters_for_article
from bot.live import letter_files, triage_files
from bot.triage import answers_from_slots, triage_route

logger = logging.getLogger(__name__)
UK = ZoneInfo("Europe/London")


def today() -> dt.date:
    """Today in England, where every time limit here is counted."""
    return dt.datetime.now(UK).date()


def intent_of(tracker: Tracker) -> tuple[str | None, float]:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def is_other_situation(intent: str | None, article_id: str | None) -> bool:
    """True when the intent is a situation with an article other than the one being discussed."""
    if not intent:
        return False
    article = acts.knowledge_service().article_for_intent(intent)
    return article is not None and article.id != article_id


class ValidateGuidedForm(Action, ABC):
    """Reads each answer with `bot.forms`. Returning no slot at all tells Rasa "not an answer": the form
    steps aside and the rules answer the message (stop, crisis, a new question).

    Abstract (the action server skips it); each form's subclass names itself.
    """

    form = ""

    @abstractmethod
    def name(self) -> str:  # pragma: no cover
        raise NotImplementedError

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        try:
            return self.validate(dispatcher, tracker)
        except Exception:
            logger.exception("form %s failed", self.form)
            dispatcher.utter_message(text=SORRY, buttons=[ADVISER_BUTTON])
            return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]

    def validate(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        values = tracker.current_slot_values()
        article_id = tracker.get_slot("article_id")
        text = tracker.latest_message.get("text") or ""
        requested = tracker.get_slot(REQUESTED_SLOT)
        if requested not in forms.QUESTIONS:
            step = forms.start(self.form, article_id, text, today(), values)
        else:
            intent, confidence = intent_of(tracker)
            step = forms.answer(
                self.form,
                requested,
                text,
                intent,
                confidence,
                values,
                tracker.events,
                article_id,
                today(),
                other_topic=is_other_situation(intent, article_id),
            )
        if step.not_an_answer:
            return []
        for message in step.messages:
            dispatcher.utter_message(text=message)
        return [SlotSet(name, value) for name, value in step.slots.items()] + [SlotSet(REQUESTED_SLOT, step.requested)]


class ValidateExclusionTriageForm(ValidateGuidedForm):
    form = forms.TRIAGE_FORM

    def name(self) -> str:
        return "validate_exclusion_triage_form"


class ValidateDeadlineForm(ValidateGuidedForm):
    form = forms.DEADLINE_FORM

    def name(self) -> str:
        return "validate_deadline_form"


class AskQuestion(Action, ABC):
    """`action_ask_<slot>`: the question (or the re-ask notice instead) with Skip, Go back and Stop."""

    slot = ""

    @abstractmethod
    def name(self) -> str:  # pragma: no cover
        raise NotImplementedError

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        form = (tracker.active_loop or {}).get("name") or forms.TRIAGE_FORM
        values = tracker.current_slot_values()
        order = forms.question_order(form, tracker.get_slot("article_id"), values)
        text, buttons = forms.ask(self.slot, tracker.get_slot(forms.NOTICE_SLOT), first=order[:1] == (self.slot,))
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


# One question action per slot; the action server registers every Action subclass it finds.
def _ask_action(slot: str) -> type[AskQuestion]:
    def name(self: AskQuestion) -> str:
        return f"action_ask_{slot}"

    return type(f"Ask_{slot}", (AskQuestion,), {"slot": slot, "name": name})


ASK_ACTIONS = {slot: _ask_action(slot) for slot in forms.QUESTIONS}


class ActionTriageResult(SafeAction):
    def name(self) -> str:
        return "action_triage_result"

    def act(self, dispatcher, tracker, service):
        guides = triage_files(service.knowledge_dir, service.refresh_seconds).items()
        if not guides:
            raise RuntimeError("no valid triage file in knowledge/triage")
        result = triage_route(
            guides[0], tracker.get_slot("article_id"), answers_from_slots(tracker.current_slot_values())
        )
        send(dispatcher, guided.triage_replies(result))
        return []


class ActionShowDeadlines(SafeAction):
    def name(self) -> str:
        return "action_show_deadlines"

    def act(self, dispatcher, tracker, service):
        replies = guided.deadline_replies(
            tracker.get_slot("deadline_kind"),
            tracker.get_slot("deadline_date"),
            bool(tracker.get_slot(forms.APPROXIMATE_SLOT)),
            today(),
            with_calendar=True,
            certificate=tracker.get_slot("certificate_date"),
        )
        send(dispatcher, replies)
        return []


class ActionGetLetter(SafeAction):
    def name(self) -> str:
        return "action_get_letter"

    def act(self, dispatcher, tracker, service):
        templates = letter_files(service.knowledge_dir, service.refresh_seconds).items()
        wanted = next(tracker.get_latest_entity_values("letter_id"), None)
        chosen = next((t for t in templates if t.id == wanted), None)
        if chosen is None:
            article_id = tracker.get_slot("article_id")
            offered = letters_for_article(templates, article_id) if article_id else templates
            send(dispatcher, guided.letter_choice(offered or templates))
            return leave_form(tracker)
        facts = guided.known_facts(tracker.current_slot_values(), tracker.events)
        rendered, labels = guided.render_chosen_letter(chosen, facts, today())
        send(dispatcher, guided.letter_replies(rendered, labels, with_downloads=True))
        return leave_form(tracker)
