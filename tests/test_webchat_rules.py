"""The web chat's rules as pure functions: tokens, rate limits, message guard, origins, summary, redaction."""

from __future__ import annotations

import base64
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import origins
from bot.web import guard
from bot.web.feedback import redact
from bot.web.limits import Rate, RateLimiter, RedisRateLimiter, make_limiter, parse_rate
from bot.web.tokens import TokenSigner, load_secret
from tests.db import delete_redis_keys, redis_url
from tests.webchat_helpers import SECRET, ManualClock

# --- tokens -------------------------------------------------------------------------------------


def test_token_round_trip_and_unguessable_ids() -> None:
    signer = TokenSigner(SECRET)
    token, conversation = signer.issue("charity")
    assert signer.verify(token) == conversation
    assert conversation.partner == "charity"
    assert len(conversation.id) >= 32
    ids = {signer.issue("charity")[1].id for _ in range(200)}
    assert len(ids) == 200


def _resign_payload(token: str, **changes: object) -> str:
    version, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data.update(changes)
    new_payload = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{version}.{new_payload}.{signature}"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: _resign_payload(t, c="someone-elses-conversation"),
        lambda t: _resign_payload(t, p="other-partner"),
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: t.replace("v1.", "v2.", 1),
        lambda t: t + ".extra",
        lambda t: "v1.e30." + t.split(".")[2],
        lambda t: TokenSigner(b"another-secret-that-is-also-long-enough-0123").issue("default")[0],
        lambda t: "",
        lambda t: None,
        lambda t: 12345,
        lambda t: "v1." + "A" * 500 + ".x",
        lambda t: "v1.ü.ß",
    ],
)
def test_forged_or_altered_tokens_are_rejected(tamper) -> None:
    signer = TokenSigner(SECRET)
    token, _ = signer.issue("default")
    assert signer.verify(tamper(token)) is None


def test_tokens_expire_and_can_be_revoked() -> None:
    clock = ManualClock()
    signer = TokenSigner(SECRET, max_age_seconds=3600, clock=clock)
    token, conversation = signer.issue("default")
    clock.advance(3599)
    assert signer.verify(token) == conversation
    clock.advance(2)
    assert signer.verify(token) is None
    fresh, conversation = signer.issue("default")
    signer.revoke(conversation)
    assert signer.verify(fresh) is None


def test_revoked_tokens_have_no_count_cap_and_are_forgotten_only_once_expired() -> None:
    # Issue 14, point 2: before, only the latest 10,000 revocations were remembered, so after 10,000 clears
    # the first cleared conversation's token worked again.
    clock = ManualClock()
    signer = TokenSigner(SECRET, max_age_seconds=3600, clock=clock)
    first, conversation = signer.issue("default")
    signer.revoke(conversation)
    for _ in range(10_001):
        signer.revoke(signer.issue("default")[1])
    assert signer.verify(first) is None
    clock.advance(3601)  # every token above has expired: their revocations can go
    assert signer.forget_expired_revocations() == 10_002


def test_short_secrets_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 32"):
        TokenSigner(b"short")
    with pytest.raises(ValueError, match="WEBCHAT_SECRET"):
        load_secret("too-short")
    assert load_secret("x" * 40, Path("/nonexistent/never-created")) == b"x" * 40


def test_secret_file_is_created_once_owner_only_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "var" / "webchat_secret"
    first = load_secret(None, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_secret(None, path) == first  # survives a restart
    assert [p.name for p in path.parent.iterdir()] == ["webchat_secret"]  # no temporary file left
    os.chmod(path, 0o644)
    assert load_secret(None, path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# --- rate limits --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", Rate(12, 60)),
        ("12/minute", Rate(12, 60)),
        ("300 / hour", Rate(300, 3600)),
        ("2/second", Rate(2, 1)),
        ("60/MINUTES", Rate(60, 60)),
    ],
)
def test_parse_rate(text: str, expected: Rate) -> None:
    assert parse_rate(text) == expected


@pytest.mark.parametrize("text", ["", "0", "-1/minute", "fast", "12/day", "12 per minute"])
def test_parse_rate_rejects_nonsense(text: str) -> None:
    with pytest.raises(ValueError, match="WEBCHAT_RATE_PER_ADDRESS"):
        parse_rate(text, "WEBCHAT_RATE_PER_ADDRESS")


def test_token_bucket_allows_a_burst_then_the_steady_rate() -> None:
    clock = ManualClock()
    limiter = RateLimiter(Rate(3, 60), clock=clock)  # one request every 20 seconds once the burst is used
    assert [limiter.check("a")[0] for _ in range(3)] == [True, True, True]
    allowed, wait = limiter.check("a")
    assert not allowed and wait == 20
    assert limiter.check("b")[0]  # other keys have their own bucket
    clock.advance(19)
    assert not limiter.check("a")[0]
    clock.advance(1)
    assert limiter.check("a")[0]
    assert not limiter.check("a")[0]


def test_full_buckets_are_forgotten_when_there_are_many() -> None:
    clock = ManualClock()
    limiter = RateLimiter(Rate(2, 60), clock=clock, max_keys=10)
    for key in range(10):
        limiter.check(str(key))
    clock.advance(61)
    limiter.check("new")
    assert len(limiter._buckets) == 1


@pytest.fixture
def shared_redis() -> Iterator[str]:
    url = redis_url()
    delete_redis_keys(url, "send:rate:test-")
    yield url
    delete_redis_keys(url, "send:rate:test-")


def test_rate_limits_in_redis_are_shared_by_every_process_and_survive_a_restart(shared_redis: str) -> None:
    # Issue 14, point 3: before, each Rasa process had its own buckets, so N replicas allowed N times the
    # rate, and a restart refilled them. Two limiters here are two replicas; a third is one restarted.
    clock = ManualClock()
    name = f"test-{os.urandom(4).hex()}"
    first, second = (RedisRateLimiter(Rate(3, 60), shared_redis, name, clock=clock) for _ in range(2))
    assert [first.check("203.0.113.9")[0], second.check("203.0.113.9")[0], first.check("203.0.113.9")[0]] == [
        True,
        True,
        True,
    ]
    assert second.check("203.0.113.9") == (False, 20)
    restarted = RedisRateLimiter(Rate(3, 60), shared_redis, name, clock=clock)
    assert restarted.check("203.0.113.9") == (False, 20)
    assert first.check("198.51.100.7")[0]  # other keys have their own bucket
    clock.advance(20)
    assert restarted.check("203.0.113.9") == (True, 0)
    assert not first.check("203.0.113.9")[0]


def test_rate_limits_in_redis_are_atomic(shared_redis: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    # Eight processes, one address, 200 requests at once, with the clock standing still: exactly 50 pass.
    limiters = [RedisRateLimiter(Rate(50, 60), shared_redis, "test-atomic", clock=ManualClock()) for _ in range(8)]
    with ThreadPoolExecutor(8) as pool:
        allowed = list(pool.map(lambda i: limiters[i % 8].check("one address")[0], range(200)))
    assert sum(allowed) == 50  # a read-then-write in Python would let more through


def test_rate_limits_let_requests_through_when_redis_is_down(caplog) -> None:
    limiter = RedisRateLimiter(Rate(1, 60), "redis://127.0.0.1:9/0", "test-down", timeout_seconds=0.2)
    assert limiter.check("a") == (True, 0) and limiter.check("a") == (True, 0)
    assert "rate limits: Redis is unavailable" in caplog.text


def test_redis_is_used_for_rate_limits_when_redis_url_is_set() -> None:
    assert isinstance(make_limiter(Rate(1, 60), None, "address"), RateLimiter)
    assert isinstance(make_limiter(Rate(1, 60), "redis://127.0.0.1:6379/15", "address"), RedisRateLimiter)


# --- the message guard ----------------------------------------------------------------------------


def _events(*turns: tuple[str, list[str]]) -> list[dict]:
    events: list[dict] = [{"event": "action", "name": "action_listen"}]
    for user_text, payloads in turns:
        events.append({"event": "user", "text": user_text})
        events.append({"event": "bot", "text": "Here you are.", "data": {}})
        buttons = [{"title": p.strip("/"), "payload": p} for p in payloads]
        events.append({"event": "bot", "text": "What next?", "data": {"buttons": buttons}})
    return events


def test_only_a_payload_that_may_be_a_button_needs_the_offered_ones() -> None:
    assert guard.may_be_payload("/section_law") and guard.may_be_payload(" /crisis{}")
    # The toolbar's emergency help is always offered: no stored conversation is read for it (nor can its outage
    # refuse it).
    assert not guard.may_be_payload("/crisis") and not guard.may_be_payload("help") and not guard.may_be_payload(None)


def test_offered_payloads_are_those_of_the_latest_turn_only() -> None:
    events = _events(("first", ["/section_law", "/section_escalation"]), ("second", ["/talk_to_adviser"]))
    assert guard.offered_payloads(events) == {"/talk_to_adviser"}
    assert guard.offered_payloads([]) == set()
    assert guard.offered_payloads(_events(("first", ["/a"])) + [{"event": "user", "text": "x"}]) == set()


@pytest.mark.parametrize(
    ("raw", "offered", "expected"),
    [
        ("/section_law", {"/section_law"}, guard.Checked(text="/section_law", is_payload=True)),
        ("/section_law", set(), guard.Checked(text="section_law")),
        ('/crisis{"x": 1}', {"/section_law"}, guard.Checked(text='crisis{"x": 1}')),
        # The toolbar's "Someone in danger?" is always offered (session 14), with nothing after it.
        ("/crisis", set(), guard.Checked(text="/crisis", is_payload=True)),
        ("/crisis now", set(), guard.Checked(text="crisis now")),
        ("  //greet", set(), guard.Checked(text="greet")),
        ("/ /greet", set(), guard.Checked(text="greet")),
        ("/section_law ", {"/section_law"}, guard.Checked(text="/section_law", is_payload=True)),
        ("hello\x00 there\x1b", set(), guard.Checked(text="hello there")),
        ("line one\nline two", set(), guard.Checked(text="line one line two")),  # white space collapsed
        ("<script>alert(1)</script>", set(), guard.Checked(text="<script>alert(1)</script>")),
        ("   ", set(), guard.Checked(problem=guard.EMPTY)),
        ("///", set(), guard.Checked(problem=guard.EMPTY)),
        ("a" * 1000, set(), guard.Checked(text="a" * 1000)),
        ("a" * 1001, set(), guard.Checked(problem=guard.TOO_LONG)),
        (None, set(), guard.Checked(problem=guard.NOT_TEXT)),
        (42, set(), guard.Checked(problem=guard.NOT_TEXT)),
    ],
)
def test_check_message(raw: object, offered: set[str], expected: guard.Checked) -> None:
    assert guard.check_message(raw, offered) == expected


# --- origins --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.example.org", "https://www.example.org"),
        ("HTTPS://WWW.Example.org:443", "https://www.example.org"),
        ("http://127.0.0.1:5005", "http://127.0.0.1:5005"),
        ("http://[::1]:5005", "http://[::1]:5005"),
        ("https://www.example.org/", None),
        ("https://www.example.org/page", None),
        ("https://*.example.org", None),
        ("ftp://example.org", None),
        ("null", None),
        ("https://user@example.org", None),
        ("https://example.org:99999", None),
    ],
)
def test_normalise_origin(value: str, expected: str | None) -> None:
    assert origins.normalise_origin(value) == expected


def test_partner_origins_must_use_https_except_on_this_machine() -> None:
    assert origins.origin_problem("https://www.example.org") is None
    assert origins.origin_problem("http://localhost:5005") is None
    assert "must use https" in origins.origin_problem("http://www.example.org")
    assert "not an origin" in origins.origin_problem("https://www.example.org/chat")
    assert "not an origin" in origins.origin_problem(["https://www.example.org"])


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        (None, True),  # not a cross-site browser request
        ("https://www.example.org", True),
        ("https://WWW.example.org:443", True),
        ("https://evil.example.net", False),
        ("http://www.example.org", False),  # scheme matters
        ("null", False),
        ("https://chat.example.com", False),  # the server's public name is not allowed unless listed
    ],
)
def test_is_allowed_checks_the_list_only(origin: str | None, allowed: bool) -> None:
    assert origins.is_allowed(origin, ["https://www.example.org"]) is allowed


def test_the_demo_page_on_this_machine_is_known_from_the_socket_never_the_host() -> None:
    # Issue 14, point 11: before, the request's Host header counted as "this server", so a page on
    # https://evil.example sending Host: evil.example was allowed. Only the socket counts now.
    for origin in ("http://127.0.0.1:5005", "http://localhost:8080", "http://[::1]:5005"):
        assert origins.from_this_machine(origin, ("127.0.0.1", 5006))
        assert origins.from_this_machine(origin, ("::1", 5006, 0, 0))
    assert not origins.from_this_machine("http://127.0.0.1:5005", ("10.1.2.3", 5005))  # reached from elsewhere
    assert not origins.from_this_machine("https://evil.example", ("127.0.0.1", 5005))
    assert not origins.from_this_machine("http://127.0.0.1.evil.example", ("127.0.0.1", 5005))
    assert not origins.from_this_machine(None, ("127.0.0.1", 5005))
    assert not origins.from_this_machine("http://localhost:5005", "/run/rasa.sock")


# --- summary --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("Email me at jo.bloggs+sen@example.co.uk please", "Email me at [removed] please"),
        ("call 07700 900123 after 3", "call [removed] after 3"),
        ("ring +44 (0)20 7946 0000", "ring [removed]"),
        ("my number is 0161-496-0000.", "my number is [removed]."),
        ("It took 26 weeks and 3 letters in year 9", "It took 26 weeks and 3 letters in year 9"),
        ("The deadline was 23/11/2026", "The deadline was 23/11/2026"),
        ("Very helpful, thanks!", "Very helpful, thanks!"),
    ],
)
def test_redact(reason: str, expected: str) -> None:
    assert redact(reason) == expected


def test_article_id_only_for_turns_that_answered_from_an_article() -> None:
    from bot.dialogue.answers import article_mark
    from bot.web.channel import article_answered

    answer = [{"text": "What the law says"}, {"custom": article_mark("informal-exclusion")}]
    assert article_answered(answer) == "informal-exclusion"
    assert article_answered([{"text": "Hello!"}]) is None
    assert article_answered([{"custom": {"something": "else"}}, {"custom": ["a", "list"]}]) is None
    # Two answers in one turn (a section after a situation): the later one is the one rated.
    assert article_answered([{"custom": article_mark("ehc-delay")}, {"custom": article_mark("mediation")}]) == (
        "mediation"
    )
