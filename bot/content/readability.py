"""How easy an article's summary and "What you can do now" are to read (textstat: Flesch reading ease, and
a reading age for summaries).

These are what a worried parent reads first, on a phone. The knowledge check reports any that are harder
to read than MIN_READING_EASE, measured on the words a parent sees: no citations, links or Markdown.
"""

from __future__ import annotations

import re

# Flesch reading ease: 60 to 70 is plain English, 50 to 60 "fairly difficult", below 50 "difficult"
# (most legal text). Raised from 40 to 50 on 2026-12-04 once the two summaries below 50 (talk-to-adviser,
# school-transport) were reworded; the hardest now scores 52.2. Raise it to 60 as the summaries below that
# are reworded (docs/architecture.md, "Plain words on a phone", lists them).
MIN_READING_EASE = 50
# A summary is the first thing a worried parent reads: a UK reading age of about 12 at most (Flesch-Kincaid
# grade + 5, the usual UK conversion). Set on 2026-12-04 once the 13 summaries above it were reworded (same
# facts and sources, signed off); the hardest now reads at 12.5.
MAX_SUMMARY_READING_AGE = 12.5

_CITATION = re.compile(r"\[@[^\]]*\]")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def plain_text(markdown: str) -> str:
    """The words of article text as a parent reads them, one sentence per list item or line."""
    text = _LINK.sub(r"\1", _CITATION.sub("", markdown))
    lines = []
    for line in text.splitlines():
        words = re.sub(r"^\s*(?:[-*>]|\d+\.)\s*|[*_#`>]", "", line).strip()
        # A list item without a full stop is still a sentence of its own for the formula.
        if words and not re.search(r"[.!?:]['\")]*$", words):
            words += "."
        lines.append(words)
    return " ".join(" ".join(lines).split())


def reading_ease(markdown: str) -> float:
    """Flesch reading ease of article text (higher is easier; 100 is very easy)."""
    import textstat  # here: importing it takes 0.2 s (pkg_resources), paid only where articles are checked

    return float(textstat.flesch_reading_ease(plain_text(markdown)))


def reading_age(markdown: str) -> float:
    """UK reading age of article text: Flesch-Kincaid grade + 5."""
    import textstat

    return float(textstat.flesch_kincaid_grade(plain_text(markdown))) + 5


def readability_problems(summary: str, next_steps: str) -> list[tuple[str, str]]:
    """(part, message) for the summary and "What you can do now" when harder to read than the limits."""
    problems = []
    age = reading_age(summary) if summary.strip() else 0.0
    if age > MAX_SUMMARY_READING_AGE:
        problems.append(
            (
                "summary",
                f"the summary needs a reading age of {age:.1f}; it must be {MAX_SUMMARY_READING_AGE} or lower: use "
                "shorter sentences and everyday words, and explain a legal term the first time it appears",
            )
        )
    for part, text in (("summary", summary), ("next_steps", next_steps)):
        score = reading_ease(text) if text.strip() else 100.0
        if score < MIN_READING_EASE:
            problems.append(
                (
                    part,
                    f"the {'summary' if part == 'summary' else 'What you can do now section'} is hard to read "
                    f"(reading ease {score:.0f}; it must be at least {MIN_READING_EASE}): use shorter sentences "
                    "and everyday words",
                )
            )
    return problems
