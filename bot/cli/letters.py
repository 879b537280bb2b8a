"""Staff command line for letter templates: check them all, or preview one with its blanks.

python -m bot.cli.letters check [--fail-on-warnings]
python -m bot.cli.letters show ID [--fact NAME=VALUE ...]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.content.letters import article_ids_in, load_letters
from bot.content.render_letter import render_letter
from bot.law.parent_dates import england_today


def main(argv: Sequence[str] | None = None) -> int:
    from bot.settings import load_settings

    parser = argparse.ArgumentParser(
        prog="python -m bot.content.letters", description="Check or preview letter templates."
    )
    parser.add_argument("--dir", help="knowledge folder (default: KNOWLEDGE_DIR or knowledge/)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate every template; exit 1 on any error")
    check.add_argument("--fail-on-warnings", action="store_true", help="also fail on warnings")
    show = commands.add_parser("show", help="print a template as the parent would get it")
    show.add_argument("id")
    show.add_argument("--fact", action="append", default=[], metavar="NAME=VALUE", help="a fact to fill in")
    args = parser.parse_args(argv)

    knowledge_dir = Path(args.dir) if args.dir else load_settings().knowledge_dir
    letters_dir = knowledge_dir / "letters"
    templates, problems = load_letters(letters_dir, article_ids_in(knowledge_dir))
    if args.command == "check":
        for problem in problems:
            print(problem)
        errors = [p for p in problems if p.severity == "error"]
        warnings = [p for p in problems if p.severity == "warning"]
        print(f"{len(templates)} valid letter(s), {len(errors)} error(s), {len(warnings)} warning(s) in {letters_dir}")
        return 1 if errors or (args.fail_on_warnings and warnings) else 0
    template = next((t for t in templates if t.id == args.id), None)
    if template is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"no valid letter with id '{args.id}'", file=sys.stderr)
        return 1
    facts = dict(item.split("=", 1) for item in args.fact if "=" in item)
    rendered = render_letter(template, facts, england_today())
    print(rendered.text)
    print(f"\n(blanks for the parent: {', '.join(rendered.blanks) or 'none'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
