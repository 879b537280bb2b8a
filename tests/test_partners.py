"""Partner files: validation with file and line, helpline hours in words, and the public settings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.cli.main import main
from bot.content.partners import (
    DEFAULT_PARTNER,
    PartnerBook,
    contact_text,
    contrast_ratio,
    helpline_status,
    hours_text,
    load_partners,
    national_services_text,
    parse_partner,
    privacy_notice,
)
from bot.settings import PROJECT_ROOT
from tests.knowledge_fixtures import RELATED_ARTICLE, VALID_ARTICLE, write_knowledge
from tests.webchat_helpers import CHARITY_PARTNER_YML, DEFAULT_PARTNER_YML, ManualClock, write_partners

LONDON = ZoneInfo("Europe/London")
UTC = dt.timezone.utc


@pytest.fixture
def partners(tmp_path: Path):
    found, problems = load_partners(write_partners(tmp_path / "partners"))
    assert problems == []
    return found


def problems_for(tmp_path: Path, text: str, name: str = "charity") -> list[str]:
    path = tmp_path / f"{name}.yml"
    path.write_text(text, encoding="utf-8")
    partner, problems = parse_partner(path)
    assert partner is None if problems else partner is not None
    return [str(p) for p in problems]


# --- the real partner files ---------------------------------------------------------------------------


def test_real_partner_files_are_valid() -> None:
    found, problems = load_partners(PROJECT_ROOT / "knowledge" / "partners")
    assert problems == [], "\n".join(str(p) for p in problems)
    assert {"default", "example-charity"} <= set(found)
    demo = found["default"]
    assert demo.display_name == "SEND rights assistant (demo)"
    assert set(demo.allowed_origins) == {"http://127.0.0.1:5005", "http://localhost:5005"}
    assert demo.area == () and demo.helpline.time_zone == "Europe/London"
    assert [s.key for s in demo.national_services] == ["sendiass", "ipsea", "contact"]
    contact = next(s for s in demo.national_services if s.key == "contact")
    assert not any(ch.isdigit() for ch in contact.what)  # no unverified phone number
    charity = found["example-charity"]
    assert charity.helpline.has_contact and charity.area and charity.allowed_origins


# --- validation -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("colours: {", "colors: {"), "charity.yml:3: error: unknown field 'colors'; did you mean 'colours'?"),
        (('primary: "#5b2a86"', 'primary: "purple"'), "charity.yml:3: error: colours.primary must be a colour"),
        (('on_primary: "#ffffff"', 'on_primary: "#a77fd0"'), "contrast 3.11:1; it must be at least 4.5:1"),
        (("[https://www.example.org]", "[https://www.example.org/chat]"), "charity.yml:6: error: 'https://www.ex"),
        (("[https://www.example.org]", "[http://www.example.org]"), "must use https"),
        (("[https://www.example.org]", "['*']"), "is not an origin"),
        (
            ("time_zone: Europe/London", "time_zone: Europe/Londres"),
            "charity.yml:11: error: time_zone 'Europe/Londres'",
        ),
        (('mon-thu: "09:30-16:30"', 'mon-thu: "9.30 to 4.30"'), "is not a time range"),
        (('mon-thu: "09:30-16:30"', 'mon-thu: "16:30-09:30"'), "is not a time range"),
        (('mon-thu: "09:30-16:30"', 'mon-fri: "09:30-16:30"'), "Friday listed more than once"),
        (('mon-thu: "09:30-16:30"', 'mon-thurs: "09:30-16:30"'), "'mon-thurs' is not a day"),
        (('["09:30-12:30", "13:30-16:00"]', '["09:30-13:30", "13:00-16:00"]'), "the times for fri overlap"),
        (("service: contact", "service: citizens-advice"), "unknown national service 'citizens-advice'"),
        (("id: charity", "id: Charity"), "must be lowercase words"),
        (("email: help@example.org", "email: help"), "is not an e-mail address"),
        (("web_form: https://www.example.org/contact-us", "web_form: www.example.org"), "must be an https address"),
        (('phone: "01632 960123"', 'phone: "call us"'), "phone 'call us' must be digits and spaces"),
        (("[2026-12-25, 2026-12-28]", "[25 December]"), "closed date '25 December' must be written YYYY-MM-DD"),
        (("welcome: Hello from Sampleshire.\n", ""), "charity.yml:1: error: missing required field 'welcome'"),
    ],
)
def test_partner_problems_name_file_and_line(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    assert change[0] in CHARITY_PARTNER_YML
    found = problems_for(tmp_path, CHARITY_PARTNER_YML.replace(*change))
    assert any(expected in p for p in found), found


def test_id_must_match_the_file_name(tmp_path: Path) -> None:
    found = problems_for(tmp_path, CHARITY_PARTNER_YML, name="other-charity")
    assert any("must match the file name 'other-charity.yml'" in p for p in found)


def test_a_default_partner_is_required(tmp_path: Path) -> None:
    found, problems = load_partners(write_partners(tmp_path / "partners", {"charity": CHARITY_PARTNER_YML}))
    assert set(found) == {"charity"}
    assert any("there is no default.yml" in str(p) for p in problems)
    assert load_partners(tmp_path / "missing") == ({}, [])


def test_contrast_ratio_follows_wcag() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#ffffff") < 4.5


def test_knowledge_check_includes_partner_problems(tmp_path: Path, capsys) -> None:
    knowledge = write_knowledge(
        tmp_path / "knowledge", {"ehc-delay": VALID_ARTICLE, "request-ehc-assessment": RELATED_ARTICLE}
    )
    write_partners(knowledge / "partners", {"default": DEFAULT_PARTNER_YML.replace('"#ffffff"', '"#2a5fa8"')})
    status = main(["knowledge", "check", "--dir", str(knowledge)])
    out = capsys.readouterr().out
    assert "default.yml:3: error: text colour #2a5fa8 on #1d4f91" in out
    assert "0 valid partner(s), 1 error(s)" in out
    assert status == 1


# --- helpline hours ---------------------------------------------------------------------------------------


def at(text: str, zone: dt.tzinfo = LONDON) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone)


@pytest.mark.parametrize(
    ("when", "open_now", "text"),
    [
        (at("2026-11-23 10:00"), True, "Our helpline is open now until 4:30pm."),  # Monday
        (at("2026-11-23 09:29"), False, "We're closed now — back today at 9:30am."),
        (at("2026-11-23 16:30"), False, "We're closed now — back tomorrow at 9:30am."),
        (at("2026-11-27 12:45"), False, "We're closed now — back today at 1:30pm."),  # Friday lunch
        (at("2026-11-27 13:30"), True, "Our helpline is open now until 4pm."),
        (at("2026-11-27 16:00"), False, "We're closed now — back Monday at 9:30am."),  # Friday evening
        (at("2026-11-28 11:00"), False, "We're closed now — back Monday at 9:30am."),  # Saturday
        (at("2026-11-29 23:59"), False, "We're closed now — back tomorrow at 9:30am."),  # Sunday night
        (at("2026-12-24 17:00"), False, "We're closed now — back Tuesday at 9:30am."),  # Christmas closures
        (at("2026-12-25 10:00"), False, "We're closed now — back Tuesday at 9:30am."),
        # The same moment written in other time zones: 09:45 in London.
        (at("2026-11-23 09:45", UTC), True, "Our helpline is open now until 4:30pm."),
        (at("2026-11-23 04:45", ZoneInfo("America/New_York")), True, "Our helpline is open now until 4:30pm."),
        # British Summer Time: 08:45 UTC is 09:45 in London.
        (at("2026-07-06 08:45", UTC), True, "Our helpline is open now until 4:30pm."),
        (at("2026-07-06 08:15", UTC), False, "We're closed now — back today at 9:30am."),
        # A naive time is taken as UTC.
        (dt.datetime(2026, 7, 6, 8, 45), True, "Our helpline is open now until 4:30pm."),
    ],
)
def test_helpline_status(partners, when: dt.datetime, open_now: bool, text: str) -> None:
    status = helpline_status(partners["charity"], when)
    assert status.open_now is open_now
    assert status.text.startswith(text)
    if not open_now:
        assert status.text.endswith("Meanwhile: email help@example.org or use our online form.")


def test_long_closures_name_the_date(tmp_path: Path) -> None:
    closed = ", ".join(f"2026-12-{day:02d}" for day in range(21, 32))
    text = CHARITY_PARTNER_YML.replace("[2026-12-25, 2026-12-28]", f"[{closed}, 2027-01-01]")
    (tmp_path / "charity.yml").write_text(text, encoding="utf-8")
    partner, problems = parse_partner(tmp_path / "charity.yml")
    assert problems == []
    status = helpline_status(partner, at("2026-12-18 17:00"))
    assert status.text.startswith("We're closed now — back on Monday 4 January at 9:30am.")


def test_demo_partner_without_contact_details_shows_no_helpline(partners) -> None:
    demo = partners[DEFAULT_PARTNER]
    assert contact_text(demo, at("2026-11-23 10:00")) is None
    assert helpline_status(demo, at("2026-11-28 10:00")).text == (
        "We're closed now — back Monday at 9am. Meanwhile: I can keep helping you here."
    )
    assert "[IPSEA](https://www.ipsea.org.uk): Free helplines" in national_services_text(demo)


def test_hours_and_contact_text(partners) -> None:
    charity = partners["charity"]
    assert hours_text(charity.helpline) == (
        "Monday to Thursday, 9:30am to 4:30pm; Friday, 9:30am to 12:30pm and 1:30pm to 4pm"
    )
    text = contact_text(charity, at("2026-11-23 10:00"))
    assert text.splitlines() == [
        "**Talk to Sampleshire Family Support**",
        "Our helpline is open now until 4:30pm.",
        "- Phone: [01632 960123](tel:+441632960123) (Monday to Thursday, 9:30am to 4:30pm; Friday, 9:30am to "
        "12:30pm and 1:30pm to 4pm)",
        "- Email: [help@example.org](mailto:help@example.org)",
        "- Online: [our contact form](https://www.example.org/contact-us)",
        "We support families in Sampleshire. Elsewhere, your local SENDIASS can help.",
    ]
    assert "open now" not in contact_text(charity, at("2026-11-23 10:00"), with_status=False)


def test_privacy_notice_says_what_is_kept_for_how_long_and_that_names_are_not_needed() -> None:
    notice = privacy_notice(30)
    assert "30 days after your last message" in notice
    assert "never need to give your name" in notice
    assert "delete the conversation" in notice


# --- a running process picks up edits --------------------------------------------------------------------


def test_partner_book_reloads_edits_and_keeps_the_last_valid_version(tmp_path: Path) -> None:
    folder = write_partners(tmp_path / "partners")
    clock = ManualClock()
    book = PartnerBook(folder, refresh_seconds=5, clock=clock)
    assert book.get("charity").display_name == "Sampleshire Family Support"
    (folder / "charity.yml").write_text(CHARITY_PARTNER_YML.replace("Sampleshire Family", "Sampleshire Parents"))
    assert book.get("charity").display_name == "Sampleshire Family Support"  # not looked at yet
    clock.advance(5)
    assert book.get("charity").display_name == "Sampleshire Parents Support"
    (folder / "charity.yml").write_text(CHARITY_PARTNER_YML.replace("#5b2a86", "oops"))
    clock.advance(5)
    assert book.get("charity").display_name == "Sampleshire Parents Support"  # last valid version
    assert any("charity.yml" in str(p) for p in book.problems)
    assert book.get("nobody") is None and book.get(None) is None
    assert book.get_or_default("nobody").id == DEFAULT_PARTNER
