"""Staff accounts: argon2id password hashes, lock-out after repeated failures, sessions, audit log.

Every timestamp is naive UTC, like the feedback table. Nothing here logs a password or a session token;
the database holds only the argon2 hash of a password and the sha256 of a session token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.console.tables import EDITOR, PARTNER_VIEWER, ROLES, audit, sessions, users
from bot.content.validation import ID_PATTERN

# Five wrong passwords in a row lock the account for fifteen minutes, counted in the database so a
# restart or a second console process doesn't reset the count.
MAX_FAILURES = 5
LOCK_MINUTES = 15
# A session ends after an hour without a request, and after twelve hours whatever happens.
IDLE_MINUTES = 60
MAX_SESSION_HOURS = 12
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")

_hasher = PasswordHasher()
# Checked against when the username is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(ValueError):
    """An account could not be created; the message says why, in plain words."""


@dataclass(frozen=True)
class StaffUser:
    id: int
    username: str
    role: str
    partner: str | None

    @property
    def is_editor(self) -> bool:
        return self.role == EDITOR


@dataclass(frozen=True)
class Session:
    user: StaffUser
    csrf_token: str


@dataclass(frozen=True)
class SignInResult:
    user: StaffUser | None
    locked: bool = False


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _user(row) -> StaffUser:
    return StaffUser(id=row.id, username=row.username, role=row.role, partner=row.partner)


def record(engine: Engine, username: str, action: str, detail: str | None = None, now: dt.datetime | None = None):
    """One line in the audit log: who did what, when (never a password, token or parent's message)."""
    with engine.begin() as conn:
        conn.execute(insert(audit).values(at=now or utc_now(), username=username[:80], action=action, detail=detail))


def add_user(engine: Engine, username: str, password: str, role: str, partner: str | None = None) -> StaffUser:
    """Create an account; raises AccountError for a bad name, weak password, wrong role or a taken name."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise AccountError("a username is 2 to 80 characters: lower-case letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise AccountError(f"the role must be one of: {', '.join(ROLES)}")
    if role == PARTNER_VIEWER and not (partner and ID_PATTERN.match(partner)):
        raise AccountError("a partner viewer needs --partner ID (the partner file's id, e.g. default)")
    if role == EDITOR and partner:
        raise AccountError("an editor sees every partner: leave out --partner")
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    try:
        with engine.begin() as conn:
            result = conn.execute(
                insert(users).values(
                    username=username,
                    password_hash=_hasher.hash(password),
                    role=role,
                    partner=partner,
                    failed_signins=0,
                    created_at=utc_now(),
                )
            )
            user_id = result.inserted_primary_key[0]
    except IntegrityError:
        raise AccountError(f"there is already an account called '{username}'") from None
    record(engine, username, "account created", f"role {role}" + (f", partner {partner}" if partner else ""))
    return StaffUser(id=user_id, username=username, role=role, partner=partner)


def remove_user(engine: Engine, username: str) -> bool:
    """Delete an account and end its sessions at once; False if there was no such account."""
    username = username.strip().lower()
    with engine.begin() as conn:
        row = conn.execute(select(users.c.id).where(users.c.username == username)).first()
        if row is None:
            return False
        conn.execute(delete(sessions).where(sessions.c.user_id == row.id))
        conn.execute(delete(users).where(users.c.id == row.id))
    record(engine, username, "account removed")
    return True


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def sign_in(engine: Engine, username: str, password: str, now: dt.datetime | None = None) -> SignInResult:
    """Check a username and password, counting failures; a locked account is refused even with the
    right password until the lock runs out."""
    now = now or utc_now()
    username = username.strip().lower()[:80]
    password = password[:MAX_PASSWORD_CHARS]
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).first()
    if row is None:
        _verify(_DUMMY_HASH, password)
        record(engine, username or "(blank)", "sign-in failed", "no such account", now)
        return SignInResult(None)
    if row.locked_until is not None and row.locked_until > now:
        record(engine, username, "sign-in refused", "account locked", now)
        return SignInResult(None, locked=True)
    if not _verify(row.password_hash, password):
        failures = (row.failed_signins or 0) + 1
        locked_until = now + dt.timedelta(minutes=LOCK_MINUTES) if failures >= MAX_FAILURES else None
        with engine.begin() as conn:
            conn.execute(
                update(users)
                .where(users.c.id == row.id)
                .values(failed_signins=0 if locked_until else failures, locked_until=locked_until)
            )
        record(engine, username, "sign-in failed", "account locked" if locked_until else "wrong password", now)
        return SignInResult(None, locked=locked_until is not None)
    with engine.begin() as conn:
        values: dict = {"failed_signins": 0, "locked_until": None}
        if _hasher.check_needs_rehash(row.password_hash):
            values["password_hash"] = _hasher.hash(password)
        conn.execute(update(users).where(users.c.id == row.id).values(**values))
    record(engine, username, "signed in", None, now)
    return SignInResult(_user(row))


def start_session(engine: Engine, user: StaffUser, now: dt.datetime | None = None) -> tuple[str, str]:
    """A new session for a signed-in user: (cookie token, CSRF token)."""
    now = now or utc_now()
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(
            insert(sessions).values(
                token_hash=_token_hash(token), user_id=user.id, csrf_token=csrf, created_at=now, last_seen=now
            )
        )
    return token, csrf


def find_session(engine: Engine, token: str | None, now: dt.datetime | None = None) -> Session | None:
    """The live session for a cookie token, its idle clock restarted; None if unknown or expired."""
    if not token or len(token) > 200:
        return None
    now = now or utc_now()
    key = _token_hash(token)
    with engine.connect() as conn:
        row = conn.execute(
            select(sessions, users).join(users, users.c.id == sessions.c.user_id).where(sessions.c.token_hash == key)
        ).first()
    if row is None:
        return None
    expired = now - row.last_seen > dt.timedelta(minutes=IDLE_MINUTES) or now - row.created_at > dt.timedelta(
        hours=MAX_SESSION_HOURS
    )
    with engine.begin() as conn:
        if expired:
            conn.execute(delete(sessions).where(sessions.c.token_hash == key))
            return None
        conn.execute(update(sessions).where(sessions.c.token_hash == key).values(last_seen=now))
    user = StaffUser(id=row.user_id, username=row.username, role=row.role, partner=row.partner)
    return Session(user=user, csrf_token=row.csrf_token)


def end_session(engine: Engine, token: str | None) -> None:
    if token:
        with engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.token_hash == _token_hash(token)))


def purge_sessions(engine: Engine, now: dt.datetime | None = None) -> int:
    """Delete sessions past their idle or absolute limit; returns how many."""
    now = now or utc_now()
    with engine.begin() as conn:
        result = conn.execute(
            delete(sessions).where(
                (sessions.c.last_seen < now - dt.timedelta(minutes=IDLE_MINUTES))
                | (sessions.c.created_at < now - dt.timedelta(hours=MAX_SESSION_HOURS))
            )
        )
    return result.rowcount or 0
