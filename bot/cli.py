"""Command line for staff and CI: `python -m bot knowledge check | build | show ID | search TEXT`.

Also `python -m bot conversations purge [--days N] | delete ID` for retention (bot/conversations.py).

Exit codes: 0 all good, 1 problems found (or nothing found), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import conversations, index
from bot.answers import ladder_text
from bot.intents import situation_intents
from bot.knowledge import SECTIONS, Problem, article_ladder_names, article_paths, ladder_cross_check, load_knowledge
from bot.ladders import LADDERS_DIRNAME, ladder_claims, load_ladders
from bot.letters import load_letters
from bot.partners import load_partners
from bot.render import render_citations, sources_block
from bot.service import KnowledgeService, service_from_settings
from bot.settings import load_settings
from bot.triage import TRIAGE_DIRNAME, load_triage


def _service() -> KnowledgeService:
    return service_from_settings()


def _report(kind: str, folder: Path, count: int, problems: list[Problem]) -> tuple[int, int]:
    """Print one collection's problems and a count line; return (errors, warnings)."""
    for problem in problems:
        print(problem)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    print(f"{count} valid {kind}, {errors} error(s), {warnings} warning(s) in {folder}")
    return errors, warnings


def cmd_check(args: argparse.Namespace) -> int:
    """Validate everything staff edit: articles, escalation ladders, letters, triage and partner files."""
    settings = load_settings()
    knowledge_dir = Path(args.dir) if args.dir else settings.knowledge_dir
    kb = load_knowledge(knowledge_dir, situation_intents())
    article_ids = {p.stem for p in article_paths(knowledge_dir)}
    ladders, ladder_problems = load_ladders(knowledge_dir / LADDERS_DIRNAME, article_ids)
    letters, letter_problems = load_letters(knowledge_dir / "letters", article_ids)
    triage, triage_problems = load_triage(knowledge_dir / TRIAGE_DIRNAME)
    partners, partner_problems = load_partners(knowledge_dir / "partners")
    # Each article's `ladder:` and each ladder's `articles` list must name each other.
    names = article_ladder_names(knowledge_dir)
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
        _report("partner(s)", knowledge_dir / "partners", len(partners), partner_problems),
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
        ladders, _ = load_ladders(service.knowledge_dir / LADDERS_DIRNAME)
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

    conversations.add_commands(groups)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args))
