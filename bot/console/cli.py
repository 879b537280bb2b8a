"""`python -m bot staff add-user NAME --role editor|partner_viewer [--partner ID] [--password-stdin]`,
`python -m bot staff remove-user NAME`, `python -m bot staff purge` (the console's retention) and `python -m bot staff serve` (the console).

The password is asked for twice at the terminal (never an argument: it would stay in the shell's
history); `--password-stdin` reads one line instead, for scripts. Exit codes: 0 done, 1 refused.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any


def _password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password (at least 12 characters): ")
    if first != getpass.getpass("The same password again: "):
        print("the two passwords differ: nothing created", file=sys.stderr)
        return None
    return first


def cmd_add_user(args: argparse.Namespace) -> int:
    from bot.console.accounts import AccountError, add_user
    from bot.console.tables import console_engine
    from bot.settings import load_settings

    password = _password(args)
    if password is None:
        return 1
    engine = console_engine(load_settings().database_url)
    try:
        user = add_user(engine, args.username, password, args.role, args.partner)
    except AccountError as exc:
        print(f"not created: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    where = f" for partner '{user.partner}'" if user.partner else ""
    print(f"created {user.role} account '{user.username}'{where}")
    return 0


def cmd_remove_user(args: argparse.Namespace) -> int:
    from bot.console.accounts import remove_user
    from bot.console.tables import console_engine
    from bot.settings import load_settings

    engine = console_engine(load_settings().database_url)
    try:
        removed = remove_user(engine, args.username)
    finally:
        engine.dispose()
    if not removed:
        print(f"no account called '{args.username}': nothing removed", file=sys.stderr)
        return 1
    print(f"removed account '{args.username.strip().lower()}' and ended its sessions")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from bot.console.retention import purge_console
    from bot.console.tables import console_engine
    from bot.settings import load_settings

    settings = load_settings()
    engine = console_engine(settings.database_url)
    try:
        counts = purge_console(engine, settings.retention_days)
    finally:
        engine.dispose()
    print(", ".join(f"deleted {n} {what}" for what, n in counts.items()))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.console.__main__ import main

    return main(["--host", args.host, "--port", str(args.port)])


def add_commands(groups: Any) -> None:
    """Add the `staff` command group to the `python -m bot` parser."""
    from bot.console.tables import ROLES

    staff = groups.add_parser("staff", help="staff console accounts and retention")
    commands = staff.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add-user", help="create a console account (asks for the password)")
    add.add_argument("username", help="lower-case letters, digits, '.', '_' or '-'")
    add.add_argument("--role", required=True, choices=ROLES, help="editor: everything; partner_viewer: one partner")
    add.add_argument("--partner", help="the partner id a partner viewer may see")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(func=cmd_add_user)
    remove = commands.add_parser("remove-user", help="delete a console account and end its sessions")
    remove.add_argument("username")
    remove.set_defaults(func=cmd_remove_user)
    purge = commands.add_parser("purge", help="delete console records past RETENTION_DAYS and expired sessions")
    purge.set_defaults(func=cmd_purge)
    serve = commands.add_parser("serve", help="start the staff console (same as python -m bot.console)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5056)
    serve.set_defaults(func=cmd_serve)
