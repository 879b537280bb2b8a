"""Check a plan or letter, in a real browser on a phone: paste a plan, see the flags with their sources,
download the checklist as Word and text, check a letter, with no accessibility problems (axe-core) and
nothing of the document kept in the browser's storage."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

from tests.documents_helpers import PLAN, SUSPENSION_LETTER
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_widget import assert_no_violations

pytestmark = pytest.mark.e2e


def test_paste_a_plan_see_the_flags_and_download_the_checklist(phone) -> None:
    page = phone
    page.get_by_role("button", name="Check a plan or letter").click()
    expect(page.get_by_role("heading", name="Check a plan or letter")).to_be_focused()
    expect(page.get_by_label("An education, health and care (EHC) plan, draft or final")).to_be_checked()
    page.get_by_label("Paste the text here").fill(PLAN)
    page.get_by_role("button", name="Check it").click()

    result = page.get_by_role("region", name="What the checker found")
    expect(result.get_by_text('Vague wording: "access to"').first).to_be_visible()
    expect(result.get_by_text("Check: is there provision for this?")).to_be_visible()
    expect(result.get_by_role("link", name="1").first).to_have_attribute("href", re.compile(r"^https://"))
    assert page.viewport_size["width"] == 390
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "check-documents-phone.png"))
    assert_no_violations(page, "checker results on a phone")

    with page.expect_download() as word:
        result.get_by_role("button", name="Checklist as Word").click()
    assert word.value.suggested_filename == "ehc-plan-checklist.docx"
    document = Document(io.BytesIO(Path(word.value.path()).read_bytes()))
    words = "\n".join(p.text for p in document.paragraphs)
    assert "Checklist: the support in my child's EHC plan" in words and "access to" in words

    with page.expect_download() as text:
        result.get_by_role("button", name="Checklist as text").click()
    assert text.value.suggested_filename == "ehc-plan-checklist.txt"
    assert "[ ] Vague wording" in Path(text.value.path()).read_text(encoding="utf-8")

    stored = page.evaluate("() => JSON.stringify(Object.assign({}, window.sessionStorage, window.localStorage))")
    assert "Access to speech and language therapy" not in stored

    page.get_by_role("button", name="Back to the chat").click()
    expect(page.get_by_label("Type your message")).to_be_focused()


def test_check_a_suspension_letter(phone) -> None:
    page = phone
    page.get_by_role("button", name="Check a plan or letter").click()
    page.get_by_label("A letter from the council or the school").check()
    page.get_by_label("Which letter is it?").select_option(label="My child was suspended (excluded for a fixed period)")
    page.get_by_label("Paste the text here").fill(SUSPENSION_LETTER)
    page.get_by_role("button", name="Check it").click()
    result = page.get_by_role("region", name="What the checker found")
    expect(result.get_by_role("heading", name="We couldn't find")).to_be_visible()
    expect(result.get_by_text("What education there will be from the sixth day", exact=False)).to_be_visible()
    assert_no_violations(page, "letter checker on a phone")


def test_a_scanned_pdf_gets_a_clear_message(phone, tmp_path: Path) -> None:
    from tests.documents_helpers import scanned_pdf

    page = phone
    page.get_by_role("button", name="Check a plan or letter").click()
    scan = tmp_path / "scan-of-sams-plan.pdf"
    scan.write_bytes(scanned_pdf())
    page.get_by_label("Or choose a Word or PDF file (up to 5 MB)").set_input_files(str(scan))
    page.get_by_role("button", name="Check it").click()
    expect(page.get_by_text("This PDF has no text the checker can read", exact=False)).to_be_visible()
    # The address carries the file's type, never its name (which could name the child).
    sent = [url for url in page.recorder.requests if "/documents/check" in url]
    assert sent and all("filename=upload.pdf" in url and "sams-plan" not in url for url in sent)


def test_check_my_letter_under_a_suspension_answer_opens_the_checker(phone) -> None:
    from tests.e2e.test_widget import send

    page = phone
    send(page, "my son has been suspended from school for 3 days and I don't agree with it")
    requests_before = len(page.recorder.requests)
    page.get_by_role("button", name="Check my letter").last.click()
    expect(page.get_by_role("heading", name="Check a plan or letter")).to_be_focused()
    expect(page.get_by_label("A letter from the council or the school")).to_be_checked()
    expect(page.get_by_label("Which letter is it?")).to_have_value("suspension")
    # Opening the panel sent no chat message (only, at most, the list of letter kinds was fetched).
    later = page.recorder.requests[requests_before:]
    assert not [url for url in later if url.endswith("/message")]
