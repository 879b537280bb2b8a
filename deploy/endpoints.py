"""Write a copy of endpoints.yml whose custom actions go to another address.

    python deploy/endpoints.py --action-url http://127.0.0.1:8081/webhook --out var/cluster/endpoints.yml

Everything else in the project's endpoints.yml (tracker store, lock store) is kept as it is, comments,
quoting and `${VARIABLE}` placeholders included, so a cluster or a Kubernetes pod stores conversations
exactly the way `make run` does. Only `action_endpoint.url` changes: with several action servers it
names a load balancer (nginx locally, a Service in Kubernetes), because Rasa takes one address only.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent


def _yaml() -> YAML:
    # Round-trip mode: Rasa replaces ${VARIABLE} only in unquoted values, so quoting must not change.
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def with_action_url(text: str, action_url: str) -> str:
    """The endpoints file `text` with `action_endpoint.url` set to `action_url`."""
    parts = urlsplit(action_url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"the action server address must be an http(s) URL, not '{action_url}'")
    yaml = _yaml()
    endpoints = yaml.load(text)
    if endpoints is None:
        endpoints = yaml.load("{}")
    action = endpoints.get("action_endpoint")
    if action is None:
        endpoints["action_endpoint"] = {"url": action_url}
    else:
        action["url"] = action_url
    out = io.StringIO()
    yaml.dump(endpoints, out)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--action-url", required=True, help="where Rasa posts custom actions")
    parser.add_argument("--out", required=True, type=Path, help="file to write")
    parser.add_argument("--source", type=Path, default=ROOT / "endpoints.yml", help="default: endpoints.yml")
    args = parser.parse_args(argv)
    try:
        text = with_action_url(args.source.read_text(encoding="utf-8"), args.action_url)
    except (OSError, ValueError) as exc:
        print(f"endpoints: {exc}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"endpoints: {args.out} sends actions to {args.action_url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
