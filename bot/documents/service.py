"""One check, start to finish: the staff's rules (as signed off), the text, the report, the checklist.

`run_check` is what the web route calls; it takes the text or the uploaded bytes and gives back the
checklist, or a `DocumentProblem` whose message is for the parent. The rules are read through
`bot.content.live.LiveFiles`, so an edit goes live once signed off, and a file with mistakes keeps its last
valid version, as for ladders.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.documents.checklist import Checklist, letter_checklist, plan_checklist
from bot.documents.letter import check_letter
from bot.documents.plan import check_plan
from bot.documents.reading import DocumentProblem, clean_text, read_upload
from bot.documents.rules import DOCUMENTS_DIRNAME, LetterRules, PlanRules, parse_rules, rule_paths

CHECKS = ("plan", "letter")
NOT_READY = DocumentProblem(
    "not_ready", "Sorry, the checker isn't available right now. Please try again later, or talk to an adviser."
)
UNKNOWN_LETTER = DocumentProblem("unknown_letter", "Please choose which kind of letter this is.")
UNKNOWN_CHECK = DocumentProblem("unknown_check", "Please choose whether to check a plan or a letter.")


@lru_cache(maxsize=8)
def rule_files(knowledge_dir: Path, refresh_seconds: float = 1.0):
    """The rules files as signed off, re-read when they change (imported here: bot.content.live reads sign-offs)."""
    from bot.content.live import LiveFiles, signed_off

    folder = knowledge_dir / DOCUMENTS_DIRNAME
    return LiveFiles(lambda: rule_paths(folder), signed_off(parse_rules), refresh_seconds)


@dataclass(frozen=True)
class Rules:
    plan: PlanRules | None
    letters: LetterRules | None


def current_rules(knowledge_dir: Path, refresh_seconds: float = 1.0) -> Rules:
    items = rule_files(knowledge_dir, refresh_seconds).items()
    return Rules(
        plan=next((r for r in items if isinstance(r, PlanRules)), None),
        letters=next((r for r in items if isinstance(r, LetterRules)), None),
    )


def letter_kinds(rules: Rules) -> list[dict[str, str]]:
    """The kinds of letter the parent can choose from, for the widget."""
    if rules.letters is None:
        return []
    return [{"id": k.id, "title": k.title, "group": k.group} for k in rules.letters.kinds]


def document_text(pasted: str | None, upload: bytes | None, filename: str = "") -> str:
    if upload is not None:
        return read_upload(upload, filename)
    return clean_text(pasted or "")


def run_check(rules: Rules, check: str, text: str, letter_kind: str = "") -> Checklist:
    """The checklist for `text` (already read and cleaned). Raises DocumentProblem."""
    if check == "plan":
        if rules.plan is None:
            raise NOT_READY.again()
        report = check_plan(text, rules.plan)
        return plan_checklist(report, rules.plan.intro, rules.plan.sources)
    if check == "letter":
        if rules.letters is None:
            raise NOT_READY.again()
        kind = rules.letters.kind(letter_kind)
        if kind is None:
            raise UNKNOWN_LETTER.again()
        return letter_checklist(check_letter(text, kind), rules.letters.sources)
    raise UNKNOWN_CHECK.again()
