"""Who can help, near you, on a phone: the parent types their town, opens "Who can help", and gets their
own SENDIASS with a number they can call in one tap (bot/directory, knowledge/directory)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_widget import SITUATION, assert_no_violations, click_and_wait, in_shadow, send

pytestmark = pytest.mark.e2e

LEEDS_SENDIASS = "tel:+441133785020"  # 0113 378 5020, knowledge/directory/councils.yml (checked 2026-12-04)


def links(page: Page) -> list[dict[str, str]]:
    """Every link in the bot's messages: its words, address and target."""
    return in_shadow(
        page,
        "return [...root.querySelectorAll('.msg.bot a')].map((a) => "
        "({text: a.textContent, href: a.getAttribute('href'), target: a.getAttribute('target') || ''}));",
    )


def newest_messages(page: Page, count: int) -> list[str]:
    return in_shadow(page, "return [...root.querySelectorAll('.msg.bot')].map((m) => m.innerText);")[-count:]


def test_a_town_then_who_can_help_gives_tap_to_call_links(phone: Page) -> None:
    send(phone, "we live in Leeds")
    calls = [link for link in links(phone) if link["href"].startswith("tel:")]
    assert {"text": "0113 378 5020", "href": LEEDS_SENDIASS, "target": ""} in calls

    # The town is remembered: "Who can help" under the next answer leads with the Leeds service.
    send(phone, SITUATION)
    before = len(links(phone))
    click_and_wait(phone, "Who can help")
    after = links(phone)[before:]
    assert after[0]["href"] == LEEDS_SENDIASS and after[0]["target"] == ""
    assert all(link["href"].startswith(("tel:+44", "tel:1", "mailto:", "https://")) for link in after)
    web = [link for link in after if link["href"].startswith("https://")]
    assert web and all(link["target"] == "_blank" for link in web)
    assert any("Help near you: Leeds" in text for text in newest_messages(phone, 12))
    assert_no_violations(phone, "who can help, with tap-to-call links, on a phone")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / "who-can-help-phone.png"))
    assert not phone.recorder.page_errors


def test_an_unknown_place_is_answered_honestly(phone: Page) -> None:
    send(phone, "Cumbria")
    said = newest_messages(phone, 3)
    assert any("Cumberland or Westmorland and Furness" in text for text in said)
    assert not [link for link in links(phone) if link["href"].startswith("tel:")]


def test_a_town_alone_or_misspelt_is_understood(phone: Page) -> None:
    send(phone, "Leeds")
    assert LEEDS_SENDIASS in [link["href"] for link in links(phone)]
    send(phone, "Peterbrough")
    said = newest_messages(phone, 4)
    assert any("I've taken that as Peterborough" in text for text in said)
    assert "tel:+443003651020" in [link["href"] for link in links(phone)]


def test_a_situation_told_from_wales_is_told_the_answer_is_englands_law(phone: Page) -> None:
    # England only (session 9): the note comes first, the England answer still follows, and one tap opens the
    # help for Wales (bot/directory/answers.other_nation_note).
    send(phone, "we live in wales and my son's ehcp is 6 months late, the council still haven't finished it")
    said = newest_messages(phone, 12)
    notes = [i for i, text in enumerate(said) if "You mentioned Wales. What follows is the law in England." in text]
    assert len(notes) == 1 and notes[0] < len(said) - 1  # the answer follows the note
    assert_no_violations(phone, "the England-only note above an answer, on a phone")
    click_and_wait(phone, "Help in Wales")
    assert any("Wales" in text and "England" in text for text in newest_messages(phone, 4))
    assert not phone.recorder.page_errors
