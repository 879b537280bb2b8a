"""Deadline maths. Every expected date below was worked out by hand (and checked
against a calendar), not computed with the code under test."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from bot.law.calendar import (
    add_months,
    add_weeks,
    end_of_days_beginning_with,
    end_of_months_beginning_with,
    format_date,
    weekdays_after,
)
from bot.law.deadlines import (
    Deadline,
    amendment_deadlines,
    annual_review_decision_deadline,
    days_until,
    draft_plan_comment_deadline,
    ehc_assessment_deadlines,
    equality_act_claim_deadline,
    irp_request_deadline,
    mediation_adviser_deadline,
    next_annual_review_deadline,
    next_step_if_overdue,
    nhs_complaint_deadline,
    ombudsman_deadline,
    overdue_status,
    phso_deadline,
    post16_move_deadline,
    tribunal_appeal_deadline,
)

# --------------------------------------------------------------------------------------
# Counting primitives
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # no 31 Feb: last day of Feb
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2028, 2, 29), 12, date(2029, 2, 28)),  # no 29 Feb 2029
        (date(2026, 1, 15), 2, date(2026, 3, 15)),
        (date(2026, 11, 30), 2, date(2027, 1, 30)),  # across the year end
        (date(2026, 3, 31), -1, date(2026, 2, 28)),  # backwards, clamped
        (date(2027, 7, 31), -5, date(2027, 2, 28)),
    ],
)
def test_add_months_uses_corresponding_date_and_clamps(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 1), 12, date(2026, 12, 31)),
        (date(2026, 3, 10), 6, date(2026, 9, 9)),
        (date(2027, 3, 1), 12, date(2028, 2, 29)),  # the day before 1 March 2028
        (date(2026, 8, 31), 6, date(2027, 2, 28)),  # no 31 Feb: end of February
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 5, 1), 1, date(2026, 5, 31)),  # a whole calendar month
    ],
)
def test_months_beginning_with_includes_the_first_day(start: date, months: int, expected: date) -> None:
    assert end_of_months_beginning_with(start, months) == expected


def test_weeks_and_days() -> None:
    assert add_weeks(date(2026, 1, 5), 6) == date(2026, 2, 16)  # Monday to Monday
    assert end_of_days_beginning_with(date(2026, 6, 20), 15) == date(2026, 7, 4)


def test_weekdays_after_skips_weekends_only() -> None:
    assert weekdays_after(date(2026, 11, 2), 15) == date(2026, 11, 23)
    # Over Christmas: still counts 25 Dec and 1 Jan, because it only knows weekends.
    assert weekdays_after(date(2026, 12, 18), 15) == date(2027, 1, 8)


def test_format_date_is_uk_style() -> None:
    assert format_date(date(2026, 11, 23)) == "Monday 23 November 2026"


# --------------------------------------------------------------------------------------
# EHC needs assessment: 6, 16 and 20 weeks
# --------------------------------------------------------------------------------------


def test_ehc_deadlines_from_31_january() -> None:
    six, sixteen, twenty = ehc_assessment_deadlines(date(2026, 1, 31))
    assert six.due == date(2026, 3, 14)
    assert sixteen.due == date(2026, 5, 23)
    assert twenty.due == date(2026, 6, 20)
    assert six.citation == "SEND Regulations 2014, reg 5(1)"
    assert sixteen.citation == "SEND Regulations 2014, reg 10(1)"
    assert twenty.citation == "SEND Regulations 2014, reg 13(2)"
    assert six.url == "https://www.legislation.gov.uk/uksi/2014/1530/regulation/5"
    assert all(d.duty_on == "council" and d.start == date(2026, 1, 31) for d in (six, sixteen, twenty))


def test_ehc_deadlines_list_the_statutory_exceptions() -> None:
    six, sixteen, twenty = ehc_assessment_deadlines(date(2026, 1, 31))
    for deadline, para in ((six, "reg 5(4)"), (sixteen, "reg 10(4)"), (twenty, "reg 13(3)")):
        assert len(deadline.exceptions) == 4
        assert all(para in item for item in deadline.exceptions)
        joined = " ".join(deadline.exceptions)
        assert "at least 4 weeks" in joined
        assert "Exceptional personal circumstances" in joined
    assert "workload" in (six.note or "")


def test_ehc_deadlines_over_the_year_end() -> None:
    six, sixteen, twenty = ehc_assessment_deadlines(date(2026, 12, 20))
    assert six.due == date(2027, 1, 31)
    assert sixteen.due == date(2027, 4, 11)
    assert twenty.due == date(2027, 5, 9)


def test_request_in_august_still_gets_dates_and_a_summer_note() -> None:
    six, sixteen, twenty = ehc_assessment_deadlines(date(2026, 8, 10))
    assert six.due == date(2026, 9, 21)
    assert sixteen.due == date(2026, 11, 30)
    assert twenty.due == date(2026, 12, 28)
    assert "summer" in (six.note or "")
    assert "still stands" in (twenty.note or "")


def test_no_summer_note_when_period_avoids_august() -> None:
    six, _, _ = ehc_assessment_deadlines(date(2026, 1, 5))
    assert six.due == date(2026, 2, 16)
    assert "summer" not in (six.note or "")


def test_ehc_request_on_29_february() -> None:
    six, _, _ = ehc_assessment_deadlines(date(2028, 2, 29))
    assert six.due == date(2028, 4, 11)


def test_before_the_council_decides_to_assess_only_the_6_weeks_apply_now() -> None:
    # The reported case: request 3 March 2026, asked on 4 December 2026, no decision to assess yet.
    # The 16-week date (Tuesday 23 June 2026) was shown as "overdue by 164 days".
    today = date(2026, 12, 4)
    six, sixteen, twenty = ehc_assessment_deadlines(date(2026, 3, 3))
    assert (six.due, sixteen.due, twenty.due) == (date(2026, 4, 14), date(2026, 6, 23), date(2026, 7, 21))
    assert six.applies_now and six.condition is None
    assert overdue_status(six, today) == "overdue by 234 days"
    for conditional in (sixteen, twenty):
        assert not conditional.applies_now
        assert conditional.condition == "the council decides to carry out the EHC needs assessment"
        assert overdue_status(conditional, today) == f"only if {conditional.condition}"
        assert next_step_if_overdue(conditional, today) is None


def test_once_the_council_is_assessing_the_16_and_20_weeks_apply_now() -> None:
    today = date(2026, 12, 4)
    sixteen, twenty = ehc_assessment_deadlines(date(2026, 3, 3), council_assessing=True)
    assert [d.key for d in (sixteen, twenty)] == ["ehc_decision_no_plan", "ehc_final_plan"]
    assert sixteen.applies_now and twenty.applies_now
    assert overdue_status(sixteen, today) == "overdue by 164 days"
    assert "missed a legal time limit" in (next_step_if_overdue(twenty, today) or "")


def test_every_other_deadline_applies_now() -> None:
    conditional = {d.key for d in _all_deadlines() if not d.applies_now}
    assert conditional == {"ehc_decision_no_plan", "ehc_final_plan"}


# --------------------------------------------------------------------------------------
# Draft plan, annual review, amendments, phase transfer
# --------------------------------------------------------------------------------------


def test_draft_served_on_20th_of_a_30_day_month() -> None:
    deadline = draft_plan_comment_deadline(date(2026, 6, 20))
    assert deadline.due == date(2026, 7, 4)  # 15th day, counting 20 June as day 1
    assert deadline.duty_on == "you"
    assert deadline.citation == "SEND Regulations 2014, reg 13(1)"
    assert deadline.exceptions == ()
    # 4 July 2026 is a Saturday: warn that weekends count.
    assert "Saturday" in (deadline.note or "")


def test_draft_comment_deadline_on_a_weekday_has_no_weekend_warning() -> None:
    deadline = draft_plan_comment_deadline(date(2026, 4, 20))
    assert deadline.due == date(2026, 5, 4)
    assert "Friday before" not in (deadline.note or "")


def test_first_annual_review() -> None:
    deadline = next_annual_review_deadline(date(2026, 1, 1), first_review=True)
    assert deadline.due == date(2026, 12, 31)
    assert deadline.citation == "Children and Families Act 2014, s.44(1)(a)"


def test_annual_review_after_review_on_29_february() -> None:
    deadline = next_annual_review_deadline(date(2028, 2, 29))
    assert deadline.due == date(2029, 2, 28)
    assert deadline.citation.endswith("s.44(1)(b)")
    assert "27 February 2029" in (deadline.note or "")


def test_annual_review_decision_is_four_weeks_and_marked_v2() -> None:
    deadline = annual_review_decision_deadline(date(2026, 11, 20))
    assert deadline.due == date(2026, 12, 18)
    assert deadline.confidence == "V2"
    assert "12 weeks" in (deadline.note or "")


def test_amendment_deadlines() -> None:
    comments, final = amendment_deadlines(date(2026, 11, 20))
    assert comments.due == date(2026, 12, 4)
    assert comments.duty_on == "you"
    assert comments.citation.endswith("reg 22(2)(c)")
    assert final.due == date(2027, 1, 15)
    assert final.citation.endswith("reg 22(3)")


def test_post16_move_at_least_five_months_before() -> None:
    assert post16_move_deadline(date(2027, 9, 1)).due == date(2027, 4, 1)
    assert post16_move_deadline(date(2028, 7, 31)).due == date(2028, 2, 29)


# --------------------------------------------------------------------------------------
# Mediation and the Tribunal
# --------------------------------------------------------------------------------------


def test_tribunal_two_months_without_certificate() -> None:
    deadline = tribunal_appeal_deadline(date(2026, 1, 15))
    assert deadline.due == date(2026, 3, 15)
    assert deadline.duty_on == "you"
    assert "receive" in deadline.label
    assert "r.20(1)(c)" in deadline.citation


def test_certificate_after_the_two_month_point_wins() -> None:
    deadline = tribunal_appeal_deadline(date(2026, 1, 15), date(2026, 3, 1))
    assert deadline.due == date(2026, 4, 1)
    assert "mediation certificate was issued" in deadline.counting


def test_certificate_before_the_two_month_point_loses() -> None:
    deadline = tribunal_appeal_deadline(date(2026, 1, 15), date(2026, 2, 10))
    assert deadline.due == date(2026, 3, 15)  # 10 March is earlier, so 2 months wins


def test_tribunal_month_end_and_leap_year() -> None:
    assert tribunal_appeal_deadline(date(2025, 12, 31)).due == date(2026, 2, 28)
    assert tribunal_appeal_deadline(date(2027, 12, 31)).due == date(2028, 2, 29)


def test_tribunal_certificate_over_the_year_end() -> None:
    deadline = tribunal_appeal_deadline(date(2026, 11, 30), date(2026, 12, 31))
    assert deadline.due == date(2027, 1, 31)


def test_certificate_cannot_predate_decision() -> None:
    with pytest.raises(ValueError):
        tribunal_appeal_deadline(date(2026, 3, 1), date(2026, 2, 1))


# HESC Rules 2008 r.12(3)(a): an SEN appeal whose last day is 25 Dec - 1 Jan or in August is in
# time on the first working day after 1 January / 31 August (weekends and England bank holidays
# are not working days). Weekdays checked against a calendar; bank holidays against gov.uk.
@pytest.mark.parametrize(
    ("decision", "certificate", "ordinary", "moved"),
    [
        (date(2026, 6, 1), None, date(2026, 8, 1), date(2026, 9, 1)),  # 1 Aug (Sat) -> Tue 1 Sep
        (date(2026, 6, 15), None, date(2026, 8, 15), date(2026, 9, 1)),  # mid-August
        (date(2026, 6, 1), date(2026, 7, 31), date(2026, 8, 31), date(2026, 9, 1)),  # 31 Aug via certificate
        (date(2024, 6, 15), None, date(2024, 8, 15), date(2024, 9, 2)),  # 1 Sep 2024 is a Sunday
        (date(2029, 6, 10), None, date(2029, 8, 10), date(2029, 9, 3)),  # 1 Sep 2029 is a Saturday
        (date(2026, 10, 25), None, date(2026, 12, 25), date(2027, 1, 4)),  # 25 Dec; 2-3 Jan 2027 a weekend
        (date(2025, 10, 31), None, date(2025, 12, 31), date(2026, 1, 2)),  # 31 Dec -> Fri 2 Jan
        (date(2025, 11, 1), None, date(2026, 1, 1), date(2026, 1, 2)),  # 1 Jan itself
        (date(2021, 10, 31), None, date(2021, 12, 31), date(2022, 1, 4)),  # Mon 3 Jan 2022 bank holiday
        (date(2022, 10, 28), None, date(2022, 12, 28), date(2023, 1, 3)),  # Mon 2 Jan 2023 bank holiday
        (date(2027, 10, 28), None, date(2027, 12, 28), date(2028, 1, 4)),  # 1 Jan 2028 Sat: Mon 3 Jan holiday
    ],
)
def test_sen_appeal_deadline_in_august_or_at_christmas_moves(
    decision: date, certificate: date | None, ordinary: date, moved: date
) -> None:
    deadline = tribunal_appeal_deadline(decision, certificate)
    assert deadline.due == moved
    assert deadline.ordinary_due == ordinary
    note = deadline.note or ""
    assert f"The usual last day, {format_date(ordinary)}, is in " in note
    assert "in time if the Tribunal receives it by the first working day after" in note
    assert "r.12(3)(a)" in note and deadline.citation.endswith("r.20(1)(c) and r.12(3)(a)")
    assert "does not change the 2 months to contact the mediation adviser" in note
    assert "Friday before" not in note  # a moved day is always a working day


@pytest.mark.parametrize(
    ("decision", "due"),
    [
        (date(2026, 5, 31), date(2026, 7, 31)),  # the day before August
        (date(2026, 7, 1), date(2026, 9, 1)),  # the day after
        (date(2026, 10, 24), date(2026, 12, 24)),  # Christmas Eve
        (date(2026, 11, 2), date(2027, 1, 2)),  # 2 January (a Saturday: weekend note instead)
    ],
)
def test_sen_appeal_deadline_next_to_the_holiday_windows_does_not_move(decision: date, due: date) -> None:
    deadline = tribunal_appeal_deadline(decision)
    assert deadline.due == due
    assert deadline.ordinary_due is None
    assert "usual last day" not in (deadline.note or "")
    assert "r.12(3)(a)" not in deadline.citation


def test_a_parent_asking_on_20_august_is_still_in_time() -> None:
    # Decision sent 10 June 2026: the ordinary last day, Monday 10 August, has passed by 20 August,
    # but the appeal is in time until Tuesday 1 September 2026.
    deadline = tribunal_appeal_deadline(date(2026, 6, 10))
    today = date(2026, 8, 20)
    assert deadline.ordinary_due == date(2026, 8, 10)
    assert deadline.due == date(2026, 9, 1)
    assert overdue_status(deadline, today) == "due in 12 days"
    assert next_step_if_overdue(deadline, today) is None
    assert next_step_if_overdue(deadline, date(2026, 9, 1)) is None
    assert "passed" in (next_step_if_overdue(deadline, date(2026, 9, 2)) or "")


def test_discrimination_claim_is_not_moved_for_august_or_christmas() -> None:
    august = equality_act_claim_deadline(date(2026, 2, 15))
    assert august.due == date(2026, 8, 14)  # 6 months starting with 15 February
    assert august.ordinary_due is None
    assert "no extra time when its last day is in August" in (august.note or "")
    christmas = equality_act_claim_deadline(date(2026, 6, 26))
    assert christmas.due == date(2026, 12, 25)
    assert christmas.ordinary_due is None
    assert overdue_status(august, date(2026, 8, 20)) == "overdue by 6 days"


def test_mediation_adviser_two_months_after() -> None:
    assert mediation_adviser_deadline(date(2026, 10, 31)).due == date(2026, 12, 31)
    assert mediation_adviser_deadline(date(2026, 12, 31)).due == date(2027, 2, 28)
    assert mediation_adviser_deadline(date(2026, 10, 31)).citation.endswith("reg 33")


# --------------------------------------------------------------------------------------
# Complaints and discrimination claims
# --------------------------------------------------------------------------------------


def test_ombudsman_twelve_months_beginning_with() -> None:
    deadline = ombudsman_deadline(date(2026, 3, 10))
    assert deadline.due == date(2027, 3, 9)
    assert "s.26B(3)" in deadline.exceptions[0]
    assert ombudsman_deadline(date(2027, 3, 1)).due == date(2028, 2, 29)


def test_ombudsman_from_29_february_flags_the_unsettled_day() -> None:
    deadline = ombudsman_deadline(date(2028, 2, 29))
    assert deadline.due == date(2029, 2, 28)
    assert "27 February 2029" in (deadline.note or "")


def test_nhs_and_phso_are_twelve_months_after() -> None:
    assert nhs_complaint_deadline(date(2026, 3, 10)).due == date(2027, 3, 10)
    assert nhs_complaint_deadline(date(2028, 2, 29)).due == date(2029, 2, 28)
    assert "waived" in nhs_complaint_deadline(date(2026, 3, 10)).exceptions[0]
    assert phso_deadline(date(2026, 3, 10)).due == date(2027, 3, 10)


def test_equality_act_six_months_starting_with() -> None:
    deadline = equality_act_claim_deadline(date(2026, 3, 10))
    assert deadline.due == date(2026, 9, 9)
    assert "para 4(3)" in deadline.exceptions[0]
    assert "para 4(5)(b)" not in deadline.exceptions[0]  # that is the "conduct over a period" rule
    # EHRC conciliation before the 6 months end: 3 months more (para 4(2)), 9 Sep + 3 months.
    assert "3 months longer: Wednesday 9 December 2026 (Sch 17 para 4(2))" in (deadline.note or "")
    assert "County Court" in (deadline.note or "")
    assert equality_act_claim_deadline(date(2027, 9, 1)).due == date(2028, 2, 29)


def test_equality_act_from_31_august() -> None:
    deadline = equality_act_claim_deadline(date(2026, 8, 31))
    assert deadline.due == date(2027, 2, 28)
    assert "27 February 2027" in (deadline.note or "")


# --------------------------------------------------------------------------------------
# Exclusions: school days stay counts
# --------------------------------------------------------------------------------------


def test_irp_request_has_no_exact_date_but_an_illustration() -> None:
    deadline = irp_request_deadline(date(2026, 11, 2))
    assert deadline.due is None
    assert deadline.earliest_if_no_holidays == date(2026, 11, 23)
    note = deadline.note or ""
    assert "If there are no holidays, training days or bank holidays" in note
    assert "Monday 23 November 2026" in note
    assert "term dates" in note
    assert "Sch 1 para 2(1)" in deadline.citation


def test_irp_request_warns_that_a_posted_request_counts_two_working_days_later() -> None:
    note = irp_request_deadline(date(2026, 11, 2)).note or ""
    assert "first class post counts as made on the second working day after posting" in note
    assert "Regulations 2012, Sch 1 para 1(2)" in note
    assert "hand it in or email it well before the 15th school day" in note
    assert "counting from the day you were given the written notice" in note


# --------------------------------------------------------------------------------------
# Status lines and next steps
# --------------------------------------------------------------------------------------

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (date(2026, 11, 11), "overdue by 12 days"),
        (date(2026, 11, 22), "overdue by 1 day"),
        (date(2026, 11, 23), "due today"),
        (date(2026, 11, 24), "due tomorrow"),
        (date(2026, 11, 28), "due in 5 days"),
    ],
)
def test_overdue_status(due: date, expected: str) -> None:
    assert overdue_status(due, TODAY) == expected
    deadline = Deadline(key="x", label="x", due=due, counting="x", citation="x", url="x")
    assert overdue_status(deadline, TODAY) == expected


def test_overdue_status_without_a_date() -> None:
    assert overdue_status(irp_request_deadline(date(2026, 11, 2)), TODAY).startswith("no exact date")
    assert overdue_status(None, TODAY) == "no exact date"
    assert days_until(irp_request_deadline(date(2026, 11, 2)), TODAY) is None
    assert days_until(date(2026, 11, 28), TODAY) == 5


def test_next_step_for_missed_council_deadline() -> None:
    six, _, _ = ehc_assessment_deadlines(date(2026, 1, 31))  # due 14 March 2026
    step = next_step_if_overdue(six, TODAY)
    assert step is not None
    assert "Ombudsman" in step and "pre-action protocol letter" in step
    assert next_step_if_overdue(six, date(2026, 3, 14)) is None  # due today: not missed


def test_next_step_for_parent_deadlines() -> None:
    appeal = tribunal_appeal_deadline(date(2026, 1, 15))
    assert "advice" in (next_step_if_overdue(appeal, TODAY) or "")
    claim = equality_act_claim_deadline(date(2026, 3, 10))
    claim_step = next_step_if_overdue(claim, TODAY) or ""
    assert "late claim (Equality Act 2010, Sch 17 para 4(3))" in claim_step
    assert "EHRC conciliation" in claim_step and "4(5)(b)" not in claim_step
    future = ombudsman_deadline(date(2026, 11, 1))
    assert next_step_if_overdue(future, TODAY) is None


def test_next_step_for_irp_uses_the_illustration_only_as_a_prompt() -> None:
    irp = irp_request_deadline(date(2026, 11, 2))  # illustration: 23 November 2026
    assert next_step_if_overdue(irp, date(2026, 11, 23)) is None
    assert "term dates" in (next_step_if_overdue(irp, date(2026, 11, 24)) or "")


# --------------------------------------------------------------------------------------
# Shape of the results
# --------------------------------------------------------------------------------------


def _all_deadlines() -> list[Deadline]:
    start = date(2026, 3, 10)
    return [
        *ehc_assessment_deadlines(start),
        draft_plan_comment_deadline(start),
        next_annual_review_deadline(start),
        annual_review_decision_deadline(start),
        *amendment_deadlines(start),
        post16_move_deadline(start),
        tribunal_appeal_deadline(start),
        mediation_adviser_deadline(start),
        ombudsman_deadline(start),
        nhs_complaint_deadline(start),
        phso_deadline(start),
        equality_act_claim_deadline(start),
        irp_request_deadline(start),
    ]


def test_every_deadline_has_source_and_counting() -> None:
    deadlines = _all_deadlines()
    assert len({d.key for d in deadlines}) == len(deadlines)
    for deadline in deadlines:
        assert deadline.url.startswith("https://www.legislation.gov.uk/")
        assert deadline.counting and deadline.citation and deadline.label


def test_deadline_is_frozen() -> None:
    deadline = draft_plan_comment_deadline(date(2026, 6, 20))
    with pytest.raises(dataclasses.FrozenInstanceError):
        deadline.due = date(2026, 7, 5)  # type: ignore[misc]
