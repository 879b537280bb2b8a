"""More of issue 13's conversations in a real browser on a phone: does the assistant listen?

Each test holds one conversation on a phone-sized screen (390x844), reads the replies in the page and saves a
full-page screenshot to results/screenshots/listening-phone-*.png. The helpers, the phone fixture and the
way replies are awaited are those of tests/e2e/test_listening.py.

- A part-time timetable "since September": the letter says how long it has lasted, with no blank for it.
- A recent EHC needs assessment request (20 November): nothing is said to be overdue, and the 20-week date
  for the final plan is not given as a due date (it only applies once the council agrees to assess).
- Two suspensions (2 days and 4 days): the sum is shown and the right to make representations is given.
- "The school said he has to have a term of SEN support first": the first reply says that is not the law.
- "my son is 7 and autistic": a warm opener with topic buttons, no emergency help, nothing about college.
- An answer whose sources include a case name with square brackets ("[1989]"): no raw Markdown shows.
- "26 weeks and still no final plan": plain sentences, sources as links under them, nothing said twice.
- A date offered back ("last tuesday") comes with a Yes button, and the dates end with next steps.

As in test_listening.py, the servers' clock cannot be fixed, so dates are worked out from today's date in
England with bot/law/deadlines.py.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from bot.law.calendar import add_weeks, format_date
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_listening import (
    assert_warm_opener,
    bot_texts,
    england_today,
    latest,
    replies_to,
    starter_topics,
)
from tests.e2e.test_widget import assert_no_violations, click_and_wait, in_shadow, send

pytestmark = pytest.mark.e2e

PART_TIME_MESSAGE = "she has been on a part time timetable since September"
LETTER_BUTTON = "Get a letter"  # bot/dialogue/guided_replies.py: the tool button offered under an answer
PART_TIME_LETTER = "Ask the school to review my child's part-time timetable"
PART_TIME_BLANK = "[how long the part-time timetable has lasted"
RECENT_REQUEST_MESSAGE = "we asked for an EHC needs assessment on 20 November"
SUSPENSIONS_MESSAGE = "he was suspended for 2 days in October and 4 days last week"
SEN_SUPPORT_FIRST_MESSAGE = (
    "the school said he has to have a term of SEN support before we can ask for an EHC needs assessment"
)
SON_MESSAGE = "my son is 7 and autistic"
POST_16_WORDS = ("college", "post-16", "post 16", "sixth form", "16 to 25", "further education")
# knowledge/articles/therapy-waiting.md: its source "ipsea-lancashire" has "[1989]" in its title.
THERAPY_MESSAGE = "my son is stuck on a waiting list for speech therapy"
BRACKETED_SOURCE = "R v Lancashire County Council ex parte M [1989] 2 FLR 279"


# ------------------------------------------------------------------------------------------- helpers


def screenshot(page: Page, name: str, show: str | None = None) -> None:
    """Save results/screenshots/<name>.png, the whole page, the chat log scrolled to the newest bot message
    holding `show` when given."""
    if show is not None:
        page.locator(".msg.bot", has_text=show).last.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), animations="disabled", full_page=True)
    assert path.stat().st_size > 10_000


def dated(day) -> list[str]:
    """The ways a date may be written in a reply: "Friday 9 April 2027" and "9 April 2027"."""
    return [format_date(day), f"{day.day} {day:%B} {day.year}"]


def widget_text(page: Page) -> str:
    """All the text the widget shows (its shadow root), as the parent reads it."""
    return in_shadow(page, "return [...root.children].map((node) => node.innerText || '').join('\\n');")


# ------------------------------------------------------------------------------------------- tests


def test_part_time_letter_says_how_long(phone):
    """'since September': the letter states how long the part-time timetable has lasted, with no blank."""
    started = latest(9, 1, england_today())

    send(phone, PART_TIME_MESSAGE)
    first = "\n".join(replies_to(phone, PART_TIME_MESSAGE))
    assert f"since 1 September {started.year}" in first, f"the start date is shown back:\n{first}"
    click_and_wait(phone, LETTER_BUTTON)
    click_and_wait(phone, PART_TIME_LETTER)

    letter = "\n".join(replies_to(phone, PART_TIME_LETTER))
    assert "Here is your letter" in letter, letter
    assert f"since 1 September {started.year}" in letter, f"the letter should say since when:\n{letter}"
    assert re.search(r"part-time timetable for \d+ weeks?", letter), f"the letter should say how long:\n{letter}"
    assert PART_TIME_BLANK not in letter, f"the letter leaves how long it has lasted blank:\n{letter}"
    expect(phone.locator(".msg.error")).to_have_count(0)

    screenshot(phone, "listening-phone-part-time-letter", show=f"since 1 September {started.year}")
    assert_no_violations(phone, "phone, the part-time timetable letter")


def test_recent_assessment_request_is_not_overdue(phone):
    """A request made on 20 November: nothing is overdue, and the 20-week final-plan date is not a due date."""
    today = england_today()
    requested = latest(11, 20, today)
    decision = add_weeks(requested, 6)  # SEND Regulations 2014, reg 5(1)
    final_plan = add_weeks(requested, 20)  # reg 13(2): only once the council has agreed to assess

    send(phone, RECENT_REQUEST_MESSAGE)
    first = "\n".join(replies_to(phone, RECENT_REQUEST_MESSAGE))
    assert f"20 November {requested.year}" in first, f"the request date is shown back:\n{first}"
    if decision >= today:  # the council is still within its 6 weeks
        # "If you have heard nothing by then, the council is late" is a condition, not a verdict.
        late = re.search(r"\boverdue\b|\bpassed\b[^.]*\bago\b|\bso the council is late\b", first, re.IGNORECASE)
        assert late is None, f"{late.group(0)!r} although the council is still within time:\n{first}"
    for line in first.splitlines():
        if any(date in line for date in dated(final_plan)):
            assert re.search(r"\bif\b", line, re.IGNORECASE), (
                f"the 20-week date is given as a due date, not as a condition of the council agreeing:\n{line}"
            )
    expect(phone.locator(".msg.error")).to_have_count(0)

    screenshot(phone, "listening-phone-recent-request", show=f"20 November {requested.year}")
    assert_no_violations(phone, "phone, a recent assessment request")


def test_recent_assessment_request_is_not_answered_as_a_refusal(phone):
    """A request the council has not decided on is not a refusal: the first answer is not about appealing."""
    send(phone, RECENT_REQUEST_MESSAGE)
    first = replies_to(phone, RECENT_REQUEST_MESSAGE)[0]
    assert "something went wrong" not in first.lower(), first
    assert "appeal a refusal" not in first.lower(), f"answered as if the council had refused:\n{first}"


def test_two_suspensions_add_up(phone):
    """2 days and 4 days: the sum is shown, with the more-than-5-days rule and the right to representations."""
    send(phone, SUSPENSIONS_MESSAGE)
    reply = "\n".join(replies_to(phone, SUSPENSIONS_MESSAGE))
    assert "2 + 4 = 6 school days" in reply, reply
    assert re.search(r"more than 5 school days[^.]*term", reply), f"the more-than-5-days rule:\n{reply}"
    assert "make representations" in reply, f"the right to make representations:\n{reply}"
    expect(phone.locator(".msg.error")).to_have_count(0)

    screenshot(phone, "listening-phone-suspensions", show="2 + 4 = 6 school days")
    assert_no_violations(phone, "phone, two suspensions")


def test_sen_support_first_claim_is_answered_first(phone):
    """'He has to have a term of SEN support first': the first reply says there is no such legal requirement."""
    send(phone, SEN_SUPPORT_FIRST_MESSAGE)
    replies = replies_to(phone, SEN_SUPPORT_FIRST_MESSAGE)
    screenshot(phone, "listening-phone-sen-support-first")
    first = replies[0]
    # The verdict first (knowledge/claims/claims.yml, "wait-before-assessment"), then the usual answer.
    answers_claim = re.compile(
        r"that isn't right\b.*\bno (?:waiting time|rounds of support)", re.IGNORECASE | re.DOTALL
    )
    assert answers_claim.search(first), f"the first reply does not say whether the school is right:\n{first}"
    expect(phone.locator(".msg.error")).to_have_count(0)


def test_age_and_diagnosis_alone_is_an_opener(phone):
    """'my son is 7 and autistic': 'Tell me what's happening' with topic buttons; no emergency, no college."""
    reply = assert_warm_opener(phone, SON_MESSAGE, starter_topics())
    for word in POST_16_WORDS:
        assert word not in reply.lower(), f"post-16 ({word!r}) in the reply about a 7-year-old:\n{reply}"

    screenshot(phone, "listening-phone-son-7-autistic")
    assert_no_violations(phone, "phone, 'my son is 7 and autistic'")


def test_bracketed_case_name_shows_no_markdown(phone):
    """A source titled '... [1989] 2 FLR 279' is shown as a link, with no raw Markdown in the page."""
    send(phone, THERAPY_MESSAGE)
    click_and_wait(phone, "What the law says")

    expect(phone.get_by_role("link", name=BRACKETED_SOURCE).last).to_be_visible()
    shown = widget_text(phone)
    said = "\n".join(bot_texts(phone))
    assert BRACKETED_SOURCE in said, f"the case name should be shown as written:\n{said}"
    for raw in ("](", "]{", "\\[", "\\]"):
        assert raw not in shown, f"raw Markdown {raw!r} is visible:\n{shown}"
    expect(phone.locator(".msg.error")).to_have_count(0)

    screenshot(phone, "listening-phone-bracketed-source", show=BRACKETED_SOURCE)
    assert_no_violations(phone, "phone, a bracketed case name")


LATE_PLAN_MESSAGE = "it's been 26 weeks since we asked for the assessment and still no final plan"
# Legal shorthand that belongs in the sources under a message, never in its sentences.
SHORTHAND = re.compile(r"\bSI \d{4}/\d+|\breg(?:s|ulation)? \d+\(|\bs\.\s?\d+|\bHL\d+|\[@|\]\(")


def test_the_late_plan_answer_fits_a_phone(phone):
    """The deadline answer: plain sentences with sources as links under them, no paragraph said twice."""
    send(phone, LATE_PLAN_MESSAGE)
    replies = replies_to(phone, LATE_PLAN_MESSAGE)
    assert any("20-week" in r or "20 weeks" in r for r in replies), "\n".join(replies)
    sentences = [line for r in replies for line in r.splitlines() if len(line) > 60]
    assert len(sentences) == len(set(sentences)), "a paragraph is repeated in one answer"
    for reply in replies:
        words = reply.split("Sources")[0].split("Source:")[0]
        assert not SHORTHAND.search(words), f"legal shorthand in a sentence:\n{reply}"
    expect(phone.locator(".msg.error")).to_have_count(0)
    screenshot(phone, "listening-phone-late-plan", show="20")
    assert_no_violations(phone, "phone, the late plan answer")


DRAFT_MESSAGE = "we got the draft ehc plan and it's really vague"
DEADLINES_BUTTON = "Work out my deadlines"  # bot/dialogue/guided_replies.py DEADLINES_BUTTON
DRAFT_KIND = "We got a draft EHC plan"  # bot/dialogue/guided_replies.py DEADLINE_KINDS
YES_BUTTON = "Yes, that's right"  # bot/dialogue/guided_replies.py YES_BUTTON


def test_a_date_offered_back_can_be_confirmed_with_one_tap(phone):
    """'last Tuesday' is offered back as a date with a Yes button, and the dates that follow end with next steps."""
    send(phone, DRAFT_MESSAGE)
    replies_to(phone, DRAFT_MESSAGE)
    click_and_wait(phone, DEADLINES_BUTTON)
    if "What happened" in bot_texts(phone)[-1]:
        click_and_wait(phone, DRAFT_KIND)
    send(phone, "last tuesday")
    offered = bot_texts(phone)[-1]
    assert "Say yes, or type the full date." in offered, offered
    # The buttons sit in the "Suggested replies" group under the question.
    expect(
        phone.get_by_role("group", name="Suggested replies").last.get_by_role("button", name=YES_BUTTON)
    ).to_be_visible()
    screenshot(phone, "listening-phone-date-yes-button", show="Say yes")
    click_and_wait(phone, YES_BUTTON)
    said = "\n".join(bot_texts(phone)[-4:])
    assert "15" in said, f"the 15 days to comment on the draft should be dated:\n{said}"
    next_steps = phone.get_by_role("group", name="Suggested replies").last.get_by_role("button")
    assert next_steps.count() > 0, "the dates end with what can be done next"
    expect(phone.locator(".msg.error")).to_have_count(0)
