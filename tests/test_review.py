"""Sign-off of the legal text (issue 11, points 19-20), in a temporary knowledge folder.

The fingerprint ignores bookkeeping and whitespace but not wording; the check fails on files that are
not yet reviewed or changed since review; the assistant serves the signed-off copy until an edit is
signed off; KNOWLEDGE_ALLOW_UNREVIEWED=1 serves drafts; `review` shows the diff and records the role,
date and reason; `changelog` lists the sign-offs newest first.
"""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from pathlib import Path

import pytest
import yaml

from bot.cli.main import main
from bot.content import review
from bot.content.live import ladder_files, letter_files, triage_files
from tests.actions_helpers import make_service
from tests.knowledge_fixtures import FIXTURE_INTENTS, VALID_ARTICLE, write_knowledge
from tests.test_article_ladders import DELAY_ARTICLE, REQUEST_ARTICLE
from tests.test_ladders import SECOND_LADDER, VALID_LADDER, write_ladders
from tests.test_letters import VALID_LETTER

ROLE = "SEND law content lead"
OLD_WORDS = "The council must send the final"
NEW_WORDS = "Your council has to send the final"

# The smallest valid exclusion triage file: the check needs one.
TRIAGE = textwrap.dedent(
    """\
    id: exclusion
    title: Your answers about the exclusion
    last_reviewed: 2026-11-01
    review_by: 2027-05-01
    owner: SEND law content lead
    sources:
      - key: dfe-guidance
        title: DfE suspension and permanent exclusion guidance
        citation: DfE suspension and permanent exclusion guidance
        url: https://www.gov.uk/government/publications/school-exclusion
    routes:
      informal:
        title: Sent home without a formal exclusion
        paragraphs:
          - say: "Only the head teacher can exclude, and only formally [@dfe-guidance]."
      suspension:
        title: A suspension
        paragraphs:
          - say: "The school must tell you the reasons in writing [@dfe-guidance]."
      permanent:
        title: A permanent exclusion
        paragraphs:
          - say: "You can ask for a review by an independent panel [@dfe-guidance]."
    """
)


@pytest.fixture(autouse=True)
def sign_off_required(monkeypatch) -> None:
    # "0", not unset: a developer's .env may allow drafts, and the real environment wins over .env.
    monkeypatch.setenv("KNOWLEDGE_ALLOW_UNREVIEWED", "0")
    # The check compares articles with domain.yml's intents: here, the fixture's two.
    monkeypatch.setattr("bot.cli.main.situation_intents", lambda: FIXTURE_INTENTS)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A small knowledge folder that passes every check but sign-off: nothing is signed off yet."""
    root = write_knowledge(
        tmp_path / "knowledge", {"ehc-delay": DELAY_ARTICLE, "request-ehc-assessment": REQUEST_ARTICLE}
    )
    write_ladders(root / "ladders", {"delay-ladder": VALID_LADDER, "request-ladder": SECOND_LADDER})
    (root / "letters").mkdir()
    (root / "triage").mkdir()
    (root / "triage" / "exclusion.yml").write_text(TRIAGE, encoding="utf-8")
    return root


def knowledge(folder: Path, *args: str) -> int:
    return main(["knowledge", *args, "--dir", str(folder)])


def sign_off_all(folder: Path, reason: str = "First sign-off") -> None:
    assert knowledge(folder, "review", "--all", "--role", ROLE, "--reason", reason, "--yes") == 0


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    # Visible even on file systems with coarse timestamps.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


# --- the fingerprint of the legal text -------------------------------------------------------------


def test_fingerprint_ignores_bookkeeping_and_whitespace_but_not_wording() -> None:
    signed = review.fingerprint(VALID_ARTICLE, ".md")
    bookkeeping = (
        VALID_ARTICLE.replace("last_reviewed: 2026-11-01", "last_reviewed: 2026-12-01")
        .replace("review_by: 2027-05-01", "review_by: 2027-06-01")
        .replace("owner: SEND law content lead", "owner: >-\n  Head of advice")
    )
    spacing = VALID_ARTICLE.replace("\n", "  \r\n").replace("## Who can help", "\n\n## Who  can   help")
    assert review.fingerprint(bookkeeping, ".md") == signed
    assert review.fingerprint(spacing, ".md") == signed
    assert review.fingerprint(VALID_ARTICLE.replace("20 weeks of the", "21 weeks of the"), ".md") != signed
    assert review.fingerprint(VALID_ARTICLE.replace("reg 13(2)", "reg 13(3)"), ".md") != signed
    # Bookkeeping is front matter only: the same words in the body are legal text.
    assert review.fingerprint(VALID_ARTICLE + "owner: the school\n", ".md") != signed

    ladder = review.fingerprint(VALID_LADDER, ".yml")
    assert review.fingerprint(VALID_LADDER.replace("review_by: 2027-05-01", "review_by: 2027-08-01"), ".yml") == ladder
    assert review.fingerprint(VALID_LADDER.replace("12 months", "6 months"), ".yml") != ladder


# --- the check ----------------------------------------------------------------------------------------


def test_check_fails_until_every_file_is_signed_off(folder: Path, capsys) -> None:
    assert knowledge(folder, "check") == 1
    out = capsys.readouterr().out
    assert f"{folder / 'articles' / 'ehc-delay.md'}:1: error: not yet reviewed" in out
    assert f"{folder / 'ladders' / 'delay-ladder.yml'}:1: error: not yet reviewed" in out
    assert "review articles/ehc-delay.md --role" in out

    sign_off_all(folder)
    capsys.readouterr()
    assert knowledge(folder, "check") == 0
    assert "5 valid sign-off(s), 0 error(s), 0 warning(s)" in capsys.readouterr().out


def test_check_reports_changed_since_review_and_fails(folder: Path, capsys) -> None:
    sign_off_all(folder)
    article = folder / "articles" / "ehc-delay.md"
    edit(article, "review_by: 2027-05-01", "review_by: 2027-06-01")  # bookkeeping: no new sign-off needed
    assert knowledge(folder, "check") == 0

    edit(article, OLD_WORDS, NEW_WORDS)
    capsys.readouterr()
    assert knowledge(folder, "check") == 1
    out = capsys.readouterr().out
    assert f"{article}:1: error: changed since review: its legal text differs from the version signed off on" in out
    assert "4 valid sign-off(s), 1 error(s)" in out


def test_allow_setting_turns_sign_off_errors_into_warnings(folder: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("KNOWLEDGE_ALLOW_UNREVIEWED", "1")
    assert knowledge(folder, "check") == 0
    assert "warning: not yet reviewed" in capsys.readouterr().out


def test_a_broken_register_is_reported_with_its_line(folder: Path, capsys) -> None:
    sign_off_all(folder)
    register = folder / "reviews.yml"
    register.write_text(register.read_text(encoding="utf-8") + "articles/x.md: [oops\n", encoding="utf-8")
    capsys.readouterr()
    assert knowledge(folder, "check") == 1
    assert f"{register}:" in capsys.readouterr().out


# --- what the assistant serves ----------------------------------------------------------------------


def test_the_signed_off_article_is_served_until_the_edit_is_signed_off(folder: Path, tmp_path: Path, caplog) -> None:
    sign_off_all(folder)
    service = make_service(folder, tmp_path / "kb.db")
    article = folder / "articles" / "ehc-delay.md"
    edit(article, OLD_WORDS, NEW_WORDS)

    service.refresh(force=True)
    assert service.article("ehc-delay").summary.startswith(OLD_WORDS)
    assert "changed since review" in caplog.text and "serving its signed-off copy" in caplog.text
    # A new index (a restart) is built from the signed-off copy too.
    assert make_service(folder, tmp_path / "new.db").article("ehc-delay").summary.startswith(OLD_WORDS)

    assert knowledge(folder, "review", "ehc-delay", "--role", ROLE, "--reason", "Plainer words", "--yes") == 0
    service.refresh(force=True)  # the sign-off moves the file's timestamp on, so it is re-read
    assert service.article("ehc-delay").summary.startswith(NEW_WORDS)


def test_ladders_and_triage_are_served_as_signed_off(folder: Path) -> None:
    sign_off_all(folder)
    edit(folder / "ladders" / "delay-ladder.yml", "title: When the council is late", "title: When the council is slow")
    edit(folder / "triage" / "exclusion.yml", "title: A suspension", "title: Suspended")
    assert "When the council is late with the plan" in [item.title for item in ladder_files(folder, 0.0).items()]
    [guide] = triage_files(folder, 0.0).items()
    assert guide.routes["suspension"].title == "A suspension"


def test_a_new_file_is_not_served_before_its_first_sign_off(folder: Path) -> None:
    sign_off_all(folder)
    letter = folder / "letters" / "sample-letter.md"
    letter.write_text(VALID_LETTER, encoding="utf-8")
    live = letter_files(folder, 0.0)
    assert live.items() == []
    assert "not yet reviewed" in str(live.problems[letter][0])

    assert knowledge(folder, "review", "sample-letter", "--role", ROLE, "--reason", "New letter", "--yes") == 0
    assert [item.id for item in live.items()] == ["sample-letter"]


def test_allow_setting_serves_drafts(folder: Path, tmp_path: Path, monkeypatch) -> None:
    sign_off_all(folder)
    edit(folder / "articles" / "ehc-delay.md", OLD_WORDS, NEW_WORDS)
    monkeypatch.setenv("KNOWLEDGE_ALLOW_UNREVIEWED", "1")
    assert make_service(folder, tmp_path / "kb.db").article("ehc-delay").summary.startswith(NEW_WORDS)


def test_a_folder_without_sign_offs_serves_its_files(folder: Path, tmp_path: Path) -> None:
    # Before the first sign-off (a new installation, a test folder) there is no reviews.yml to go by.
    assert make_service(folder, tmp_path / "kb.db").article("ehc-delay").summary.startswith(OLD_WORDS)


# --- signing off -------------------------------------------------------------------------------------


def test_review_shows_the_diff_and_records_role_date_and_reason(folder: Path, monkeypatch, capsys) -> None:
    sign_off_all(folder)
    article = folder / "articles" / "ehc-delay.md"
    edit(article, OLD_WORDS, NEW_WORDS)
    questions: list[str] = []
    monkeypatch.setattr("builtins.input", lambda question: questions.append(question) or "y")
    capsys.readouterr()

    reason = "Plainer wording after the December review"
    assert knowledge(folder, "review", "articles/ehc-delay.md", "--role", ROLE, "--reason", reason) == 0
    out = capsys.readouterr().out
    assert f"--- articles/ehc-delay.md (signed off {dt.date.today()})" in out
    assert f"-  {OLD_WORDS} education" in out and f"+  {NEW_WORDS} education" in out
    assert questions == [f"Sign off articles/ehc-delay.md as reviewed by the {ROLE}? [y/N] "]

    register = yaml.safe_load((folder / "reviews.yml").read_text(encoding="utf-8"))
    latest = register["articles/ehc-delay.md"][0]
    assert (latest["date"], latest["role"], latest["reason"]) == (dt.date.today(), ROLE, reason)
    assert latest["sha256"] == review.fingerprint(article.read_text(encoding="utf-8"), ".md")
    assert len(register["articles/ehc-delay.md"]) == 2  # the first sign-off is kept as history
    assert (folder / "reviewed" / "articles" / "ehc-delay.md").read_text(encoding="utf-8") == article.read_text(
        encoding="utf-8"
    )


def test_first_review_shows_the_whole_legal_text(folder: Path, capsys) -> None:
    assert knowledge(folder, "review", "delay-ladder", "--role", ROLE, "--reason", "First sign-off", "--yes") == 0
    out = capsys.readouterr().out
    assert "first review: the whole legal text follows" in out
    assert "Delay is not a decision you can appeal" in out and "review_by:" not in out


def test_declining_records_nothing(folder: Path, monkeypatch) -> None:
    monkeypatch.setattr("builtins.input", lambda question: "n")
    assert knowledge(folder, "review", "ehc-delay", "--role", ROLE, "--reason", "First sign-off") == 1
    assert not (folder / "reviews.yml").exists()


def test_review_refuses_missing_role_or_reason_and_files_with_errors(folder: Path, capsys) -> None:
    assert knowledge(folder, "review", "ehc-delay", "--role", ROLE) == 2
    assert knowledge(folder, "review", "ehc-delay", "--role", " ", "--reason", "x", "--yes") == 2
    edit(folder / "articles" / "ehc-delay.md", "sources:", "sauces:")
    assert knowledge(folder, "review", "ehc-delay", "--role", ROLE, "--reason", "x", "--yes") == 1
    assert "fix the errors above first" in capsys.readouterr().out
    assert not (folder / "reviews.yml").exists()


def test_an_edit_made_during_the_review_is_not_signed_off(folder: Path) -> None:
    shown = review.status(folder / "articles" / "ehc-delay.md")
    edit(shown.path, OLD_WORDS, NEW_WORDS)
    with pytest.raises(review.ReviewError, match="changed while it was being reviewed"):
        review.sign_off(shown, ROLE, "First sign-off")


def test_an_id_naming_two_files_asks_for_the_path(folder: Path, capsys) -> None:
    (folder / "ladders" / "ehc-delay.yml").write_text(VALID_LADDER.replace("delay-ladder", "ehc-delay"), "utf-8")
    assert knowledge(folder, "review", "ehc-delay", "--role", ROLE, "--reason", "x", "--yes") == 1
    assert "names 2 files (articles/ehc-delay.md, ladders/ehc-delay.yml)" in capsys.readouterr().err
    assert knowledge(folder, "review", "ladders/ehc-delay.yml", "--role", ROLE, "--reason", "x", "--yes") == 0


def test_pending_lists_what_needs_sign_off(folder: Path, capsys) -> None:
    sign_off_all(folder)
    edit(folder / "ladders" / "delay-ladder.yml", "12 months", "6 months")
    capsys.readouterr()
    assert knowledge(folder, "review", "--pending") == 1
    out = capsys.readouterr().out
    assert "ladders/delay-ladder.yml: changed since review" in out and "1 file(s) need sign-off" in out


# --- the changelog -----------------------------------------------------------------------------------


def test_changelog_lists_sign_offs_newest_first(folder: Path, capsys) -> None:
    article, ladder = folder / "articles" / "ehc-delay.md", folder / "ladders" / "delay-ladder.yml"
    review.sign_off(review.status(article), ROLE, "First sign-off", today=dt.date(2026, 12, 1))
    review.sign_off(review.status(ladder), "Solicitor (volunteer)", "Ladder checked", today=dt.date(2026, 12, 2))
    edit(article, OLD_WORDS, NEW_WORDS)
    review.sign_off(review.status(article), ROLE, "Plainer words", today=dt.date(2026, 12, 3))
    capsys.readouterr()

    assert knowledge(folder, "changelog") == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["2026-12-03", "articles/ehc-delay.md"],
        ["2026-12-02", "ladders/delay-ladder.yml"],
        ["2026-12-01", "articles/ehc-delay.md"],
    ]
    assert lines[0].endswith(f"{ROLE}: Plainer words")
    assert lines[1].endswith("Solicitor (volunteer): Ladder checked")

    assert knowledge(folder, "changelog", "--since", "2026-12-02") == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
