"""Settings from the environment or `.env`, with embedded defaults (SQLite, no other server)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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

    @property
    def partners_dir(self) -> Path:
        return self.knowledge_dir / "partners"


def _default_database_url() -> str:
    # Absolute path so the action server, the CLI and the tests agree whatever their working folder.
    return f"sqlite:///{PROJECT_ROOT / 'var' / 'send.db'}"


def _whole_days(name: str, default: int) -> int:
    raw = os.environ.get(name) or str(default)
    try:
        days = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number of days, such as {default}; it is '{raw}'") from None
    if days < 1:
        raise ValueError(f"{name} must be at least 1 day; it is {days}")
    return days


def load_settings() -> Settings:
    """Read settings; `.env` fills in only what the real environment leaves unset."""
    load_dotenv(PROJECT_ROOT / ".env", override=False)
    knowledge_dir = Path(os.environ.get("KNOWLEDGE_DIR") or PROJECT_ROOT / "knowledge")
    if not knowledge_dir.is_absolute():
        knowledge_dir = PROJECT_ROOT / knowledge_dir
    return Settings(
        database_url=os.environ.get("DATABASE_URL") or _default_database_url(),
        knowledge_dir=knowledge_dir,
        knowledge_refresh_seconds=float(os.environ.get("KNOWLEDGE_REFRESH_SECONDS", "1")),
        retention_days=_whole_days("RETENTION_DAYS", 90),
        webchat_secret=os.environ.get("WEBCHAT_SECRET") or None,
        webchat_rate_per_conversation=os.environ.get("WEBCHAT_RATE_PER_CONVERSATION") or "12/minute",
        webchat_rate_per_address=os.environ.get("WEBCHAT_RATE_PER_ADDRESS") or "60/minute",
    )
