"""The staff console in Chromium: sign-in, each page, the charts and their tables, keyboard use, and
0 axe-core violations (WCAG 2.2 AA tags), against a real console process with its own database.

Run: E2E_STRICT=1 .venv/bin/python -m pytest tests/e2e/test_console.py -m e2e
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from tests.console_helpers import rate, store_conversation, turn
from tests.e2e.conftest import AXE, ROOT, missing
from tests.servers import free_ports, responds, stop_process_group, tail

pytestmark = pytest.mark.e2e

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "a long and unguessable staff password"
DAY = 86_400
PAGES = {
    "/unanswered": "What we couldn't answer",
    "/answers": "Answers",
    "/health": "Knowledge health",
    "/partners": "Partners",
    "/audit": "Audit log",
}


async def _conversations(url: str, now: float) -> None:
    fallback, answer = ["action_did_you_mean"], ["action_answer_situation"]
    await store_conversation(
        url, "a", turn("my son Jack is sent home at lunch every day", "nlu_fallback", 0.2, fallback, now - DAY)
    )
    await store_conversation(
        url,
        "b",
        turn("my son is sent home at lunchtime every day", "reduced_timetable", 0.2, fallback, now - 2 * DAY),
    )
    await store_conversation(
        url,
        "c",
        turn(
            "council won't assess, what now",
            "ehc_assessment_refused",
            0.5,
            answer,
            now - 3 * DAY,
            article="ehc-assessment-refused",
        ),
    )
    await store_conversation(
        url,
        "d",
        turn(
            "who pays for transport to college",
            "school_transport",
            0.9,
            answer,
            now - 9 * DAY,
            partner="example-charity",
            article="school-transport",
        )
        + turn(
            "/talk_to_adviser",
            "talk_to_adviser",
            1.0,
            answer,
            now - 9 * DAY + 20,
            partner="example-charity",
            article="talk-to-adviser",
        ),
    )


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A console process on a free loopback port, its database filled with conversations and feedback."""
    from bot.console import accounts
    from bot.console.tables import EDITOR, PARTNER_VIEWER
    from tests.console_helpers import make_context

    tmp = tmp_path_factory.mktemp("console")
    url = f"sqlite:///{tmp / 'send.db'}"
    now = time.time()
    # In a thread of its own: Playwright's sync API keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _conversations(url, now)).result()
    ctx = make_context(url, tmp)
    rate(ctx, "ehc-delay", True, now - 8 * DAY)
    rate(ctx, "ehc-delay", False, now - 2 * DAY, "out_of_date", "The dates look old, ring 07700 900123")
    rate(ctx, "ehc-assessment-refused", False, now - DAY, "hard_to_understand", None, now - 3 * DAY + 0.9)
    accounts.add_user(ctx.engine, "editor1", PASSWORD, EDITOR)
    accounts.add_user(ctx.engine, "charity1", PASSWORD, PARTNER_VIEWER, "example-charity")
    ctx.engine.dispose()
    (port,) = free_ports(1)
    review = tmp / "review" / "from-console.yml"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CONSOLE_SECURE_COOKIES": "0",
        "CONSOLE_REVIEW_FILE": str(review),
    }
    log = tmp / "console.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.console", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not responds(f"{base}/sign-in"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the console did not start; its log ends:\n{tail(log)}")
            time.sleep(0.5)
        yield {"url": base, "review": review}
    finally:
        stop_process_group(process)


@pytest.fixture
def page(browser, console):
    if not AXE.exists():
        missing("axe-core is not installed (node_modules/axe-core): run `npm ci` to check accessibility")
    if not (ROOT / "node_modules" / "chart.js" / "dist" / "chart.umd.min.js").exists():
        missing("chart.js is not installed (node_modules/chart.js): run `npm ci`")
    # bypass_csp: the console's policy would (rightly) block the injected axe script.
    context = browser.new_context(base_url=console["url"], bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    tab = context.new_page()
    tab.requests = []
    tab.errors = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()


def assert_accessible(page, state: str) -> None:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
            return result.violations.map((v) => ({
                id: v.id, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)),
            }));
        }""",
        AXE_TAGS,
    )
    assert violations == [], f"axe found problems on {state}: {violations}"


def sign_in(page, username: str = "editor1", password: str = PASSWORD) -> None:
    page.goto("/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_then_every_page_with_no_accessibility_problems(page, console) -> None:
    from playwright.sync_api import expect

    page.goto("/answers")
    expect(page).to_have_url(f"{console['url']}/sign-in")
    assert_accessible(page, "the sign-in page")
    sign_in(page, password="not the password")
    expect(page.get_by_role("alert")).to_contain_text("don't match an account")
    assert_accessible(page, "a failed sign-in")
    sign_in(page)
    expect(page).to_have_url(f"{console['url']}/unanswered")
    for path, title in PAGES.items():
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        expect(page.get_by_role("link", name=title, exact=True)).to_have_attribute("aria-current", "page")
        assert_accessible(page, path)
    assert page.errors == []
    own = console["url"]
    assert all(url.startswith(own) for url in page.requests), "the console loaded something from elsewhere"


def test_charts_are_drawn_from_our_own_server_with_a_table_for_each(page, console) -> None:
    from playwright.sync_api import expect

    sign_in(page)
    page.goto("/answers")
    for chart_id, table_id in (("feedback-weeks", "feedback-weeks"), ("reasons", "reasons")):
        expect(page.locator(f"#chart-{chart_id}")).to_have_attribute("data-drawn", "true")
        canvas_label = page.locator(f"#chart-{chart_id}").get_attribute("aria-label")
        assert "same figures are in the table below" in canvas_label
        expect(page.locator(f"#table-{table_id} caption")).to_be_visible()
    reasons = page.locator("#table-reasons tbody tr")
    expect(reasons).to_have_count(2)
    expect(page.locator("#table-reasons")).to_contain_text("out of date")
    expect(page.locator("#table-reasons")).to_contain_text("hard to understand")
    assert f"{console['url']}/static/chart.umd.min.js" in page.requests
    expect(page.locator("#table-comments")).to_contain_text("ring [removed]")
    # One article over time: the charts and tables follow the choice.
    page.get_by_label("Article", exact=True).select_option("ehc-delay")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#table-feedback-weeks caption")).to_contain_text("ehc-delay")
    expect(page.locator("#table-reasons tbody tr")).to_have_count(1)
    expect(page.locator("#table-reasons")).to_contain_text("out of date")
    expect(page.locator("#chart-feedback-weeks")).to_have_attribute("data-drawn", "true")
    assert_accessible(page, "one article's answers")
    page.goto("/partners")
    expect(page.locator("#chart-weeks")).to_have_attribute("data-drawn", "true")
    expect(page.locator("#table-weeks caption")).to_have_text("Conversations per week (weeks start on Monday)")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download “Conversations per week (weeks start on Monday)” as CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("Week,default,example-charity")


def test_keyboard_only_sign_in_and_a_group_turned_into_training_examples(page, console) -> None:
    from playwright.sync_api import expect

    page.goto("/sign-in")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the page content")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("editor1")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{console['url']}/unanswered")
    group = page.get_by_role("region", name="Group 1: 2 message(s)")
    expect(group).to_contain_text("my son [name] is sent home at lunch every day")
    expect(group).to_contain_text("Trend: up 2")
    situation = group.get_by_label("Situation")
    situation.focus()
    situation.select_option("reduced_timetable")
    page.keyboard.press("Tab")
    expect(group.get_by_role("button", name="Add as examples of this situation")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("2 new example(s) of reduced_timetable")
    expect(page.get_by_role("status")).to_contain_text("Nothing has been retrained")
    written = yaml.safe_load(console["review"].read_text(encoding="utf-8"))
    assert written["review"][0]["intent"] == "reduced_timetable"
    assert "my son is sent home at lunchtime every day" in written["review"][0]["examples"]
    assert all("Jack" not in example for example in written["review"][0]["examples"])
    expect(page.get_by_text("my son [name] is sent home at lunch every day")).to_have_count(0)
    assert_accessible(page, "the page after a decision")


def test_a_partner_viewer_sees_only_their_own_partner(page, console) -> None:
    from playwright.sync_api import expect

    sign_in(page, "charity1")
    expect(page).to_have_url(f"{console['url']}/partners")
    expect(page.get_by_role("navigation", name="Console pages").get_by_role("link")).to_have_count(1)
    expect(page.locator("#table-summary tbody tr")).to_have_count(1)
    expect(page.locator("#table-summary")).to_contain_text("example-charity")
    expect(page.locator("#table-summary")).not_to_contain_text("default")
    page.goto("/unanswered")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    assert_accessible(page, "the partner viewer's page")
