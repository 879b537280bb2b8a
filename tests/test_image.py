"""deploy/Dockerfile built with podman and run: the user it runs as, what it holds, and one conversation.

Plain `pytest` leaves these out (marker `image`); `make test` runs them after the model is trained:

    .venv/bin/python -m pytest tests/test_image.py -m image

Without a container registry (this project's CI machine reaches only PyPI and Debian's mirror), the
Dockerfile's `FROM python:3.10-slim` is replaced with `podman build --from` by a local stand-in that
deploy/local-base.sh makes with debootstrap, and `pip install -r requirements.lock` installs the wheels
that script fetched (mounted at /wheels; the build has no network). With a registry, set
IMAGE_BASE=docker.io/library/python:3.10-slim to build exactly what is shipped. The layer cache is kept:
after the first build (about 4 minutes) a rebuild with a new model or new code takes seconds.
docs/deploy.md#building-the-image-without-a-registry explains the podman settings this machine needs.

Without podman, or without root the first time (debootstrap), the tests skip with the reason;
IMAGE_STRICT=1 (as in `make test`) makes that a failure.
"""

from __future__ import annotations

import json
import os
import re
import resource
import secrets
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from dotenv import dotenv_values

pytestmark = pytest.mark.image

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
MODEL = ROOT / "models" / "send-assistant.tar.gz"
WHEELS = ROOT / "var" / "image" / "wheels"
TAG = "localhost/send-assistant:test"
LOCAL_BASE = "localhost/send-assistant-base:3.10-bookworm"
STRICT = os.environ.get("IMAGE_STRICT") == "1"
# The project's secrets: in .env or the environment, or generated into var/webchat_secret (bot/web/tokens.py).
SECRET_SETTINGS = ("WEBCHAT_SECRET", "DATABASE_URL", "REDIS_URL")
SECRET_FILE_NAMES = [".env", ".env.*", "*.secret", "webchat_secret", "*.db", "*.db-journal", "*.sqlite*"]
# Rasa loads the model before it opens its port: 15 s here, up to 90 s on a slow machine.
START_TIMEOUT_S = 240
FIRST_MESSAGE = "My son has an EHC plan and the council wants to cut his support. What can I do?"


def unavailable(reason: str) -> None:
    if STRICT:
        pytest.fail(f"{reason} (IMAGE_STRICT=1)")
    pytest.skip(reason)


# -- podman ----------------------------------------------------------------------------------------------


def podman() -> list[str]:
    """podman, with the OCI runtime this machine needs.

    crun refuses cgroups in "hybrid" mode (v1 controllers with a v2 hierarchy at /sys/fs/cgroup/unified),
    as on this project's CI sandbox; runc works there. PODMAN_RUNTIME overrides the choice."""
    runtime = os.environ.get("PODMAN_RUNTIME")
    if not runtime and os.path.ismount("/sys/fs/cgroup/unified") and shutil.which("runc"):
        runtime = "runc"
    return ["podman", *(["--runtime", runtime] if runtime else [])]


def limits() -> list[str]:
    """Resource limits no higher than this process's own: podman's defaults (a million open files) are
    refused where the hard limit is lower ("setrlimit RLIMIT_NOFILE: Operation not permitted")."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    files = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    return ["--ulimit", f"nofile={files}:{files}", "--ulimit", "nproc=4096:4096"]


def run(args: list[str], timeout: float = 120, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout, **kwargs)


def in_image(image: str, command: str, *options: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return run([*podman(), "run", "--rm", *limits(), *options, image, "sh", "-c", command], **kwargs)


def tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])


def base_image() -> tuple[str, bool]:
    """The image that replaces the Dockerfile's FROM, and whether it is the local stand-in."""
    if os.environ.get("IMAGE_BASE"):
        return os.environ["IMAGE_BASE"], False
    result = run(["bash", "deploy/local-base.sh"], timeout=1800)
    if result.returncode != 0:
        unavailable(f"deploy/local-base.sh could not make the base image: {tail(result.stderr, 10)}")
    return LOCAL_BASE, True


@pytest.fixture(scope="module")
def image() -> str:
    if shutil.which("podman") is None:
        unavailable("podman is not installed (apt-get install -y podman runc debootstrap)")
    if not MODEL.is_file():
        unavailable("no trained model (make train): the image holds the release's model")
    base, local = base_image()
    build = [
        *podman(),
        "build",
        "--layers",
        "--pull=missing",
        "--from",
        base,
        *limits(),
        # The local base installs from these wheels only, so its build needs no network at all.
        *(["--network", "none", "--volume", f"{WHEELS}:/wheels:ro"] if local else []),
        "--ignorefile",
        "deploy/Dockerfile.dockerignore",
        "--file",
        "deploy/Dockerfile",
        "--tag",
        TAG,
        ".",
    ]
    started = time.monotonic()
    result = run(build, timeout=3600)
    assert result.returncode == 0, f"podman build failed:\n{tail(result.stdout)}\n{tail(result.stderr)}"
    print(f"image built in {time.monotonic() - started:.0f}s from {base}")
    return TAG


def inspect(image: str) -> dict[str, Any]:
    result = run([*podman(), "image", "inspect", image])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)[0]["Config"]


# -- the user --------------------------------------------------------------------------------------------


def dockerfile_user() -> str:
    match = re.search(r"^USER\s+(\S+)\s*$", DOCKERFILE.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, "the Dockerfile sets no USER"
    return match.group(1)


def test_the_image_runs_as_an_unprivileged_user_who_cannot_change_the_code(image: str) -> None:
    assert inspect(image).get("User") == dockerfile_user() == "10001:10001"
    result = in_image(
        image,
        "id -u; id -g; touch /app/bot/x 2>/dev/null && echo code-writable || echo code-read-only; "
        "touch /app/var/x && echo var-writable",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["10001", "10001", "code-read-only", "var-writable"]


# -- what the image holds --------------------------------------------------------------------------------


def copied_top_level_names() -> set[str]:
    """What the Dockerfile's COPY instructions put directly in /app."""
    names = {"var"}  # made by the Dockerfile for SQLite
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("COPY "):
            *sources, destination = line.split()[1:]
            if destination in ("./", "."):
                names |= {Path(source).name for source in sources}
            else:
                names.add(destination.strip("/").split("/")[0])
    return names


def local_secret_values() -> list[str]:
    """This checkout's secret values, wherever they are set: none may appear in the image."""
    values = set()
    file_values = dotenv_values(ROOT / ".env") if (ROOT / ".env").is_file() else {}
    for name in SECRET_SETTINGS:
        values |= {os.environ.get(name) or "", file_values.get(name) or ""}
    generated = ROOT / "var" / "webchat_secret"
    if generated.is_file():
        values.add(generated.read_text(encoding="utf-8").strip())
    # A short or empty value would match everywhere; real secrets are long.
    return sorted(v for v in values if len(v) >= 16)


def test_the_image_holds_no_secrets_no_conversations_and_nothing_but_the_release(image: str) -> None:
    config = inspect(image)
    env_names = {entry.split("=", 1)[0] for entry in config.get("Env") or []}
    assert not env_names & set(SECRET_SETTINGS), "secrets are given at run time, never built in"

    # No secret or database file anywhere in the image (-xdev: not /proc, /sys or /dev).
    names = " -o ".join(f"-name '{pattern}'" for pattern in SECRET_FILE_NAMES)
    found = in_image(image, f"find / -xdev \\( {names} \\) -print 2>/dev/null; true")
    assert found.returncode == 0, found.stderr
    assert found.stdout.split() == [], "secret or conversation files in the image"

    # /app holds what the Dockerfile copies and nothing else (no .git, .venv, tests, .env, results);
    # var/ is empty.
    listing = in_image(image, "ls -A /app; echo ---; ls -A /app/var")
    assert listing.returncode == 0, listing.stderr
    app, var = listing.stdout.split("---")
    assert set(app.split()) == copied_top_level_names()
    assert var.split() == []
    assert "pip.conf" not in copied_top_level_names()

    # This checkout's own secret values appear in no file of the release (read on stdin, so they are
    # never on a command line).
    values = local_secret_values()
    if values:
        grep = in_image(image, "grep -rlF -f - /app", "--interactive", input="\n".join(values) + "\n")
        assert grep.returncode == 1, f"a local secret value is in the image: {grep.stdout.split()}"


# -- one conversation ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def action_server_command() -> list[str]:
    """The action server's command from the Kubernetes manifest, so the test runs what is deployed."""
    for doc in yaml.safe_load_all((ROOT / "deploy" / "kubernetes" / "actions.yaml").read_text(encoding="utf-8")):
        if doc and doc["kind"] == "Deployment":
            (container,) = doc["spec"]["template"]["spec"]["containers"]
            return [str(part) for part in container["command"] + container.get("args", [])]
    raise AssertionError("no action server Deployment in deploy/kubernetes/actions.yaml")


def logs(name: str) -> str:
    result = run([*podman(), "logs", name])
    return result.stdout + result.stderr


def running(name: str) -> bool:
    result = run([*podman(), "inspect", "--format", "{{.State.Running}}", name])
    return result.stdout.strip() == "true"


@pytest.fixture(scope="module")
def served(image: str) -> Iterator[dict[str, str]]:
    """The image's own command (the Rasa server, web chat only) with the action server beside it in the
    same network namespace, as a plain `docker run` would: SQLite in var/ (a volume), the web chat secret
    from the environment. Hardened as in Kubernetes: read-only root filesystem, no capabilities, no
    privilege escalation (/tmp is a tmpfs)."""
    suffix = uuid.uuid4().hex[:8]
    rasa, actions = f"send-assistant-test-rasa-{suffix}", f"send-assistant-test-actions-{suffix}"
    port = free_port()
    hardening = ["--read-only", "--volume", "/app/var", "--cap-drop", "all", "--security-opt", "no-new-privileges"]
    env = dict(os.environ, WEBCHAT_SECRET=secrets.token_hex(32))
    started = time.monotonic()
    try:
        for name, options, command in (
            (rasa, ["--publish", f"127.0.0.1:{port}:5005", "--env", "WEBCHAT_SECRET"], []),
            (actions, ["--network", f"container:{rasa}"], action_server_command()),
        ):
            result = run(
                [*podman(), "run", "--detach", "--name", name, *limits(), *hardening, *options, image, *command],
                env=env,
            )
            assert result.returncode == 0, f"{name} did not start: {result.stderr}"
        base = f"http://127.0.0.1:{port}/webhooks/webchat"
        while True:
            assert running(rasa), f"the Rasa server stopped:\n{tail(logs(rasa))}"
            assert running(actions), f"the action server stopped:\n{tail(logs(actions))}"
            try:
                if requests.get(f"{base}/", timeout=5).json() == {"status": "ok"}:
                    break
            except (requests.RequestException, ValueError):
                pass
            assert time.monotonic() - started < START_TIMEOUT_S, (
                f"no answer after {START_TIMEOUT_S}s:\n{tail(logs(rasa))}"
            )
            time.sleep(2)
        print(f"servers up in {time.monotonic() - started:.0f}s")
        yield {"base": base, "rasa": rasa, "actions": actions}
    finally:
        for name in (actions, rasa):  # the action server shares the Rasa container's network: first
            run([*podman(), "rm", "--force", "--volumes", name])


def say(base: str, token: str, **body: str) -> dict[str, Any]:
    reply = requests.post(f"{base}/message", json={"token": token, **body}, timeout=120)
    assert reply.status_code == 200, reply.text
    content = reply.json()
    assert "error" not in content, content
    texts = [m.get("text", "") for m in content["messages"]]
    assert any(text.strip() for text in texts), content
    return content


def test_one_conversation_through_the_image(served: dict[str, str]) -> None:
    base = served["base"]
    session = requests.post(f"{base}/session", json={"partner": "default"}, timeout=30)
    assert session.status_code == 200, session.text
    token = session.json()["token"]

    first = say(base, token, text=FIRST_MESSAGE)
    # An answer from the knowledge base: the action server in the image found the article and its sources.
    assert any("https://" in m.get("text", "") for m in first["messages"]), first
    buttons = [b["payload"] for m in first["messages"] for b in m.get("buttons") or []]
    assert buttons, first
    # The parent presses a button, then asks something else, in the same conversation.
    say(base, token, payload="/section_who_can_help" if "/section_who_can_help" in buttons else buttons[0])
    say(base, token, text="thank you")

    rasa_log = logs(served["rasa"])
    assert " ERROR " not in rasa_log, tail(rasa_log)
    assert "Failed to run custom action" not in rasa_log, tail(rasa_log)
    # The conversation was kept where a plain `docker run` keeps it: SQLite in var/, owner-only.
    stored = run([*podman(), "exec", served["rasa"], "sh", "-c", "stat -c '%a %U %n' /app/var/*.db"])
    assert stored.returncode == 0, stored.stderr
    assert "600 app /app/var/tracker.db" in stored.stdout.splitlines(), stored.stdout
