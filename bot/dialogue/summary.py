"""A summary of one conversation that a parent can keep and show an adviser, as Word or as plain text.

`build_summary` is pure: from the conversation's events and slots (and the articles and letters they
name, read by the caller) it makes a `Summary`:

- what the parent said: their messages as stored, so already redacted (bot/rasa_ext/tracker_store.py), and
  redacted again here in case they came from a store that doesn't (a button press shows the button's
  words; a press of a navigation button such as "What the law says" is left out), each with the
  question it answered;
- the situations recognised (article titles), the key facts (the tracker's slots, with readable labels
  for the known ones and the slot's name for any other), the deadlines worked out from the slots
  (bot/dialogue/guided_replies.py, bot/law/deadlines.py), the next steps shown ("What you can do now", "If that doesn't work",
  the steps of a ladder, the result of the exclusion questions), and the full text of each letter made;
- every source, as a full web address. The chat's links never appear as they were: a numbered link
  becomes "see source 3" with the address in the "Sources" list, a chat-only link (a download) is left
  out, and button payloads are never shown.

`blocks` lays a summary out as titled paragraphs, list items, quotes and links; `summary_text` and
`summary_docx` write those same blocks, so the two files always say the same.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.content.articles import SECTIONS, Article
from bot.content.letters import RenderedLetter
from bot.content.render import LINKS_LINE, link_url, public_title
from bot.content.render_letter import format_letter_date
from bot.content.validation import Source
from bot.content.word import document_bytes, plain_document
from bot.dialogue.answers import DISCLAIMER
from bot.dialogue.guided_replies import DEADLINE_KINDS, DOWNLOAD_PREFIX, SKIPPED, deadlines_for, known_facts
from bot.law import deadlines as dl
from bot.law.calendar import format_date
from bot.storage.redact import redact
from bot.understanding.entities import school_type_phrase

ENGLAND_ONLY = "It covers England only: the law in Wales, Scotland and Northern Ireland is different."
NOTHING_YET = "Nothing has been said in this conversation yet."
AS_STORED = (
    "Your messages as the chat keeps them: personal details such as names, phone numbers and email addresses "
    "were taken out before they were stored."
)

# Slots the assistant keeps for itself, never facts the parent gave.
HIDDEN_SLOTS = frozenset(
    {
        "article_id",
        "disclaimer_shown",
        "ladder_step",
        "deadline_approximate",
        "date_candidate",
        "form_notice",
        "reask_count",
        "letter_chosen",
        "letter_fact",
        "letter_answer",
        "letter_asked",
        "area_asked",
        "requested_slot",
        "session_started_metadata",
    }
)
# How the known fact slots are named, in the order they are listed. Any other slot is listed after them
# under its own name ("new_fact" -> "New fact").
FACT_LABELS: dict[str, str] = {
    "request_date": "You asked the council for an EHC needs assessment on",
    "council_decision": "The council's decision on the assessment",
    "school_type": "Type of school",
    "year_group": "School year",
    "child_age": "Your child's age",
    "need_type": "Your child's needs",
    "support_level": "Support your child has",
    "exclusion_recorded": "The school put it in writing",
    "days_missed": "School days missed this term",
    "public_exam": "A public exam is affected",
    "duration": "How long it has lasted",
    "since_date": "Since",
    "date": "A date you gave",
    "deadline_kind": "What happened (for the deadlines)",
    "deadline_date": "When it happened",
    "certificate_date": "Mediation certificate issued on",
    "area": "Your council area",
}
FACT_VALUES: dict[str, Mapping[str, str]] = {
    "support_level": {
        "ehc_plan": "An EHC (education, health and care) plan",
        "sen_support": "SEN (special educational needs) support",
        "neither": "No EHC plan or SEN support",
    },
    "council_decision": {"assessing": "It agreed to assess", "refused": "It said no"},
    "certificate_date": {"none": "No certificate (yet)"},
    "deadline_kind": DEADLINE_KINDS,
}
YES_NO = {"yes": "Yes", "no": "No"}

# Headings of what the assistant said that are not next steps: the law, the sources and who can help (the
# summary gives the partner's contact details itself, up to date).
NOT_NEXT_STEPS = frozenset({SECTIONS["law"], SECTIONS["who_can_help"], "Sources"})

LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(([^()\s]+)\)")
HEADING = re.compile(r"^\*\*([^*\n]+?):?\*\*:?$")
BOLD = re.compile(r"\*\*(.+?)\*\*")
ESCAPED = re.compile(r"\\([\\\[\]*_])")
ITEM = re.compile(r"^[-*]\s+")
LETTER_LINK = re.compile(re.escape(DOWNLOAD_PREFIX) + r"/letter/([a-z0-9-]+)\.(?:docx|txt)\b")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --------------------------------------------------------------------------------------------------
# What a summary holds


@dataclass(frozen=True)
class Block:
    """One piece of the laid-out summary: kind is title, heading, subheading, para, item, quote or link
    (a source: `text` is its numbered title, `url` its full web address)."""

    kind: str
    text: str
    url: str | None = None
    # One-tap links in the text (words, tel: or mailto: address): clickable in the Word file.
    taps: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Exchange:
    """Something the parent said, and the question it answered, if it answered one."""

    answer: str
    question: str | None = None


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class Part:
    """A titled piece of the summary: one deadline calculation, one next step shown, one letter."""

    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class SourceLink:
    title: str
    url: str


@dataclass(frozen=True)
class Summary:
    title: str
    made_on: dt.date
    retention_days: int
    said: tuple[Exchange, ...]
    situations: tuple[str, ...]
    facts: tuple[Fact, ...]
    deadlines: tuple[Part, ...]
    next_steps: tuple[Part, ...]
    letters: tuple[Part, ...]
    contact: tuple[Block, ...]
    sources: tuple[SourceLink, ...]  # numbered from 1, in the order the summary first mentions them


# --------------------------------------------------------------------------------------------------
# Reading the conversation


def _bot_text(event: Mapping[str, object]) -> str:
    return str(event.get("text") or "").strip() if event.get("event") == "bot" else ""


def _buttons(event: Mapping[str, object]) -> list[Mapping[str, object]]:
    data = event.get("data")
    buttons = data.get("buttons") if isinstance(data, Mapping) else None
    return [b for b in buttons or [] if isinstance(b, Mapping) and isinstance(b.get("payload"), str)]


def _navigation(payload: str) -> bool:
    """A button that opens something ("/section_law", "/get_letter{...}"), not an answer ("yes", "2")."""
    return payload.startswith("/")


def _question(turn: Sequence[Mapping[str, object]]) -> str | None:
    """The question the assistant's last message asked, if it asked one the parent could answer."""
    last = next((event for event in reversed(turn) if _bot_text(event)), None)
    if last is None:
        return None
    buttons = _buttons(last)
    asks = any(not _navigation(str(b["payload"])) for b in buttons) if buttons else _bot_text(last).endswith("?")
    return " ".join(_plain(_bot_text(last)).split()) if asks else None


def parent_said(events: Iterable[Mapping[str, object]]) -> list[Exchange]:
    """The parent's messages, redacted, each with the question it answered; navigation presses left out."""
    said: list[Exchange] = []
    turn: list[Mapping[str, object]] = []
    for event in events:
        if event.get("event") == "bot":
            turn.append(event)
            continue
        if event.get("event") != "user":
            continue
        text = str(event.get("text") or "").strip()
        pressed = next((b for e in turn for b in _buttons(e) if b["payload"] == text), None)
        if pressed is not None:
            answer = None if _navigation(text) else str(pressed.get("title") or text)
        else:
            answer = None if _navigation(text) or not text else redact(text)
        if answer:
            said.append(Exchange(answer, _question(turn)))
        turn = []
    return said


def situation_ids(events: Iterable[Mapping[str, object]]) -> list[str]:
    """The articles the assistant answered from, in the order it first did."""
    ids: list[str] = []
    for event in events:
        value = event.get("value")
        is_article = event.get("event") == "slot" and event.get("name") == "article_id"
        if is_article and isinstance(value, str) and value and value not in ids:
            ids.append(value)
    return ids


def letters_made(events: Iterable[Mapping[str, object]]) -> list[str]:
    """The letters the assistant made (each offered as a download), in the order it first did."""
    ids: list[str] = []
    for event in events:
        for letter_id in LETTER_LINK.findall(_bot_text(event)):
            if letter_id not in ids:
                ids.append(letter_id)
    return ids


def _turns(events: Iterable[Mapping[str, object]]) -> list[list[Mapping[str, object]]]:
    """The assistant's messages, one list per turn (between two of the parent's messages)."""
    turns: list[list[Mapping[str, object]]] = [[]]
    for event in events:
        if event.get("event") == "user":
            turns.append([])
        elif _bot_text(event):
            turns[-1].append(event)
    return [turn for turn in turns if turn]


def next_steps_shown(events: Iterable[Mapping[str, object]], skip_headings: Iterable[str] = ()) -> list[str]:
    """The next steps the assistant gave, as the Markdown it sent, each once.

    A next step starts with a message whose first line is a heading in bold, and goes on over the
    messages without one until a message with buttons. Left out: the headings in NOT_NEXT_STEPS and
    `skip_headings` (the contact details), and turns that made a letter or offered a download.
    """
    skipped = NOT_NEXT_STEPS | {heading.strip() for heading in skip_headings}
    steps: list[str] = []
    for turn in _turns(events):
        if any(DOWNLOAD_PREFIX in _bot_text(event) for event in turn):
            continue
        current: list[str] = []
        for event in [*turn, {}]:  # {}: the end of the turn ends the step
            text = _bot_text(event)
            heading = HEADING.match(text.splitlines()[0]) if text else None
            if heading or not text or _buttons(event) or text == DISCLAIMER:
                if current and "\n".join(current) not in steps:
                    steps.append("\n".join(current))
                wanted = heading and not _buttons(event) and heading.group(1).strip() not in skipped
                current = [text] if wanted else []
            elif current:
                current.append(text)
    return steps


# --------------------------------------------------------------------------------------------------
# Sources and Markdown


def _unescape(text: str) -> str:
    return ESCAPED.sub(r"\1", text)


def _absolute(url: str) -> bool:
    return url.startswith(("https://", "http://"))


def _one_tap(url: str) -> bool:
    """A phone number or e-mail link (bot/directory): kept in the summary as its words, clickable in Word."""
    return url.startswith(("tel:", "mailto:"))


def _plain(markdown: str) -> str:
    """One line of the chat's Markdown as plain words: bold removed, a link as its words and its address."""
    text = LINK.sub(
        lambda m: f"{_unescape(m.group(1))} ({m.group(2)})" if _absolute(m.group(2)) else m.group(1), markdown
    )
    return _unescape(BOLD.sub(r"\1", text)).strip()


def _see(numbers: Sequence[int]) -> str:
    if len(numbers) == 1:
        return f"see source {numbers[0]}"
    return f"see sources {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"


class _Sources:
    """The summary's numbered list of sources: one number per web address, in order of first mention."""

    def __init__(self, titles: Mapping[str, str]) -> None:
        self.titles = titles
        self.urls: list[str] = []

    def number(self, url: str) -> int:
        url = link_url(url)
        if url not in self.urls:
            self.urls.append(url)
        return self.urls.index(url) + 1

    def listed(self) -> tuple[SourceLink, ...]:
        return tuple(SourceLink(self.titles.get(url, url), url) for url in self.urls)


def _markdown_blocks(markdown: str, cite: Callable[[str], int]) -> list[Block]:
    """The chat's Markdown as blocks. A line of numbered links becomes "(see sources 1 and 2)" after the
    text it belongs to; a line with a chat-only link (a download) and a "Sources" list are left out."""
    blocks: list[Block] = []
    in_sources = False  # a "Sources" list inside a message: its addresses are in the summary's own list
    for line in markdown.splitlines():
        stripped = line.strip()
        heading = HEADING.match(stripped)
        in_sources = heading.group(1).strip() == "Sources" if heading else in_sources
        links = LINK.findall(stripped)
        if in_sources or not stripped or any(not (_absolute(url) or _one_tap(url)) for _, url in links):
            continue
        if LINKS_LINE.match(stripped):
            numbers = list(dict.fromkeys(cite(url) for _, url in links))
            if blocks and numbers:
                blocks[-1] = Block(blocks[-1].kind, f"{blocks[-1].text} ({_see(numbers)})")
            continue
        kind = "para"
        if stripped.startswith(">"):
            kind, stripped = "quote", stripped.lstrip(">").strip()
        elif ITEM.match(stripped):
            kind, stripped = "item", ITEM.sub("", stripped)
        text = _plain(stripped)
        taps = tuple((_unescape(words), url) for words, url in links if _one_tap(url))
        if text:
            blocks.append(Block(kind, text, taps=taps))
    return blocks


def _titles(
    events: Iterable[Mapping[str, object]], articles: Iterable[Article], letters: Iterable[RenderedLetter]
) -> dict[str, str]:
    """A title for each web address the conversation links to: the source's own title where it is known,
    else the words of a link to it (a "Sources" list, a deadline's citation)."""
    titles: dict[str, str] = {}
    sources: list[Source] = [s for owner in (*articles, *letters) for s in owner.sources]
    for source in sources:
        titles.setdefault(link_url(source.url), _unescape(public_title(source)))
    for event in events:
        for label, url in LINK.findall(_bot_text(event)):
            if _absolute(url) and not label.isdigit():
                titles.setdefault(link_url(url), _unescape(label))
    return titles


# --------------------------------------------------------------------------------------------------
# Facts and deadlines


def _iso(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and ISO_DATE.match(value) else None
    except ValueError:
        return None


def fact_value(name: str, value: object) -> str | None:
    """How a slot's value reads in the summary, or None when it holds nothing worth listing."""
    if value in (None, "", SKIPPED, False, [], ()):
        return None
    if value is True:
        return "Yes"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value if item not in (None, "")) or None
    text = str(value).strip()
    words = FACT_VALUES.get(name, {}).get(text) or YES_NO.get(text.lower())
    if words:
        return words
    day = _iso(text)
    if day is not None:
        return format_letter_date(day)
    if name == "school_type":
        text = school_type_phrase(text)
    return redact(text[:1].upper() + text[1:])


def key_facts(facts: Mapping[str, object]) -> list[Fact]:
    """The facts in the slots: the known ones first, in FACT_LABELS order, then any others by name."""
    names = [name for name in FACT_LABELS if name in facts]
    names += sorted(name for name in facts if name not in FACT_LABELS and name not in HIDDEN_SLOTS)
    found = []
    for name in names:
        value = fact_value(name, facts[name])
        if value:
            found.append(Fact(FACT_LABELS.get(name) or name.replace("_", " ").capitalize(), value))
    return found


def deadline_starts(facts: Mapping[str, object]) -> list[tuple[str, dt.date]]:
    """What the deadlines count from: the deadline form's answers, and the date the parent asked the
    council for an assessment (unless the council has already said no)."""
    starts: list[tuple[str, dt.date]] = []
    kind, when = facts.get("deadline_kind"), _iso(facts.get("deadline_date"))
    if kind in DEADLINE_KINDS and when is not None:
        starts.append((str(kind), when))
    request = _iso(facts.get("request_date"))
    if request is not None and facts.get("council_decision") != "refused" and ("ehc_request", request) not in starts:
        starts.append(("ehc_request", request))
    return starts


def _deadline_part(
    kind: str, start: dt.date, facts: Mapping[str, object], today: dt.date, cite: Callable[[str], int]
) -> Part:
    form_answer = kind == facts.get("deadline_kind") and start == _iso(facts.get("deadline_date"))
    around = "around " if form_answer and facts.get("deadline_approximate") else ""
    items = deadlines_for(
        kind, start, _iso(facts.get("certificate_date")), council_assessing=facts.get("council_decision") == "assessing"
    )
    blocks = []
    for deadline in items:
        when = f": {around}{format_date(deadline.due)}" if deadline.due else ""
        lines = [f"{deadline.label}{when} ({dl.overdue_status(deadline, today)})"]
        lines.append(f"How it's counted: {deadline.counting.rstrip('.')}.")
        next_step = dl.next_step_if_overdue(deadline, today)
        if next_step:
            lines.append(f"What this means: {next_step}")
        lines.append(f"({_see([cite(deadline.url)])})")
        blocks.append(Block("item", "\n".join(lines)))
    return Part(f"{DEADLINE_KINDS[kind]}: counting from {around}{format_letter_date(start)}", tuple(blocks))


def _letter_part(letter: RenderedLetter, cite: Callable[[str], int]) -> Part:
    blocks = []
    if letter.blanks:
        blocks.append(Block("para", "Fill in the parts in [square brackets] before you send it."))
    for paragraph in letter.paragraphs:
        lines: list[str] = []  # the lines of one paragraph stay together; a list item is a block of its own
        for line in paragraph:
            if line.bullet and lines:
                blocks.append(Block("para", "\n".join(lines)))
                lines = []
            if line.bullet:
                blocks.append(Block("item", line.text))
            else:
                lines.append(line.text)
        if lines:
            blocks.append(Block("para", "\n".join(lines)))
    if letter.sources:
        numbers = list(dict.fromkeys(cite(source.url) for source in letter.sources))
        blocks.append(Block("para", f"The law this letter relies on: {_see(numbers)}."))
    return Part(letter.title, tuple(blocks))


# --------------------------------------------------------------------------------------------------
# The summary


def build_summary(
    events: Sequence[Mapping[str, object]],
    slots: Mapping[str, object],
    *,
    title: str,
    today: dt.date,
    retention_days: int,
    articles: Mapping[str, Article] | None = None,
    letters: Sequence[RenderedLetter] = (),
    contact: str | None = None,
) -> Summary:
    """The summary of a conversation (see the module notes).

    `events` are the tracker's events as dicts, `slots` its current slot values. `articles`: the articles
    of `situation_ids(events)` that could be read; `letters`: those of `letters_made(events)`, filled as
    the letter download fills them. `contact` is who can help, as Markdown blocks separated by blank lines.
    """
    articles = articles or {}
    facts = known_facts(slots, events)
    contact_headings = [
        block.strip().splitlines()[0].strip("*") for block in (contact or "").split("\n\n") if block.strip()
    ]
    sources = _Sources(_titles(events, articles.values(), letters))
    deadlines = tuple(
        _deadline_part(kind, start, facts, today, sources.number) for kind, start in deadline_starts(facts)
    )
    next_steps = []
    for markdown in next_steps_shown(events, contact_headings):
        heading, _, body = markdown.partition("\n")
        next_steps.append(Part(_plain(heading).rstrip(":"), tuple(_markdown_blocks(body, sources.number))))
    letter_parts = tuple(_letter_part(letter, sources.number) for letter in letters)
    contact_urls = {link_url(url) for _, url in LINK.findall(contact or "")}
    for event in events:  # every other source the chat linked to
        for _, url in LINK.findall(_bot_text(event)):
            if _absolute(url) and link_url(url) not in contact_urls:
                sources.number(url)
    return Summary(
        title=title,
        made_on=today,
        retention_days=retention_days,
        said=tuple(parent_said(events)),
        situations=tuple(
            articles[i].title if i in articles else i.replace("-", " ").capitalize() for i in situation_ids(events)
        ),
        facts=tuple(key_facts(facts)),
        deadlines=deadlines,
        next_steps=tuple(next_steps),
        letters=letter_parts,
        contact=tuple(_markdown_blocks(contact or "", sources.number)),
        sources=sources.listed(),
    )


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


def blocks(summary: Summary) -> list[Block]:
    """The summary laid out, top to bottom; empty sections are left out."""
    laid = [
        Block("title", f"{summary.title}: summary of your conversation"),
        Block("para", f"Made on {format_letter_date(summary.made_on)}"),
        Block("para", f"{DISCLAIMER} {ENGLAND_ONLY}"),
        Block(
            "para",
            f"This chat keeps the conversation for {_days(summary.retention_days)} after your last message, "
            "then deletes it. You can delete it yourself at any time.",
        ),
    ]

    def section(heading: str, body: Iterable[Block]) -> None:
        body = list(body)
        if body:
            laid.extend([Block("heading", heading), *body])

    def parts(items: Iterable[Part]) -> list[Block]:
        return [block for part in items for block in (Block("subheading", part.heading), *part.blocks)]

    said = [
        Block("item", f"The assistant asked: {e.question}\nYou answered: {e.answer}" if e.question else e.answer)
        for e in summary.said
    ]
    section("What you told the assistant", [Block("para", AS_STORED), *said] if said else [])
    section("Situations the assistant recognised", [Block("item", title) for title in summary.situations])
    section("Key facts", [Block("item", f"{fact.label}: {fact.value}") for fact in summary.facts])
    section("Deadlines worked out", parts(summary.deadlines))
    section("Next steps you were given", parts(summary.next_steps))
    section("Letters", parts(summary.letters))
    section("Who can help", summary.contact)
    section(
        "Sources",
        [Block("link", f"{number}. {source.title}", source.url) for number, source in enumerate(summary.sources, 1)],
    )
    if not (summary.said or summary.situations or summary.facts):
        laid.insert(4, Block("para", NOTHING_YET))
    return laid


# --------------------------------------------------------------------------------------------------
# The files


def summary_text(summary: Summary) -> str:
    """The summary as plain text: headings underlined, list items with "- ", quotes indented, a blank line
    between paragraphs."""
    lines: list[str] = []
    previous = ""
    for block in blocks(summary):
        if lines and not (block.kind == previous and block.kind in ("item", "link")):
            lines.append("")
        previous = block.kind
        if block.kind in ("title", "heading"):
            lines += [block.text, ("=" if block.kind == "title" else "-") * len(block.text)]
        elif block.kind == "item":
            lines.append("- " + block.text.replace("\n", "\n  "))
        elif block.kind == "quote":
            lines.append("    " + block.text.replace("\n", "\n    "))
        elif block.kind == "link":
            lines.append(f"{block.text}\n   {block.url}")
        else:
            lines.append(block.text)
    return "\n".join(lines) + "\n"


def _add_link(paragraph: Any, url: str, words: str | None = None) -> None:
    """A web address that opens when clicked: python-docx has no call for it, so it is written as XML."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
    run, properties, text = OxmlElement("w:r"), OxmlElement("w:rPr"), OxmlElement("w:t")
    for tag, value in (("w:color", "0563C1"), ("w:u", "single")):
        setting = OxmlElement(tag)
        setting.set(qn("w:val"), value)
        properties.append(setting)
    text.text = words or url
    run.extend([properties, text])
    link.append(run)
    paragraph._p.append(link)


def _add_with_taps(paragraph: Any, block: Block) -> None:
    """A paragraph whose phone numbers and e-mail addresses open the phone or the mail app."""
    rest = block.text
    for words, url in block.taps:
        before, found, after = rest.partition(words)
        if not found:
            continue
        if before:
            paragraph.add_run(before)
        _add_link(paragraph, url, words)
        rest = after
    if rest:
        paragraph.add_run(rest)


def summary_docx(summary: Summary) -> bytes:
    """The summary as a Word document with real headings, lists and links, in the one plain style of every
    download (bot/content/word.py: 12pt Arial, UK English, a document title)."""
    laid = blocks(summary)
    document = plain_document(laid[0].text)
    styles = {
        "title": "Title",
        "heading": "Heading 1",
        "subheading": "Heading 2",
        "item": "List Bullet",
        "quote": "Quote",
    }
    for block in laid:
        if block.taps:
            _add_with_taps(document.add_paragraph("", styles.get(block.kind)), block)
            continue
        paragraph = document.add_paragraph(block.text, styles.get(block.kind))
        if block.kind == "link" and block.url:
            paragraph.add_run().add_break()
            _add_link(paragraph, block.url)
    return document_bytes(document)
