"""Rasa's conversation store for this project: SQL at DATABASE_URL, with personal data redacted first.

endpoints.yml names it (`type: bot.rasa_ext.tracker_store.RedactingSQLTrackerStore`), so one setting moves the
conversations with everything else: DATABASE_URL unset keeps them in SQLite `var/tracker.db`, as before;
`DATABASE_URL=postgresql://...` puts them in the same PostgreSQL database as the knowledge index and
feedback. Pool sizes come from DB_POOL_SIZE and DB_MAX_OVERFLOW (docs/configuration.md).

Before an event is written, the parent's words are redacted (bot/storage/redact.py): the message text, the text
in `parse_data`, entity values that hold redacted words, and slot values copied from them in the same
turn. The conversation in memory is not changed: NLU and the actions of this turn already saw the raw
message, and later turns need only intents, entities and slots. Still a subclass of `SQLTrackerStore`,
so bot/storage/retention.py deletes and purges its conversations as before.

When the database fails mid-conversation (docs/architecture.md#resilience): reading raises
`ConversationStoreUnavailable` with a one-line reason, which Rasa's fail-safe wrapper logs before it
answers the turn without the history; saving logs the reason and keeps nothing (Rasa's in-memory
fallback is never read back, so it would only grow); a tracker that is not a continuation of what is
stored (read while the database was down, saved after it came back) is never written over it. Each
problem is also noted for the web chat, which tells the parent (`noting_store_problems`). A database
that stops answering is given up on within the timeouts (bot/storage/timeouts.py), never waited for for ever.

A long conversation costs the same per turn as a short one: to answer a message, Rasa is given the session's
start, every slot change that still matters and the last RECENT_TURNS turns (`recent_events`), not every
event since the session started, which it would otherwise turn back into objects, replay, run the
policies over and send to the action server on every turn. The downloads read the whole conversation
(`retrieve_full_tracker`), and what is stored is never shortened (docs/architecture.md#long-conversations).
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any

import sqlalchemy.exc
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker

from bot.rasa_ext.version import rasa_is_supported
from bot.settings import Settings, load_settings
from bot.storage.database import make_engine, private_sqlite_file
from bot.storage.redact import Found, find_personal_data, redact_known, replace_found
from bot.storage.timeouts import limit_postgres_waits
from bot.understanding.facts import is_real_answer

logger = logging.getLogger(__name__)

# A database that is still starting (a container started before PostgreSQL) gets this long to answer.
CONNECT_WAIT_SECONDS = 60.0
CONNECT_RETRY_SECONDS = 5.0

_problems: ContextVar[list[str] | None] = ContextVar("conversation_store_problems", default=None)


class ConversationStoreError(RuntimeError):
    """The conversation store could not be set up.

    Deliberately not an ImportError or AttributeError: Rasa quietly replaces a custom tracker store that
    raises either with an in-memory one, which would lose every conversation on restart.
    """


class ConversationStoreUnavailable(RuntimeError):
    """The conversation database could not be read just now (the message says why, in one line)."""


@contextlib.contextmanager
def noting_store_problems() -> Iterator[list[str]]:
    """Collect what went wrong with the conversation store while the block runs (in this task only)."""
    problems: list[str] = []
    token = _problems.set(problems)
    try:
        yield problems
    finally:
        _problems.reset(token)


def _note(problem: str) -> None:
    problems = _problems.get()
    if problems is not None:
        problems.append(problem)


def _reason(exc: BaseException) -> str:
    """A database error in one line, without the SQL statement SQLAlchemy appends."""
    original = getattr(exc, "orig", None) or exc
    first = next((line.strip() for line in str(original).splitlines() if line.strip()), "")
    return f"{type(original).__name__}: {first}" if first else type(original).__name__


# --- redaction of serialised events (pure) ----------------------------------------------------------


def _overlaps(entity: dict[str, Any], found: Sequence[Found]) -> list[Found]:
    start, end = entity.get("start"), entity.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return []
    return [f for f in found if f.start < end and start < f.end]


def _redact_entity(entity: dict[str, Any], found: Sequence[Found], known: Sequence[Found]) -> None:
    value = entity.get("value")
    if not isinstance(value, str):
        return
    cleaned = redact_known(value, known)
    overlapping = _overlaps(entity, found)
    if cleaned == value and overlapping:
        # A normalised value ("2015-04-03" from "3/4/2015") doesn't repeat the words, but came from them.
        cleaned = overlapping[0].tag
    entity["value"] = cleaned
    if isinstance(entity.get("text"), str):
        entity["text"] = redact_known(entity["text"], known)


def _redact_value(value: Any, known: Sequence[Found]) -> Any:
    if isinstance(value, str):
        return redact_known(value, known)
    if isinstance(value, list):
        return [_redact_value(v, known) for v in value]
    return value


def redact_events(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Redacted copies of serialised Rasa events (`Event.as_dict()`); the given dicts are not changed.

    User messages are redacted where they are; what they revealed is also replaced in the entity and
    slot values of the same batch (one turn), where it was copied to.
    """
    originals = list(events)
    found_in: dict[int, list[Found]] = {}
    known: list[Found] = []
    for position, data in enumerate(originals):
        if data.get("event") == "user" and isinstance(data.get("text"), str):
            found_in[position] = find_personal_data(data["text"])
            known.extend(found_in[position])

    redacted: list[dict[str, Any]] = []
    for position, data in enumerate(originals):
        kind = data.get("event")
        if kind not in ("user", "slot", "entities"):
            redacted.append(data)
            continue
        data = copy.deepcopy(data)
        if kind == "user":
            found = found_in.get(position, [])
            if isinstance(data.get("text"), str):
                data["text"] = replace_found(data["text"], found)
            parse_data = data.get("parse_data") or {}
            parsed_text = parse_data.get("text")
            if isinstance(parsed_text, str):
                same = parsed_text == originals[position].get("text")
                parse_data["text"] = replace_found(parsed_text, found if same else find_personal_data(parsed_text))
            for entity in parse_data.get("entities") or []:
                _redact_entity(entity, found, known)
        elif kind == "slot":
            data["value"] = _redact_value(data.get("value"), known)
        else:
            for entity in data.get("entities") or []:
                _redact_entity(entity, [], known)
        redacted.append(data)
    return redacted


# --- a long conversation, shortened for answering (pure) --------------------------------------------------

# Turns kept whole when Rasa answers a message. Far more than any policy looks back over (memoization 5
# states, a rule one message) and than a form takes from its start to a later question.
RECENT_TURNS = 10
# Kinds of event that change the conversation's state in a way a snapshot of slots can't carry: a
# conversation holding one before its recent turns is read whole.
_WHOLE_IF_SEEN = frozenset({"restart", "reset_slots", "pause", "resume", "rewind", "undo"})


def _is_listen(data: dict[str, Any]) -> bool:
    return data.get("event") == "action" and data.get("name") == "action_listen"


def recent_events(rows: Sequence[tuple[str, str]], keep_turns: int = RECENT_TURNS) -> list[dict[str, Any]]:
    """The events Rasa needs to answer the next message, from a session's stored (type, JSON) rows.

    Up to `keep_turns` user messages the whole session is returned. After that: the session's start (up to
    its first listen), then, from the turns in between, for each slot the event that set its last real
    value and the event that set its current one (so its value, and the last answer a finished form
    cleared, are what they were), then the last `keep_turns` turns whole. The recent part never starts
    inside a form, so a form's questions are all there. Only the rows kept are decoded. Every event
    returned is a stored one, in stored order.
    """
    users = [i for i, (kind, _) in enumerate(rows) if kind == "user"]
    decoded: dict[int, dict[str, Any]] = {}

    def event(i: int) -> dict[str, Any]:
        if i not in decoded:
            decoded[i] = json.loads(rows[i][1])
        return decoded[i]

    def whole() -> list[dict[str, Any]]:
        return [event(i) for i in range(len(rows))]

    if len(users) <= keep_turns:
        return whole()
    head_end = next((i + 1 for i, (kind, _) in enumerate(rows) if kind == "action" and _is_listen(event(i))), 0)
    cut = users[-keep_turns]
    while True:
        if cut > 0 and rows[cut - 1][0] == "action" and _is_listen(event(cut - 1)):
            cut -= 1  # a turn starts with the listen before the parent's message
        if cut <= head_end:
            return whole()
        dropped = range(head_end, cut)
        if any(rows[i][0] in _WHOLE_IF_SEEN for i in dropped):
            return whole()
        loop_started = None
        for i in dropped:
            if rows[i][0] == "active_loop":
                loop_started = i if event(i).get("name") else None
        if loop_started is None:
            break
        # A form still running at the cut: keep it from the parent's message that started it.
        cut = max((u for u in users if u < loop_started), default=0)

    last_set: dict[str, int] = {}
    last_real: dict[str, int] = {}
    for i in dropped:
        if rows[i][0] == "slot":
            name = event(i).get("name")
            last_set[name] = i
            if is_real_answer(event(i).get("value")):  # what last_answers reads back once a form cleared it
                last_real[name] = i
    kept_between = sorted({*last_set.values(), *last_real.values()})
    return (
        [event(i) for i in range(head_end)]
        + [event(i) for i in kept_between]
        + [event(i) for i in range(cut, len(rows))]
    )


# --- the store ---------------------------------------------------------------------------------------


def _connect(settings: Settings, wait_seconds: float) -> Engine:
    """An engine with the events table created, waiting up to `wait_seconds` for the server to answer.

    Every later wait is bounded (bot/storage/timeouts.py): Rasa uses the store on its event loop, so a database
    that stops answering would otherwise hold every conversation of the process.
    """
    url = settings.conversation_store_url
    private_sqlite_file(url)  # SQLite creates the file, not its folder, and with the process's umask
    try:
        engine = make_engine(url, settings.db_pool_size, settings.db_max_overflow)
    except (ImportError, AttributeError, sqlalchemy.exc.ArgumentError) as exc:
        raise ConversationStoreError(f"DATABASE_URL can't be used for conversations: {exc}") from exc
    limit_postgres_waits(engine, settings)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            SQLTrackerStore.Base.metadata.create_all(engine)
            return engine
        except sqlalchemy.exc.OperationalError as exc:
            if time.monotonic() >= deadline:
                engine.dispose()
                raise ConversationStoreError(f"the conversation database does not answer: {exc}") from exc
            logger.warning("waiting for the conversation database: %s", exc.orig)
            time.sleep(CONNECT_RETRY_SECONDS)


class RedactingSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` at DATABASE_URL (or var/tracker.db), storing redacted copies of events."""

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        *,
        settings: Settings | None = None,
        connect_wait_seconds: float = CONNECT_WAIT_SECONDS,
        **kwargs: Any,
    ) -> None:
        # Rasa passes endpoints.yml's `url` as `host` and its other keys as kwargs. The address lives in
        # DATABASE_URL only, so two settings can't disagree about where conversations are.
        stray = sorted(k for k in kwargs if k in ("dialect", "db", "port", "username", "password", "login_db"))
        if host or stray:
            raise ConversationStoreError(
                "set DATABASE_URL instead of a database address in endpoints.yml "
                f"(found: {', '.join(['url'] * bool(host) + stray)})"
            )
        rasa_is_supported("the conversation store (it overrides private methods of SQLTrackerStore)")
        settings = settings or load_settings()
        # Deliberately not SQLTrackerStore.__init__: it sizes pools from SQL_POOL_SIZE (default 50 + 100)
        # and retries a missing database forever.
        self.engine = _connect(settings, connect_wait_seconds)
        self.sessionmaker = sessionmaker(bind=self.engine)
        TrackerStore.__init__(self, domain, event_broker, **kwargs)
        logger.debug("conversations are stored in %s", describe_url(settings.conversation_store_url))

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        try:
            if fetch_events_from_all_sessions:
                return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
            with self.session_scope() as session:
                query = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
                rows = query.with_entities(self.SQLEvent.type_name, self.SQLEvent.data).all()
            if not rows or not self.domain:
                return None
            return DialogueStateTracker.from_dict(sender_id, recent_events(rows), self.domain.slots)
        except sqlalchemy.exc.SQLAlchemyError as exc:
            reason = _reason(exc)
            logger.error("conversation store: can't read a conversation, the database is unavailable (%s)", reason)
            _note("read")
            raise ConversationStoreUnavailable(f"the conversation database is unavailable ({reason})") from None

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Write the tracker's new events, redacted; the same rows as Rasa's own store otherwise.

        Never raises for a database problem: it is logged and noted, and the stored conversation is left
        as it was (see the module docstring).
        """
        try:
            await self.stream_events(tracker)
            with self.session_scope() as session:
                events = self._events_to_add(session, tracker)
                if events is None:
                    logger.error(
                        "conversation store: not saving a turn that doesn't continue the stored conversation "
                        "(read while the database was unavailable, or changed by another server meanwhile); "
                        "what is stored is kept as it was"
                    )
                    _note("diverged")
                    return
                for event, data in zip(events, redact_events(e.as_dict() for e in events), strict=True):
                    session.add(
                        self.SQLEvent(
                            sender_id=tracker.sender_id,
                            type_name=event.type_name,
                            timestamp=data.get("timestamp"),
                            intent_name=((data.get("parse_data") or {}).get("intent") or {}).get(INTENT_NAME_KEY),
                            action_name=data.get("name"),
                            data=json.dumps(data),
                        )
                    )
                session.commit()
        except (sqlalchemy.exc.SQLAlchemyError, ConversationStoreUnavailable) as exc:
            reason = str(exc) if isinstance(exc, ConversationStoreUnavailable) else _reason(exc)
            logger.error("conversation store: this turn was not saved, the database is unavailable (%s)", reason)
            _note("save")

    def _events_to_add(self, session: Any, tracker: DialogueStateTracker) -> list[Event] | None:
        """The tracker's events after the newest stored one, or None if the tracker doesn't hold that one.

        Rasa's own store counts the stored events of the latest session and writes the tracker's events
        after that many, trusting that the tracker began as those rows. Neither holds here: a long
        conversation is read shortened (`recent_events`), and a tracker made afresh because the database
        couldn't be read, written after the database is back, would be spliced into the stored
        conversation. So the newest stored event is looked for in the tracker, from its end.
        """
        stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False)
        newest = stored.order_by(None).order_by(self.SQLEvent.id.desc()).first()
        events = list(tracker.events)
        if newest is None:
            return events
        try:
            data = json.loads(newest.data)
        except ValueError:
            return None
        for position in range(len(events) - 1, -1, -1):
            if events[position].type_name == data.get("event") and events[position].timestamp == data.get("timestamp"):
                return events[position + 1 :]
        return None

    async def _stream_new_events(self, event_broker: EventBroker, new_events: list[Event], sender_id: str) -> None:
        # An event broker (none is configured today) gets the same redacted events as the database.
        for data in redact_events(e.as_dict() for e in new_events):
            event_broker.publish({"sender_id": sender_id, **data})


def describe_url(url: str) -> str:
    """A database URL safe to print: the password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def store_from_settings(settings: Settings | None = None) -> RedactingSQLTrackerStore:
    """The conversation store the Rasa server uses, for the command line and scripts."""
    return RedactingSQLTrackerStore(settings=settings or load_settings())
