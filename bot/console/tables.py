"""The console's own tables, in the same database as the knowledge index and feedback (DATABASE_URL)."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, UniqueConstraint
from sqlalchemy.engine import Engine

from bot.storage.database import make_engine, private_sqlite_file

EDITOR = "editor"
PARTNER_VIEWER = "partner_viewer"
ROLES = (EDITOR, PARTNER_VIEWER)

metadata = MetaData()

users = Table(
    "console_users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(20), nullable=False),
    # Only for partner viewers: the partner id whose figures they may see.
    Column("partner", String(120), nullable=True),
    # Failed sign-ins since the last good one; reaching the limit sets locked_until.
    Column("failed_signins", Integer, nullable=False, default=0),
    Column("locked_until", DateTime, nullable=True),
    Column("created_at", DateTime, nullable=False),
)

sessions = Table(
    "console_sessions",
    metadata,
    # sha256 of the cookie's token: a copy of the database can't be used to sign in.
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
)

audit = Table(
    "console_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("username", String(80), nullable=False),
    Column("action", String(60), nullable=False),
    Column("detail", Text, nullable=True),
)

# What staff decided about a message on "What we couldn't answer". Keyed by a hash of the redacted
# message, so the decision outlives regrouping without this table holding any parent's words.
decisions = Table(
    "console_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_hash", String(64), nullable=False),
    Column("decision", String(20), nullable=False),
    Column("intent", String(120), nullable=True),
    Column("username", String(80), nullable=False),
    Column("at", DateTime, nullable=False),
    UniqueConstraint("message_hash", name="uq_console_decisions_message"),
)


def conversations_engine(console: Engine, conversation_store_url: str, pool_size: int, max_overflow: int) -> Engine:
    """Where the console reads conversations: the console's own engine when they share a database (always,
    with DATABASE_URL set), so the console is one pool; var/tracker.db otherwise (SQLite: no pool)."""
    if conversation_store_url == console.url.render_as_string(hide_password=False):
        return console
    return make_engine(conversation_store_url, pool_size, max_overflow)


def console_engine(database_url: str, pool_size: int = 5, max_overflow: int = 5) -> Engine:
    """The engine for DATABASE_URL with the console's tables created (a SQLite file owner-only)."""
    private_sqlite_file(database_url)
    engine = make_engine(database_url, pool_size, max_overflow)
    metadata.create_all(engine)
    return engine
