"""Ladders for the parent: walking one step at a time, and each step, outline and closed route as Markdown.

Parsing and checking ladder files is in bot/content/ladders.py; this module only renders parsed ladders.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.content.ladders import Ladder, SourcesRenderer, Step
from bot.content.render import render_citations
from bot.content.validation import CITATION_MARKER, Source


def next_step_index(ladder: Ladder, current: int | None) -> int | None:
    """The step after `current`: None gives the first step; after the last step, None (ladder finished).

    An index past the end (the ladder was shortened by an edit mid-conversation) also gives None.
    """
    if current is None:
        return 0 if ladder.steps else None
    if current < 0:
        raise ValueError(f"step index must be 0 or more, not {current}")
    following = current + 1
    return following if following < len(ladder.steps) else None


def cited_sources(ladder: Ladder, texts: Iterable[str]) -> list[Source]:
    """The ladder's sources cited in `texts`, in the order the ladder lists them."""
    keys = {m.group(1) for text in texts for m in CITATION_MARKER.finditer(text)}
    return [s for s in ladder.sources if s.key in keys]


def sources_links(sources: Sequence[Source]) -> str:
    """A ready-made `sources_renderer`: the cited sources as Markdown links."""
    if not sources:
        return ""
    return "\n".join(["**Sources**", *(f"- [{s.citation}]({s.url})" for s in sources)])


def _step_ref(ladder: Ladder, step_id: str) -> str:
    index = ladder.step_index(step_id)
    if index is None:
        return step_id
    return f"step {index + 1}: {render_citations(ladder.steps[index].title, ladder)}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?", '."', ".'")) else text + "."


def render_step(ladder: Ladder, index: int, sources_renderer: SourcesRenderer | None = None) -> str:
    """One step as a chat message: "Step 2 of 4: ...", who, how, time limit, what must come first, note.

    `sources_renderer`, if given, receives the sources cited in this step (for example `sources_links`)
    and its text is added at the end.
    """
    if not 0 <= index < len(ladder.steps):
        raise IndexError(f"ladder '{ladder.id}' has {len(ladder.steps)} step(s); there is no step index {index}")
    step = ladder.steps[index]
    lines = [
        f"**Step {index + 1} of {len(ladder.steps)}: {render_citations(step.title, ladder)}**",
        f"- **Who:** {render_citations(step.who, ladder)}",
        f"- **How:** {render_citations(step.how, ladder)}",
    ]
    if step.time_limit:
        lines.append(f"- **Time limit:** {render_citations(step.time_limit, ladder)}")
    if step.requires:
        lines.append("- **Do this first:** " + "; ".join(_step_ref(ladder, r) for r in step.requires))
    if step.note:
        lines.append("")
        lines.append(render_citations(step.note, ladder))
    if sources_renderer is not None:
        block = sources_renderer(cited_sources(ladder, step.texts()))
        if block:
            lines.extend(["", block])
    return "\n".join(lines)


def render_closed_routes(ladder: Ladder) -> str:
    """Routes that look open but usually aren't here, with the reason. Empty text if there are none."""
    if not ladder.closed_routes:
        return ""
    lines = ["**Routes that usually won't help here**"]
    for route in ladder.closed_routes:
        lines.append(f"- **{render_citations(route.route, ladder)}:** {render_citations(route.why, ladder)}")
    return "\n".join(lines)


def render_ladder_outline(ladder: Ladder) -> str:
    """The steps at a glance: one short line each (title, what must come first, time limit).

    The phone-sized version of the ladder; `render_step` gives each step in full when the parent walks it.
    """
    lines: list[str] = []
    for number, step in enumerate(ladder.steps, start=1):
        line = f"{number}. **{render_citations(step.title, ladder)}**{_after(ladder, step)}"
        if step.time_limit:
            line += f". Time limit: {render_citations(step.time_limit, ladder)}"
        lines.append(_sentence(line))
    return "\n".join(lines)


def _after(ladder: Ladder, step: Step) -> str:
    numbers = sorted(i + 1 for r in step.requires if (i := ladder.step_index(r)) is not None)
    if not numbers:
        return ""
    joined = " and ".join(str(n) for n in numbers)
    return f" (after step{'s' if len(numbers) > 1 else ''} {joined})"
