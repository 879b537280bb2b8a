"""The guided tools in the chat: the forms, their questions and results, letters, "what next?", and
"Change these" under the facts the assistant noted.

Thin on purpose: read the tracker, call `bot.dialogue.forms` / `bot.dialogue.guided_replies` / `bot.understanding.facts`, send what they return.
Questions the parent answered in their own words are not asked again (actions/facts.py reads them).
"""

from __future__ import annotations

import datetime as dt
import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

import actions.actions as acts
from actions import facts as conversation
from actions.actions import REQUESTED_SLOT, SORRY, SafeAction, leave_form, send
from bot.content.letters import letters_for_article
from bot.content.live import letter_files, triage_files
from bot.content.render import keep_markers
from bot.content.render_letter import askable_blank, deadline_note
from bot.content.triage import answers_from_slots, triage_route
from bot.dialogue import forms, guided_replies
from bot.dialogue.answers import ADVISER_BUTTON, Reply
from bot.law.parent_dates import england_today
from bot.understanding.facts import SKIPPED

logger = logging.getLogger(__name__)
FORGOTTEN = (
    "OK, I've forgotten what I noted. Tell me again in your own words: what happened, when, for how long, "
    "and the kind of school. I'll use that instead."
)
LEFT_BLANK = "OK, that stays blank: you can write it in yourself before you send the letter."


def today() -> dt.date:
    """Today in England, where every time limit here is counted."""
    return england_today()


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
    """Reads each answer with `bot.dialogue.forms`. Returning no slot at all tells Rasa "not an answer": the form
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
        told: list[dict[str, Any]] = []
        if requested not in forms.QUESTIONS:
            found = conversation.conversation_facts(tracker)
            step = forms.start(self.form, article_id, text, today(), values, found)
            told = [e for e in conversation.slot_events(tracker, found) if e["name"] not in step.slots]
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
        slots = [SlotSet(name, value) for name, value in step.slots.items()]
        return [*told, *slots, SlotSet(REQUESTED_SLOT, step.requested)]


class ValidateExclusionTriageForm(ValidateGuidedForm):
    form = forms.TRIAGE_FORM

    def name(self) -> str:
        return "validate_exclusion_triage_form"


class ValidateDeadlineForm(ValidateGuidedForm):
    form = forms.DEADLINE_FORM

    def name(self) -> str:
        return "validate_deadline_form"


class ValidateLetterQuestionForm(ValidateGuidedForm):
    form = forms.LETTER_FORM

    def name(self) -> str:
        return "validate_letter_question_form"


class AskQuestion(SafeAction):
    """`action_ask_<slot>`: the question (or the re-ask notice instead) with Skip, Go back and Stop.

    A `SafeAction`, so a failure says sorry kindly (with the adviser button) like every other action."""

    slot = ""
    needs_knowledge = False  # a question needs only the form's state

    @abstractmethod
    def name(self) -> str:  # pragma: no cover
        raise NotImplementedError

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, service: Any) -> list[dict[str, Any]]:
        form = (tracker.active_loop or {}).get("name") or forms.TRIAGE_FORM
        values = tracker.current_slot_values()
        order = forms.question_order(form, tracker.get_slot("article_id"), values)
        # A length of time the parent gave ("most afternoons for about 3 weeks") is offered in school days.
        told = conversation.conversation_facts(tracker).duration if self.slot == "days_missed" else None
        text, buttons = forms.ask(
            self.slot, tracker.get_slot(forms.NOTICE_SLOT), first=order[:1] == (self.slot,), told=told
        )
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
        # Sources as markers, so the route shows numbered links rather than "(SI 2012/1033 reg 23)".
        result = triage_route(
            keep_markers(guides[0]), tracker.get_slot("article_id"), answers_from_slots(tracker.current_slot_values())
        )
        send(dispatcher, guided_replies.triage_replies(result))
        return []


class ActionShowDeadlines(SafeAction):
    def name(self) -> str:
        return "action_show_deadlines"

    def act(self, dispatcher, tracker, service):
        replies = guided_replies.deadline_replies(
            tracker.get_slot("deadline_kind"),
            tracker.get_slot("deadline_date"),
            bool(tracker.get_slot(forms.APPROXIMATE_SLOT)),
            today(),
            with_calendar=True,
            certificate=tracker.get_slot("certificate_date"),
            # Only once the parent says the council has agreed to assess do its 16 and 20 weeks apply now.
            council_assessing=tracker.get_slot("council_decision") == "assessing",
        )
        send(dispatcher, replies)
        return []


class ActionGetLetter(SafeAction):
    """A letter filled from the conversation's facts; then one question for a blank the parent could fill
    (the letter question form), after which the letter comes again with the answer in it."""

    def name(self) -> str:
        return "action_get_letter"

    def act(self, dispatcher, tracker, service):
        templates = letter_files(service.knowledge_dir, service.refresh_seconds).items()
        wanted = next(tracker.get_latest_entity_values("letter_id"), None)
        answered = tracker.get_slot("letter_answer")  # set: the letter question was just answered or skipped
        chosen = next(
            (t for t in templates if t.id == (wanted or (answered and tracker.get_slot("letter_chosen")))), None
        )
        if chosen is None:
            article_id = tracker.get_slot("article_id")
            offered = letters_for_article(templates, article_id) if article_id else templates
            send(dispatcher, guided_replies.letter_choice(offered or templates))
            return [*leave_form(tracker), *self.clear(tracker)]
        if answered == SKIPPED and not wanted:
            send(dispatcher, [Reply(LEFT_BLANK, [guided_replies.WHAT_NEXT_BUTTON, ADVISER_BUTTON])])
            return self.clear(tracker)
        found = conversation.conversation_facts(tracker)
        slots = {**tracker.current_slot_values(), **{k: v for k, v in found.slots().items() if v is not None}}
        facts = guided_replies.known_facts(slots, tracker.events)
        rendered, labels = guided_replies.render_chosen_letter(chosen, facts, today())
        replies = guided_replies.letter_replies(rendered, labels, with_downloads=True)
        events = [*leave_form(tracker), *conversation.slot_events(tracker, found), *self.clear(tracker)]
        note = deadline_note(facts, today()) if "missed_deadline" in rendered.blanks else None
        if note:
            replies.append(Reply(note))
        asked = list(tracker.get_slot("letter_asked") or [])
        blank = askable_blank(chosen, rendered, facts, asked)
        if blank is not None:
            fact, label = blank
            replies.append(Reply(f"I can fill in [{label}] for you if you tell me."))
            events += [
                SlotSet("letter_chosen", chosen.id),
                SlotSet("letter_fact", fact),
                SlotSet("letter_asked", [*asked, fact]),
                SlotSet(REQUESTED_SLOT, None),
                FollowupAction(forms.LETTER_FORM),
            ]
        send(dispatcher, replies)
        return events

    @staticmethod
    def clear(tracker: Tracker) -> list[dict[str, Any]]:
        return [SlotSet("letter_answer", None)] if tracker.get_slot("letter_answer") is not None else []


class ActionCorrectFacts(SafeAction):
    """ "Change these": forget what the parent told us (slots, and the messages before this point)."""

    def name(self) -> str:
        return "action_correct_facts"

    def act(self, dispatcher, tracker, service):
        article_id = tracker.get_slot("article_id")
        article = service.article(article_id) if article_id else None
        buttons = (
            [{"title": "Show the answer again", "payload": f"/{article.intents[0]}"}]
            if article and article.intents
            else []
        )
        send(dispatcher, [Reply(FORGOTTEN, [*buttons, ADVISER_BUTTON])])
        return [*conversation.forget_events(tracker), *leave_form(tracker)]
