"""Statutory deadline maths for SEND in England. Pure functions, no I/O.

Each public function takes the date of the event that starts the clock (a request
received, a decision sent, a draft plan served...) and returns a ``Deadline``: the last
day, a plain-English note on how it was counted, the legal source and any exceptions
the law itself lists.

Counting conventions (reasons and case law in docs/deadlines.md):

* Weeks are plain calendar weeks. "Within N weeks of X": the day of X is not counted,
  so the last day is the same weekday N weeks later (X + 7N days).
* "Within N months after X" / "N months from X": the corresponding-date rule
  (Dodds v Walker [1981] 1 WLR 1027): the same day-of-month N months later; if that
  month is too short, its last day (31 Jan + 1 month = 28/29 Feb).
* "N months beginning/starting with X": X itself is day one, so the period ends the
  day before the corresponding date; if there is no corresponding date it ends on the
  last day of that month.
* "At least N days beginning with X": X is day one, so the last day is X + (N - 1).
* "Before 15 February": the last day that is *before* that date, i.e. 14 February.
* School days are never turned into a firm date: we do not know term dates.
* Dates are never moved for weekends or bank holidays, except where the law moves them:
  an SEN appeal deadline that falls on 25 December to 1 January or in August
  (HESC Rules 2008 r.12(3)(a), see ``tribunal_appeal_deadline``).

Each deadline says whether it applies to the parent now (``condition`` is None) or only if
something else happens first; only the first kind is ever flagged as overdue.

This is information, not legal advice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.law.calendar import (
    add_months,
    add_weeks,
    days_in_month,
    end_of_days_beginning_with,
    end_of_months_beginning_with,
    first_working_day_after,
    format_date,
    shift_month,
    weekdays_after,
)

# Who has to act by the date. Lets the bot pick a next step when a date is missed.
DutyOn = Literal["council", "you", "school", "nhs"]
# Fact-sheet confidence marks: V1 = checked against the primary text,
# V2 = checked through a secondary source that quotes or summarises it.
Confidence = Literal["V1", "V2"]

SEND_REGS = "SEND Regulations 2014"
SEND_REGS_URL = "https://www.legislation.gov.uk/uksi/2014/1530/regulation/{reg}"
TRIBUNAL_RULE_20_URL = "https://www.legislation.gov.uk/uksi/2008/2699/article/20"
HESC_RULES = "Tribunal Procedure (First-tier Tribunal) (Health, Education and Social Care Chamber) Rules 2008"
LGA_26B_URL = "https://www.legislation.gov.uk/ukpga/1974/7/section/26B"
HSCA_9_URL = "https://www.legislation.gov.uk/ukpga/1993/46/section/9"
NHS_COMPLAINTS_URL = "https://www.legislation.gov.uk/uksi/2009/309"
EQA_SCH17_URL = "https://www.legislation.gov.uk/ukpga/2010/15/schedule/17"
CFA_44_URL = "https://www.legislation.gov.uk/ukpga/2014/6/section/44"
EXCLUSION_REGS_SCHEDULES_URL = "https://www.legislation.gov.uk/uksi/2012/1033/schedules/made"
EXCLUSION_REGS_URL = "https://www.legislation.gov.uk/uksi/2012/1033"
EXCLUSION_REGS = "School Discipline (Pupil Exclusions and Reviews) (England) Regulations 2012"
IRP_POSTING_RULE = f"{EXCLUSION_REGS}, Sch 1 para 1(2)"
EXCLUSION_REG_24_URL = "https://www.legislation.gov.uk/uksi/2012/1033/regulation/24"
EIA_100_URL = "https://www.legislation.gov.uk/ukpga/2006/40/section/100"
EIA_101_URL = "https://www.legislation.gov.uk/ukpga/2006/40/section/101"

_ADVISERS = "IPSEA or your local SENDIASS can help"


@dataclass(frozen=True)
class Deadline:
    """One statutory time limit, worked out for a particular start date."""

    key: str
    label: str
    # None when the law counts in a unit we cannot turn into a date (school days).
    due: date | None
    counting: str
    citation: str
    url: str
    exceptions: tuple[str, ...] = ()
    note: str | None = None
    start: date | None = None
    duty_on: DutyOn = "council"
    confidence: Confidence = "V1"
    # Only for school-day limits: the date you'd get counting Monday to Friday with
    # no holidays at all. Never the real deadline; the note says so.
    earliest_if_no_holidays: date | None = None
    # None: the time limit applies to this parent now, so it is dated and flagged when
    # missed. Otherwise what must happen first, in words that follow "only if" ("the
    # council decides to carry out the assessment"): said as a condition, never overdue.
    condition: str | None = None
    # Set only when the law moved the last day (HESC r.12(3)(a)): the day before the move.
    ordinary_due: date | None = None

    @property
    def applies_now(self) -> bool:
        return self.condition is None


# --------------------------------------------------------------------------------------
# Notes shared by several deadlines
# --------------------------------------------------------------------------------------


def _weekend_note(due: date) -> str | None:
    # Parents should not assume an extra day: these limits count calendar days.
    if due.weekday() >= 5:
        return (
            f"{format_date(due)} is a {due:%A}. The time limit counts weekends, so aim to send it by the Friday before."
        )
    return None


def _month_end_note(start: date, months: int) -> str | None:
    """Flag the one case where counting 'beginning with' is not settled."""
    year, month = shift_month(start.year, start.month, months)
    last = days_in_month(year, month)
    if start.day <= last:
        return None
    earlier = date(year, month, last) - timedelta(days=1)
    return (
        "Because the start date is near the end of a month, some people count this "
        f"period as ending one day earlier, on {format_date(earlier)}. "
        "To be safe, act by then."
    )


def _overlaps_august(start: date, end: date) -> bool:
    # A rough pointer that the summer closure may be in play; not a legal test.
    current = start
    while current <= end:
        if current.month == 8:
            return True
        current += timedelta(days=1)
    return False


def _join(*parts: str | None) -> str | None:
    text = " ".join(part for part in parts if part)
    return text or None


def _ehc_exceptions(citation: str) -> tuple[str, ...]:
    # SEND Regs 2014 reg 5(4), 10(4)(a)-(d) and 13(3): the only exceptions; they
    # apply only where meeting the time limit is impractical because of them.
    return (
        "The council asked a school or college head for advice in the period from "
        "one week before the school or college closed for at least 4 weeks (usually "
        f"the summer holiday) to one week before it reopened ({citation}).",
        f"The council asked an early years provider for advice in the same kind of closure period ({citation}).",
        f"Exceptional personal circumstances affected the child, the parent or the young person ({citation}).",
        "The child, the parent or the young person was away from the council's area "
        f"for at least 4 weeks in a row ({citation}).",
    )


_EHC_NOTE = (
    "The council must act as soon as practicable; this is the latest date. The "
    "exceptions apply only if they made the time limit impractical. Council workload "
    "or a shortage of educational psychologists is not an exception."
)

_SUMMER_NOTE = (
    "This period runs over the summer holidays. The summer exception can apply only "
    "if the council asked a school or college for advice in the holiday window and "
    "that made the time limit impractical. Otherwise the date above still stands."
)


# --------------------------------------------------------------------------------------
# EHC needs assessment and plans
# --------------------------------------------------------------------------------------


# Until the council has decided to assess, the 16- and 20-week limits are only conditions.
_IF_ASSESSING = "the council decides to carry out the EHC needs assessment"


def ehc_assessment_deadlines(request_received: date, *, council_assessing: bool = False) -> tuple[Deadline, ...]:
    """The 6-, 16- and 20-week limits, all counted from the request being received.

    ``council_assessing``: the council has told the parent it will assess. Until then only
    the 6-week decision applies now; the other two are conditional. Once it has, the
    6-week step is over and is left out.
    """
    specs = (
        (
            "ehc_decision_to_assess",
            "Council tells you whether it will carry out an EHC needs assessment",
            6,
            "5(1)",
            "5(4)",
            5,
        ),
        (
            "ehc_decision_no_plan",
            "If, after the assessment, the council decides an EHC plan is not needed, it must tell you by",
            16,
            "10(1)",
            "10(4)",
            10,
        ),
        (
            "ehc_final_plan",
            "Council sends the final EHC plan",
            20,
            "13(2)",
            "13(3)",
            13,
        ),
    )
    results = []
    for key, label, weeks, para, exc_para, reg in specs:
        first_step = key == "ehc_decision_to_assess"
        if council_assessing and first_step:
            continue
        due = add_weeks(request_received, weeks)
        summer = _SUMMER_NOTE if _overlaps_august(request_received, due) else None
        results.append(
            Deadline(
                key=key,
                label=label,
                due=due,
                counting=(
                    f"{weeks} weeks from the day the council received your request "
                    "(that day is not counted), so the same weekday "
                    f"{weeks} weeks later"
                ),
                citation=f"{SEND_REGS}, reg {para}",
                url=SEND_REGS_URL.format(reg=reg),
                exceptions=_ehc_exceptions(f"{SEND_REGS}, reg {exc_para}"),
                note=_join(_EHC_NOTE, summer),
                start=request_received,
                condition=None if first_step or council_assessing else _IF_ASSESSING,
            )
        )
    return tuple(results)


def draft_plan_comment_deadline(served: date) -> Deadline:
    """Reg 13(1): at least 15 days beginning with the day the draft was served."""
    due = end_of_days_beginning_with(served, 15)
    return Deadline(
        key="draft_plan_comments",
        label=(
            "Last day of the minimum time to comment on the draft EHC plan, ask for "
            "a particular school or college, and ask for a meeting"
        ),
        due=due,
        counting=(
            "at least 15 days beginning with the day the draft plan was served; that "
            "day counts as day 1, so the 15th day is 14 days later"
        ),
        citation=f"{SEND_REGS}, reg 13(1)",
        url=SEND_REGS_URL.format(reg=13),
        note=_join(
            "These are calendar days, not school or working days. The council can "
            "give you longer, never less. If you are not sure which day it was "
            "served, count from the date on the covering letter: that gives the "
            "earliest possible date.",
            _weekend_note(due),
        ),
        start=served,
        duty_on="you",
    )


# --------------------------------------------------------------------------------------
# Annual reviews, amendments and phase transfers
# --------------------------------------------------------------------------------------


def next_annual_review_deadline(plan_made_or_last_reviewed: date, *, first_review: bool = False) -> Deadline:
    """s.44(1): review within each period of 12 months starting with the made/review date."""
    due = end_of_months_beginning_with(plan_made_or_last_reviewed, 12)
    if first_review:
        what = "the day the plan was first made"
        para = "s.44(1)(a)"
    else:
        what = "the day the plan was last reviewed"
        para = "s.44(1)(b)"
    return Deadline(
        key="annual_review_due",
        label="The council must have reviewed the EHC plan by",
        due=due,
        counting=(
            f"12 months starting with {what}; that day counts, so the period ends "
            "the day before the same date a year later"
        ),
        citation=f"Children and Families Act 2014, {para}",
        url=CFA_44_URL,
        note=_join(
            "A review can happen earlier. The review meeting needs at least 2 weeks' "
            "notice (SEND Regulations 2014, reg 20).",
            _month_end_note(plan_made_or_last_reviewed, 12),
        ),
        start=plan_made_or_last_reviewed,
    )


def annual_review_decision_deadline(review_meeting: date) -> Deadline:
    """Decision to keep, amend or cease the plan: within 4 weeks of the meeting (V2)."""
    return Deadline(
        key="annual_review_decision",
        label=("Council tells you its decision after the review meeting: keep the plan as it is, amend it, or stop it"),
        due=add_weeks(review_meeting, 4),
        counting=(
            "4 weeks from the day of the review meeting (that day is not counted), so the same weekday 4 weeks later"
        ),
        citation=f"{SEND_REGS}, reg 20",
        url=SEND_REGS_URL.format(reg=20),
        note=(
            "This 4-week limit is confirmed by several council and SENDIASS guides; "
            "the exact paragraph of reg 20 was not checked. If the council decides "
            "to amend, its notice must set out the proposed changes (R (L, M and P) "
            "v Devon CC [2022] EWHC 493 (Admin)), so the final amended plan should "
            "come at most 12 weeks after the meeting."
        ),
        start=review_meeting,
        confidence="V2",
    )


def amendment_deadlines(amendments_sent: date) -> tuple[Deadline, Deadline]:
    """Reg 22: your 15 days to comment, and the council's 8 weeks to finalise."""
    comment_due = end_of_days_beginning_with(amendments_sent, 15)
    comments = Deadline(
        key="amendment_comments",
        label=(
            "Last day of the minimum time to comment on the proposed changes to the "
            "EHC plan, ask for a particular school or college, and ask for a meeting"
        ),
        due=comment_due,
        counting=(
            "at least 15 days beginning with the day the proposed amendments were "
            "served; that day counts as day 1, so the 15th day is 14 days later"
        ),
        citation=f"{SEND_REGS}, reg 22(2)(c)",
        url=SEND_REGS_URL.format(reg=22),
        note=_join(
            "Calendar days, not school or working days. If you are not sure when "
            "they were served, count from the date on the letter.",
            _weekend_note(comment_due),
        ),
        start=amendments_sent,
        duty_on="you",
    )
    final = Deadline(
        key="amended_plan_final",
        label="Council sends the final amended EHC plan",
        due=add_weeks(amendments_sent, 8),
        counting=(
            "8 weeks from the day the council sent the proposed amendments (that day "
            "is not counted), so the same weekday 8 weeks later"
        ),
        citation=f"{SEND_REGS}, reg 22(3)",
        url=SEND_REGS_URL.format(reg=22),
        note="The council must do this as soon as practicable; this is the latest date.",
        start=amendments_sent,
    )
    return comments, final


def post16_move_deadline(transfer_date: date) -> Deadline:
    """Reg 18(2): a move between post-16 institutions at another time of year."""
    return Deadline(
        key="phase_transfer_post16_move",
        label=("Council reviews the EHC plan and, where needed, amends it to name the new post-16 institution"),
        due=add_months(transfer_date, -5),
        counting=(
            "at least 5 months before the move; the last day is the same date 5 "
            "months earlier (or the end of that month if it is shorter)"
        ),
        citation=f"{SEND_REGS}, reg 18(2)",
        url=SEND_REGS_URL.format(reg=18),
        start=transfer_date,
    )


# --------------------------------------------------------------------------------------
# Disagreements: mediation, Tribunal, complaints
# --------------------------------------------------------------------------------------


def _hesc_move(ordinary: date) -> tuple[date, str] | None:
    """HESC r.12(3)(a), SEN appeals only: a last day from 25 December to 1 January, or in
    August, moves to the first working day after 1 January / 31 August. Returns the moved
    day and the note that explains it, or None when the day does not move."""
    if ordinary.month == 8:
        window_end, period = date(ordinary.year, 8, 31), "August"
    elif (ordinary.month, ordinary.day) >= (12, 25) or (ordinary.month, ordinary.day) == (1, 1):
        window_end = date(ordinary.year + (ordinary.month == 12), 1, 1)
        period = "the days from 25 December to 1 January"
    else:
        return None
    moved = first_working_day_after(window_end)
    return moved, (
        f"The usual last day, {format_date(ordinary)}, is in {period}, so an appeal about "
        "special educational needs is in time if the Tribunal receives it by the first "
        f"working day after {window_end.day} {window_end:%B} (Tribunal rules, r.12(3)(a)). "
        "Sending it sooner is safer. This does not change the 2 months to contact the "
        "mediation adviser (reg 33)."
    )


def tribunal_appeal_deadline(decision_sent: date, mediation_certificate_issued: date | None = None) -> Deadline:
    """r.20(1)(c): 2 months after the decision was sent, or 1 month from the
    mediation certificate's issue date if that is later. The appeal must be RECEIVED.

    r.12(3)(a): in an SEN case, a last day from 25 December to 1 January, or in August,
    moves to the first working day after 1 January / 31 August. ``due`` is that moved
    day and ``ordinary_due`` the day before the move.
    """
    two_months = add_months(decision_sent, 2)
    ordinary = two_months
    winner = "2 months after the decision letter was sent"
    if mediation_certificate_issued is not None:
        if mediation_certificate_issued < decision_sent:
            raise ValueError("the mediation certificate cannot predate the decision")
        one_month = add_months(mediation_certificate_issued, 1)
        if one_month > two_months:
            ordinary = one_month
            winner = "1 month from the date the mediation certificate was issued"
    move = _hesc_move(ordinary)
    due, move_note = move or (ordinary, None)
    return Deadline(
        key="tribunal_appeal",
        label="The SEND Tribunal must receive your appeal by",
        due=due,
        counting=(
            "the later of 2 months after the day the decision letter was sent and, "
            "if you have a mediation certificate, 1 month from the day it was "
            "issued (same date in the later month, or that month's last day if it "
            f"is shorter). Here the later one is {winner}."
        ),
        citation=f"{HESC_RULES}, r.20(1)(c)" + (" and r.12(3)(a)" if move else ""),
        url=TRIBUNAL_RULE_20_URL,
        note=_join(
            move_note,
            "The Tribunal must receive the appeal by this date; posting it on the day "
            "is not enough. Count from the date the letter was sent, not the day it "
            "reached you. Most appeals need a mediation certificate first; appeals "
            "only about the school or college named in section I do not.",
            _weekend_note(due),
        ),
        start=decision_sent,
        duty_on="you",
        ordinary_due=ordinary if move else None,
    )


def mediation_adviser_deadline(decision_sent: date) -> Deadline:
    """Reg 33: contact the mediation adviser within 2 months after the decision was sent."""
    due = add_months(decision_sent, 2)
    return Deadline(
        key="mediation_adviser",
        label=("Contact the mediation adviser, say you want to appeal, and say whether you want mediation"),
        due=due,
        counting=(
            "2 months after the day the council's decision letter was sent: the same "
            "date 2 months later, or that month's last day if it is shorter"
        ),
        citation=f"{SEND_REGS}, reg 33",
        url=SEND_REGS_URL.format(reg=33),
        note=_join(
            "Contacting the adviser sooner gives you more time: the appeal deadline "
            "can run to 1 month after the certificate is issued.",
            _weekend_note(due),
        ),
        start=decision_sent,
        duty_on="you",
    )


def ombudsman_deadline(first_notice: date) -> Deadline:
    """LGA 1974 s.26B: 12 months beginning with the day you first had notice."""
    due = end_of_months_beginning_with(first_notice, 12)
    return Deadline(
        key="ombudsman_complaint",
        label="Complain in writing to the Local Government and Social Care Ombudsman by",
        due=due,
        counting=(
            "12 months beginning with the day you first knew about the problem; that "
            "day counts, so the period ends the day before the same date a year later"
        ),
        citation="Local Government Act 1974, s.26B",
        url=LGA_26B_URL,
        exceptions=(
            "The Ombudsman can decide to look at a complaint made after this date "
            "(Local Government Act 1974, s.26B(3)).",
        ),
        note=_month_end_note(first_notice, 12),
        start=first_notice,
        duty_on="you",
    )


def nhs_complaint_deadline(event_or_awareness: date) -> Deadline:
    """NHS complaints: 12 months after the event, or after you became aware if later."""
    due = add_months(event_or_awareness, 12)
    return Deadline(
        key="nhs_complaint",
        label="Make your complaint to the NHS body by",
        due=due,
        counting=(
            "12 months after the day it happened, or the day you found out if that "
            "was later: the same date a year later (28 February if it was 29 "
            "February)"
        ),
        citation=(
            "Local Authority Social Services and National Health Service Complaints "
            "(England) Regulations 2009 (SI 2009/309)"
        ),
        url=NHS_COMPLAINTS_URL,
        exceptions=(
            "The time limit can be waived if you had good reasons for not complaining "
            "sooner and the complaint can still be investigated effectively and "
            "fairly (SI 2009/309).",
        ),
        start=event_or_awareness,
        duty_on="you",
        confidence="V2",
    )


def phso_deadline(first_notice: date) -> Deadline:
    """HSCA 1993 s.9(4): not more than a year after the day you first had notice."""
    return Deadline(
        key="phso_complaint",
        label="Complain in writing to the Parliamentary and Health Service Ombudsman by",
        due=add_months(first_notice, 12),
        counting=(
            "a year after the day you first knew about the problem: the same date a "
            "year later (28 February if it was 29 February)"
        ),
        citation="Health Service Commissioners Act 1993, s.9(4)",
        url=HSCA_9_URL,
        exceptions=(
            "The Ombudsman can still look at a later complaint if it considers it "
            "reasonable to do so (Health Service Commissioners Act 1993, s.9(4)).",
        ),
        note=("The NHS body must usually have had a reasonable chance to deal with the complaint first (s.9(5))."),
        start=first_notice,
        duty_on="you",
    )


def equality_act_claim_deadline(act_date: date) -> Deadline:
    """EqA 2010 Sch 17 para 4(1): 6 months starting with the date of the conduct."""
    due = end_of_months_beginning_with(act_date, 6)
    return Deadline(
        key="equality_act_claim",
        label=("The SEND Tribunal must receive your disability discrimination claim against the school by"),
        due=due,
        counting=(
            "6 months starting with the day it happened; that day counts, so the "
            "period ends the day before the same date 6 months later"
        ),
        citation="Equality Act 2010, Sch 17 para 4(1)",
        url=EQA_SCH17_URL,
        exceptions=(
            "The Tribunal may still decide to consider a claim made after this date "
            "(Equality Act 2010, Sch 17 para 4(3)).",
        ),
        note=_join(
            "If the treatment went on over a period, count from the end of that "
            "period (Sch 17 para 4(5)(b)). If, before the 6 months ended, the dispute "
            "was referred to conciliation arranged by the Equality and Human Rights "
            "Commission, the time is 3 months longer: "
            f"{format_date(add_months(due, 3))} (Sch 17 para 4(2)). Unlike an SEN appeal, "
            "a discrimination claim gets no extra time when its last day is in August "
            f"or at Christmas ({HESC_RULES}, r.12(3)(a) covers SEN appeals only). This is "
            "for claims against a school to the First-tier Tribunal (SEND); claims "
            "against a council, college or private nursery go to the County Court.",
            _month_end_note(act_date, 6),
            _weekend_note(due),
        ),
        start=act_date,
        duty_on="you",
    )


# --------------------------------------------------------------------------------------
# Exclusions (school days: counts, never dates)
# --------------------------------------------------------------------------------------


def irp_request_deadline(notice_given: date) -> Deadline:
    """SI 2012/1033 Sch 1 para 2(1): 15 school days after written notice was given.

    ``due`` is None: only the school's term dates can turn school days into a date.
    """
    illustration = weekdays_after(notice_given, 15)
    return Deadline(
        key="irp_request",
        label="Ask for an independent review panel (IRP) of the permanent exclusion",
        due=None,
        counting=(
            "15 school days after the day you were given written notice of the "
            "governing board's decision not to reinstate (that day is not counted)"
        ),
        citation=f"{EXCLUSION_REGS}, Sch 1 para 2(1)",
        url=EXCLUSION_REGS_SCHEDULES_URL,
        note=(
            "We can't give an exact date because school days depend on the school's "
            "term dates. If there are no holidays, training days or bank holidays in "
            "between, the 15th school day would be "
            f"{format_date(illustration)}. Check the school's term dates; holidays "
            "make the real date later. A request sent by first class post counts as "
            "made on the second working day after posting, not the day you post it "
            f"({IRP_POSTING_RULE}), so hand it in or email it well before the 15th "
            "school day, counting from the day you were given the written notice. Ask "
            "for an SEN expert in the same request if you want one. Late requests are "
            "normally refused, so don't wait."
        ),
        start=notice_given,
        duty_on="you",
        earliest_if_no_holidays=illustration,
    )


# --------------------------------------------------------------------------------------
# Status lines for the chat
# --------------------------------------------------------------------------------------


def days_until(deadline: Deadline | date, today: date) -> int | None:
    """Whole days from today to the due date; negative when overdue."""
    due = deadline.due if isinstance(deadline, Deadline) else deadline
    if due is None:
        return None
    return (due - today).days


def overdue_status(deadline: Deadline | date | None, today: date) -> str:
    """'overdue by 12 days', 'due today', 'due tomorrow', 'due in 5 days'.

    A conditional deadline is never overdue: it gets 'only if <condition>'.
    """
    if deadline is None:
        return "no exact date"
    if isinstance(deadline, Deadline) and not deadline.applies_now:
        return f"only if {deadline.condition}"
    remaining = days_until(deadline, today)
    if remaining is None:
        return "no exact date (counted in school days)"
    if remaining < 0:
        late = -remaining
        return f"overdue by {late} day{'s' if late != 1 else ''}"
    if remaining == 0:
        return "due today"
    if remaining == 1:
        return "due tomorrow"
    return f"due in {remaining} days"


_COUNCIL_NEXT_STEP = (
    "Unless one of the listed exceptions applies, the council has missed a legal time "
    "limit. You can make a formal complaint to the council and then, if needed, to "
    "the Local Government and Social Care Ombudsman, or ask about a pre-action "
    f"protocol letter (the first step towards judicial review). {_ADVISERS}."
)

_NEXT_STEPS: dict[str, str] = {
    "tribunal_appeal": (
        f"The usual time limit for appealing has passed. Get advice quickly about what you can still do; {_ADVISERS}."
    ),
    "mediation_adviser": (
        "The 2 months to contact the mediation adviser have passed. Contact the "
        f"adviser now anyway and get advice quickly; {_ADVISERS}."
    ),
    "draft_plan_comments": (
        "The minimum time to comment has ended. Send your comments and school "
        "preference now anyway, and keep a copy. If the final plan is wrong, you can "
        f"appeal it; {_ADVISERS}."
    ),
    "amendment_comments": (
        f"The minimum time to comment has ended. Send your comments now anyway, and keep a copy; {_ADVISERS}."
    ),
    "equality_act_claim": (
        "The 6-month time limit has passed (unless the 3 extra months for EHRC "
        "conciliation apply), but the Tribunal can still decide to consider a late "
        "claim (Equality Act 2010, Sch 17 para 4(3)). Explain why it is late when you "
        f"claim, and get advice; {_ADVISERS}."
    ),
    "ombudsman_complaint": (
        "The 12 months have passed, but the Ombudsman can decide to look at a late "
        "complaint. Explain why you couldn't complain sooner."
    ),
    "nhs_complaint": (
        "The 12 months have passed. You can still complain: the NHS body can accept "
        "it if you had good reasons for the delay and it can still be investigated "
        "fairly."
    ),
    "phso_complaint": (
        "The year has passed, but the Ombudsman can still look at a complaint if it "
        "thinks that is reasonable. Explain why it is late."
    ),
    "irp_request": (
        f"If 15 school days have passed, late requests are normally refused. Speak to an adviser today; {_ADVISERS}."
    ),
}


def next_step_if_overdue(deadline: Deadline, today: date) -> str | None:
    """A short 'what this means / what next' line once a deadline has passed.

    Returns None while the deadline has not passed, when it only applies if something
    else happens first, or when it has no exact date (except the IRP request, where the
    parent must check the school's term dates).
    """
    if not deadline.applies_now:
        return None
    if deadline.due is None:
        illustration = deadline.earliest_if_no_holidays
        if deadline.key == "irp_request" and illustration and today > illustration:
            return (
                "Check the school's term dates now: the 15 school days may "
                "already have run out. " + _NEXT_STEPS["irp_request"]
            )
        return None
    if today <= deadline.due:
        return None
    if deadline.key in _NEXT_STEPS:
        return _NEXT_STEPS[deadline.key]
    if deadline.duty_on == "council":
        return _COUNCIL_NEXT_STEP
    return f"This date has passed. {_ADVISERS}."
