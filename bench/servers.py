"""Start, time, measure and stop the two processes of each setup: `rasa run` and `rasa run actions`."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.parents import Channel, Rest, WebChat, first_reply

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
RASA = PYTHON.parent / "rasa"

# The same quiet, offline environment scripts/common.sh gives every Rasa process.
BASE_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONHASHSEED": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
}


@dataclass
class Setup:
    name: str
    kind: str  # "webchat" (ours) or "rest" (the stock bot)
    cwd: Path
    model: Path
    endpoints: Path
    credentials: Path
    rasa_port: int
    actions_port: int
    env: dict[str, str] = field(default_factory=dict)

    def channel(self) -> Channel:
        url = f"http://127.0.0.1:{self.rasa_port}"
        return WebChat(url) if self.kind == "webchat" else Rest(url)


@dataclass
class Running:
    setup: Setup
    rasa: subprocess.Popen
    actions: subprocess.Popen
    started: float  # time.monotonic() just before the processes were started
    logs: dict[str, Path]


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _command(args: list[str], profile_to: Path | None) -> list[str]:
    if profile_to is None:
        return [str(PYTHON), str(RASA), *args]
    return [str(PYTHON), "-m", "bench.profiled", str(profile_to), str(RASA), *args]


def start(setup: Setup, log_dir: Path, profile_dir: Path | None = None) -> Running:
    """Start the action server and the Rasa server together, each in its own process group."""
    for port in (setup.rasa_port, setup.actions_port):
        if port_in_use(port):
            raise RuntimeError(f"port {port} is already in use: stop whatever is listening there, then run again")
    log_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **BASE_ENV, **setup.env}
    if profile_dir:
        # For `-m bench.profiled`; the working folder stays first on the path, so `actions` is the setup's own.
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    tag = "-profiled" if profile_dir else ""
    logs = {
        "actions": log_dir / f"{setup.name}-actions{tag}.log",
        "rasa": log_dir / f"{setup.name}-rasa{tag}.log",
    }

    def profile(part: str) -> Path | None:
        return profile_dir / f"{setup.name}-{part}.prof" if profile_dir else None

    actions_args = ["run", "actions", "--actions", "actions", "--port", str(setup.actions_port)]
    rasa_args = [
        "run",
        "--model",
        str(setup.model),
        "--endpoints",
        str(setup.endpoints),
        "--credentials",
        str(setup.credentials),
        "-i",
        "127.0.0.1",
        "-p",
        str(setup.rasa_port),
    ]
    started = time.monotonic()
    actions = subprocess.Popen(
        _command(actions_args, profile("actions")),
        cwd=setup.cwd,
        env={**env, "SANIC_HOST": "127.0.0.1"},  # loopback only, as scripts/run.sh does
        stdout=logs["actions"].open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    rasa = subprocess.Popen(
        _command(rasa_args, profile("rasa")),
        cwd=setup.cwd,
        env=env,
        stdout=logs["rasa"].open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return Running(setup, rasa, actions, started, logs)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as reply:
            return reply.status == 200
    except OSError:
        return False


def log_tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


async def wait_ready(running: Running, timeout: float = 600.0) -> dict[str, float]:
    """Seconds from process start until the action server answers /health and until the first reply.

    "Ready" is the first successful reply through the setup's own channel, which is what a parent
    waits for; until the model is loaded, our channel answers 503 and the REST channel 500 or nothing.
    """
    setup = running.setup
    channel = setup.channel()
    timings: dict[str, float] = {}
    deadline = running.started + timeout
    while time.monotonic() < deadline:
        for name, process in (("rasa", running.rasa), ("actions", running.actions)):
            if process.poll() is not None:
                raise RuntimeError(
                    f"{setup.name}: the {name} process stopped (exit {process.returncode}):\n"
                    + log_tail(running.logs[name])
                )
        if "actions_health" not in timings and _healthy(f"http://127.0.0.1:{setup.actions_port}/health"):
            timings["actions_health"] = time.monotonic() - running.started
        if port_in_use(setup.rasa_port):
            ok, _ = await first_reply(channel)
            if ok:
                timings["first_reply"] = time.monotonic() - running.started
                if "actions_health" in timings:
                    return timings
        await asyncio.sleep(0.25)
    raise RuntimeError(f"{setup.name}: not ready after {timeout:.0f}s; see {running.logs['rasa']}")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces: read the fields after it.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory_mb(pid: int) -> dict[str, float]:
    """Resident memory now and at its peak (VmRSS, VmHWM), of a process and its children, in MB."""
    pids = [pid]
    for p in pids:
        pids += [c for c in _children(p) if c not in pids]
    return {
        "rss_mb": round(sum(_status_kb(p, "VmRSS") for p in pids) / 1024, 1),
        "peak_mb": round(sum(_status_kb(p, "VmHWM") for p in pids) / 1024, 1),
        "processes": len(pids),
    }


def _stop_one(process: subprocess.Popen, timeout: float) -> None:
    if process.poll() is not None:
        return
    # SIGINT first, so Sanic and Rasa shut down cleanly; harder signals only if that hangs.
    for sig, wait in ((signal.SIGINT, timeout), (signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def stop(running: Running, timeout: float = 60.0) -> None:
    _stop_one(running.rasa, timeout)
    _stop_one(running.actions, timeout)


def errors_in_log(path: Path) -> list[str]:
    """Lines of a server log that report an error or a traceback."""
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return []
    return [line for line in lines if " ERROR " in line or line.startswith("Traceback")]
