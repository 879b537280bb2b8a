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


def _default_database_url() -> str:
    # Absolute path so the action server, the CLI and the tests agree whatever their working folder.
    return f"sqlite:///{PROJECT_ROOT / 'var' / 'send.db'}"


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
    )
