"""Real-browser tests of the web chat widget against the real stack.

A session fixture starts the action server and the Rasa server (with the web chat channel) on free
loopback ports, with their own temporary conversation store and knowledge index, and stops them at the
end. Headless Chromium from the system (Debian's /usr/bin/chromium) drives the demo page.

Run: .venv/bin/python -m pytest tests/e2e -m e2e
Set E2E_BASE_URL (for example http://127.0.0.1:5005) to test a server that is already running instead.
Without a model, Chromium or axe-core the tests skip with the reason; with E2E_STRICT=1 (as in
scripts/test.sh) a missing piece is a failure instead, so CI cannot pass by skipping.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.servers import free_ports, responds, skip_or_fail, stop_process_group, tail

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "send-assistant.tar.gz"
RASA = ROOT / ".venv" / "bin" / "rasa"
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "results" / "screenshots"
WEBCHAT_SECRET = "e2e-only-secret-0f7c2b9d4e1a6c3b8f5d2e9a7c4b1f6e"
READY_TIMEOUT_S = 180
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PATH = "/webhooks/webchat/demo"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def missing(reason: str) -> None:
    """Skip, or fail under E2E_STRICT=1 (as in CI), when something the browser tests need is not there."""
    skip_or_fail(reason, "E2E_STRICT")


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a running Rasa server with the web chat channel (started here unless given)."""
    given = os.environ.get("E2E_BASE_URL")
    if given:
        yield given.rstrip("/")
        return
    if not MODEL.exists():
        missing(f"no trained model at {MODEL.relative_to(ROOT)}: run `make train` (the test command trains first)")
    if not RASA.exists():
        missing(f"Rasa is not installed at {RASA.relative_to(ROOT)}: run `make setup`")

    tmp = tmp_path_factory.mktemp("e2e-stack")
    action_port, rasa_port = free_ports(2)
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n\n'
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {json.dumps(str(tmp / 'tracker.db'))}\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "DATABASE_URL": f"sqlite:///{tmp / 'kb.db'}",
        "WEBCHAT_SECRET": WEBCHAT_SECRET,
        # Every test comes from 127.0.0.1: the per-address limit would otherwise throttle the suite.
        "WEBCHAT_RATE_PER_ADDRESS": "100000/hour",
        "WEBCHAT_RATE_PER_CONVERSATION": "100000/hour",
        "SANIC_HOST": "127.0.0.1",
    }
    actions_log, rasa_log = tmp / "actions.log", tmp / "rasa.log"
    processes: list[tuple[str, subprocess.Popen, Path]] = []
    try:
        processes.append(
            (
                "action server",
                _start(
                    [str(RASA), "run", "actions", "--actions", "actions", "--port", str(action_port)],
                    env,
                    actions_log,
                ),
                actions_log,
            )
        )
        processes.append(
            (
                "Rasa server",
                _start(
                    [
                        str(RASA),
                        "run",
                        "-i",
                        "127.0.0.1",
                        "-p",
                        str(rasa_port),
                        "--model",
                        str(MODEL),
                        "--credentials",
                        "credentials.yml",
                        "--endpoints",
                        str(endpoints),
                    ],
                    env,
                    rasa_log,
                ),
                rasa_log,
            )
        )
        url = f"http://127.0.0.1:{rasa_port}"
        checks = [f"{url}{DEMO_PATH}", f"http://127.0.0.1:{action_port}/health"]
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not all(responds(check) for check in checks):
            for name, process, log in processes:
                if process.poll() is not None:
                    raise RuntimeError(f"the {name} stopped (exit {process.returncode}); its log ends:\n{tail(log)}")
            if time.monotonic() > deadline:
                logs = "\n".join(f"--- {name}:\n{tail(log)}" for name, _, log in processes)
                raise RuntimeError(f"the stack was not ready after {READY_TIMEOUT_S} s\n{logs}")
            time.sleep(1)
        yield url
    finally:
        for _, process, _ in reversed(processes):
            stop_process_group(process)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        missing(f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Recorder:
    """What a page did that a test may want to check: script errors, dialogs and where it sent requests."""

    def __init__(self) -> None:
        self.page_errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []


@pytest.fixture
def open_page(browser, base_url: str):
    """Factory: a fresh browser context (own sessionStorage) with the demo page loaded."""
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)
    contexts = []

    def make(viewport: dict[str, int] | None = None, **context_options):
        context = browser.new_context(
            viewport=viewport or DESKTOP, base_url=base_url, accept_downloads=True, **context_options
        )
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        recorder = Recorder()
        page.on("pageerror", lambda error: recorder.page_errors.append(str(error)))

        def on_dialog(dialog) -> None:
            recorder.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("request", lambda request: recorder.requests.append(request.url))
        page.recorder = recorder
        page.goto(DEMO_PATH)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def origin(base_url: str) -> str:
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def phone(open_page):
    """The demo page on a phone, the widget open and the privacy notice accepted; axe-core must be there
    (tests/e2e/test_listening*.py)."""
    from tests.e2e.test_widget import open_widget

    if not AXE.exists():
        missing("axe-core is not installed (node_modules/axe-core): run `npm ci` to check accessibility")
    # bypass_csp: the demo page's policy would block the injected axe script. Reduced motion: the widget
    # scrolls without smooth animation, so each screenshot is settled.
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True, reduced_motion="reduce")
    open_widget(page)
    return page
