"""What our scripts start, read from the scripts themselves: every server on loopback, the action server
(no authentication of its own) never reachable from outside, and Rasa's HTTP API never enabled."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted((ROOT / "scripts").glob("*.sh"))
LOOPBACK_INTERFACE = re.compile(r"(?:^|\s)(?:-i|--interface)\s+127\.0\.0\.1(?:\s|$)")


def commands(path: Path) -> list[str]:
    """The script's commands: comments dropped, lines continued with a backslash joined."""
    joined = re.sub(r"\\\n\s*", " ", path.read_text(encoding="utf-8"))
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")]


def rasa_servers(path: Path) -> list[str]:
    return [c for c in commands(path) if re.search(r'"\$RASA"\s+(?:run|shell)\b', c)]


def test_the_run_script_starts_what_we_check() -> None:
    # So the checks below can't pass by finding nothing.
    started = rasa_servers(ROOT / "scripts" / "run.sh")
    assert len([c for c in started if " run actions " in c]) == 1
    assert len([c for c in started if '"$RASA" run --model' in c]) == 1
    assert len([c for c in started if '"$RASA" shell' in c]) == 1


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_every_server_listens_on_loopback_only(script: Path) -> None:
    for command in rasa_servers(script):
        if " run actions " in command:
            # `rasa run actions` has no --interface option; Sanic reads SANIC_HOST.
            assert re.search(r"(?:^|\s)SANIC_HOST=127\.0\.0\.1\s", command), command
        else:
            assert LOOPBACK_INTERFACE.search(command), command


@pytest.mark.parametrize("script", [*SCRIPTS, ROOT / "Makefile"], ids=lambda p: p.name)
def test_rasa_http_api_is_never_enabled(script: Path) -> None:
    for command in commands(script):
        assert "--enable-api" not in command, command
        assert "--cors" not in command, command


def test_rasa_calls_the_action_server_on_loopback() -> None:
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    assert urlsplit(endpoints["action_endpoint"]["url"]).hostname == "127.0.0.1"


def test_the_web_server_offers_only_our_channel() -> None:
    # Rasa's rest and socket.io channels trust the conversation id the browser sends.
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    assert list(credentials) == ["bot.webchat.channel.WebChatInput"]
