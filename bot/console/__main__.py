"""Start the staff console: `python -m bot.console [--host H] [--port P]` (or `python -m bot staff serve`)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from aiohttp import web


def main(argv: Sequence[str] | None = None) -> int:
    from bot.console.app import create_app
    from bot.console.config import load_config
    from bot.console.decisions import REVIEW_FILE
    from bot.console.pages import Context
    from bot.console.tables import console_engine, conversations_engine
    from bot.settings import load_settings
    from bot.web.feedback import feedback_engine

    parser = argparse.ArgumentParser(prog="python -m bot.console", description=__doc__)
    parser.add_argument("--host", help="address to listen on (default CONSOLE_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default CONSOLE_PORT or 5056)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    try:
        config = load_config(args.host, args.port)
    except ValueError as exc:
        print(f"console not started: {exc}", file=sys.stderr)
        return 2
    settings = load_settings()
    feedback_engine(settings.database_url, settings.db_pool_size, settings.db_max_overflow).dispose()
    engine = console_engine(settings.database_url, settings.db_pool_size, settings.db_max_overflow)
    conversations = conversations_engine(
        engine, settings.conversation_store_url, settings.db_pool_size, settings.db_max_overflow
    )
    # CONSOLE_REVIEW_FILE: where "existing situation" writes examples (tests point it elsewhere).
    review_file = Path(os.environ.get("CONSOLE_REVIEW_FILE") or REVIEW_FILE)
    ctx = Context(engine, conversations, settings.knowledge_dir, review_file)
    app = create_app(ctx, config, settings.retention_days)
    print(f"Staff console on http://{config.host}:{config.port}/ (Ctrl+C stops it)", flush=True)
    web.run_app(app, host=config.host, port=config.port, print=None, access_log=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
