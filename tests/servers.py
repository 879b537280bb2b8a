"""Helpers for tests that start real servers (browser and integration tests): ports, logs, readiness."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import urllib.error
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import pytest


def skip_or_fail(reason: str, strict_variable: str) -> None:
    """Skip when something the tests need is not there, or fail when `strict_variable` is "1" (as in CI)."""
    if os.environ.get(strict_variable) == "1":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def free_ports(count: int) -> list[int]:
    """Distinct free loopback ports (all sockets held open together, so no port is handed out twice)."""
    with ExitStack() as stack:
        sockets = []
        for _ in range(count):
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]


def tail(path: Path, lines: int = 40) -> str:
    """The end of a server's log, for the failure message."""
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def responds(url: str) -> bool:
    """Whether a GET of the URL answers 200 within two seconds."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def stop_process_group(process: subprocess.Popen) -> None:
    """Stop a server and everything it started (started with `start_new_session=True`): SIGTERM to its
    process group, then SIGKILL if it is still there after 20 seconds."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        process.wait(timeout=10)
