"""The deployment files: Kubernetes manifests schema-checked offline, the project's own rules for them,
the Dockerfile, the nginx config and scripts/cluster.sh. Nothing here is built or deployed."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from kubernetes_validate import utils as kv

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "kubernetes"
# The newest Kubernetes whose schemas the pinned kubernetes-validate ships.
K8S_VERSION = "1.28.0"
SECRET_NAME = "send-assistant-secrets"
CONFIGMAP_NAME = "send-assistant-settings"
MODEL_IN_IMAGE = "models/send-assistant.tar.gz"
RASA_SLOW_START_SECONDS = 90


def load_script(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"deploy_{name}", DEPLOY / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


connections = load_script("connections")
endpoints = load_script("endpoints")

# Environment names read by Rasa, Sanic, TensorFlow or SQLAlchemy rather than by our code.
THIRD_PARTY_ENV = {
    "RASA_TELEMETRY_ENABLED",
    "SANIC_WORKERS",
    "SANIC_PROXIES_COUNT",
    "TF_CPP_MIN_LOG_LEVEL",
    "SQLALCHEMY_SILENCE_UBER_WARNING",
}


# -- loading -----------------------------------------------------------------------------------------


def manifest_files() -> list[Path]:
    return sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")


def documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


ALL_DOCS = [(path.name, doc) for path in manifest_files() for doc in documents(path)]


def of_kind(kind: str) -> list[dict[str, Any]]:
    return [doc for _, doc in ALL_DOCS if doc["kind"] == kind]


def named(kind: str, name: str) -> dict[str, Any]:
    found = [doc for doc in of_kind(kind) if doc["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} named {name}"
    return found[0]


def pod_template(doc: dict[str, Any]) -> dict[str, Any]:
    if doc["kind"] == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]
    return doc["spec"]["template"]


WORKLOADS = [doc for _, doc in ALL_DOCS if doc["kind"] in {"Deployment", "CronJob"}]


def containers(doc: dict[str, Any], init: bool = True) -> list[dict[str, Any]]:
    spec = pod_template(doc)["spec"]
    return list(spec["containers"]) + (list(spec.get("initContainers", [])) if init else [])


ALL_CONTAINERS = [(f"{doc['metadata']['name']}/{c['name']}", doc, c) for doc in WORKLOADS for c in containers(doc)]


def rasa_container() -> dict[str, Any]:
    return next(c for c in containers(named("Deployment", "send-assistant-rasa"), init=False) if c["name"] == "rasa")


def actions_container() -> dict[str, Any]:
    deployment = named("Deployment", "send-assistant-actions")
    return next(c for c in containers(deployment, init=False) if c["name"] == "actions")


def command_line(container: dict[str, Any]) -> list[str]:
    return [str(part) for part in container.get("command", []) + container.get("args", [])]


def quantity(text: str | int) -> float:
    """A Kubernetes quantity in base units: bytes for memory, cores for CPU."""
    text = str(text)
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9}
    for suffix, factor in units.items():
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * factor
    return float(text)


# -- schemas -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,doc", ALL_DOCS, ids=[f"{name}:{doc['kind']}/{doc['metadata']['name']}" for name, doc in ALL_DOCS]
)
def test_manifest_matches_the_kubernetes_schema(name: str, doc: dict[str, Any]) -> None:
    # Strict: unknown fields (a misspelt probe setting, say) fail instead of being silently dropped.
    try:
        kv.validate(doc, K8S_VERSION, strict=True)
    except kv.ValidationError as error:
        where = ".".join(str(p) for p in error.path)
        pytest.fail(f"{name}: {doc['kind']}/{doc['metadata']['name']}: {where}: {error.message}")
    except kv.SchemaNotFoundError as error:
        pytest.fail(f"{name}: {error.message}")


def test_the_schema_check_really_catches_mistakes() -> None:
    deployment = yaml.safe_load(yaml.safe_dump(named("Deployment", "send-assistant-rasa")))
    probe = deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]
    probe["initialDelaySecond"] = probe.pop("initialDelaySeconds")
    with pytest.raises(kv.ValidationError):
        kv.validate(deployment, K8S_VERSION, strict=True)
    deployment = yaml.safe_load(yaml.safe_dump(named("Deployment", "send-assistant-rasa")))
    deployment["spec"]["replicas"] = "two"
    with pytest.raises(kv.ValidationError):
        kv.validate(deployment, K8S_VERSION, strict=True)


def test_kustomization_lists_every_manifest_but_the_secret_template() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    expected = {p.name for p in manifest_files()} - {"secret.example.yaml"}
    assert set(kustomization["resources"]) == expected
    assert "secret.example.yaml" not in kustomization["resources"], "applying it would replace real secrets"
    assert kustomization["namespace"] == named("Namespace", kustomization["namespace"])["metadata"]["name"]
    for _, doc in ALL_DOCS:
        assert "namespace" not in doc["metadata"], "the kustomization sets the namespace for everything"


# -- the project's rules -----------------------------------------------------------------------------


def dockerfile() -> str:
    return (DEPLOY / "Dockerfile").read_text(encoding="utf-8")


def image_user_id() -> int:
    match = re.search(r"^USER\s+(\d+)(?::\d+)?\s*$", dockerfile(), re.MULTILINE)
    assert match, "the Dockerfile must switch to a numeric non-root USER"
    return int(match.group(1))


@pytest.mark.parametrize("label,doc,container", ALL_CONTAINERS, ids=[label for label, _, _ in ALL_CONTAINERS])
def test_every_container_runs_without_root_or_privileges(label: str, doc: dict, container: dict) -> None:
    pod = pod_template(doc)["spec"]
    pod_context = pod.get("securityContext", {})
    context = container.get("securityContext", {})
    assert context.get("runAsNonRoot", pod_context.get("runAsNonRoot")) is True
    user = context.get("runAsUser", pod_context.get("runAsUser"))
    assert user not in (None, 0)
    assert user == image_user_id(), "the manifests and the image should agree on the user"
    assert context.get("allowPrivilegeEscalation") is False
    assert context.get("readOnlyRootFilesystem") is True
    assert context.get("capabilities", {}).get("drop") == ["ALL"]
    assert "privileged" not in context
    # The namespace enforces the "restricted" Pod Security Standard, which needs a seccomp profile.
    assert (context.get("seccompProfile") or pod_context.get("seccompProfile")) == {"type": "RuntimeDefault"}
    assert pod.get("automountServiceAccountToken") is False, "nothing here talks to the Kubernetes API"
    assert not pod.get("hostNetwork") and not pod.get("hostPID")


@pytest.mark.parametrize("label,doc,container", ALL_CONTAINERS, ids=[label for label, _, _ in ALL_CONTAINERS])
def test_every_container_has_resource_requests_and_limits(label: str, doc: dict, container: dict) -> None:
    resources = container.get("resources", {})
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(resources.get(kind, {})), f"{label} needs {kind} for cpu and memory"
        for resource in ("cpu", "memory"):
            assert quantity(resources["requests"][resource]) <= quantity(resources["limits"][resource])


def test_rasa_gets_the_memory_a_loaded_model_needs() -> None:
    resources = rasa_container()["resources"]
    assert quantity(resources["requests"]["memory"]) >= 1 * 2**30
    assert quantity(resources["limits"]["memory"]) >= 1.5 * 2**30


def test_deployments_have_readiness_and_gentler_liveness_probes() -> None:
    for deployment in of_kind("Deployment"):
        for container in containers(deployment, init=False):
            ports = {p["name"] for p in container.get("ports", [])}
            ready, live = container.get("readinessProbe"), container.get("livenessProbe")
            assert ready and live, f"{container['name']} needs readiness and liveness probes"
            for probe in (ready, live):
                assert probe["httpGet"]["port"] in ports
            assert ready["initialDelaySeconds"] >= 5
            # Liveness restarts the pod: it must allow at least as long as readiness before acting.
            assert live["initialDelaySeconds"] >= ready["initialDelaySeconds"]
            assert (
                live["periodSeconds"] * live["failureThreshold"] >= ready["periodSeconds"] * ready["failureThreshold"]
            )


def test_rasa_probes_allow_for_the_slow_model_load() -> None:
    container = rasa_container()
    ready, live = container["readinessProbe"], container["livenessProbe"]
    assert ready["initialDelaySeconds"] >= 20
    # Never restart a pod that may still be loading its model.
    assert live["initialDelaySeconds"] > RASA_SLOW_START_SECONDS
    assert live["initialDelaySeconds"] + live["periodSeconds"] * live["failureThreshold"] >= 2 * RASA_SLOW_START_SECONDS
    assert ready["httpGet"]["path"] == live["httpGet"]["path"] == "/webhooks/webchat/"


def test_the_rasa_probe_path_is_a_get_route_of_the_channel_that_needs_no_token() -> None:
    from bot.web import CHANNEL_NAME

    source = (ROOT / "bot" / "web" / "channel.py").read_text(encoding="utf-8")
    assert CHANNEL_NAME == "webchat" and "return CHANNEL_NAME" in source
    route = re.search(
        r'@chat\.route\("/", methods=\["GET"\]\)\s*\n\s*async def \w+\(request[^)]*\)[^:]*:\s*\n(.*)', source
    )
    assert route, "the channel's GET / route is gone: change the probes in deploy/kubernetes/rasa.yaml"
    assert "conversation(" not in route.group(1) and "token" not in route.group(1)


def test_action_server_is_probed_on_health() -> None:
    container = actions_container()
    assert container["readinessProbe"]["httpGet"]["path"] == "/health"
    assert command_line(container)[:3] == ["rasa", "run", "actions"]


def test_rasa_serves_the_web_chat_only_never_the_http_api() -> None:
    for label, _, container in ALL_CONTAINERS:
        assert "--enable-api" not in command_line(container), label
    line = command_line(rasa_container())
    assert line[:2] == ["rasa", "run"]
    assert line[line.index("--credentials") + 1] == "credentials.yml"
    assert line[line.index("--model") + 1] == MODEL_IN_IMAGE
    commands = [step for step in dockerfile().splitlines() if step.startswith(("CMD", "ENTRYPOINT"))]
    assert commands and not any("--enable-api" in step for step in commands)
    for script in ("scripts/cluster.sh", "scripts/run.sh"):
        text = (ROOT / script).read_text(encoding="utf-8").replace("\\\n", " ")
        starts = [line for line in text.splitlines() if '"$RASA" run ' in line and "actions" not in line]
        assert starts, f"{script} no longer starts Rasa the way this test expects"
        assert not any("--enable-api" in line for line in starts), script
    # The web chat channel is the only one in credentials.yml.
    channels = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    assert list(channels) == ["bot.web.channel.WebChatInput"]


def test_telemetry_is_off_in_the_image_and_in_every_main_container() -> None:
    assert "RASA_TELEMETRY_ENABLED=false" in dockerfile()
    for doc in WORKLOADS:
        for container in containers(doc, init=False):
            # Set on the container itself, where no ConfigMap edit can override it.
            env = {e["name"]: e.get("value") for e in container.get("env", [])}
            assert env.get("RASA_TELEMETRY_ENABLED") == "false", container["name"]


def test_one_release_image_with_a_fixed_tag_everywhere() -> None:
    images = {container["image"] for _, _, container in ALL_CONTAINERS}
    assert len(images) == 1, f"every container should run the same release image, not {images}"
    image = images.pop()
    name, _, tag = image.rpartition(":")
    assert name and "/" not in tag, f"{image} has no tag"
    assert tag != "latest" and re.fullmatch(r"\d+\.\d+\.\d+", tag), f"{image}: use a release version as the tag"
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    assert kustomization["images"] == [{"name": name, "newTag": tag}]
    for _, _, container in ALL_CONTAINERS:
        assert container.get("imagePullPolicy") == "IfNotPresent"


def test_the_dockerfile_builds_one_pinned_non_root_release() -> None:
    text = dockerfile()
    assert re.search(r"^FROM python:3\.10-slim\s*$", text, re.MULTILINE)
    assert "pip install -r requirements.lock" in text
    assert f"COPY {MODEL_IN_IMAGE} models/" in text
    assert image_user_id() != 0
    # Everything the servers read at run time is copied in.
    copied = {source for sources, _ in image_copies() for source in sources}
    assert {"bot/", "actions/", "knowledge/", "credentials.yml", "deploy/endpoints.py"} <= copied
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", ".env", "var"} <= set(ignored)
    assert not any(entry.startswith("models") for entry in ignored)


def image_copies() -> list[tuple[list[str], str]]:
    """The Dockerfile's COPY instructions as (sources, destination inside /app)."""
    copies = []
    for line in dockerfile().splitlines():
        if line.startswith("COPY "):
            *sources, destination = line.split()[1:]
            assert not any(s.startswith("--") for s in sources), "keep COPY simple: this test reads it"
            copies.append((sources, destination))
    return copies


def build_image_layout(app: Path) -> None:
    """Lay out /app as the Dockerfile does (Docker's COPY rules for files and folders)."""
    for sources, destination in image_copies():
        target = app / destination
        for source in sources:
            path = ROOT / source
            if source == MODEL_IN_IMAGE and not path.exists():
                path = app.parent / "placeholder-model.tar.gz"
                path.write_bytes(b"")
            if path.is_dir():
                shutil.copytree(path, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                assert path.is_file(), f"the Dockerfile copies {source}, which does not exist"
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target / Path(source).name)


IN_THE_IMAGE = """
import sys
from pathlib import Path

from bot.settings import PROJECT_ROOT, load_settings

assert PROJECT_ROOT == Path.cwd(), f"imported {PROJECT_ROOT}, not the image copy"
from bot.content import index
from bot.understanding.entities import extract_facts
from bot.content.partners import PartnerBook
from bot.content.service import service_from_settings
from bot.web import channel  # noqa: F401  (the Rasa server's channel imports)
from bot.web import channel  # noqa: F401  (the Rasa server's channel imports
import actions.actions  # noqa: F401  (the action server's actions import)

service = service_from_settings()
service.build()
assert index.all_articles(service.engine), "no article indexed"
extract_facts("my son goes to an academy")
settings = load_settings()
assert PartnerBook(settings.partners_dir).all(), "no partner"
for name in ("widget.js", "demo.html"):
    assert (PROJECT_ROOT / "widget" / name).is_file(), name
print("image layout ok")
"""


def test_the_image_holds_every_file_the_servers_read(tmp_path: Path) -> None:
    app = tmp_path / "app"
    build_image_layout(app)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "KNOWLEDGE_DIR", "PYTHONPATH"}}
    env["SQLALCHEMY_SILENCE_UBER_WARNING"] = "1"
    result = subprocess.run(
        [sys.executable, "-c", IN_THE_IMAGE], cwd=app, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "image layout ok" in result.stdout
    written = app / "endpoints.out.yml"
    result = subprocess.run(
        [
            sys.executable,
            "deploy/endpoints.py",
            "--action-url",
            "http://send-assistant-actions:5055/webhook",
            "--out",
            str(written),
        ],
        cwd=app,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(instruction, arguments) in order, continuation lines joined."""
    text = re.sub(r"\\\n", " ", re.sub(r"^\s*#.*\n", "", dockerfile(), flags=re.MULTILINE))
    return [(line.split()[0].upper(), line.split(None, 1)[1]) for line in text.splitlines() if line.strip()]


SECRET_SETTINGS = ("WEBCHAT_SECRET", "DATABASE_URL", "REDIS_URL")


def test_the_dockerfile_ends_as_the_unprivileged_user_and_copies_no_secrets() -> None:
    # tests/test_image.py checks the built image the same way (`-m image`).
    steps = dockerfile_instructions()
    users = [i for i, (instruction, _) in enumerate(steps) if instruction == "USER"]
    assert len(users) == 1, "one USER, after everything that needs root"
    assert steps[users[0]][1] == f"{image_user_id()}:{image_user_id()}" and image_user_id() >= 1000
    assert not any(instruction == "RUN" for instruction, _ in steps[users[0] :])
    for instruction, arguments in steps:
        if instruction in ("ENV", "ARG", "LABEL"):
            assert not any(name in arguments for name in SECRET_SETTINGS), f"{instruction} {arguments}"
        assert instruction != "ADD", "COPY only: ADD fetches URLs and unpacks archives"
    for sources, _ in image_copies():
        for source in sources:
            name = Path(source).name
            assert source.rstrip("/") not in ("", "."), "COPY . would take the whole checkout, .env and var/ too"
            assert not source.startswith(("var", ".git", ".venv", "tests", "results", "node_modules")), source
            assert not (name.startswith(".env") or name.endswith((".secret", ".db")) or name == "webchat_secret"), (
                source
            )
    ignored = set((DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").split())
    assert {".env", ".env.*", "**/*.secret", "var"} <= ignored


def test_the_local_base_image_script_is_valid_and_leaves_the_dockerfile_alone() -> None:
    script = DEPLOY / "local-base.sh"
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0
    text = script.read_text(encoding="utf-8")
    # It stands in for the FROM with `podman build --from`; the shipped Dockerfile is not edited for it.
    assert "podman build --from" in text and not re.search(r"(>|sed -i|tee)[^\n]*deploy/Dockerfile", text)
    # What it makes stays out of the repository: the wheels under var/ (ignored), the root filesystem
    # in a temporary folder that is removed.
    assert 'WHEELS="var/image/wheels"' in text and "var/" in (ROOT / ".gitignore").read_text(encoding="utf-8")
    assert "mktemp -d" in text and "trap 'rm -rf \"$rootfs\"' EXIT" in text


def test_replicas_and_disruption_budgets() -> None:
    for deployment in of_kind("Deployment"):
        replicas = deployment["spec"]["replicas"]
        assert replicas >= 2
        labels = pod_template(deployment)["metadata"]["labels"]
        assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
        budgets = [
            pdb
            for pdb in of_kind("PodDisruptionBudget")
            if pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
        ]
        assert len(budgets) == 1, deployment["metadata"]["name"]
        assert 1 <= budgets[0]["spec"]["minAvailable"] < replicas


def test_services_ingress_and_network_policy_point_at_the_right_pods() -> None:
    deployments = {d["metadata"]["name"]: d for d in of_kind("Deployment")}
    for service in of_kind("Service"):
        matches = [
            d
            for d in deployments.values()
            if service["spec"]["selector"].items() <= pod_template(d)["metadata"]["labels"].items()
        ]
        assert len(matches) == 1, service["metadata"]["name"]
        ports = {p["name"] for c in containers(matches[0], init=False) for p in c.get("ports", [])}
        assert {p["targetPort"] for p in service["spec"]["ports"]} <= ports

    # Rasa reaches the actions through their Service; endpoints.py writes that address into endpoints.yml.
    rasa = named("Deployment", "send-assistant-rasa")
    init = pod_template(rasa)["spec"]["initContainers"][0]
    line = command_line(init)
    action_url = line[line.index("--action-url") + 1]
    actions_service = named("Service", "send-assistant-actions")
    assert action_url == f"http://send-assistant-actions:{actions_service['spec']['ports'][0]['port']}/webhook"
    rasa_line = command_line(rasa_container())
    assert line[line.index("--out") + 1] == rasa_line[rasa_line.index("--endpoints") + 1]

    # Only the web chat channel is published, and only to the Rasa Service.
    for ingress in of_kind("Ingress"):
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                assert path["path"] == "/webhooks/webchat/"
                assert path["backend"]["service"]["name"] == "send-assistant-rasa"

    policy = named("NetworkPolicy", "send-assistant-actions")
    actions_labels = pod_template(deployments["send-assistant-actions"])["metadata"]["labels"]
    rasa_labels = pod_template(rasa)["metadata"]["labels"]
    assert policy["spec"]["podSelector"]["matchLabels"].items() <= actions_labels.items()
    sources = [s["podSelector"]["matchLabels"] for rule in policy["spec"]["ingress"] for s in rule["from"]]
    assert sources and all(s.items() <= rasa_labels.items() for s in sources)


def known_env_names() -> set[str]:
    names = set(re.findall(r'"([A-Z][A-Z0-9_]{2,})"', (ROOT / "bot" / "settings.py").read_text(encoding="utf-8")))
    names |= set(re.findall(r"\b([A-Z][A-Z0-9_]{2,})=", (ROOT / ".env.example").read_text(encoding="utf-8")))
    for path in (ROOT / "bot").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"""environ(?:\.get)?[\[(]\s*["']([A-Z][A-Z0-9_]+)["']""", text))
        names |= set(re.findall(r"""getenv\(\s*["']([A-Z][A-Z0-9_]+)["']""", text))
    return names | THIRD_PARTY_ENV


def test_environment_names_are_ones_the_code_reads() -> None:
    known = known_env_names()
    assert {"DATABASE_URL", "REDIS_URL", "DB_POOL_SIZE", "WEBCHAT_SECRET"} <= known, "bot/settings.py was not read"
    configmap = named("ConfigMap", CONFIGMAP_NAME)
    unknown = set(configmap["data"]) - known
    for label, _, container in ALL_CONTAINERS:
        unknown |= {e["name"] for e in container.get("env", [])} - known
        for source in container.get("envFrom", []):
            assert source == {"configMapRef": {"name": CONFIGMAP_NAME}}, f"{label}: secrets go in by key, not envFrom"
    assert not unknown, f"names nothing reads (typos?): {sorted(unknown)}"


def test_secrets_come_from_one_secret_whose_template_holds_no_real_values() -> None:
    template = named("Secret", SECRET_NAME)
    keys = set(template["stringData"])
    assert keys == {"DATABASE_URL", "REDIS_URL", "WEBCHAT_SECRET"}
    for value in template["stringData"].values():
        assert "REPLACE_ME" in value
    # Too short to be accepted (bot/web/tokens.py wants 32 characters), so a copy left unedited
    # stops the assistant at start-up instead of signing tokens with a published value.
    assert len(template["stringData"]["WEBCHAT_SECRET"]) < 32
    used = set()
    for label, _, container in ALL_CONTAINERS:
        for entry in container.get("env", []):
            ref = entry.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                assert ref["name"] == SECRET_NAME and ref["key"] == entry["name"], label
                used.add(ref["key"])
    assert used == keys
    rasa_env = {e["name"] for e in rasa_container()["env"]}
    assert {"DATABASE_URL", "REDIS_URL", "WEBCHAT_SECRET"} <= rasa_env
    # The action server gets only what it uses.
    assert {e["name"] for e in actions_container()["env"]} & keys == {"DATABASE_URL"}


def test_the_purge_runs_nightly_one_at_a_time() -> None:
    cronjob = named("CronJob", "send-assistant-purge")
    assert cronjob["spec"]["concurrencyPolicy"] == "Forbid"
    (container,) = containers(cronjob)
    assert command_line(container) == ["python", "-m", "bot", "conversations", "purge"]


def test_the_purge_command_exists() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "conversations", "purge", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_default_pools_fit_postgresql_default_max_connections() -> None:
    settings = named("ConfigMap", CONFIGMAP_NAME)["data"]
    needed = connections.most_connections(
        rasa_instances=named("Deployment", "send-assistant-rasa")["spec"]["replicas"],
        sanic_workers=int(settings["SANIC_WORKERS"]),
        pool_size=int(settings["DB_POOL_SIZE"]),
        max_overflow=int(settings["DB_MAX_OVERFLOW"]),
        action_instances=named("Deployment", "send-assistant-actions")["spec"]["replicas"],
    )
    assert connections.fits(needed, connections.POSTGRESQL_DEFAULT_MAX_CONNECTIONS)
    # The cluster.sh layout (2 + 2 processes, same pools) fits too.
    assert connections.fits(connections.most_connections(2, 1, 5, 5, 2), 100)
    # And the arithmetic notices when it doesn't: Rasa's own defaults (50 + 100) on two replicas.
    assert not connections.fits(connections.most_connections(2, 1, 50, 100, 2), 100)


def test_the_connection_arithmetic_knows_every_engine() -> None:
    from bot import settings

    assert (connections.DEFAULT_POOL_SIZE, connections.DEFAULT_MAX_OVERFLOW) == (
        settings.DEFAULT_POOL_SIZE,
        settings.DEFAULT_MAX_OVERFLOW,
    )
    # Each caller of make_engine() is a pool somewhere; deploy/connections.py counts these three.
    callers = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "bot").rglob("*.py")
        if re.search(r"(?<!def )\bmake_engine\(", path.read_text(encoding="utf-8"))
    }
    # The staff console (bot/console/tables.py) is one engine in one process, counted as a job (docs/configuration.md).
    counted = {
        "bot/rasa_ext/tracker_store.py",
        "bot/web/feedback.py",
        "bot/content/service.py",
        "bot/console/tables.py",
    }
    assert callers == counted, "a new database engine: update deploy/connections.py and docs/deploy.md"


def test_connections_script_reports_and_fails_when_over_budget() -> None:
    script = str(DEPLOY / "connections.py")
    fine = subprocess.run([sys.executable, script, "--rasa", "2", "--actions", "2"], capture_output=True, text=True)
    assert fine.returncode == 0 and "at most 70" in fine.stdout  # 40 Rasa + 20 actions + 10 purge job
    over = subprocess.run(
        [sys.executable, script, "--rasa", "4", "--actions", "2", "--pool-size", "20", "--max-overflow", "10"],
        capture_output=True,
        text=True,
    )
    assert over.returncode == 1 and "PgBouncer" in over.stderr


# -- endpoints for a cluster -------------------------------------------------------------------------


def test_endpoints_copy_changes_only_the_action_address() -> None:
    original = (ROOT / "endpoints.yml").read_text(encoding="utf-8")
    rewritten = endpoints.with_action_url(original, "http://send-assistant-actions:5055/webhook")
    before, after = yaml.safe_load(original), yaml.safe_load(rewritten)
    assert after["action_endpoint"]["url"] == "http://send-assistant-actions:5055/webhook"
    after["action_endpoint"]["url"] = before["action_endpoint"]["url"]
    assert after == before


def test_endpoints_copy_keeps_placeholders_rasa_fills_in(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.shared.utils.io import read_yaml

    source = 'action_endpoint:\n  url: "http://127.0.0.1:5055/webhook"\ntracker_store:\n  type: x.Store\n  url: ${DEPLOY_TEST_URL}\n'
    rewritten = endpoints.with_action_url(source, "http://127.0.0.1:8081/webhook")
    assert "url: ${DEPLOY_TEST_URL}" in rewritten
    monkeypatch.setenv("DEPLOY_TEST_URL", "postgresql://example/db")
    assert read_yaml(rewritten)["tracker_store"]["url"] == "postgresql://example/db"


def test_endpoints_script_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "endpoints.yml"
    assert endpoints.main(["--action-url", "http://127.0.0.1:8081/webhook", "--out", str(out)]) == 0
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["action_endpoint"]["url"] == "http://127.0.0.1:8081/webhook"
    with pytest.raises(ValueError):
        endpoints.with_action_url("{}", "127.0.0.1:8081/webhook")


# -- nginx and scripts/cluster.sh --------------------------------------------------------------------

NGINX_CONF = DEPLOY / "nginx" / "nginx.conf"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def test_nginx_config_passes_nginx_own_check(tmp_path: Path) -> None:
    binary = nginx_binary()
    if binary is None:
        if os.environ.get("REQUIRE_NGINX") == "1":
            pytest.fail("nginx is not installed and REQUIRE_NGINX=1 (apt-get install nginx)")
        pytest.skip("nginx is not installed (apt-get install nginx; REQUIRE_NGINX=1 makes this a failure)")
    (tmp_path / "logs").mkdir()
    (tmp_path / "temp").mkdir()
    result = subprocess.run(
        [binary, "-t", "-p", f"{tmp_path}/", "-c", str(NGINX_CONF), "-e", "stderr"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_nginx_listens_on_loopback_and_agrees_with_cluster_sh_on_ports() -> None:
    conf = NGINX_CONF.read_text(encoding="utf-8")
    listens = re.findall(r"^\s*listen\s+([^;]+);", conf, re.MULTILINE)
    assert listens == ["127.0.0.1:8080", "127.0.0.1:8081"]
    servers = re.findall(r"^\s*server\s+127\.0\.0\.1:(\d+)", conf, re.MULTILINE)
    script = (ROOT / "scripts" / "cluster.sh").read_text(encoding="utf-8")

    def array(name: str) -> list[str]:
        match = re.search(rf"^{name}=\(([^)]*)\)", script, re.MULTILINE)
        assert match, name
        return match.group(1).split()

    assert servers == array("RASA_PORTS") + array("ACTION_PORTS") == ["5006", "5007", "5056", "5057"]
    assert re.search(r"^WEB_PORT=8080$", script, re.MULTILINE)
    assert re.search(r"^ACTIONS_PROXY_PORT=8081$", script, re.MULTILINE)
    # Nothing is written where the system nginx keeps its files.
    assert "/var/" not in re.sub(r"#.*", "", conf)


def run_cluster_check(env_changes: dict[str, str | None]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "cluster.sh"), "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cluster_sh_is_valid_bash() -> None:
    assert subprocess.run(["bash", "-n", str(ROOT / "scripts" / "cluster.sh")]).returncode == 0


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"DATABASE_URL": None, "REDIS_URL": "redis://127.0.0.1:6379/1"}, "DATABASE_URL"),
        ({"DATABASE_URL": "sqlite:////tmp/x.db", "REDIS_URL": "redis://127.0.0.1:6379/1"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/send", "REDIS_URL": None}, "REDIS_URL"),
    ],
)
def test_cluster_sh_requires_postgresql_and_redis(changes: dict[str, str | None], message: str) -> None:
    result = run_cluster_check(changes)
    assert result.returncode != 0
    assert message in result.stderr


def test_readme_links_the_deployment_guide() -> None:
    assert "(docs/deploy.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    for name in ("DB_POOL_SIZE", "DB_MAX_OVERFLOW", "max_connections", "scripts/cluster.sh", "deploy/kubernetes"):
        assert name in guide
