"""A small knowledge base for tests: two articles and the intents they answer, and a writer for them."""

from __future__ import annotations

import textwrap
from pathlib import Path

VALID_ARTICLE = textwrap.dedent(
    """\
    ---
    id: ehc-delay
    title: "The council is taking too long with my child's plan"
    intents: [ehc_delay]
    summary: >-
      The council must send the final education, health and care (EHC) plan. It has 20 weeks from
      your request [@regs-13].
    last_reviewed: 2026-11-01
    review_by: 2027-05-01
    owner: SEND law content lead
    sources:
      - key: regs-13
        title: SEND Regulations 2014, regulation 13
        citation: SEND Regulations 2014, reg 13(2)
        short: SEND Regs reg 13
        url: https://www.legislation.gov.uk/uksi/2014/1530/regulation/13
    related: [request-ehc-assessment]
    tailoring:
      - when: {weeks_over: 20}
        say: "From what you say, the 20-week deadline has passed [@regs-13]."
    ---

    ## What the law says

    - The final plan is due within 20 weeks of the request [@regs-13].

    ## What you can do now

    - Write to the council.
      > "Please tell me when you will issue the final plan."
    - Keep copies of every letter.

    ## If that doesn't work

    - Complain to the council, then the Ombudsman.

    ## Who can help

    - Your local SEND Information, Advice and Support Service (SENDIASS).
    """
)

RELATED_ARTICLE = textwrap.dedent(
    """\
    ---
    id: request-ehc-assessment
    title: "How do I ask for an EHC needs assessment?"
    intents: [request_ehc_assessment]
    summary: You, as a parent, can ask the council for an assessment [@cfa-36].
    last_reviewed: 2026-11-01
    review_by: 2027-05-01
    owner: SEND law content lead
    sources:
      - key: cfa-36
        title: Children and Families Act 2014, section 36
        citation: Children and Families Act 2014, s.36(1)
        url: https://www.legislation.gov.uk/ukpga/2014/6/section/36
    related: [ehc-delay]
    ---

    ## What the law says

    A parent can ask the council for an assessment [@cfa-36].

    ## What you can do now

    > "I am writing to request an assessment of my child's needs."

    ## If that doesn't work

    Ask for advice.

    ## Who can help

    A local adviser.
    """
)

FIXTURE_INTENTS = ["ehc_delay", "request_ehc_assessment"]


def write_knowledge(root: Path, articles: dict[str, str]) -> Path:
    """Write articles into root/articles and return root (a knowledge folder)."""
    folder = root / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    return root
