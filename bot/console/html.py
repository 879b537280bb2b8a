"""HTML for the console: one layout, tables with captions and CSV links, charts with their tables.

Everything shown is escaped here (`esc`), so no stored text can become markup. No inline script or
style: the Content-Security-Policy (app.py) allows only the console's own files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from bot.console.accounts import StaffUser

PAGES = (  # path, name, who sees it
    ("/unanswered", "What we couldn't answer", "editor"),
    ("/answers", "Answers", "editor"),
    ("/health", "Knowledge health", "editor"),
    ("/partners", "Partners", "anyone"),
    ("/audit", "Audit log", "editor"),
)


def esc(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


@dataclass(frozen=True)
class DataTable:
    id: str
    caption: str
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]


def table(page: str, data: DataTable, query: dict[str, str] | None = None, note: str = "") -> str:
    """A table with a caption, column headers and a link to download it as CSV."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in data.headers)
    if data.rows:
        body = "".join("<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>" for row in data.rows)
    else:
        body = f'<tr><td colspan="{len(data.headers)}">Nothing to show for this period.</td></tr>'
    note_html = f' <span class="note">{esc(note)}</span>' if note else ""
    link = f"/export/{page}/{data.id}.csv" + (f"?{urlencode(query)}" if query else "")
    return (
        f'<div class="table-wrap"><table id="table-{esc(data.id)}"><caption>{esc(data.caption)}'
        f"{note_html}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        f'<p class="export"><a href="{esc(link)}" download>Download “{esc(data.caption)}” as CSV</a></p>'
    )


def chart(chart_id: str, kind: str, title: str, labels: Sequence[str], series: Iterable[tuple[str, list]]) -> str:
    """A chart drawn by Chart.js (static/charts.js) from JSON data; the same figures are in the table
    that follows it, which screen readers use (the canvas says so)."""
    data = {"type": kind, "labels": list(labels), "series": [{"label": n, "values": v} for n, v in series]}
    payload = json.dumps(data).replace("<", "\\u003c")
    return (
        f'<figure class="chart"><figcaption>{esc(title)}</figcaption>'
        f'<div class="chart-box"><canvas id="chart-{esc(chart_id)}" role="img" aria-label="{esc(title)}: chart. The same figures are in '
        f'the table below it."></canvas></div>'
        f'<script type="application/json" class="chart-data" data-for="chart-{esc(chart_id)}">{payload}</script>'
        f"</figure>"
    )


def csrf_field(token: str) -> str:
    return f'<input type="hidden" name="csrf_token" value="{esc(token)}">'


def layout(title: str, body: str, user: StaffUser | None = None, csrf: str = "", current: str = "") -> str:
    nav = ""
    if user is not None:
        links = "".join(
            f'<li><a href="{path}"{" aria-current=page" if path == current else ""}>{esc(name)}</a></li>'
            for path, name, who in PAGES
            if who == "anyone" or user.is_editor
        )
        role = "editor" if user.is_editor else f"viewer for partner {user.partner}"
        nav = (
            f'<nav aria-label="Console pages"><ul>{links}</ul></nav>'
            f'<form method="post" action="/sign-out" class="sign-out">{csrf_field(csrf)}'
            f"<span>Signed in as {esc(user.username)} ({esc(role)})</span> "
            f'<button type="submit">Sign out</button></form>'
        )
    has_chart = 'class="chart"' in body
    charts = '<script src="/static/chart.umd.min.js"></script><script src="/static/charts.js"></script>'
    return (
        "<!doctype html>\n"
        f'<html lang="en-GB"><head><meta charset="utf-8"><title>{esc(title)} · SEND assistant staff console</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="stylesheet" href="/static/console.css"></head><body>'
        '<a class="skip" href="#main">Skip to the page content</a>'
        f'<header><p class="brand">SEND assistant: staff console</p>{nav}</header>'
        f'<main id="main" tabindex="-1"><h1>{esc(title)}</h1>{body}</main>'
        f"{charts if has_chart else ''}</body></html>"
    )
