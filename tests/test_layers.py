"""The packages of bot/ in layers: a module imports only from its own package or from layers below it.

docs/architecture.md draws the same picture. A new import that points up fails here with its file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

from bot.settings import PROJECT_ROOT

# Lowest first. Modules at the top of bot/ (settings, text, origins) are the ground floor everyone uses.
LAYERS = [
    {"bot.settings", "bot.text", "bot.origins"},
    {"bot.law", "bot.storage"},
    {"bot.understanding"},
    # The document checker and the help directory read their staff files like any content.
    {"bot.content", "bot.documents", "bot.directory"},
    {"bot.dialogue"},
    {"bot.rasa_ext"},
    {"bot.web", "bot.cli", "bot.console"},
]


def package_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def layer_of(module: str) -> int:
    package = package_of(module)
    return next(i for i, layer in enumerate(LAYERS) if package in layer)


def imports_in(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot"):
            if node.module == "bot":
                found += [(node.lineno, f"bot.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("bot.")]
    return found


def bot_modules() -> list[tuple[Path, str]]:
    root = PROJECT_ROOT / "bot"
    modules = []
    for path in sorted(root.rglob("*.py")):
        dotted = ".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
        if dotted in ("bot.__init__", "bot.__main__"):
            continue
        modules.append((path, dotted.removesuffix(".__init__")))
    return modules


def test_every_package_of_bot_is_in_a_layer() -> None:
    for _, module in bot_modules():
        layer_of(module)  # StopIteration names a package missing from LAYERS


def test_imports_only_point_down() -> None:
    upward = []
    for path, module in bot_modules():
        own = package_of(module)
        for line, imported in imports_in(path):
            if package_of(imported) != own and layer_of(imported) > layer_of(module):
                upward.append(f"{path.relative_to(PROJECT_ROOT)}:{line} imports {imported}")
    assert upward == []


def test_the_layer_check_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from bot.dialogue import answers\nimport bot.web.channel\n", encoding="utf-8")
    assert imports_in(module) == [(1, "bot.dialogue"), (2, "bot.web.channel")]
    assert layer_of("bot.web.channel") > layer_of("bot.law.deadlines")


def test_the_nlu_docs_count_the_intents_there_are() -> None:
    import re

    from bot.understanding.intents import CONVERSATION_INTENTS, domain_intents, situation_intents

    text = (PROJECT_ROOT / "docs" / "nlu.md").read_text(encoding="utf-8")
    situations = int(re.search(r"(\d+) situation intents", text).group(1))
    conversation = int(re.search(r"(\d+) conversation intents", text).group(1))
    assert situations == len(situation_intents())
    assert conversation == len(set(domain_intents()) & CONVERSATION_INTENTS)
    for name in set(domain_intents()) & CONVERSATION_INTENTS:
        assert name in text, f"docs/nlu.md does not name the conversation intent {name}"


def test_today_is_always_the_date_in_england() -> None:
    # Time limits are counted in England's days (bot/law/parent_dates.england_today); a server clock on UTC is a day
    # behind England for an hour each summer night, so no module asks the machine for its own date.
    found = []
    for path, _ in bot_modules():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "date.today()" in line or "datetime.now()" in line:
                found.append(f"{path.relative_to(PROJECT_ROOT)}:{number}")
    assert found == []
