"""What our scripts start, read from the scripts themselves: every server on loopback, the action server
(no authentication of its own) never reachable from outside, and Rasa's HTTP API never enabled."""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from rasa.utils.endpoints import read_endpoint_config

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


def test_rasa_sends_the_domain_only_to_actions_that_need_it() -> None:
    # Every action call used to carry the whole domain; ours never read it (nothing in actions/ does).
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    assert endpoints["action_endpoint"]["enable_selective_domain"] is True
    for path in (ROOT / "actions").glob("*.py"):
        assert not re.search(r"\bdomain(?:\[|\.get\()", path.read_text(encoding="utf-8")), path


def test_the_web_server_offers_only_our_channel() -> None:
    # Rasa's rest and socket.io channels trust the conversation id the browser sends.
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    assert list(credentials) == ["bot.web.channel.WebChatInput"]


# -- each run calls its own action server (issue 14, point 5) -----------------------------------------


def test_rasa_is_given_the_endpoints_written_for_this_run() -> None:
    # Before: both `rasa run` and `rasa shell` read endpoints.yml, whatever ACTION_PORT started.
    started = [c for c in rasa_servers(ROOT / "scripts" / "run.sh") if " run actions " not in c]
    assert len(started) == 2
    assert all('--endpoints "$ENDPOINTS"' in command for command in started), started
    [actions] = [c for c in rasa_servers(ROOT / "scripts" / "run.sh") if " run actions " in c]
    assert '--port "$ACTION_PORT"' in actions


def run_settings(**env: str) -> subprocess.CompletedProcess[str]:
    """What run.sh does before it starts anything: read the ports and write this run's endpoints."""
    return subprocess.run(
        ["bash", "-c", 'source scripts/common.sh && run_settings && printf "%s\\n" "$ENDPOINTS"'],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


class ActionServer(ThreadingHTTPServer):
    """A stand-in action server on a free port that remembers the actions it was asked to run."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.calls.append(f"{self.path} {body['next_action']}")
                reply = b'{"events": [], "responses": []}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def port(self) -> int:
        return self.server_address[1]


@pytest.fixture
def action_servers() -> Iterator[list[ActionServer]]:
    servers = [ActionServer(), ActionServer()]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield servers
    for server in servers:
        server.shutdown()
        server.server_close()


async def test_two_instances_with_different_action_ports_each_reach_their_own(
    action_servers: list[ActionServer],
) -> None:
    first, second = action_servers
    # Each instance its own Rasa port (nothing listens on it here: it only names the endpoints file).
    instances = [(first, first.port + 1), (second, second.port + 1)]
    written: list[Path] = []
    try:
        for server, rasa_port in instances:
            result = run_settings(ACTION_PORT=str(server.port), RASA_PORT=str(rasa_port))
            assert result.returncode == 0, result.stderr
            written.append(Path(result.stdout.split()[-1]))
        assert written[0] != written[1]
        for path, (server, _) in zip(written, instances, strict=True):
            # Read the way `rasa run --endpoints` reads it, then called the way Rasa calls custom actions.
            endpoint = read_endpoint_config(str(path), "action_endpoint")
            assert endpoint is not None and endpoint.url == f"http://127.0.0.1:{server.port}/webhook"
            await endpoint.request(json={"next_action": f"action_from_{path.stem}"}, method="post", timeout=10)
            # The rest of endpoints.yml (our tracker and lock stores) is kept.
            copied = yaml.safe_load(path.read_text(encoding="utf-8"))
            original = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
            assert {k: v for k, v in copied.items() if k != "action_endpoint"} == {
                k: v for k, v in original.items() if k != "action_endpoint"
            }
    finally:
        for path in written:
            path.unlink(missing_ok=True)
    assert first.calls == [f"/webhook action_from_{written[0].stem}"]
    assert second.calls == [f"/webhook action_from_{written[1].stem}"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ACTION_PORT": "fifty", "RASA_PORT": "5005"}, "ACTION_PORT must be a port number"),
        ({"ACTION_PORT": "5055", "RASA_PORT": "70000"}, "RASA_PORT must be a port number"),
        ({"ACTION_PORT": "5005", "RASA_PORT": "5005"}, "must differ"),
    ],
)
def test_a_wrong_port_stops_the_run_with_the_reason(env: dict[str, str], message: str) -> None:
    result = run_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr
