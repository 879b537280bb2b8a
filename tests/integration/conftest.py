"""Integration tests against the real servers: two Rasa servers and two action servers behind nginx,
sharing a fresh PostgreSQL database and Redis, as in production (docs/deploy.md).

One stack serves every test of the run (loading the model is what costs time, so the four servers start
together). Small TCP proxies (tests/integration/proxy.py) sit on the lines the tests cut:

    test ─► nginx :web ─► Rasa ×2 ──► [actions proxy] ─► nginx :actions ─► action servers ×2
                            │                                                  │
                            └─► [conversations proxy] ─► PostgreSQL ◄─ [knowledge proxy]
                            └─► Redis (conversation locks)

Run: .venv/bin/python -m pytest tests/integration -m integration
Without a model, nginx, PostgreSQL or Redis the tests skip with the reason; scripts/test.sh sets
INTEGRATION_STRICT=1, REQUIRE_POSTGRES=1 and REQUIRE_REDIS=1 so that CI fails instead.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import create_engine

from tests.db import drop_postgres, postgres_url, redis_url
from tests.integration.chat import ACTION_TIMEOUT_S, WEBCHAT_SECRET
from tests.integration.proxy import TcpProxy
from tests.servers import free_ports, responds, skip_or_fail, stop_process_group, tail

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "send-assistant.tar.gz"
RASA = ROOT / ".venv" / "bin" / "rasa"
PY = ROOT / ".venv" / "bin" / "python"
NGINX_CONF = ROOT / "deploy" / "nginx" / "nginx.conf"
READY_TIMEOUT_S = 240
# The ports in deploy/nginx/nginx.conf, replaced with free ones so a running cluster.sh is left alone.
NGINX_PORTS = {"web": 8080, "actions": 8081, "rasa": (5006, 5007), "action_servers": (5056, 5057)}


def missing(reason: str) -> None:
    """Skip, or fail under INTEGRATION_STRICT=1 (as in CI), when something the tests need is not there."""
    skip_or_fail(reason, "INTEGRATION_STRICT")


@dataclass
class Process:
    """One server: started in its own process group, so stopping it stops everything it started."""

    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    ready_url: str
    popen: subprocess.Popen | None = None
    starts: int = 0

    def start(self) -> Process:
        self.starts += 1
        with self.log.open("ab") as out:
            out.write(f"\n===== start {self.starts} =====\n".encode())
            out.flush()
            self.popen = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def stop(self) -> None:
        if self.popen is not None:
            stop_process_group(self.popen)

    def check_running(self) -> None:
        if self.popen is not None and self.popen.poll() is not None:
            raise RuntimeError(
                f"the {self.name} stopped (exit {self.popen.returncode}); its log ends:\n{tail(self.log)}"
            )

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def wait_ready(processes: list[Process], timeout: float = READY_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    waiting = list(processes)
    while waiting:
        waiting = [p for p in waiting if not responds(p.ready_url)]
        for process in waiting:
            process.check_running()
        if waiting and time.monotonic() > deadline:
            logs = "\n".join(f"--- {p.name}:\n{tail(p.log)}" for p in waiting)
            raise RuntimeError(f"not ready after {timeout:.0f} s\n{logs}")
        if waiting:
            time.sleep(0.5)


@dataclass
class Stack:
    web: str  # nginx, in front of both Rasa servers
    rasa: list[Process]
    rasa_urls: list[str]
    actions: list[Process]
    nginx: Process
    database_url: str  # direct, for the checks
    actions_line: TcpProxy  # Rasa -> action servers
    conversations_line: TcpProxy  # Rasa -> PostgreSQL (conversation store)
    knowledge_line: TcpProxy  # action servers -> PostgreSQL (knowledge index)
    locks_line: TcpProxy  # Rasa -> Redis (conversation locks)
    timings: dict[str, float] = field(default_factory=dict)

    def restart_rasa(self, index: int) -> float:
        """Stop a Rasa server and start it again; the seconds until it answered."""
        started = time.monotonic()
        server = self.rasa[index]
        server.stop()
        server.start()
        wait_ready([server])
        return time.monotonic() - started


def _load_deploy_script(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"integration_deploy_{name}", ROOT / "deploy" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def render_nginx_conf(web: int, actions: int, rasa: list[int], action_servers: list[int]) -> str:
    """deploy/nginx/nginx.conf with its fixed ports swapped for ours; fails if a port is no longer there."""
    text = NGINX_CONF.read_text(encoding="utf-8")
    swaps = {NGINX_PORTS["web"]: web, NGINX_PORTS["actions"]: actions}
    swaps |= dict(zip(NGINX_PORTS["rasa"], rasa, strict=True)) | dict(
        zip(NGINX_PORTS["action_servers"], action_servers, strict=True)
    )
    for old in swaps:
        assert f"127.0.0.1:{old}" in text, (
            f"{NGINX_CONF} no longer has 127.0.0.1:{old}: update NGINX_PORTS in {__file__}"
        )
    # All at once and whole numbers only: one by one, a new port that starts with an old one (50571 after 5057) was
    # swapped again, into a port that does not exist (494399).
    return re.sub(r"127\.0\.0\.1:(\d+)(?!\d)", lambda m: f"127.0.0.1:{swaps.get(int(m.group(1)), m.group(1))}", text)


def _prepare_database(database_url: str, env: dict[str, str]) -> None:
    """Knowledge index and conversation table made once, before servers start together (as cluster.sh)."""
    script = (
        "from bot.settings import load_settings\n"
        "from bot.rasa_ext.tracker_store import store_from_settings\n"
        "store_from_settings(load_settings()).engine.dispose()\n"
    )
    build = subprocess.Popen([str(PY), "-m", "bot", "knowledge", "build"], cwd=ROOT, env=env, stdout=subprocess.PIPE)
    tables = subprocess.run([str(PY), "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    build.communicate(timeout=120)
    assert tables.returncode == 0, f"could not create the conversation table:\n{tables.stderr}"
    # A knowledge error elsewhere (exit 1) still indexes every valid article, as in cluster.sh.
    engine = create_engine(database_url, future=True)
    try:
        with engine.connect() as conn:
            count = conn.exec_driver_sql("SELECT count(*) FROM kb_articles").scalar()
    finally:
        engine.dispose()
    assert count, "the knowledge index is empty"


def _warm_up_action_server(port: int) -> None:
    """First use of an action server indexes the knowledge files; do it now, not inside a timed turn."""
    body = {
        "next_action": "action_crisis_follow_up",
        "sender_id": "warm-up",
        "tracker": {"sender_id": "warm-up", "latest_message": {"intent_ranking": []}, "events": []},
        "domain": {},
    }
    reply = requests.post(f"http://127.0.0.1:{port}/webhook", json=body, timeout=120)
    assert reply.status_code == 200, reply.text
    said = " ".join(str(r.get("text")) for r in reply.json().get("responses", []))
    assert "went wrong" not in said, f"the action server on port {port} failed its first action: {said}"


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    started = time.monotonic()
    if not MODEL.exists():
        missing(f"no trained model at {MODEL.relative_to(ROOT)}: run `make train` (scripts/test.sh trains first)")
    if not RASA.exists():
        missing(f"Rasa is not installed at {RASA.relative_to(ROOT)}: run `make setup`")
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        missing("nginx is not installed: apt-get install -y nginx (its system service is not used)")
    redis = redis_url()  # skip or fail (REQUIRE_REDIS=1) when Redis is not there
    database_url = postgres_url()  # a fresh database for this run; skip or fail (REQUIRE_POSTGRES=1)

    tmp = tmp_path_factory.mktemp("integration")
    # The model another engineer may retrain in place: this run keeps its own copy.
    model = tmp / "model.tar.gz"
    shutil.copyfile(MODEL, model)
    print(f"integration stack: server logs in {tmp}")
    web, actions_lb, rasa_a, rasa_b, act_a, act_b = free_ports(6)
    rasa_ports, action_ports = [rasa_a, rasa_b], [act_a, act_b]
    database = database_url.rsplit("/", 1)[1]

    with ExitStack() as cleanup:
        cleanup.callback(model.unlink, missing_ok=True)
        cleanup.callback(drop_postgres, database_url)
        conversations_line = TcpProxy("127.0.0.1", 5432, "conversations-line").start()
        cleanup.callback(conversations_line.close)
        knowledge_line = TcpProxy("127.0.0.1", 5432, "knowledge-line").start()
        cleanup.callback(knowledge_line.close)
        actions_line = TcpProxy("127.0.0.1", actions_lb, "actions-line").start()
        cleanup.callback(actions_line.close)
        real_redis = urlsplit(redis)
        locks_line = TcpProxy(real_redis.hostname or "127.0.0.1", real_redis.port or 6379, "locks-line").start()
        cleanup.callback(locks_line.close)

        base_env = {
            **os.environ,
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "REDIS_URL": f"redis://{locks_line.address}{real_redis.path}",
            "WEBCHAT_SECRET": WEBCHAT_SECRET,
            # Every request comes from 127.0.0.1: the limits would otherwise throttle the test.
            "WEBCHAT_RATE_PER_ADDRESS": "100000/hour",
            "WEBCHAT_RATE_PER_CONVERSATION": "100000/hour",
            "WEBCHAT_ACTION_TIMEOUT_SECONDS": str(ACTION_TIMEOUT_S),
            "DB_POOL_SIZE": "3",
            "DB_MAX_OVERFLOW": "2",
            "SANIC_WORKERS": "1",
            "KNOWLEDGE_REFRESH_SECONDS": "60",
        }
        _prepare_database(database_url, {**base_env, "DATABASE_URL": database_url})
        timings = {"database ready": time.monotonic() - started}

        endpoints = tmp / "endpoints.yml"
        endpoints.write_text(
            _load_deploy_script("endpoints").with_action_url(
                (ROOT / "endpoints.yml").read_text(encoding="utf-8"), f"http://{actions_line.address}/webhook"
            ),
            encoding="utf-8",
        )
        prefix = tmp / "nginx"
        for folder in ("logs", "temp"):
            (prefix / folder).mkdir(parents=True, exist_ok=True)
        conf = tmp / "nginx.conf"
        conf.write_text(render_nginx_conf(web, actions_lb, rasa_ports, action_ports), encoding="utf-8")

        rasa_env = {
            **base_env,
            "DATABASE_URL": f"postgresql://postgres@{conversations_line.address}/{database}",
            "SANIC_PROXIES_COUNT": "1",
        }
        action_env = {
            **base_env,
            "DATABASE_URL": f"postgresql://postgres@{knowledge_line.address}/{database}",
            "SANIC_HOST": "127.0.0.1",
        }
        action_servers = [
            Process(
                f"action server :{port}",
                [str(RASA), "run", "actions", "--actions", "actions", "--port", str(port)],
                action_env,
                tmp / f"actions-{port}.log",
                f"http://127.0.0.1:{port}/health",
            )
            for port in action_ports
        ]
        rasa_servers = [
            Process(
                f"Rasa server :{port}",
                [
                    str(RASA),
                    "run",
                    "--model",
                    str(model),
                    "--endpoints",
                    str(endpoints),
                    "--credentials",
                    "credentials.yml",
                    "-i",
                    "127.0.0.1",
                    "-p",
                    str(port),
                ],
                rasa_env,
                tmp / f"rasa-{port}.log",
                f"http://127.0.0.1:{port}/webhooks/webchat/",
            )
            for port in rasa_ports
        ]
        nginx_process = Process(
            "nginx",
            [nginx, "-p", f"{prefix}/", "-c", str(conf), "-e", str(prefix / "logs" / "error.log")],
            base_env,
            tmp / "nginx.log",
            f"http://127.0.0.1:{actions_lb}/health",
        )
        everything = [nginx_process, *action_servers, *rasa_servers]
        for process in reversed(everything):
            cleanup.callback(process.stop)
        for process in everything:
            process.start()

        wait_ready([*action_servers, nginx_process])
        # One after the other: two first uses at once race to re-index the same articles (see docs/deploy.md).
        for port in action_ports:
            _warm_up_action_server(port)
        timings["action servers ready"] = time.monotonic() - started
        wait_ready(rasa_servers)
        timings["Rasa servers ready"] = time.monotonic() - started
        web_url = f"http://127.0.0.1:{web}"
        wait_ready([Process("nginx web", [], {}, nginx_process.log, f"{web_url}/webhooks/webchat/")], 30)

        yield Stack(
            web=web_url,
            rasa=rasa_servers,
            rasa_urls=[f"http://127.0.0.1:{port}" for port in rasa_ports],
            actions=action_servers,
            nginx=nginx_process,
            database_url=database_url,
            actions_line=actions_line,
            conversations_line=conversations_line,
            knowledge_line=knowledge_line,
            locks_line=locks_line,
            timings=timings,
        )
