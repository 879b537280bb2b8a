"""The one place a database engine is made, for the knowledge index, the conversation store and feedback.

DATABASE_URL chooses: SQLite by default (a file only its owner can read), PostgreSQL in production.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from bot.settings import DEFAULT_MAX_OVERFLOW, DEFAULT_POOL_SIZE


def make_engine(
    database_url: str, pool_size: int = DEFAULT_POOL_SIZE, max_overflow: int = DEFAULT_MAX_OVERFLOW
) -> Engine:
    """An engine for DATABASE_URL; SQLite gets a sensible busy timeout for concurrent readers.

    A server database gets an explicit pool (DB_POOL_SIZE, DB_MAX_OVERFLOW): every process's pools
    together must stay under PostgreSQL's max_connections (docs/configuration.md).
    """
    if database_url.startswith("sqlite"):
        # SQLAlchemy 1.4 gives SQLite files no pool to size: each use opens the file.
        return create_engine(database_url, future=True, connect_args={"timeout": 15, "check_same_thread": False})
    return create_engine(database_url, future=True, pool_pre_ping=True, pool_size=pool_size, max_overflow=max_overflow)


def private_sqlite_file(url: str) -> None:
    """For a SQLite URL: make its folder, and its file readable and writable by its owner only (0600, like
    the web chat's secret), whoever creates it first; a file made earlier with wider rights is narrowed.
    SQLite gives its journal and WAL files the database file's rights. Other URLs: nothing to do."""
    if not url.startswith("sqlite:///") or url.removeprefix("sqlite:///") in ("", ":memory:"):
        return
    path = Path(url.removeprefix("sqlite:///"))
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for file in (path, *(path.with_name(path.name + tail) for tail in ("-journal", "-wal", "-shm"))):
        with contextlib.suppress(FileNotFoundError):
            if file.stat().st_mode & 0o077:
                os.chmod(file, 0o600)
