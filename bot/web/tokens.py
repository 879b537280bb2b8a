"""Conversation tokens: the server, never the browser, chooses the conversation id.

A token is `v1.<payload>.<signature>`: the payload (base64url JSON) holds a random, unguessable
conversation id, the partner id and the issue time; the signature is an HMAC-SHA256 of it with a secret
only the server knows. A browser can keep a token and send it back, but cannot make one up or change
the partner or conversation in it.

The secret comes from WEBCHAT_SECRET, or is generated once into var/webchat_secret (readable by its
owner only), so tokens stay valid across restarts.

A conversation deleted with /clear has its tokens refused until they would have expired anyway. The
channel keeps that list in the database (`SqlRevocations`, DATABASE_URL), so every Rasa process refuses
them, after restarts too, however many there are; `MemoryRevocations` is the one-process stand-in.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import logging
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import sqlalchemy.exc
from sqlalchemy import Column, Float, MetaData, String, Table, delete, insert, select
from sqlalchemy.engine import Engine

from bot.settings import PROJECT_ROOT, Settings, load_settings
from bot.storage.timeouts import limit_postgres_waits

logger = logging.getLogger(__name__)

VERSION = "v1"
MAX_TOKEN_CHARS = 400
MIN_SECRET_CHARS = 32
DEFAULT_SECRET_FILE = PROJECT_ROOT / "var" / "webchat_secret"
# How long a revocation is kept when tokens never expire (no max age): longer than anyone keeps a tab open.
NO_EXPIRY_SECONDS = 10 * 366 * 86_400


@dataclass(frozen=True)
class Conversation:
    """What a valid token says: whose conversation, for which partner, issued when (Unix seconds)."""

    id: str
    partner: str
    issued_at: int


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_conversation_id() -> str:
    """192 random bits from the operating system's secure generator, URL-safe."""
    return secrets.token_urlsafe(24)


class Revocations(Protocol):
    def revoke(self, conversation_id: str, expires_at: float) -> None: ...

    def is_revoked(self, conversation_id: str) -> bool: ...

    def forget_expired(self, now: float) -> int: ...


class MemoryRevocations:
    """Revoked conversations in this process only, with no limit on how many."""

    def __init__(self) -> None:
        self._expires: dict[str, float] = {}

    def revoke(self, conversation_id: str, expires_at: float) -> None:
        self._expires[conversation_id] = expires_at

    def is_revoked(self, conversation_id: str) -> bool:
        return conversation_id in self._expires

    def forget_expired(self, now: float) -> int:
        expired = [c for c, expires_at in self._expires.items() if expires_at < now]
        for conversation_id in expired:
            del self._expires[conversation_id]
        return len(expired)


metadata = MetaData()
revoked_table = Table(
    "webchat_revoked",
    metadata,
    Column("conversation_id", String(64), primary_key=True),
    Column("expires_at", Float, nullable=False, index=True),  # Unix seconds; the row can go after that
)


class SqlRevocations:
    """Revoked conversations in the database, shared by every Rasa process and kept over restarts.

    `engine` is called on first use (the channel's feedback engine, at DATABASE_URL). If the database
    doesn't answer when a token is checked, the token is taken as not revoked, and that is logged: the
    conversation store is then down too, so nothing could be written under the deleted conversation.
    Every token is checked on the event loop, so the engine's waits are bounded (bot/storage/timeouts.py)."""

    def __init__(self, engine: Callable[[], Engine], settings: Settings | None = None) -> None:
        self._engine_factory = engine
        self._settings = settings
        self._engine: Engine | None = None

    def _ready(self) -> Engine:
        if self._engine is None:
            engine = self._engine_factory()
            limit_postgres_waits(engine, self._settings or load_settings())
            metadata.create_all(engine)
            self._engine = engine
        return self._engine

    def revoke(self, conversation_id: str, expires_at: float) -> None:
        try:
            with self._ready().begin() as conn:
                conn.execute(insert(revoked_table).values(conversation_id=conversation_id, expires_at=expires_at))
        except sqlalchemy.exc.IntegrityError:
            pass  # revoked already (two clears at once)

    def is_revoked(self, conversation_id: str) -> bool:
        try:
            with self._ready().connect() as conn:
                query = select(revoked_table.c.conversation_id).where(
                    revoked_table.c.conversation_id == conversation_id
                )
                return conn.execute(query).first() is not None
        except sqlalchemy.exc.SQLAlchemyError as exc:
            logger.error("webchat: can't check whether a conversation was deleted (%s)", type(exc).__name__)
            return False

    def forget_expired(self, now: float) -> int:
        with self._ready().begin() as conn:
            return conn.execute(delete(revoked_table).where(revoked_table.c.expires_at < now)).rowcount


class TokenSigner:
    """Issues and checks tokens. Tokens older than `max_age_seconds` are refused (the conversation has
    been deleted by then anyway), and so are tokens of conversations deleted with /clear."""

    def __init__(
        self,
        secret: bytes,
        max_age_seconds: float | None = None,
        clock: Callable[[], float] = time.time,
        revocations: Revocations | None = None,
    ) -> None:
        if len(secret) < MIN_SECRET_CHARS:
            raise ValueError(f"the web chat secret must be at least {MIN_SECRET_CHARS} characters long")
        self._secret = secret
        self._max_age = max_age_seconds
        self._clock = clock
        self.revocations = revocations or MemoryRevocations()

    def _sign(self, signed_part: str) -> str:
        return _b64encode(hmac.new(self._secret, signed_part.encode("ascii"), hashlib.sha256).digest())

    def issue(self, partner: str) -> tuple[str, Conversation]:
        conversation = Conversation(new_conversation_id(), partner, int(self._clock()))
        payload = json.dumps(
            {"c": conversation.id, "p": conversation.partner, "t": conversation.issued_at},
            separators=(",", ":"),
        )
        signed_part = f"{VERSION}.{_b64encode(payload.encode('utf-8'))}"
        return f"{signed_part}.{self._sign(signed_part)}", conversation

    def verify(self, token: object) -> Conversation | None:
        """The conversation a token names, or None if it is malformed, forged, altered, expired or revoked."""
        if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS or token.count(".") != 2:
            return None
        version, payload, signature = token.split(".")
        if version != VERSION:
            return None
        try:
            expected = self._sign(f"{version}.{payload}")
        except UnicodeEncodeError:
            return None
        if not hmac.compare_digest(expected.encode("ascii"), signature.encode("utf-8", "replace")):
            return None
        try:
            data = json.loads(_b64decode(payload))
        except (binascii.Error, ValueError, UnicodeDecodeError):
            return None
        if not isinstance(data, dict):
            return None
        conversation_id, partner, issued_at = data.get("c"), data.get("p"), data.get("t")
        if not (isinstance(conversation_id, str) and isinstance(partner, str) and isinstance(issued_at, int)):
            return None
        if self._max_age is not None and self._clock() - issued_at > self._max_age:
            return None
        if self.revocations.is_revoked(conversation_id):
            return None
        return Conversation(conversation_id, partner, issued_at)

    def revoke(self, conversation: Conversation) -> None:
        """Refuse this conversation's tokens from now until they would have expired anyway."""
        self.revocations.revoke(conversation.id, conversation.issued_at + (self._max_age or NO_EXPIRY_SECONDS))

    def forget_expired_revocations(self) -> int:
        """Drop revocations of tokens that have expired by now (their age refuses them already)."""
        return self.revocations.forget_expired(self._clock())


def load_secret(configured: str | None = None, path: Path = DEFAULT_SECRET_FILE) -> bytes:
    """The signing secret: WEBCHAT_SECRET if set, else the file, created once with owner-only permissions."""
    if configured:
        if len(configured) < MIN_SECRET_CHARS:
            raise ValueError(
                f"WEBCHAT_SECRET must be at least {MIN_SECRET_CHARS} characters; make one with: "
                "python -c 'import secrets; print(secrets.token_hex(32))'"
            )
        return configured.encode("utf-8")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
            with contextlib.suppress(FileExistsError):  # another process won the race: keep its secret
                os.link(temporary, path)  # atomic, unlike checking then writing
        finally:
            temporary.unlink(missing_ok=True)
    if path.stat().st_mode & 0o077:
        logger.warning("webchat: %s was readable by others; restricting it to its owner", path)
        os.chmod(path, 0o600)
    secret = path.read_text(encoding="ascii").strip()
    if len(secret) < MIN_SECRET_CHARS:
        raise ValueError(f"{path} does not hold a usable secret: delete it and restart to make a new one")
    return secret.encode("ascii")
