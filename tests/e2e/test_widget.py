"""The web chat widget in a real browser, on the demo page, against the real Rasa and action servers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import AXE, DEMO_PATH, PHONE, SCREENSHOTS, missing

pytestmark = pytest.mark.e2e

HOST = "send-rights-assistant"
STORE_KEY = "send-assistant:default:conversation"
SITUATION = "the school keeps sending my son home to calm down"
SECOND_SITUATION = "the council has refused to carry out an EHC needs assessment for my daughter"
SECTION_BUTTONS = ["What the law says", "What can I do now?", "If that doesn't work", "Who can help"]
# The guided tools offered under an answer, after the sections (which ones depends on the article).
TOOL_BUTTONS = ["Answer a few questions about your case", "Work out my deadlines", "Get a letter"]
OPEN_LABEL = "Open SEND rights assistant chat"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


# ------------------------------------------------------------------------------------------- helpers


def in_shadow(page: Page, body: str, arg: object = None):
    """Evaluate `body` (JavaScript, with `root` = the widget's shadow root and `arg`) in the page."""
    return page.evaluate(
        f"([host, arg]) => {{ const root = document.querySelector(host).shadowRoot; {body} }}", [HOST, arg]
    )


HELP_NOW = "Someone in danger? Show emergency help"


def open_widget(page: Page, accept: bool = True) -> None:
    page.get_by_role("button", name=OPEN_LABEL).click()
    expect(page.get_by_role("dialog")).to_be_visible()
    if accept:
        page.get_by_role("button", name="OK, start").click()
        expect(page.get_by_label("Type your message")).to_be_focused()


def last_bot_id(page: Page) -> int:
    """The id of the newest bot message (ids only grow, even when an old error message is removed)."""
    return in_shadow(
        page, "return Math.max(0, ...[...root.querySelectorAll('.msg.bot')].map((m) => Number(m.dataset.id)));"
    )


def wait_for_reply(page: Page, before: int) -> None:
    """Wait until a new bot message has arrived and the widget is no longer waiting for the server."""
    page.wait_for_function(
        """([host, before]) => {
            const root = document.querySelector(host).shadowRoot;
            const ids = [...root.querySelectorAll('.msg.bot')].map((m) => Number(m.dataset.id));
            return Math.max(0, ...ids) > before && !root.querySelector('.send').hasAttribute('aria-disabled');
        }""",
        arg=[HOST, before],
        timeout=60_000,
    )


def send(page: Page, text: str) -> None:
    before = last_bot_id(page)
    box = page.get_by_label("Type your message")
    box.fill(text)
    box.press("Enter")
    wait_for_reply(page, before)


def click_and_wait(page: Page, name: str) -> None:
    before = last_bot_id(page)
    page.get_by_role("button", name=name, exact=True).last.click()
    wait_for_reply(page, before)


def ask_situation(page: Page) -> None:
    send(page, SITUATION)
    for title in SECTION_BUTTONS:
        expect(page.get_by_role("button", name=title, exact=True).last).to_be_enabled()
    expect(page.locator(".msg.error")).to_have_count(0)


def stored(page: Page) -> dict | None:
    raw = page.evaluate("(key) => sessionStorage.getItem(key)", STORE_KEY)
    return json.loads(raw) if raw else None


def focused_name(page: Page) -> str | None:
    """The accessible-ish name of the focused element, looking inside the widget's shadow root."""
    return page.evaluate(
        """(host) => {
            let el = document.activeElement;
            if (el && el.tagName.toLowerCase() === host) el = el.shadowRoot.activeElement;
            if (!el) return null;
            const label = el.id && el.getRootNode().querySelector(`label[for="${el.id}"]`);
            return el.getAttribute('aria-label') || (label && label.textContent.trim()) || el.textContent.trim();
        }""",
        HOST,
    )


def wait_for_animations(page: Page) -> None:
    """Colours are only measurable once the panel has finished fading in."""
    page.wait_for_function(
        """(host) => document.querySelector(host).shadowRoot.getAnimations()
            .every((a) => a.playState !== 'running' || a.effect.getTiming().iterations === Infinity)""",
        arg=HOST,
    )


def run_axe(page: Page) -> list[dict]:
    wait_for_animations(page)
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => `${JSON.stringify(n.target)}: ${n.failureSummary}`),
            }));
        }""",
        AXE_TAGS,
    )


def assert_no_violations(page: Page, state: str) -> None:
    violations = run_axe(page)
    report = "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n  " + "\n  ".join(v["nodes"]) for v in violations)
    assert not violations, f"axe found problems with the widget ({state}):\n{report}"


# ------------------------------------------------------------------------------------ conversation


def test_answer_sections_and_sources(open_page, origin):
    page = open_page()
    launcher = page.get_by_role("button", name=OPEN_LABEL)
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("dialog")).to_be_hidden()

    open_widget(page, accept=False)
    dialog = page.get_by_role("dialog")
    expect(dialog).to_have_attribute("aria-modal", "false")
    expect(page.get_by_role("button", name="Close SEND rights assistant chat")).to_have_attribute(
        "aria-expanded", "true"
    )
    # The privacy notice comes before anything can be typed.
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    expect(page.get_by_label("Type your message")).to_be_hidden()
    expect(page.get_by_role("button", name="OK, start")).to_be_focused()
    assert stored(page) is None, "nothing is stored before the parent has written anything"

    page.get_by_role("button", name="OK, start").click()
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.locator(".msg.bot")).to_have_count(1)  # the partner's welcome
    expect(page.get_by_text("Type your message", exact=True)).to_be_visible()

    ask_situation(page)
    expect(page.locator(".msg.user .content")).to_have_text([SITUATION])
    # The first answer can be rated.
    expect(page.get_by_role("button", name="Helpful", exact=True)).to_be_visible()

    click_and_wait(page, "What the law says")
    expect(page.get_by_role("button", name="What the law says", exact=True).first).to_be_disabled()
    expect(log).to_contain_text("Sources")
    links = log.get_by_role("link")
    expect(links.first).to_be_visible()
    assert links.count() >= 1
    for i in range(links.count()):
        link = links.nth(i)
        assert link.get_attribute("href").startswith(("https://", "http://"))
        assert link.get_attribute("target") == "_blank"
        assert link.get_attribute("rel") == "noopener noreferrer"
        expect(link).to_contain_text("(opens in a new tab)")

    foreign = [u for u in page.recorder.requests if not u.startswith((origin, "blob:", "data:"))]
    assert foreign == [], f"the widget must only talk to its own server: {foreign}"
    assert page.recorder.page_errors == []


def test_conversation_survives_reload(open_page):
    page = open_page()
    open_widget(page)
    ask_situation(page)
    page.get_by_role("button", name="A+ larger text").click()
    size_before = in_shadow(page, "return getComputedStyle(root.querySelector('.panel')).fontSize;")
    token = stored(page)["token"]
    assert token

    page.reload()
    # The panel was open, so it opens again, with the conversation and the chosen text size.
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.locator(".msg.user .content")).to_have_text([SITUATION])
    expect(page.get_by_role("button", name="What the law says", exact=True)).to_be_enabled()
    assert in_shadow(page, "return getComputedStyle(root.querySelector('.panel')).fontSize;") == size_before
    assert size_before != "16px"

    # The conversation carries on with the same token.
    with page.expect_request(lambda r: r.url.endswith("/webhooks/webchat/message")) as request:
        click_and_wait(page, "What can I do now?")
    assert request.value.post_data_json["token"] == token
    assert request.value.post_data_json["payload"]
    expect(page.locator(".msg.user .content")).to_have_text([SITUATION, "What can I do now?"])


def test_feedback_helpful_and_not_helpful(open_page):
    page = open_page()
    open_widget(page)
    ask_situation(page)

    helpful = page.get_by_role("button", name="Helpful", exact=True)
    expect(helpful).to_have_attribute("aria-pressed", "false")
    with page.expect_response(lambda r: r.url.endswith("/webhooks/webchat/feedback")) as response:
        helpful.click()
    body = response.value.request.post_data_json
    assert body["helpful"] is True
    assert body["article_id"]
    assert response.value.ok
    assert response.value.json() == {"ok": True}
    expect(page.get_by_text("Thanks for your feedback")).to_have_count(1)

    send(page, SECOND_SITUATION)
    not_helpful = page.get_by_role("button", name="Not helpful", exact=True)
    not_helpful.click()
    expect(not_helpful).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("radio", name="It was about the wrong thing")).to_be_focused()
    reason = page.get_by_label("Anything else you want to tell us? (optional)")
    reason.fill("I wanted to know what to write to the council")
    # One reason must be picked: without it nothing is sent.
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_text("Please choose the main problem first.")).to_be_visible()
    page.get_by_role("radio", name="It didn't answer my question").check()
    with page.expect_response(lambda r: r.url.endswith("/webhooks/webchat/feedback")) as response:
        page.get_by_role("button", name="Send feedback").click()
    body = response.value.request.post_data_json
    assert body["helpful"] is False
    assert body["reason_code"] == "did_not_answer"
    assert body["reason"] == "I wanted to know what to write to the council"
    assert body["article_id"]
    assert response.value.ok
    expect(page.get_by_text("Thanks for your feedback")).to_have_count(2)
    expect(page.get_by_role("button", name="Not helpful", exact=True)).to_have_count(0)


def test_download_summary(open_page):
    page = open_page()
    open_widget(page)
    ask_situation(page)
    click_and_wait(page, "What can I do now?")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download my summary").click()
    download = download_info.value
    assert download.suggested_filename == "send-assistant-summary.txt"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert "not legal advice" in text.lower()
    assert SITUATION in text, "the summary keeps what the parent said (as stored, redacted)"
    assert "/section_" not in text and "](" not in text, "no chat-only payloads or Markdown links"
    assert len(text.strip().splitlines()) > 3
    expect(page.get_by_text("Your summary has been downloaded.")).to_be_visible()

    with page.expect_download() as word_info:
        page.get_by_role("button", name="Summary as Word").click()
    assert word_info.value.suggested_filename.endswith(".docx")


def test_guided_help_from_sent_home_to_a_letter(open_page):
    """Issue 4's path in a real browser: a situation, the exclusion questions, the route, a Word letter."""
    page = open_page()
    open_widget(page)
    send(page, "they sent him home again to calm down")
    click_and_wait(page, "Answer a few questions about your case")
    click_and_wait(page, "No, nothing in writing")
    send(page, "banana")  # not a number: asked again, kindly
    expect(page.get_by_text("Sorry, I need a number of school days").last).to_be_visible()
    click_and_wait(page, "3 to 5")
    click_and_wait(page, "Academy or free school")
    click_and_wait(page, "Skip")
    expect(page.get_by_text("Sent home without a formal exclusion").last).to_be_visible()
    expect(page.get_by_text("From what you told me: not recorded in writing").last).to_be_visible()

    click_and_wait(page, "Get a letter")
    click_and_wait(page, "Ask the school to confirm an exclusion in writing, or let my child come back")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as Word").last.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    assert Path(download.path()).read_bytes()[:2] == b"PK"  # a Word file is a zip archive
    expect(page.locator(".msg.error")).to_have_count(0)


def test_clear_conversation(open_page):
    page = open_page()
    open_widget(page)
    ask_situation(page)
    old_token = stored(page)["token"]

    page.get_by_role("button", name="Clear conversation").click()
    expect(page.get_by_text("Clear this conversation?")).to_be_visible()
    expect(page.get_by_role("button", name="Keep it")).to_be_focused()
    page.get_by_role("button", name="Keep it").click()
    expect(page.locator(".msg.user")).to_have_count(1)

    page.get_by_role("button", name="Clear conversation").click()
    with page.expect_response(lambda r: r.url.endswith("/webhooks/webchat/clear")) as response:
        page.get_by_role("button", name="Yes, clear it").click()
    assert response.value.request.post_data_json == {"token": old_token}
    data = response.value.json()
    assert data["ok"] is True
    assert data["token"] and data["token"] != old_token

    expect(page.get_by_text("Conversation cleared.")).to_be_visible()
    expect(page.locator(".msg.user")).to_have_count(0)
    expect(page.locator(".msg.bot")).to_have_count(1)  # a fresh welcome
    expect(page.get_by_role("button", name="What the law says", exact=True)).to_have_count(0)
    assert page.evaluate("() => sessionStorage.length") == 0
    expect(page.get_by_label("Type your message")).to_be_focused()

    # The next message uses the new token the server issued.
    with page.expect_request(lambda r: r.url.endswith("/webhooks/webchat/message")) as request:
        ask_situation(page)
    assert request.value.post_data_json["token"] == data["token"]

    # After a reload the old conversation does not come back.
    page.reload()
    expect(page.locator(".msg.user .content")).to_have_text([SITUATION])


# -------------------------------------------------------------------------------------- keyboard


def test_keyboard_only(open_page):
    page = open_page()
    for _ in range(15):
        page.keyboard.press("Tab")
        if focused_name(page) == OPEN_LABEL:
            break
    assert focused_name(page) == OPEN_LABEL, "Tab never reached the launcher"

    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.get_by_role("button", name="OK, start")).to_be_focused()
    page.keyboard.press("Enter")
    box = page.get_by_label("Type your message")
    expect(box).to_be_focused()

    before = last_bot_id(page)
    page.keyboard.type(SITUATION)
    page.keyboard.press("Enter")
    wait_for_reply(page, before)
    expect(page.get_by_role("button", name="What the law says", exact=True)).to_be_visible()
    expect(box).to_be_focused()  # new messages are announced, focus stays where it was
    expect(box).to_have_value("")

    # Every control can be reached with Tab (going round the page once).
    seen: list[str | None] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        name = focused_name(page)
        if name == "Type your message":
            break
        seen.append(name)
    for wanted in [
        "Send",
        "Download my summary",
        "Clear conversation",
        "Close chat",
        "Leave this site",
        "A\u2212 smaller text",
        "A+ larger text",
        "Helpful",
        "Not helpful",
        *SECTION_BUTTONS,
    ]:
        assert wanted in seen, f"{wanted!r} was not reached with Tab; order was {seen}"

    # A quick reply works from the keyboard, and focus goes back to the message box.
    expect(box).to_be_focused()
    page.keyboard.press("Shift+Tab")  # back into the conversation: the last quick reply
    assert focused_name(page) in SECTION_BUTTONS + TOOL_BUTTONS
    before = last_bot_id(page)
    page.keyboard.press("Enter")
    wait_for_reply(page, before)
    expect(box).to_be_focused()

    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert focused_name(page) == OPEN_LABEL
    expect(page.get_by_role("button", name=OPEN_LABEL)).to_have_attribute("aria-expanded", "false")


# -------------------------------------------------------------------------------------- security


def test_typed_html_is_shown_as_text(open_page):
    page = open_page()
    open_widget(page)
    typed = "<img src=x onerror=\"alert('img')\"><script>alert('script')</script><b>not bold</b> & \"quotes\""
    send(page, typed)
    expect(page.locator(".msg.user .content")).to_have_text([typed])
    injected = in_shadow(page, "return root.querySelectorAll('.log img, .log script, .log b, .log iframe').length;")
    assert injected == 0
    assert page.evaluate("() => document.querySelectorAll('img, script:not([src]), b').length") == 0
    assert page.recorder.dialogs == []
    assert not [u for u in page.recorder.requests if u.endswith("/x")], "the typed <img> must never load"
    expect(page.locator(".msg.error")).to_have_count(0)


def test_bot_markdown_is_rendered_safely(open_page):
    """Whatever a message says, only the Markdown subset becomes markup and only http(s) links are links."""
    page = open_page()
    open_widget(page)
    crafted = {
        "messages": [
            {
                "text": "**Bold words** and <img src=x onerror=alert(1)> plain\n"
                "- [A safe link](https://www.legislation.gov.uk/ukpga/2014/6/section/36)\n"
                "- [A bad link](javascript:alert(1))\n"
                "\n3. third\n4. fourth\n"
                '> "A quote to copy"',
                "buttons": [{"title": "<b>Button</b>", "payload": "/talk_to_adviser"}],
            }
        ],
        "article_id": None,
    }
    page.route("**/webhooks/webchat/message", lambda route: route.fulfill(status=200, json=crafted))
    send(page, "show me some formatting")
    last = page.locator(".msg.bot").last
    expect(last.locator("strong")).to_have_text("Bold words")
    expect(last).to_contain_text("<img src=x onerror=alert(1)> plain")
    expect(last.locator("img")).to_have_count(0)
    expect(last.get_by_role("link")).to_have_count(1)
    safe = last.get_by_role("link")
    expect(safe).to_have_attribute("href", "https://www.legislation.gov.uk/ukpga/2014/6/section/36")
    expect(safe).to_have_attribute("rel", "noopener noreferrer")
    expect(last).to_contain_text("[A bad link](javascript:alert(1))")
    expect(last.locator("ol")).to_have_attribute("start", "3")
    expect(last.locator("ol li")).to_have_text(["third", "fourth"])
    expect(last.locator("blockquote")).to_have_text('"A quote to copy"')
    expect(page.get_by_role("button", name="<b>Button</b>")).to_be_visible()
    assert page.recorder.dialogs == []


def test_slash_commands_are_text(open_page):
    page = open_page()
    open_widget(page)
    send(page, "/restart")
    expect(page.locator(".msg.user .content")).to_have_text(["/restart"])
    reply = page.locator(".msg.bot").last
    expect(reply).not_to_have_class("msg bot error")
    assert reply.inner_text().strip()
    # The conversation still works afterwards.
    ask_situation(page)


# ----------------------------------------------------------------------------- errors and exits


def test_errors_are_explained_kindly(open_page):
    page = open_page()
    open_widget(page)
    box = page.get_by_label("Type your message")

    page.route("**/webhooks/webchat/message", lambda route: route.abort("internetdisconnected"))
    send(page, "first try")
    expect(page.locator(".msg.error")).to_contain_text("can't reach the assistant")
    expect(box).to_have_value("first try")  # the parent's words are kept to try again
    page.unroute("**/webhooks/webchat/message")

    limited = {"messages": [{"text": "You are sending messages very quickly. Please wait a minute."}]}
    page.route("**/webhooks/webchat/message", lambda route: route.fulfill(status=429, json=limited))
    send(page, "second try")
    expect(page.locator(".msg.error .content")).to_have_text(
        ["You are sending messages very quickly. Please wait a minute."]
    )
    page.unroute("**/webhooks/webchat/message")

    page.route("**/webhooks/webchat/message", lambda route: route.fulfill(status=502, body="Bad gateway"))
    send(page, "third try")
    expect(page.locator(".msg.error .content")).to_have_text(
        ["Sorry, something went wrong on our side. Please try again in a minute."]
    )
    page.unroute("**/webhooks/webchat/message")

    box.fill("")
    ask_situation(page)  # and the next real message works, with the old error gone
    expect(page.locator(".msg.error")).to_have_count(0)
    assert page.recorder.page_errors == []


def test_leave_this_site(open_page):
    page = open_page()
    page.route(
        "https://www.bbc.co.uk/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<title>Weather</title>"),
    )
    open_widget(page)
    ask_situation(page)
    page.get_by_role("button", name="Leave this site").click()
    page.wait_for_url("https://www.bbc.co.uk/**")
    page.goto(DEMO_PATH)  # the same tab, back on the site: nothing of the conversation is left
    assert stored(page) is None
    open_widget(page, accept=False)
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()


def test_emergency_help_is_one_tap_away_whatever_the_last_reply(open_page):
    # Session 14: a risk message the safety net does not recognise gets an ordinary answer; the toolbar still has a
    # way to the emergency help. Before the chat starts, the notice itself says to call 999.
    page = open_page()
    open_widget(page, accept=False)
    expect(page.get_by_text("If anyone is in immediate danger, call 999 now.")).to_be_visible()
    expect(page.get_by_role("button", name=HELP_NOW)).to_have_count(0)
    page.get_by_role("button", name="OK, start").click()
    ask_situation(page)
    before = last_bot_id(page)
    page.get_by_role("button", name=HELP_NOW).click()
    wait_for_reply(page, before)
    shown = in_shadow(page, "return [...root.querySelectorAll('.msg.bot')].map((m) => m.innerText).join(' | ');")
    assert "If anyone is in immediate danger, call 999 now." in shown
    assert "Childline" in shown
    expect(page.locator(".msg.error")).to_have_count(0)


# ------------------------------------------------------------------------------ look and isolation


def test_host_page_css_does_not_reach_the_widget(open_page):
    page = open_page()
    open_widget(page)
    styles = in_shadow(
        page,
        """
        const style = (selector) => getComputedStyle(root.querySelector(selector));
        const launcher = style('.launcher'), input = style('.input'), log = style('.log'), send = style('.send');
        return {
            launcherBackground: launcher.backgroundColor, launcherFont: launcher.fontFamily,
            launcherBorder: launcher.borderTopStyle, launcherSize: launcher.fontSize,
            inputBackground: input.backgroundColor, inputColour: input.color,
            logSpacing: log.letterSpacing, sendSize: send.fontSize, sendBackground: send.backgroundColor,
        };
        """,
    )
    assert styles["launcherBackground"] != "rgb(255, 0, 0)"
    assert styles["sendBackground"] != "rgb(255, 0, 0)"
    assert "Georgia" not in styles["launcherFont"]
    assert not styles["launcherFont"].startswith("serif")
    assert styles["launcherBorder"] != "dashed"
    assert styles["launcherSize"] == "16px"
    assert styles["sendSize"] == "16px"
    assert styles["inputBackground"] == "rgb(255, 255, 255)"
    assert styles["inputColour"] != "rgb(0, 255, 0)"
    assert styles["logSpacing"] == "normal"

    # And the widget's styles stay inside: the page's own button keeps the page's look.
    host_button = page.get_by_role("button", name="A host page button (styled red by this page)")
    assert host_button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(255, 0, 0)"
    assert "Georgia" in host_button.evaluate("b => getComputedStyle(b).fontFamily")


def test_reduced_motion_has_no_animation(open_page):
    calm = open_page(reduced_motion="reduce")
    open_widget(calm)
    assert in_shadow(calm, "return getComputedStyle(root.querySelector('.typing span')).animationName;") == "none"
    assert in_shadow(calm, "return getComputedStyle(root.querySelector('.panel')).animationName;") == "none"

    lively = open_page(reduced_motion="no-preference")
    open_widget(lively)
    assert in_shadow(lively, "return getComputedStyle(root.querySelector('.typing span')).animationName;") != "none"


def test_phone_layout_is_full_screen(open_page):
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    open_widget(page)
    box = page.get_by_role("dialog").bounding_box()
    assert box == {"x": 0, "y": 0, "width": PHONE["width"], "height": PHONE["height"]}
    expect(page.get_by_role("button", name="Close SEND rights assistant chat")).to_be_hidden()


# --------------------------------------------------------------------------------- accessibility


@pytest.fixture
def axe_available() -> None:
    if not AXE.exists():
        missing("axe-core is not installed (node_modules/axe-core): run `npm ci` to check accessibility")


@pytest.mark.usefixtures("axe_available")
def test_accessibility_desktop(open_page):
    page = open_page(bypass_csp=True)  # the demo page's policy would block the injected axe script
    assert_no_violations(page, "closed")
    open_widget(page, accept=False)
    assert_no_violations(page, "privacy notice")
    page.get_by_role("button", name="OK, start").click()
    ask_situation(page)
    click_and_wait(page, "What the law says")
    page.get_by_role("button", name="Not helpful", exact=True).first.click()
    page.get_by_role("button", name="Clear conversation").click()
    assert_no_violations(page, "conversation with sources, feedback form and clear confirmation")


@pytest.mark.usefixtures("axe_available")
def test_accessibility_phone_and_large_text(open_page):
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    open_widget(page)
    ask_situation(page)
    for _ in range(3):
        page.get_by_role("button", name="A+ larger text").click()
    expect(page.get_by_role("button", name="A+ larger text")).to_be_disabled()
    assert_no_violations(page, "phone, largest text")


# ------------------------------------------------------------------------------------ screenshots


def conversation_for_screenshot(page: Page) -> None:
    open_widget(page)
    ask_situation(page)
    click_and_wait(page, "What the law says")


def test_screenshots(open_page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # Reduced motion: the widget then scrolls without smooth animation, so each picture is settled.
    desktop = open_page(reduced_motion="reduce")
    conversation_for_screenshot(desktop)
    desktop.screenshot(path=str(SCREENSHOTS / "widget-desktop.png"), animations="disabled")
    in_shadow(desktop, "root.querySelector('.log').scrollTop = root.querySelector('.log').scrollHeight;")
    desktop.get_by_role("button", name="Not helpful", exact=True).last.click()
    desktop.keyboard.press("Shift+Tab")  # move keyboard focus back one control, to show the focus outline
    desktop.screenshot(path=str(SCREENSHOTS / "widget-desktop-sources.png"), animations="disabled")

    phone = open_page(viewport=PHONE, is_mobile=True, has_touch=True, reduced_motion="reduce")
    open_widget(phone, accept=False)
    phone.screenshot(path=str(SCREENSHOTS / "widget-phone-privacy-notice.png"), animations="disabled")
    phone.get_by_role("button", name="OK, start").click()
    ask_situation(phone)
    phone.screenshot(path=str(SCREENSHOTS / "widget-phone-answer.png"), animations="disabled")
    click_and_wait(phone, "What the law says")
    phone.screenshot(path=str(SCREENSHOTS / "widget-phone.png"), animations="disabled")

    for name in [
        "widget-desktop",
        "widget-desktop-sources",
        "widget-phone",
        "widget-phone-answer",
        "widget-phone-privacy-notice",
    ]:
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000
