"""Text from what a parent pastes or uploads: plain text, Word (.docx) or PDF, read in memory only.

Nothing here writes a file, keeps a copy or logs a word of the document. The type of an upload is
decided by its first bytes (a PDF starts `%PDF-`, a .docx is a ZIP holding `word/document.xml`), and a
name that says otherwise is refused, so a renamed file can't slip through. Every problem is a
`DocumentProblem` whose message is ready to show a parent.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # a long plan as a PDF is usually well under 2 MB
MAX_TEXT_CHARS = 150_000  # about 40 pages of text
MIN_TEXT_CHARS = 20
MAX_PDF_PAGES = 120
MAX_DOCX_XML_BYTES = 30 * 1024 * 1024  # unpacked document.xml: refuses "zip bombs"

# pypdf warns about damaged files through logging; its messages can quote bits of the file, so only
# errors from it are let through (and the checker itself never logs document text).
logging.getLogger("pypdf").setLevel(logging.ERROR)

_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff]")
_SPACES = re.compile("[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+")


@dataclass(frozen=True)
class DocumentProblem(Exception):
    """Why a document can't be read, in words for the parent. `kind` is for the widget and the tests."""

    kind: str
    message: str

    def __str__(self) -> str:
        return self.message

    def again(self) -> DocumentProblem:
        """A fresh copy to raise: a raised exception keeps its traceback, and with it the frames that held
        the document, so the shared constants below are never raised themselves."""
        return DocumentProblem(self.kind, self.message)


TOO_LARGE = DocumentProblem(
    "too_large",
    "That file is too big for the checker (the limit is 5 MB). Try copying the part you want checked, "
    "such as section F, and pasting it in instead.",
)
UNSUPPORTED = DocumentProblem(
    "unsupported",
    "The checker can read Word (.docx) and PDF files, or text you paste in. This file is another kind. "
    "Try saving it as .docx or PDF, or copy and paste the text.",
)
MISMATCH = DocumentProblem(
    "mismatch",
    "This file's name doesn't match what is inside it, so the checker won't open it. Try saving it again "
    "as .docx or PDF, or copy and paste the text.",
)
BROKEN = DocumentProblem(
    "broken",
    "Sorry, the checker couldn't open this file: it may be damaged or password protected. Try saving it "
    "again, or copy and paste the text.",
)
NO_TEXT = DocumentProblem(
    "no_text",
    "This PDF has no text the checker can read: it is probably a scan or a photo of the pages. Copy the "
    "text from the email or Word version if you have one, or type in the part you want checked.",
)
TOO_SHORT = DocumentProblem(
    "too_short",
    "There isn't enough text to check. Please paste the part of the plan or letter you want checked.",
)
TOO_LONG = DocumentProblem(
    "too_long",
    "That is more text than the checker can take at once (about 40 pages). Please check it in parts, "
    "for example section B and section F first.",
)


def clean_text(text: str) -> str:
    """Text as the checker reads it: invisible characters gone, odd spaces made plain, tabs (table cells)
    and line breaks kept. Raises DocumentProblem for too little or too much text."""
    text = unicodedata.normalize("NFKC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _INVISIBLE.sub("", text)
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c)[0] != "C")
    lines = [_SPACES.sub(" ", line).strip(" ") for line in text.split("\n")]
    cleaned = "\n".join(lines).strip()
    if len(cleaned) > MAX_TEXT_CHARS:
        raise TOO_LONG.again()
    if sum(c.isalpha() for c in cleaned) < MIN_TEXT_CHARS:
        raise TOO_SHORT.again()
    return cleaned


def kind_of(data: bytes) -> str:
    """'pdf', 'docx', 'text' or 'other', from the bytes themselves."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "docx" if "word/document.xml" in archive.namelist() else "other"
        except zipfile.BadZipFile:
            return "other"
    if b"\x00" in data[:4096]:
        return "other"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "other"
    return "text"


_EXTENSIONS = {"pdf": "pdf", "docx": "docx", "txt": "text", "text": "text"}


def read_upload(data: bytes, filename: str = "") -> str:
    """The text of an uploaded file, cleaned. Raises DocumentProblem with a message for the parent."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise TOO_LARGE.again()
    kind = kind_of(data)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension and extension not in _EXTENSIONS:
        raise UNSUPPORTED.again()
    if kind == "other":
        raise UNSUPPORTED.again()
    if extension and _EXTENSIONS[extension] != kind:
        raise MISMATCH.again()
    if kind == "pdf":
        return clean_text(_pdf_text(data))
    if kind == "docx":
        return clean_text(_docx_text(data))
    return clean_text(data.decode("utf-8"))


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise BROKEN.again()
        if len(reader.pages) > MAX_PDF_PAGES:
            raise TOO_LONG.again()
        pages: list[str] = []
        size = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            size += len(text)
            if size > MAX_TEXT_CHARS * 2:
                raise TOO_LONG.again()
            pages.append(text)
    except DocumentProblem:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError):
        raise BROKEN.again() from None
    text = "\n\n".join(pages)
    if sum(c.isalpha() for c in text) < MIN_TEXT_CHARS:
        raise NO_TEXT.again()
    return text


def _docx_text(data: bytes) -> str:
    """Paragraphs and tables in document order; list paragraphs start "- ", table cells are tab-separated."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if archive.getinfo("word/document.xml").file_size > MAX_DOCX_XML_BYTES:
                raise TOO_LONG.again()
        document = Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(_paragraph_line(block))
            elif isinstance(block, Table):
                lines.append("")
                for row in block.rows:
                    cells = [" ".join(cell.text.split()) for cell in row.cells]
                    unique = [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]
                    lines.append("\t".join(unique))
                lines.append("")
    except DocumentProblem:
        raise
    except Exception:  # python-docx raises many kinds on a damaged file; none may reach the parent
        raise BROKEN.again() from None
    return "\n".join(lines)


def _paragraph_line(paragraph) -> str:
    text = paragraph.text
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    if text.strip() and ("List" in style or numbered):
        return f"- {text}"
    return text
