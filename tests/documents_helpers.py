"""Realistic documents for the checker's tests: plan extracts, letters, and real .docx and .pdf files
built in memory (python-docx for Word; a small hand-written PDF with a text layer, and pypdf's blank
page for a PDF with none)."""

from __future__ import annotations

import io
from functools import lru_cache

from bot.documents.rules import LetterRules, PlanRules, parse_letter_rules, parse_plan_rules
from bot.settings import PROJECT_ROOT

RULES_DIR = PROJECT_ROOT / "knowledge" / "documents"

# A draft plan as parents paste it from a PDF: bullets of several kinds, a wrapped line, a table pasted
# from Word (tab-separated), odd spacing and a non-breaking space.
PLAN = """\
EDUCATION, HEALTH AND CARE PLAN (DRAFT)

Section B: Special educational needs

Communication and interaction:
- Sam has difficulty understanding spoken instructions of more than two parts.
- He has a limited expressive vocabulary.

Social, emotional and mental health
\u2022   Sam becomes very anxious during   unstructured times such as lunch.

Physical and sensory
- Fine motor difficulties affect his handwriting\u00a0and pencil control.

Section E: Outcomes
- By the end of Key Stage 2 Sam will follow three-part instructions.

Section F: Special educational provision

1. Access to speech and language therapy.
2. Regular support from a teaching assistant.
3. 30 minutes of direct speech and language therapy once a week, delivered by a
   qualified speech and language therapist (HCPC registered).
Provision\tFrequency\tWho
Social skills in a small group\tweekly\tSENCO
A 10 minute check-in with a trained key adult to talk about worries\tdaily\ttrained key adult

SECTION G - Health provision
a) Speech and language therapy as required.
"""

GOOD_PROVISION = (
    "Section F: Special educational provision\n"
    "- 45 minutes of occupational therapy each week, delivered by an HCPC-registered occupational therapist.\n"
)

REFUSAL_TO_ASSESS_FULL = """\
Dear Ms Example,

Decision not to carry out an education, health and care needs assessment

We have decided not to carry out an assessment. If you disagree, you have the right to appeal to the
First-tier Tribunal (Special Educational Needs and Disability). An appeal must be made within two months
of the date of this letter, or one month from the date of a mediation certificate if that is later.

Before you can appeal you must contact the mediation adviser, Sampleshire Mediation, and get a
mediation certificate. You can choose whether to go to mediation.

Our disagreement resolution service can also help. Free, impartial advice is available from Sampleshire
SEND Information, Advice and Support Service (SENDIASS).
"""

REFUSAL_TO_ASSESS_BARE = """\
Dear Ms Example,

We have decided not to carry out an education, health and care needs assessment for your child at
this time. The school should continue to meet his needs from its own resources.
"""

SUSPENSION_LETTER = """\
Dear Mr Example,

I am writing to tell you that I have decided to suspend Alex for 3 school days, from Monday to
Wednesday, because of persistent disruption in lessons.

You have the right to make representations about this decision to the governing board. Please send them
to the clerk to the governors at the school address. Alex may also be involved in making representations.

Alex must not be present in a public place during school hours on these days without reasonable
justification. Work will be sent home.
"""


@lru_cache(maxsize=1)
def plan_rules() -> PlanRules:
    rules, problems = parse_plan_rules(RULES_DIR / "plan-wording.yml")
    assert rules is not None, problems
    return rules


@lru_cache(maxsize=1)
def letter_rules() -> LetterRules:
    rules, problems = parse_letter_rules(RULES_DIR / "letter-contents.yml")
    assert rules is not None, problems
    return rules


def plan_docx() -> bytes:
    """A Word plan with headings, list paragraphs and a table."""
    from docx import Document

    document = Document()
    document.add_heading("Section B: Special educational needs", level=2)
    document.add_paragraph("Maya finds it hard to regulate her emotions when anxious.", style="List Bullet")
    document.add_heading("Section F: Special educational provision", level=2)
    document.add_paragraph("Opportunities for sensory breaks where possible.", style="List Bullet")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Provision", "Frequency", "Who"), strict=True):
        cell.text = text
    row = ("An emotional literacy session of 30 minutes", "weekly", "trained ELSA teaching assistant")
    for cell, text in zip(table.rows[1].cells, row, strict=True):
        cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds `lines` (Helvetica, one line each)."""
    escaped = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
    stream = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in escaped) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def scanned_pdf() -> bytes:
    """A PDF with a page but no text layer, like a scan."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
