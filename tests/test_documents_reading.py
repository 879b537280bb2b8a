"""Reading what a parent pastes or uploads: Word and PDF in memory, type checked by content, size
limited, and a clear message for a scanned PDF, a damaged file or the wrong kind of file."""

from __future__ import annotations

import io
import zipfile

import pytest

from bot.documents import reading
from bot.documents.plan import check_plan
from bot.documents.reading import DocumentProblem, clean_text, kind_of, read_upload
from tests.documents_helpers import plan_docx, plan_rules, scanned_pdf, text_pdf


def problem_kind(data: bytes, filename: str = "") -> str:
    with pytest.raises(DocumentProblem) as caught:
        read_upload(data, filename)
    assert caught.value.message  # every refusal has words for the parent
    return caught.value.kind


def test_word_plan_keeps_lists_and_table_rows() -> None:
    text = read_upload(plan_docx(), "draft plan.docx")
    assert "- Opportunities for sensory breaks where possible." in text
    assert "An emotional literacy session of 30 minutes\tweekly\ttrained ELSA teaching assistant" in text
    report = check_plan(text, plan_rules())
    titles = {r.piece.text[:20]: [f.title for f in r.flags] for r in report.provisions}
    assert 'Vague wording: "opportunities for"' in titles["Opportunities for se"]
    assert 'Vague wording: "where possible"' in titles["Opportunities for se"]
    assert titles["An emotional literac"] == []


def test_pdf_text_layer_is_read() -> None:
    pdf = text_pdf(["Section F: Special educational provision", "- Access to occupational therapy as required."])
    assert kind_of(pdf) == "pdf"
    text = read_upload(pdf, "plan.pdf")
    assert "Access to occupational therapy as required." in text
    assert check_plan(text, plan_rules()).flag_count >= 2


def test_pdf_without_a_text_layer_gets_a_clear_message() -> None:
    with pytest.raises(DocumentProblem) as caught:
        read_upload(scanned_pdf(), "scan.pdf")
    assert caught.value.kind == "no_text"
    assert "scan" in caught.value.message


def test_damaged_files_are_refused_kindly() -> None:
    assert problem_kind(b"%PDF-1.4\n1 0 obj << /Type /Catalog", "plan.pdf") == "broken"
    assert problem_kind(text_pdf(["Section F"])[:60], "plan.pdf") == "broken"
    docx = plan_docx()
    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as original, zipfile.ZipFile(damaged, "w") as copy:
        for name in original.namelist():
            data = original.read(name)
            copy.writestr(name, data[: len(data) // 3] if name == "word/document.xml" else data)
    assert problem_kind(damaged.getvalue(), "plan.docx") == "broken"


def test_type_is_checked_by_content_not_only_the_name() -> None:
    # A text file renamed .pdf, a PDF renamed .docx, a picture, an old .doc and a zip of something else.
    assert problem_kind(b"Section F: access to therapy as required for Sam", "plan.pdf") == "mismatch"
    assert problem_kind(text_pdf(["Section F: access to therapy"]), "plan.docx") == "mismatch"
    assert problem_kind(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.png") == "unsupported"
    assert problem_kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "plan.doc") == "unsupported"
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("notes.txt", "not a Word file")
    assert problem_kind(other_zip.getvalue(), "plan.docx") == "unsupported"


def test_oversized_files_and_text_are_refused() -> None:
    assert problem_kind(b"%PDF-" + b"0" * reading.MAX_UPLOAD_BYTES, "huge.pdf") == "too_large"
    with pytest.raises(DocumentProblem) as caught:
        clean_text("Access to therapy. " * 20_000)
    assert caught.value.kind == "too_long"


@pytest.mark.parametrize(
    "text", ["", "   \n\t  ", "\U0001f600\U0001f622\U0001f44d" * 30, "\u200b\u200b\u200b", "12345 678"]
)
def test_empty_emoji_and_invisible_text_is_too_short(text: str) -> None:
    with pytest.raises(DocumentProblem) as caught:
        clean_text(text)
    assert caught.value.kind == "too_short"


def test_invisible_characters_and_odd_spaces_are_cleaned() -> None:
    text = clean_text("Acc\u200bess\u00a0to  speech\u2003therapy\r\nweekly\ufeff")
    assert text == "Access to speech therapy\nweekly"


def test_each_problem_raised_is_a_fresh_copy() -> None:
    # A shared exception would keep the traceback of its last raise, and the document in its frames.
    with pytest.raises(DocumentProblem) as caught:
        read_upload(b"%PDF-1.4 broken", "plan.pdf")
    assert caught.value is not reading.BROKEN and caught.value.kind == "broken"
    assert reading.BROKEN.__traceback__ is None
