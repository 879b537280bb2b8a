"""Issue 13 in a real browser on a phone: the assistant listens to what the parent said.

Each test holds one conversation from the issue on a phone-sized screen (390x844), saves a screenshot to
results/screenshots/listening-phone-*.png and runs the same axe-core check as tests/e2e/test_widget.py.

- The 3 March conversation: the first answer works out the council's 6-week decision date from the
  request date the parent typed, says the council is late and shows the fact back ("From what you told me").
- The exclusion questions skip "Did the school put it in writing?" when the parent already said "nothing in
  writing".
- "my son" on its own is an opener: "Tell me what's happening" with the starter topics as buttons, never
  emergency help.
- The summary download holds the parent's own (redacted) words and full web addresses for its sources, and
  never a button payload such as "/section_law".

The servers' clock cannot be fixed (actions/guided.py and actions/facts.py read the real time), so the
expected dates are worked out here from today's date in England with bot/law/deadlines.py.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from docx import Document
from playwright.sync_api import Page, expect

from bot.law.calendar import add_weeks, format_date
from tests.e2e.conftest import ROOT, SCREENSHOTS
from tests.e2e.test_widget import (
    assert_no_violations,
    click_and_wait,
    in_shadow,
    send,
    stored,
)

pytestmark = pytest.mark.e2e

MARCH_MESSAGE = "We asked for an EHC needs assessment on 3 March and have heard nothing"
SENT_HOME_MESSAGE = "The school keeps sending my son home at lunchtime and there is nothing in writing"
TRIAGE_BUTTON = "Answer a few questions about your case"  # bot/dialogue/guided_replies.py TRIAGE_BUTTON
WRITTEN_NOTICE_QUESTION = "Did the school put it in writing"  # bot/dialogue/forms.py, the exclusion_recorded question
# utter_crisis in domain.yml and the lines of bot/dialogue/emergency.py: none of this belongs in a reply to "my son".
EMERGENCY_WORDS = ("999", "immediate danger", "NHS 111", "Samaritans", "Childline", "Shout", "emergency")
ENGLAND = ZoneInfo("Europe/London")


# ------------------------------------------------------------------------------------------- helpers


def messages(page: Page) -> list[tuple[str, str]]:
    """Every message in the log, in order, as ("user" or "bot", its text)."""
    return page.locator(".msg").evaluate_all(
        "(nodes) => nodes.map((n) => [n.classList.contains('user') ? 'user' : 'bot', n.innerText])"
    )


def replies_to(page: Page, said: str) -> list[str]:
    """The assistant's messages between the parent's message `said` and the parent's next one."""
    log = messages(page)
    start = next(i for i, (who, text) in enumerate(log) if who == "user" and said in text)
    replies = []
    for who, text in log[start + 1 :]:
        if who == "user":
            break
        replies.append(text)
    return replies


def bot_texts(page: Page) -> list[str]:
    return [text for who, text in messages(page) if who == "bot"]


def screenshot(page: Page, name: str, show: str | None = None) -> None:
    """Save results/screenshots/<name>.png: the phone screen as the parent sees it, the chat log scrolled to
    the newest bot message holding `show` when given."""
    if show is not None:
        page.locator(".msg.bot", has_text=show).last.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), animations="disabled")
    assert path.stat().st_size > 10_000


def england_today() -> dt.date:
    return dt.datetime.now(ENGLAND).date()


def latest(month: int, day: int, today: dt.date) -> dt.date:
    """The most recent such day on or before today: how "3 March", said without a year, is read."""
    this_year = dt.date(today.year, month, day)
    return this_year if this_year <= today else dt.date(today.year - 1, month, day)


def starter_topics() -> list[str]:
    """The titles of the opener's buttons, as domain.yml lists them."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return [button["title"] for button in domain["responses"]["utter_opener"][0]["buttons"]]


# ------------------------------------------------------------------------------------------- tests


def test_first_answer_names_the_overdue_date(phone):
    """The 3 March conversation: the first answer dates the council's decision and says it is late."""
    today = england_today()
    requested = latest(3, 3, today)
    due = add_weeks(requested, 6)  # SEND Regulations 2014, reg 5(1): 14 April 2026 for 3 March 2026
    late = due < today

    send(phone, MARCH_MESSAGE)
    first = "\n".join(replies_to(phone, MARCH_MESSAGE))
    assert format_date(due) in first, f"the first answer should name the decision date {format_date(due)}:\n{first}"
    if late:
        assert "the council is late" in first, f"the first answer should say the council is late:\n{first}"
    else:  # only between 3 March and 14 April: then the answer must say the council is still within time
        assert "the council is late" not in first, f"the council is still within time:\n{first}"
    assert "From what you told me" in first
    assert f"3 March {requested.year}" in first.split("From what you told me", 1)[1], "the date is shown back"
    assert "What was the date" not in first, "the date the parent gave must not be asked for again"
    expect(phone.locator(".msg.error")).to_have_count(0)

    screenshot(phone, "listening-phone-3-march", show=format_date(due))
    assert_no_violations(phone, "phone, the 3 March conversation")


def test_exclusion_questions_skip_the_written_notice_question(phone):
    """'nothing in writing' already answers the first exclusion question, so it is never asked."""
    send(phone, SENT_HOME_MESSAGE)
    click_and_wait(phone, TRIAGE_BUTTON)
    # Answer whatever else the exclusion questions ask (bot/dialogue/forms.py QUESTIONS), with their buttons.
    answers = {
        "how many school days": "6 to 15",
        "What kind of school": "Maintained (council) school",
        "EHC plan, SEN support": "SEN support",
        "miss a public exam": "No",
    }
    asked = []
    for _ in range(len(answers) + 1):
        last = bot_texts(phone)[-1]
        assert WRITTEN_NOTICE_QUESTION not in last, f"asked although the parent said 'nothing in writing':\n{last}"
        question = next((q for q in answers if q in last), None)
        if question is None:
            break
        asked.append(question)
        click_and_wait(phone, answers[question])
    else:
        pytest.fail(f"the exclusion questions did not end: {asked}")

    said = "\n".join(bot_texts(phone))
    assert WRITTEN_NOTICE_QUESTION not in said, f"'{WRITTEN_NOTICE_QUESTION}?' was asked:\n{said}"
    assert asked and asked[0] == "how many school days", f"the questions should start with the days: {asked}"
    assert not any(q in bot_texts(phone)[-1] for q in answers), "the questions should have ended with the route"
    assert re.search(r"not recorded in writing|nothing in writing", said), "the answer is shown back"
    expect(phone.locator(".msg.error")).to_have_count(0)

    screenshot(phone, "listening-phone-exclusion-questions")
    assert_no_violations(phone, "phone, the exclusion questions")


def assert_warm_opener(phone: Page, message: str, topics: list[str]) -> str:
    """Send `message`: the reply is "Tell me what's happening" with the starter topics, never emergency help."""
    send(phone, message)
    reply = "\n".join(replies_to(phone, message))
    assert "Tell me what's happening" in reply, reply
    for word in EMERGENCY_WORDS:
        assert word.lower() not in reply.lower(), f"emergency help ({word!r}) in the reply to {message!r}:\n{reply}"
    for title in topics:
        expect(phone.get_by_role("button", name=title, exact=True).last).to_be_visible()
        expect(phone.get_by_role("button", name=title, exact=True).last).to_be_enabled()
    expect(phone.locator(".msg.error")).to_have_count(0)
    return reply


def test_my_son_alone_is_an_opener(phone):
    """'my son' alone gets a warm 'Tell me what's happening' with starter topics, never emergency help."""
    topics = starter_topics()
    assert len(topics) >= 4, topics
    expect(phone.get_by_role("button", name=topics[0], exact=True)).to_have_count(0)

    assert_warm_opener(phone, "my son", topics)

    screenshot(phone, "listening-phone-my-son")
    assert_no_violations(phone, "phone, the opener")


def test_summary_holds_the_parents_words_and_full_addresses(phone):
    """The summary download (GET /webhooks/webchat/summary): the parent's own words, redacted, the facts and
    deadlines, and every source as a full web address; never a chat-only link or a button payload."""
    today = england_today()
    due = add_weeks(latest(3, 3, today), 6)
    told = f"{MARCH_MESSAGE}. My email is sam.parent@example.com"
    send(phone, told)
    click_and_wait(phone, "What the law says")  # a navigation button: its payload is /section_law

    with phone.expect_download() as download_info:
        phone.get_by_role("button", name="Download my summary").click()
    download = download_info.value
    assert download.suggested_filename == "send-assistant-summary.txt"
    text = Path(download.path()).read_text(encoding="utf-8")
    expect(phone.get_by_text("Your summary has been downloaded.")).to_be_visible()

    assert MARCH_MESSAGE in text, f"the parent's own words should be in the summary:\n{text}"
    assert "sam.parent@example.com" not in text, "the parent's email address must have been taken out"
    assert format_date(due) in text, "the deadline worked out should be in the summary"
    assert "not legal advice" in text.lower()
    addresses = re.findall(r"https://[^\s)\]]+", text)
    assert "https://www.legislation.gov.uk/uksi/2014/1530/regulation/5" in addresses, (
        f"the source of the 6-week limit should be given as a full web address:\n{text}"
    )
    assert "/section_" not in text, f"a button payload is in the summary:\n{text}"
    assert not re.search(r"(?:^|\s)/[a-z_]+", _without_addresses(text)), (
        f"a slash command or chat-only link is in the summary:\n{text}"
    )
    assert "](" not in text, "Markdown links belong to the chat, not to the summary"

    # The Word version says the same.
    token = stored(phone)["token"]
    word = phone.request.get("/webhooks/webchat/summary", params={"format": "docx", "token": token})
    assert word.ok, word.status
    assert word.body()[:2] == b"PK"
    document = "\n".join(p.text for p in Document(io.BytesIO(word.body())).paragraphs)
    assert MARCH_MESSAGE in document
    assert "sam.parent@example.com" not in document
    assert "/section_" not in document

    in_shadow(phone, "root.querySelector('.log').scrollTop = root.querySelector('.log').scrollHeight;")
    screenshot(phone, "listening-phone-summary-downloaded")
    assert_no_violations(phone, "phone, after downloading the summary")
    # And a picture of the file itself, as a phone shows a text file.
    shown = phone.context.new_page()
    shown.set_content(
        '<meta name="viewport" content="width=device-width"><pre style="white-space:pre-wrap;overflow-wrap:anywhere;font:14px sans-serif">'
        + html.escape(text)
        + "</pre>"
    )
    shown.screenshot(path=str(SCREENSHOTS / "listening-phone-summary-file.png"), full_page=True)


def _without_addresses(text: str) -> str:
    return re.sub(r"https?://\S+", "", text)
