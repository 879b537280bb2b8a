"""Retention from the command line, on the conversation store the Rasa server uses (DATABASE_URL):

    python -m bot conversations purge [--days N]   # delete conversations silent for more than N days
    python -m bot conversations delete ID           # delete one conversation now (a parent's request)

`purge` defaults to RETENTION_DAYS (90), the period the widget's privacy notice promises; the web chat
also purges hourly while it runs, so this is for a nightly job (deploy/kubernetes/purge-cronjob.yaml)
and for deletions by hand. Exit codes: 0 done, 1 nothing found to delete, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from bot.settings import Settings, load_settings

# Rasa's modules are imported by the commands themselves: they add seconds to every `python -m bot`.

DAY_SECONDS = 86_400


def purge(tracker_store: Any, days: int, now: float | None = None) -> int:
    """Delete every conversation whose last event is more than `days` days old; returns how many."""
    from bot.storage.retention import purge_inactive

    cutoff = (time.time() if now is None else now) - days * DAY_SECONDS
    return purge_inactive(tracker_store, cutoff)


async def delete(tracker_store: Any, settings: Settings, conversation_id: str) -> int:
    """Delete one conversation's events; returns how many. Waits for a reply in progress when it can."""
    from bot.rasa_ext.lock_store import lock_store_from_settings
    from bot.storage.retention import delete_conversation

    if not settings.redis_url:
        # No shared lock to wait on: a reply being written right now could re-save part of the conversation.
        return delete_conversation(tracker_store, conversation_id)
    # Rasa saves a turn's events after answering; deleting mid-turn would let that save bring some back.
    async with lock_store_from_settings(settings).lock(conversation_id):
        return delete_conversation(tracker_store, conversation_id)


def _days(raw: str) -> int:
    try:
        days = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{raw}' is not a whole number of days") from None
    if days < 1:
        raise argparse.ArgumentTypeError("at least 1 day")
    return days


def cmd_purge(args: argparse.Namespace) -> int:
    from bot.rasa_ext.tracker_store import describe_url, store_from_settings

    settings = load_settings()
    days = args.days or settings.retention_days
    store = store_from_settings(settings)
    try:
        purged = purge(store, days)
    finally:
        store.engine.dispose()
    where = describe_url(settings.conversation_store_url)
    print(f"deleted {purged} conversation(s) silent for more than {days} day(s) from {where}")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    from bot.rasa_ext.tracker_store import describe_url, store_from_settings

    settings = load_settings()
    store = store_from_settings(settings)
    try:
        deleted = asyncio.run(delete(store, settings, args.conversation_id))
    finally:
        store.engine.dispose()
    where = describe_url(settings.conversation_store_url)
    if not deleted:
        print(f"no conversation '{args.conversation_id}' in {where}: nothing deleted")
        return 1
    print(f"deleted conversation '{args.conversation_id}' ({deleted} event(s)) from {where}")
    return 0


def add_commands(groups: Any) -> None:
    """Add the `conversations` command group to the `python -m bot` parser."""
    conversations = groups.add_parser("conversations", help="delete stored conversations (retention)")
    commands = conversations.add_subparsers(dest="command", required=True)

    purge_cmd = commands.add_parser("purge", help="delete conversations silent for longer than the retention period")
    purge_cmd.add_argument("--days", type=_days, help="days since the last message (default: RETENTION_DAYS, 90)")
    purge_cmd.set_defaults(func=cmd_purge)

    delete_cmd = commands.add_parser("delete", help="delete one conversation now")
    delete_cmd.add_argument("conversation_id", help="the conversation (sender) id")
    delete_cmd.set_defaults(func=cmd_delete)
