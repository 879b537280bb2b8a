"""The summary a parent keeps (bot/dialogue/summary.py): built from a conversation made by hand with the real
replies (answers, sections, forms, deadlines, letters), then written as plain text and as Word."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.content.articles import Article, parse_article
from bot.content.letters import RenderedLetter, load_letters
from bot.dialogue import answers, guided_replies
from bot.dialogue.answers import DISCLAIMER, Reply
from bot.dialogue.forms import QUESTIONS
from bot.dialogue.summary import blocks, build_summary, deadline_starts, letters_made, summary_docx, summary_text
from bot.settings import PROJECT_ROOT

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))
TODAY = dt.date(2026, 11, 23)
CONTACT = (
    "**Talk to Sampleshire**\n- Phone: 01632 960123\n- Online: [our contact form](https://www.example.org/contact-us)"
    "\n\n**Free, independent help**\n- [IPSEA](https://www.ipsea.org.uk): Free helplines."
)
URL = re.compile(r"[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)


def bot(replies: list[Reply]) -> list[Event]:
    return [BotUttered(r.text, data={"buttons": r.buttons} if r.buttons else {}) for r in replies]


def conversation(*events: Event | list[Event]) -> tuple[list[dict], dict]:
    """The events and slots of a tracker holding these events, as the web chat reads them."""
    flat = [e for item in events for e in (item if isinstance(item, list) else [item])]
    tracker = DialogueStateTracker.from_events("test", flat, slots=DOMAIN.slots)
    return [e.as_dict() for e in tracker.events], tracker.current_slot_values()


@pytest.fixture
def article(knowledge_dir: Path) -> Article:
    found, problems = parse_article(knowledge_dir / "articles" / "ehc-delay.md")
    assert found is not None, problems
    return found


def chase_letter(facts: dict) -> RenderedLetter:
    templates, _ = load_letters(PROJECT_ROOT / "knowledge" / "letters")
    template = next(t for t in templates if t.id == "chase-missed-ehc-deadline")
    return guided_replies.render_chosen_letter(template, facts, TODAY)[0]


def a_conversation(article: Article) -> tuple[list[dict], dict]:
    """A parent who asked for an assessment on 3 March 2026, read what to do next, answered the deadline
    questions and got the chase letter; a form question answered with a button."""
    recorded = QUESTIONS["exclusion_recorded"]
    kind = QUESTIONS["deadline_kind"]
    letter = chase_letter({"request_date": "2026-03-03"})
    return conversation(
        UserUttered("My name is Alice Example (07700 900123). We asked for an EHC needs assessment on 3 March"),
        SlotSet("article_id", "ehc-delay"),
        SlotSet("request_date", "2026-03-03"),
        bot(answers.article_answer(article, {}, disclaimer_shown=False)),
        UserUttered("/section_next_steps"),
        bot(answers.section_answer(article, "next_steps")),
        UserUttered("/section_law"),
        bot(answers.section_answer(article, "law")),
        bot([Reply(recorded.text, list(recorded.buttons))]),
        UserUttered("no"),
        SlotSet("exclusion_recorded", "no"),
        SlotSet("school_type", "academy"),
        SlotSet("support_level", "sen_support"),
        SlotSet("days_missed", "4.5"),
        bot([Reply(kind.text, list(kind.buttons))]),
        UserUttered("ehc_request"),
        SlotSet("deadline_kind", "ehc_request"),
        bot([Reply(QUESTIONS["deadline_date"].text, [{"title": "Skip", "payload": "skip"}])]),
        UserUttered("3/3/2026, my son [name] is in year 4"),  # stored redacted: the tag stays as it is
        SlotSet("deadline_date", "2026-03-03"),
        bot(guided_replies.deadline_replies("ehc_request", "2026-03-03", False, TODAY, with_calendar=True)),
        SlotSet("deadline_kind", None),  # the form clears its answers; the summary still knows them
        SlotSet("deadline_date", None),
        UserUttered('/get_letter{"letter_id":"chase-missed-ehc-deadline"}'),
        bot(guided_replies.letter_replies(letter, {}, with_downloads=True)),
        bot([Reply("**Talk to Sampleshire**\nOur helpline is open now until 4pm.\n- Phone: 01632 960123")]),
    )


def summary_of(article: Article, **extra):
    events, slots = a_conversation(article)
    letters = [chase_letter(guided_replies.known_facts(slots, events))]
    assert letters_made(events) == ["chase-missed-ehc-deadline"]
    return build_summary(
        events,
        {**slots, **extra},
        title="Sampleshire Family Support",
        today=TODAY,
        retention_days=90,
        articles={"ehc-delay": article},
        letters=letters,
        contact=CONTACT,
    )


def test_what_the_parent_said_is_there_redacted_with_the_questions_they_answered(article: Article) -> None:
    summary = summary_of(article)
    said = [(e.question, e.answer) for e in summary.said]
    assert said[0] == (None, "My name is [name] ([phone]). We asked for an EHC needs assessment on 3 March")
    assert (QUESTIONS["exclusion_recorded"].text, "No, nothing in writing") in said
    assert (QUESTIONS["deadline_kind"].text, "We asked for an EHC needs assessment") in said
    assert said[-1][1] == "3/3/2026, my son [name] is in year 4"
    assert len(said) == 4  # the section and letter buttons are not things the parent said
    text = summary_text(summary)
    assert "Alice" not in text and "07700" not in text and "section_" not in text and "get_letter" not in text


def test_situations_and_key_facts_with_readable_labels(article: Article) -> None:
    summary = summary_of(article, new_fact="child has a wheelchair", letter_asked=["request_date"])
    assert summary.situations == ("The council is taking too long with my child's plan",)
    facts = {fact.label: fact.value for fact in summary.facts}
    assert facts["You asked the council for an EHC needs assessment on"] == "3 March 2026"
    assert facts["Type of school"] == "Academy"
    assert facts["Support your child has"] == "SEN (special educational needs) support"
    assert facts["The school put it in writing"] == "No"
    assert facts["School days missed this term"] == "4.5"
    assert facts["What happened (for the deadlines)"] == "We asked for an EHC needs assessment"
    assert facts["When it happened"] == "3 March 2026"
    assert facts["New fact"] == "Child has a wheelchair"  # a slot added later gets its own name
    assert not {"Letter asked", "Disclaimer shown", "Article id"} & set(facts)


def test_deadlines_are_worked_out_from_the_slots_and_conditions_stay_conditions(article: Article) -> None:
    text = summary_text(summary_of(article))
    assert text.count("We asked for an EHC needs assessment: counting from 3 March 2026") == 1
    assert "Tuesday 14 April 2026 (overdue by 223 days)" in text
    assert "What this means: Unless one of the listed exceptions applies" in text
    assert "Tuesday 21 July 2026 (only if the council decides to carry out the EHC needs assessment)" in text
    # Counted from the request date the parent gave, unless the council has already said no.
    assert deadline_starts({"request_date": "2026-03-03"}) == [("ehc_request", dt.date(2026, 3, 3))]
    assert deadline_starts({"request_date": "2026-03-03", "council_decision": "refused"}) == []
    assert deadline_starts({"deadline_kind": "draft_plan", "deadline_date": "skipped"}) == []


def test_next_steps_shown_are_kept_and_contact_details_are_fresh(article: Article) -> None:
    summary = summary_of(article)
    assert [part.heading for part in summary.next_steps] == ["What you can do now"]
    text = summary_text(summary)
    assert "- Write to the council." in text and '    "Please tell me when you will issue the final plan."' in text
    assert "open now" not in text and text.count("Talk to Sampleshire") == 1
    assert "IPSEA (https://www.ipsea.org.uk): Free helplines." in text


def test_the_letter_is_there_in_full(article: Article) -> None:
    summary = summary_of(article)
    letter = chase_letter({"request_date": "2026-03-03"})
    assert [part.heading for part in summary.letters] == [letter.title]
    text = summary_text(summary)
    for paragraph in letter.text.split("\n\n"):
        for line in paragraph.splitlines():
            assert line.removeprefix("- ") in text
    assert "The council received my request on 3 March 2026." in text


def test_every_address_is_a_full_web_address_and_nothing_is_chat_only(article: Article) -> None:
    summary = summary_of(article)
    text = summary_text(summary)
    addresses = URL.findall(text)
    assert addresses and all(a.startswith("https://") for a in addresses)
    assert "](" not in text and "**" not in text and "/section_" not in text and "/webhooks/" not in text
    assert "https://www.legislation.gov.uk/uksi/2014/1530/regulation/13" in [s.url for s in summary.sources]
    # Each numbered reference points into the list at the end.
    for number in re.findall(r"see sources? ([\d, and]+)", text):
        assert all(1 <= int(n) <= len(summary.sources) for n in re.findall(r"\d+", number))
    # One number per address, with its title and the address on the next line.
    reg_13 = re.findall(r"\n\d+\. (.+)\n   https://www.legislation.gov.uk/uksi/2014/1530/regulation/13\n", text)
    assert reg_13 == ["SEND Regulations 2014, regulation 13"]


def test_the_word_file_holds_the_same_text_with_working_links(article: Article) -> None:
    from docx import Document

    summary = summary_of(article)
    document = Document(io.BytesIO(summary_docx(summary)))
    laid = blocks(summary)
    expected = [b.text + (f"\n{b.url}" if b.url else "") for b in laid]
    assert [p.text for p in document.paragraphs] == expected
    assert document.paragraphs[0].style.name == "Title"
    assert document.core_properties.title == laid[0].text and document.core_properties.language == "en-GB"
    links = [link.address for p in document.paragraphs for link in p.hyperlinks]
    assert links == [source.url for source in summary.sources]
    text = summary_text(summary)
    for line in "\n".join(expected).splitlines():
        assert line.strip() in text


def test_the_date_the_disclaimer_and_how_long_it_is_kept(article: Article) -> None:
    text = summary_text(summary_of(article))
    assert text.startswith("Sampleshire Family Support: summary of your conversation\n")
    assert "Made on 23 November 2026" in text
    assert text.count(DISCLAIMER) == 1 and "England only" in text
    assert "keeps the conversation for 90 days after your last message" in text


def test_an_empty_conversation() -> None:
    summary = build_summary([], {}, title="SEND rights assistant (demo)", today=TODAY, retention_days=1)
    text = summary_text(summary)
    assert "Nothing has been said in this conversation yet." in text
    assert DISCLAIMER in text and "for 1 day after" in text and "Sources" not in text
