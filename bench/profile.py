"""Where a turn's time goes: cProfile of both server processes during turns only, as a short table.

`python -m bench --profile` starts each setup through `bench.profiled` (cProfile switched on and off by
signals), warms it up, profiles a few long conversations, and keeps per process the time of the
functions in `FOCUS`, per turn. The .prof files stay in var/bench/profile/ for `python -m pstats`.

How to read the numbers: cProfile counts a coroutine only while it runs, not while it waits (for the
action server, the database file, the network). So a row is CPU time in that function and below, with
the profiler's own overhead (it makes Python-heavy code 1.5-2x slower); compare rows, not absolutes.
"""

from __future__ import annotations

import ast
import fnmatch
import functools
import pstats
from pathlib import Path

# (what, file it is in, qualified names: a class's methods as "Class.method", nested functions as
# "outer.inner", wildcards allowed). Rows that name the same function in different stores add up.
FOCUS: list[tuple[str, str, tuple[str, ...]]] = [
    ("whole request: our channel's /message", "bot/web/channel.py", ("WebChatInput.blueprint.message",)),
    ("whole request: Rasa's REST channel", "rasa/core/channels/rest.py", ("RestInput.blueprint.receive",)),
    ("Rasa handles the message", "rasa/core/processor.py", ("MessageProcessor.handle_message",)),
    (
        "load the conversation (every load)",
        "rasa/core/tracker_store.py",
        ("SQLTrackerStore.retrieve", "InMemoryTrackerStore.retrieve"),
    ),
    ("stored events back to objects", "rasa/shared/core/events.py", ("deserialise_events",)),
    ("event class lookup (all_subclasses)", "rasa/shared/utils/common.py", ("all_subclasses",)),
    ("event class lookup (ours, remembered)", "bot/rasa_ext/speedups.py", ("resolve_event_type",)),
    ("save the conversation", "rasa/core/tracker_store.py", ("InMemoryTrackerStore.save", "SQLTrackerStore.save")),
    ("save the conversation (redacted)", "bot/rasa_ext/tracker_store.py", ("RedactingSQLTrackerStore.save",)),
    ("NLU parse", "rasa/core/processor.py", ("MessageProcessor.parse_message",)),
    ("predict next actions", "rasa/core/processor.py", ("MessageProcessor._predict_next_with_tracker",)),
    ("TensorFlow inference (all models)", "rasa/utils/tensorflow/models.py", ("RasaModel.run_inference",)),
    ("run actions", "rasa/core/processor.py", ("MessageProcessor._run_action",)),
    ("call the action server", "rasa/core/actions/action.py", ("RemoteAction.run",)),
    (
        "of which: build its request (tracker + domain)",
        "rasa/core/actions/action.py",
        ("RemoteAction._action_call_format",),
    ),
    (
        "of which: check its reply (jsonschema)",
        "rasa/core/actions/action.py",
        ("RemoteAction._validate_action_result",),
    ),
    ("of which: check its reply (ours, validator reused)", "bot/rasa_ext/speedups.py", ("validate_action_result",)),
    ("SQL statements", "sqlalchemy/engine/base.py", ("Connection._execute_context",)),
    ("channel: events as dicts", "bot/web/channel.py", ("tracker_events",)),
    ("channel: offered payloads", "bot/web/guard.py", ("offered_payloads",)),
    ("action server: /webhook", "rasa_sdk/endpoint.py", ("create_app.webhook",)),
    ("action server: our actions' code", "actions/actions.py", ("*.act", "*.run")),
    ("action server: knowledge freshness check", "bot/content/service.py", ("KnowledgeService._fresh",)),
]


@functools.cache
def _definitions(filename: str) -> dict[int, str]:
    """{line: qualified name} for every function in a source file, by `def` line and first decorator line."""
    try:
        tree = ast.parse(Path(filename).read_text())
    except (OSError, SyntaxError, ValueError):
        return {}
    names: dict[int, str] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                lines = [child.lineno] + [d.lineno for d in child.decorator_list]
                if not isinstance(child, ast.ClassDef):
                    for line in lines:
                        names.setdefault(line, name)
                visit(child, name + ".")
            else:
                visit(child, prefix)

    visit(tree, "")
    return names


def qualified_name(filename: str, line: int, function: str) -> str:
    return _definitions(filename).get(line, function)


def _matches(filename: str, line: int, function: str, path_end: str, patterns: tuple[str, ...]) -> bool:
    if not filename.replace("\\", "/").endswith(path_end):
        return False
    name = qualified_name(filename, line, function)
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def focus_rows(prof: Path, turns: int) -> list[dict]:
    """For each FOCUS entry present in the file: calls, inclusive seconds and milliseconds per turn."""
    table = pstats.Stats(str(prof)).stats  # {(file, line, name): (calls, all calls, own, inclusive, callers)}
    rows = []
    for label, path_end, patterns in FOCUS:
        hits = [v for (f, line, fn), v in table.items() if _matches(f, line, fn, path_end, patterns)]
        if not hits:
            continue
        inclusive = sum(v[3] for v in hits)
        rows.append(
            {
                "what": label,
                "calls": sum(v[1] for v in hits),
                "seconds": round(inclusive, 3),
                "ms_per_turn": round(inclusive * 1000 / max(turns, 1), 2),
            }
        )
    return rows


def _short(filename: str) -> str:
    """A path short enough for a table: from the package, or from the project folder."""
    for marker in ("site-packages/", "/lib/python3.10/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename.replace(str(Path.cwd()) + "/", "")


def top_own_time(prof: Path, limit: int = 15) -> list[dict]:
    """The functions with the most time in their own code (the hot spots under the focus rows)."""
    stats = pstats.Stats(str(prof))
    rows = []
    for (filename, line, function), (_, calls, own, _inclusive, _) in stats.stats.items():
        if "epoll" in function:  # the event loop waiting for work: idle time, not cost
            continue
        short = _short(filename)
        rows.append({"function": f"{short}:{line}:{function}", "calls": calls, "own_seconds": round(own, 3)})
    rows.sort(key=lambda r: r["own_seconds"], reverse=True)
    return rows[:limit]
