"""Settings from the environment or `.env`, with embedded defaults (SQLite, no other server)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Small on purpose: each process uses one connection at a time per engine, and every process's pools
# together must fit under PostgreSQL's max_connections (docs/configuration.md).
DEFAULT_POOL_SIZE = 5
DEFAULT_MAX_OVERFLOW = 5
# Rasa talks to PostgreSQL and Redis on its event loop: while one of them doesn't answer, no conversation
# of that process moves. These bound how long (docs/configuration.md#timeouts).
DEFAULT_DB_CONNECT_TIMEOUT_SECONDS = 3
DEFAULT_DB_STATEMENT_TIMEOUT_SECONDS = 5
DEFAULT_REDIS_TIMEOUT_SECONDS = 2.0
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


@dataclass(frozen=True)
class Settings:
    database_url: str
    knowledge_dir: Path
    knowledge_refresh_seconds: float
    # Days a conversation is kept after its last message (the web chat deletes older ones).
    retention_days: int = 90
    # Web chat: token signing secret (None: generated once into var/webchat_secret) and rate limits,
    # written "12", "12/minute" or "300/hour".
    webchat_secret: str | None = None
    webchat_rate_per_conversation: str = "12/minute"
    webchat_rate_per_address: str = "60/minute"
    # Rasa's conversation store. None: the same database as everything else (`database_url`).
    tracker_database_url: str | None = None
    # SQLAlchemy connection pool of each engine, per process (see docs/configuration.md for the sums).
    db_pool_size: int = DEFAULT_POOL_SIZE
    db_max_overflow: int = DEFAULT_MAX_OVERFLOW
    # Rasa's lock store: Redis when set (several Rasa processes), in memory when None (one process).
    redis_url: str | None = None
    # PostgreSQL: seconds to connect, and to run one statement (the server cancels it; the client gives up
    # shortly after if no answer comes at all). Redis: seconds to connect, and to answer one command.
    db_connect_timeout_seconds: int = DEFAULT_DB_CONNECT_TIMEOUT_SECONDS
    db_statement_timeout_seconds: int = DEFAULT_DB_STATEMENT_TIMEOUT_SECONDS
    redis_connect_timeout_seconds: float = DEFAULT_REDIS_TIMEOUT_SECONDS
    redis_socket_timeout_seconds: float = DEFAULT_REDIS_TIMEOUT_SECONDS
    # Serve knowledge edits nobody has signed off yet, and let the check pass on them (local drafting).
    knowledge_allow_unreviewed: bool = False

    @property
    def partners_dir(self) -> Path:
        return self.knowledge_dir / "partners"

    @property
    def conversation_store_url(self) -> str:
        return self.tracker_database_url or self.database_url


def _default_database_url() -> str:
    # Absolute path so the action server, the CLI and the tests agree whatever their working folder.
    return f"sqlite:///{PROJECT_ROOT / 'var' / 'send.db'}"


def _default_tracker_url() -> str:
    # Where Rasa kept conversations before DATABASE_URL moved them too: a separate SQLite file.
    return f"sqlite:///{PROJECT_ROOT / 'var' / 'tracker.db'}"


def _database_url(raw: str) -> str:
    # SQLAlchemy 1.4 no longer accepts the "postgres://" spelling that many hosts hand out.
    return "postgresql://" + raw.removeprefix("postgres://") if raw.startswith("postgres://") else raw


def _whole_number(name: str, default: int, minimum: int) -> int:
    raw = os.environ.get(name) or str(default)
    try:
        number = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, such as {default}; it is '{raw}'") from None
    if number < minimum:
        raise ValueError(f"{name} must be at least {minimum}; it is {number}")
    return number


def seconds_setting(name: str, raw: str | None, default: float, low: float, high: float) -> float:
    """A number of seconds from `raw` (empty: `default`), refused with a clear message outside low..high."""
    if not (raw or "").strip():
        return default
    try:
        seconds = float(raw)  # type: ignore[arg-type]
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, such as {default:g}; it is '{raw}'") from None
    if not low <= seconds <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g} seconds; it is {raw}")
    return seconds


def _seconds(name: str, default: float) -> float:
    # Not 0: that would mean "wait for ever" to Redis, the very stall these settings prevent.
    return seconds_setting(name, os.environ.get(name), default, 0.1, 60)


def _redis_url() -> str | None:
    raw = (os.environ.get("REDIS_URL") or "").strip()
    if raw and not raw.startswith(REDIS_SCHEMES):
        raise ValueError(f"REDIS_URL must start with redis://, rediss:// or unix://; it is '{raw.split('@')[-1]}'")
    return raw or None


def _whole_days(name: str, default: int) -> int:
    raw = os.environ.get(name) or str(default)
    try:
        days = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number of days, such as {default}; it is '{raw}'") from None
    if days < 1:
        raise ValueError(f"{name} must be at least 1 day; it is {days}")
    return days


def _yes_or_no(name: str) -> bool:
    raw = (os.environ.get(name) or "0").strip().lower()
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be 1 (yes) or 0 (no); it is '{raw}'")


def allow_unreviewed_knowledge() -> bool:
    """KNOWLEDGE_ALLOW_UNREVIEWED, read on its own: the knowledge readers ask for it on every file they read."""
    load_dotenv(PROJECT_ROOT / ".env", override=False)
    return _yes_or_no("KNOWLEDGE_ALLOW_UNREVIEWED")


def load_settings() -> Settings:
    """Read settings; `.env` fills in only what the real environment leaves unset."""
    load_dotenv(PROJECT_ROOT / ".env", override=False)
    knowledge_dir = Path(os.environ.get("KNOWLEDGE_DIR") or PROJECT_ROOT / "knowledge")
    if not knowledge_dir.is_absolute():
        knowledge_dir = PROJECT_ROOT / knowledge_dir
    database_url = os.environ.get("DATABASE_URL")
    return Settings(
        database_url=_database_url(database_url) if database_url else _default_database_url(),
        knowledge_dir=knowledge_dir,
        knowledge_refresh_seconds=float(os.environ.get("KNOWLEDGE_REFRESH_SECONDS", "1")),
        retention_days=_whole_days("RETENTION_DAYS", 90),
        webchat_secret=os.environ.get("WEBCHAT_SECRET") or None,
        webchat_rate_per_conversation=os.environ.get("WEBCHAT_RATE_PER_CONVERSATION") or "12/minute",
        webchat_rate_per_address=os.environ.get("WEBCHAT_RATE_PER_ADDRESS") or "60/minute",
        # One setting moves everything: with DATABASE_URL set, conversations go there as well.
        tracker_database_url=None if database_url else _default_tracker_url(),
        db_pool_size=_whole_number("DB_POOL_SIZE", DEFAULT_POOL_SIZE, 1),
        db_max_overflow=_whole_number("DB_MAX_OVERFLOW", DEFAULT_MAX_OVERFLOW, 0),
        redis_url=_redis_url(),
        db_connect_timeout_seconds=_whole_number("DB_CONNECT_TIMEOUT_SECONDS", DEFAULT_DB_CONNECT_TIMEOUT_SECONDS, 1),
        db_statement_timeout_seconds=_whole_number(
            "DB_STATEMENT_TIMEOUT_SECONDS", DEFAULT_DB_STATEMENT_TIMEOUT_SECONDS, 1
        ),
        redis_connect_timeout_seconds=_seconds("REDIS_CONNECT_TIMEOUT_SECONDS", DEFAULT_REDIS_TIMEOUT_SECONDS),
        redis_socket_timeout_seconds=_seconds("REDIS_SOCKET_TIMEOUT_SECONDS", DEFAULT_REDIS_TIMEOUT_SECONDS),
        knowledge_allow_unreviewed=allow_unreviewed_knowledge(),
    )
