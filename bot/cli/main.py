"""Command line for staff and CI: `python -m bot knowledge check | build | show ID | search TEXT`.

Sign-off (bot/content/review.py): `python -m bot knowledge review ID --role ROLE --reason TEXT [--yes]`,
`review --all ...`, `review --pending` and `changelog [--since DATE]`.

Also `python -m bot conversations purge [--days N] | delete ID` for retention (bot/cli/conversations.py), and
`python -m bot staff add-user | purge | serve` for the staff console (bot/console/cli.py).

Exit codes: 0 all good, 1 problems found (or nothing found), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.cli import conversations
from bot.console import cli as staff
from bot.content import index, review
from bot.content.articles import SECTIONS, article_ladder_names, article_paths, ladder_cross_check, load_knowledge
from bot.content.claims import CLAIMS_DIRNAME, load_claims
from bot.content.ladders import LADDERS_DIRNAME, ladder_claims, load_ladders
from bot.content.letters import load_letters
from bot.content.live import ladder_files
from bot.content.partners import load_partners
from bot.content.render import render_citations, sources_block
from bot.content.service import KnowledgeService, service_from_settings
from bot.content.triage import TRIAGE_DIRNAME, load_triage
from bot.content.validation import Problem
from bot.dialogue.answers import ladder_text
from bot.directory import DIRECTORY_DIRNAME, load_directory
from bot.documents.rules import DOCUMENTS_DIRNAME, load_rules
from bot.settings import load_settings
from bot.understanding.intents import situation_intents


def _service() -> KnowledgeService:
    return service_from_settings()


def _knowledge_dir(args: argparse.Namespace) -> Path:
    return Path(args.dir) if args.dir else load_settings().knowledge_dir


def _report(kind: str, folder: Path, count: int, problems: list[Problem]) -> tuple[int, int]:
    """Print one collection's problems and a count line; return (errors, warnings)."""
    for problem in problems:
        print(problem)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    print(f"{count} valid {kind}, {errors} error(s), {warnings} warning(s) in {folder}")
    return errors, warnings


def cmd_check(args: argparse.Namespace) -> int:
    """Validate everything staff edit: articles, escalation ladders, letters, triage, claims, the document
    checker's rules and partner files, and that each file's legal text is signed off."""
    knowledge_dir = _knowledge_dir(args)
    # The working files as staff left them, not the signed-off copies the assistant may be serving.
    with review.drafts():
        kb = load_knowledge(knowledge_dir, situation_intents())
        article_ids = {p.stem for p in article_paths(knowledge_dir)}
        ladders, ladder_problems = load_ladders(knowledge_dir / LADDERS_DIRNAME, article_ids)
        letters, letter_problems = load_letters(knowledge_dir / "letters", article_ids)
        triage, triage_problems = load_triage(knowledge_dir / TRIAGE_DIRNAME)
        told, told_problems = load_claims(knowledge_dir / CLAIMS_DIRNAME, situation_intents())
        checker_rules, checker_problems = load_rules(knowledge_dir / DOCUMENTS_DIRNAME)
        # Each article's `ladder:` and each ladder's `articles` list must name each other.
        names = article_ladder_names(knowledge_dir)
    partners, partner_problems = load_partners(knowledge_dir / "partners")
    directory = load_directory(knowledge_dir)
    signed, sign_off_problems = review.review_problems(knowledge_dir, load_settings().knowledge_allow_unreviewed)
    claims = ladder_claims(knowledge_dir / LADDERS_DIRNAME)
    link_problems = ladder_cross_check(names, claims)
    links = sum(
        1
        for article_id, named in names.items()
        if named.ladder in claims and article_id in {listed for listed, _ in claims[named.ladder][1] or ()}
    )
    totals = [
        _report("article(s)", knowledge_dir / "articles", len(kb.articles), kb.problems),
        _report("ladder(s)", knowledge_dir / LADDERS_DIRNAME, len(ladders), ladder_problems),
        _report("article-ladder link(s)", knowledge_dir, links, link_problems),
        _report("letter(s)", knowledge_dir / "letters", len(letters), letter_problems),
        _report("triage guide(s)", knowledge_dir / TRIAGE_DIRNAME, len(triage), triage_problems),
        _report("claims file(s)", knowledge_dir / CLAIMS_DIRNAME, len(told), told_problems),
        _report("document checker file(s)", knowledge_dir / DOCUMENTS_DIRNAME, len(checker_rules), checker_problems),
        _report("partner(s)", knowledge_dir / "partners", len(partners), partner_problems),
        _report(
            f"council(s) ({len(directory.checked_councils)} with checked contacts) and "
            f"{len(directory.services)} national service(s)",
            knowledge_dir / DIRECTORY_DIRNAME,
            len(directory.councils),
            directory.problems,
        ),
        _report("sign-off(s)", review.register_path(knowledge_dir), signed, sign_off_problems),
    ]
    errors = sum(e for e, _ in totals)
    warnings = sum(w for _, w in totals)
    return 1 if errors or (args.fail_on_warnings and warnings) else 0


def cmd_build(args: argparse.Namespace) -> int:
    service = _service()
    problems = service.build()
    for problem in problems:
        print(problem)
    count = len(index.all_articles(service.engine))
    errors = [p for p in problems if p.severity == "error"]
    print(f"indexed {count} article(s) into {service.engine.url.render_as_string(hide_password=True)}")
    return 1 if errors else 0


def cmd_show(args: argparse.Namespace) -> int:
    service = _service()
    service.build()
    article = service.article(args.id)
    if article is None:
        print(f"no valid article with id '{args.id}'", file=sys.stderr)
        return 1
    print(f"# {article.title}\n\n{render_citations(article.summary, article)}\n")
    ladder = None
    if article.ladder_id:
        ladders = ladder_files(service.knowledge_dir, service.refresh_seconds).items()  # as parents see them
        ladder = next((item for item in ladders if item.id == article.ladder_id), None)
        if ladder is None:
            print(f"(the ladder '{article.ladder_id}' is missing or has errors: run `knowledge check`)\n")
    for key, heading in SECTIONS.items():
        print(f"## {heading}\n\n{render_citations(article.sections[key], article)}\n")
        if key == "escalation" and ladder is not None:
            print(f"{ladder_text(ladder)}\n")
    for rule in article.extra.get("tailoring") or []:
        print(f"\nWhen the parent mentions {rule.get('when')}:\n{render_citations(str(rule.get('say')), article)}")
    print(sources_block(article))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    service = _service()
    service.build()
    hits = service.search(args.text, limit=args.limit)
    for hit in hits:
        print(f"{hit.article_id:32} {hit.score:8.3f}  {hit.title}")
    if not hits:
        print("no matching articles")
    return 0 if hits else 1


def _confirm(question: str) -> bool:
    try:
        return input(question).strip().lower() in ("y", "yes")
    except EOFError:  # no one to answer (a script without --yes): don't sign off
        return False


def _review_one(path: Path, args: argparse.Namespace) -> bool:
    """Show what changed in one file and sign it off if confirmed; False when it was not signed off."""
    found = review.status(path)
    if not found.pending:
        print(f"{found.key}: its legal text is as signed off on {found.latest.date} ({found.latest.role})")
        return True
    errors = review.errors_before_sign_off(path)
    if errors:
        print("\n".join(str(problem) for problem in errors))
        print(f"{found.key}: not signed off: fix the errors above first (python -m bot knowledge check)")
        return False
    print(f"=== {found.key}: {found.describe()}\n")
    print(review.diff_since_sign_off(found))
    if not args.yes and not _confirm(f"Sign off {found.key} as reviewed by the {args.role.strip()}? [y/N] "):
        print(f"{found.key}: not signed off")
        return False
    try:
        record = review.sign_off(found, args.role, args.reason)
    except review.ReviewError as exc:
        print(f"{found.key}: not signed off: {exc}")
        return False
    print(f"{found.key}: signed off on {record.date} by the {record.role}: {record.reason}\n")
    return True


def _named_file(knowledge_dir: Path, wanted: str) -> Path | None:
    found = review.find_files(knowledge_dir, wanted)
    if len(found) == 1:
        return found[0]
    if found:
        keys = [review.file_key(path) for path in found]
        print(f"'{wanted}' names {len(keys)} files ({', '.join(keys)}): give one, e.g. {keys[0]}", file=sys.stderr)
        return None
    close = difflib.get_close_matches(wanted, [p.stem for p in review.content_paths(knowledge_dir)], n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    print(f"no article, ladder, letter or triage file '{wanted}' in {knowledge_dir}{hint}", file=sys.stderr)
    return None


def _list_pending(knowledge_dir: Path) -> int:
    pending = [found for found in review.statuses(knowledge_dir) if found.pending]
    for found in pending:
        print(f"{found.key}: {found.describe()}")
    print(f"{len(pending)} file(s) need sign-off in {knowledge_dir}")
    return 1 if pending else 0


def cmd_review(args: argparse.Namespace) -> int:
    """Sign off the legal text of one file (`ID`) or of every file that needs it (`--all`)."""
    knowledge_dir = _knowledge_dir(args)
    if args.pending:
        return _list_pending(knowledge_dir)
    if bool(args.id) == args.all:
        print("name one file to sign off, or --all (--pending lists what needs it)", file=sys.stderr)
        return 2
    if not (args.role or "").strip() or not (args.reason or "").strip():
        print('a sign-off needs --role "..." (the reviewer\'s role, not a name) and --reason "..."', file=sys.stderr)
        return 2
    if args.all:
        paths = [found.path for found in review.statuses(knowledge_dir) if found.pending]
    else:
        named = _named_file(knowledge_dir, args.id)
        if named is None:
            return 1
        paths = [named]
    if not paths:
        print(f"nothing needs sign-off in {knowledge_dir}")
    not_signed = [path for path in paths if not _review_one(path, args)]
    return 1 if not_signed else 0


def cmd_changelog(args: argparse.Namespace) -> int:
    """The sign-off history, newest first: what changed in the law as the assistant states it, and why."""
    knowledge_dir = _knowledge_dir(args)
    entries = review.changelog(knowledge_dir, args.since)
    if not entries:
        print(f"no sign-offs recorded in {review.register_path(knowledge_dir)}")
    width = max((len(key) for key, _ in entries), default=0)
    for key, record in entries:
        print(f"{record.date}  {key:<{width}}  {record.role}: {record.reason}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.splitlines()[0])
    groups = parser.add_subparsers(dest="group", required=True)
    knowledge = groups.add_parser("knowledge", help="check, index and preview the knowledge base")
    commands = knowledge.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="validate every article; exit 1 on any error")
    check.add_argument("--dir", help="knowledge folder to check (default: KNOWLEDGE_DIR or knowledge/)")
    check.add_argument("--fail-on-warnings", action="store_true", help="also fail on warnings")
    check.set_defaults(func=cmd_check)

    build = commands.add_parser("build", help="validate and index into DATABASE_URL")
    build.set_defaults(func=cmd_build)

    show = commands.add_parser("show", help="preview an article as the bot would say it")
    show.add_argument("id")
    show.set_defaults(func=cmd_show)

    search = commands.add_parser("search", help="full-text search, as the bot does when unsure")
    search.add_argument("text")
    search.add_argument("--limit", type=int, default=5)
    search.set_defaults(func=cmd_search)

    sign = commands.add_parser("review", help="show what changed in a file's legal text and sign it off")
    sign.add_argument("id", nargs="?", help="article, ladder, letter or triage id, or its path")
    sign.add_argument("--all", action="store_true", help="every file that needs sign-off, one after another")
    sign.add_argument("--pending", action="store_true", help="list the files that need sign-off; exit 1 if any")
    sign.add_argument("--role", help="the reviewer's role (never a name), e.g. 'SEND law content lead'")
    sign.add_argument("--reason", help="what changed and why, in a few words (shown by `changelog`)")
    sign.add_argument("--yes", action="store_true", help="sign off without asking (for scripts)")
    sign.add_argument("--dir", help="knowledge folder (default: KNOWLEDGE_DIR or knowledge/)")
    sign.set_defaults(func=cmd_review)

    history = commands.add_parser("changelog", help="the sign-off history, newest first")
    history.add_argument("--since", type=dt.date.fromisoformat, help="only sign-offs on or after YYYY-MM-DD")
    history.add_argument("--dir", help="knowledge folder (default: KNOWLEDGE_DIR or knowledge/)")
    history.set_defaults(func=cmd_changelog)

    conversations.add_commands(groups)
    staff.add_commands(groups)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except review.RegisterError as exc:
        print(exc.problem(), file=sys.stderr)
        return 1
