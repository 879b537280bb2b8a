"""The console's pages. Each builder returns its HTML and its tables, so the CSV export of a table is
exactly what the page shows (app.py)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.console import decisions as staff_decisions
from bot.console import figures, health, unanswered
from bot.console.accounts import StaffUser
from bot.console.events import load_turns
from bot.console.html import DataTable, chart, csrf_field, esc, table
from bot.console.tables import audit
from bot.content.partners import partner_paths
from bot.understanding.intents import situation_intents
from bot.web.feedback import feedback_table

DAY = 86_400
PERIODS = (7, 30, 90)
SHOWN_PER_GROUP = 8


@dataclass
class Context:
    engine: Engine  # console tables and feedback (DATABASE_URL)
    conversations: Engine  # Rasa's events (DATABASE_URL, or var/tracker.db)
    knowledge_dir: Path
    review_file: Path
    clock: object = time.time

    def now(self) -> float:
        return self.clock()  # type: ignore[operator]


@dataclass
class Built:
    body: str
    tables: dict[str, DataTable]


def period(query: Mapping[str, str], default: int = 7) -> int:
    try:
        days = int(query.get("days", default))
    except ValueError:
        return default
    return days if days in PERIODS else default


def _period_picker(path: str, days: int, extra: str = "") -> str:
    options = "".join(
        f'<option value="{d}"{" selected" if d == days else ""}>the last {d} days</option>' for d in PERIODS
    )
    return (
        f'<form method="get" action="{path}" class="period"><label for="days">Show</label> '
        f'<select id="days" name="days">{options}</select> {extra}<button type="submit">Show</button></form>'
    )


def _article_picker(articles: list[str], chosen: str | None) -> str:
    options = "".join(
        f'<option value="{esc(a)}"{" selected" if a == chosen else ""}>{esc(a)}</option>' for a in articles
    )
    return (
        '<label for="article">Article</label> <select id="article" name="article">'
        f'<option value="">every article</option>{options}</select> '
    )


def _when(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _feedback_rows(ctx: Context, since: float, partner: str | None = None) -> list[dict]:
    cutoff = dt.datetime.fromtimestamp(since, dt.timezone.utc).replace(tzinfo=None)
    query = select(feedback_table).where(feedback_table.c.created_at >= cutoff)
    if partner is not None:
        query = query.where(feedback_table.c.partner == partner)
    with ctx.engine.connect() as conn:
        return [dict(row) for row in conn.execute(query.order_by(feedback_table.c.id)).mappings()]


# --- What we couldn't answer ---------------------------------------------------------------------


def unanswered_groups(ctx: Context, days: int) -> list[unanswered.Group]:
    now = ctx.now()
    since, before = now - days * DAY, now - 2 * days * DAY
    rated = unanswered.unhelpful_answers(_feedback_rows(ctx, before))
    decided = staff_decisions.decided_hashes(ctx.engine)
    current = unanswered.unanswered(load_turns(ctx.conversations, since), rated, decided)
    previous = unanswered.unanswered(load_turns(ctx.conversations, before, since), rated, decided)
    return unanswered.group(current, previous)


def _kinds(found: unanswered.Group) -> str:
    return ", ".join(f"{found.kinds[k]} {k}" for k in unanswered.KINDS if found.kinds[k])


def _trend(found: unanswered.Group, days: int) -> str:
    if found.trend > 0:
        return f"up {found.trend} on the {days} days before"
    if found.trend < 0:
        return f"down {-found.trend} on the {days} days before"
    return f"the same as the {days} days before"


def build_unanswered(ctx: Context, query: Mapping[str, str], csrf: str) -> Built:
    days = period(query)
    groups = unanswered_groups(ctx, days)
    intents = sorted(situation_intents())
    rows = [
        [
            g.messages[0].text,
            g.count,
            g.previous_count,
            g.trend,
            g.kinds[unanswered.NOT_SURE],
            g.kinds[unanswered.MIDDLE_BAND],
            g.kinds[unanswered.UNHELPFUL],
            g.top_guess or "",
            _when(g.newest),
        ]
        for g in groups
    ]
    summary = DataTable(
        "groups",
        f"Groups of messages from the last {days} days, newest first",
        [
            "First message",
            "Messages",
            "Previous period",
            "Change",
            "Not sure",
            "Middle band",
            "Rated unhelpful",
            "Model's best guess",
            "Newest",
        ],
        rows,
    )
    total = sum(g.count for g in groups)
    parts = [
        _period_picker("/unanswered", days),
        f"<p>{total} message(s) in {len(groups)} group(s). Messages are shown as stored: personal details "
        "were taken out before they were saved. <strong>Not sure</strong>: the assistant asked “did you "
        "mean”. <strong>Middle band</strong>: it answered, but was not confident. <strong>Rated "
        "unhelpful</strong>: the parent said the answer did not help.</p>",
    ]
    for number, found in enumerate(groups, start=1):
        parts.append(_group_html(number, found, days, intents, csrf))
    parts.append(table("unanswered", summary, {"days": str(days)}))
    return Built("".join(parts), {"groups": summary})


def _group_html(number: int, found: unanswered.Group, days: int, intents: list[str], csrf: str) -> str:
    heading_id = f"group-{number}"
    items = "".join(
        f"<li>{esc(m.text)} <span class=note>({esc(m.kind)}"
        f"{', reason: ' + esc(figures.REASON_WORDS.get(m.reason, 'other')) if m.kind == unanswered.UNHELPFUL else ''}"
        f", {esc(_when(m.at))})</span></li>"
        for m in found.messages[:SHOWN_PER_GROUP]
    )
    more = found.count - SHOWN_PER_GROUP
    more_html = f"<p>and {more} more like these.</p>" if more > 0 else ""
    options = "".join(
        f'<option value="{esc(i)}"{" selected" if i == found.top_guess else ""}>{esc(i)}</option>' for i in intents
    )
    hidden = csrf_field(csrf) + f'<input type="hidden" name="keys" value="{",".join(found.keys)}">'
    hidden += f'<input type="hidden" name="days" value="{days}">'
    select_id = f"intent-{number}"
    return (
        f'<section class="group" aria-labelledby="{heading_id}">'
        f'<h2 id="{heading_id}">Group {number}: {found.count} message(s)</h2>'
        f"<p>{esc(_kinds(found))}. Trend: {esc(_trend(found, days))}. Newest: {esc(_when(found.newest))}.</p>"
        f"<ul>{items}</ul>{more_html}"
        f'<form method="post" action="/unanswered/decide" class="decide">{hidden}'
        f'<label for="{select_id}">Situation</label> <select id="{select_id}" name="intent">{options}</select> '
        f'<button type="submit" name="decision" value="{esc(staff_decisions.EXISTING)}">'
        f"Add as examples of this situation</button> "
        f'<button type="submit" name="decision" value="{esc(staff_decisions.NEW_ARTICLE)}">Needs a new article'
        f"</button> "
        f'<button type="submit" name="decision" value="{esc(staff_decisions.DISMISSED)}">Dismiss</button>'
        f"</form></section>"
    )


def decide_group(ctx: Context, user: StaffUser, form: Mapping[str, str]) -> str:
    """Apply a decision to the group whose message keys were posted; returns what to tell the member of staff."""
    decision, intent = form.get("decision", ""), form.get("intent") or None
    keys = {k for k in form.get("keys", "").split(",") if len(k) == 64 and all(c in "0123456789abcdef" for c in k)}
    if decision not in staff_decisions.DECISIONS or not keys:
        raise ValueError("choose what to do with the group")
    if decision == staff_decisions.EXISTING and intent not in situation_intents():
        raise ValueError("choose the situation these messages belong to")
    days = period(form)
    texts = [m.text for g in unanswered_groups(ctx, days) for m in g.messages if m.key in keys]
    if not texts:
        raise ValueError("those messages are no longer on the page (someone may have decided already)")
    added = 0
    if decision == staff_decisions.EXISTING:
        added = staff_decisions.append_examples(str(intent), texts, ctx.review_file)
    staff_decisions.decide(ctx.engine, {unanswered.message_hash(t) for t in texts}, decision, user.username, intent)
    if decision == staff_decisions.EXISTING:
        return (
            f"{added} new example(s) of {intent} written to {ctx.review_file.name} for a developer to check. "
            "Nothing has been retrained."
        )
    return f"{len(texts)} message(s) marked “{decision}”."


# --- Answers -------------------------------------------------------------------------------------


def build_answers(ctx: Context, query: Mapping[str, str]) -> Built:
    days = period(query, 30)
    since = ctx.now() - days * DAY
    rows_feedback = _feedback_rows(ctx, since)
    turns = load_turns(ctx.conversations, since)
    per_article = figures.article_figures(turns, rows_feedback)
    # One article's figures over time, or every article's together.
    known = sorted(f.article for f in per_article)
    chosen = query.get("article") if query.get("article") in known else None
    if chosen:
        turns = [t for t in turns if t.article == chosen]
        rows_feedback = [r for r in rows_feedback if r["article_id"] == chosen]
    about = chosen or "every article"
    sections = ("law", "next_steps", "escalation", "who_can_help")
    articles = DataTable(
        "articles",
        f"Each article in the last {days} days",
        [
            "Article",
            "Answers given",
            *[f"Opened: {s.replace('_', ' ')}" for s in sections],
            "Helpful",
            "Not helpful",
            "Reasons",
        ],
        [
            [
                f.article,
                f.given,
                *[f.sections[s] for s in sections],
                f.helpful,
                f.not_helpful,
                "; ".join(f"{reason}: {n}" for reason, n in f.reasons.most_common()),
            ]
            for f in per_article
        ],
    )
    weekly = figures.weekly_answers(turns, rows_feedback)
    weeks = DataTable(
        "feedback-weeks",
        f"Answers and feedback per week, {about} (weeks start on Monday)",
        ["Week", "Answers given", "Helpful", "Not helpful"],
        [[w.isoformat(), g, h, n] for w, g, h, n in weekly],
    )
    reasons = figures.reasons_count(rows_feedback)
    reason_table = DataTable("reasons", f"Why parents said “not helpful”, {about}", ["Reason", "Times"], reasons)
    comments = [r for r in rows_feedback if not r["helpful"] and r.get("reason")]
    comment_table = DataTable(
        "comments",
        f"Comments with “not helpful”, {about} (personal details removed)",
        ["When", "Article", "Reason", "Comment"],
        [
            [
                r["created_at"].strftime("%Y-%m-%d"),
                r["article_id"],
                figures.REASON_WORDS.get(r.get("reason_code"), "other"),
                r["reason"],
            ]
            for r in reversed(comments)
        ],
    )
    q = {"days": str(days), **({"article": chosen} if chosen else {})}
    body = "".join(
        [
            _period_picker("/answers", days, _article_picker(known, chosen)),
            "<h2>Answers and feedback over time</h2>",
            chart(
                "feedback-weeks",
                "bar",
                f"Answers given, helpful and not helpful ratings per week, {about}",
                [w.isoformat() for w, *_ in weekly],
                [
                    ("Answers given", [g for _, g, _, _ in weekly]),
                    ("Helpful", [h for _, _, h, _ in weekly]),
                    ("Not helpful", [n for _, _, _, n in weekly]),
                ],
            ),
            table("answers", weeks, q),
            "<h2>Why answers did not help</h2>",
            chart(
                "reasons",
                "bar",
                f"Reasons parents picked for “not helpful”, {about}",
                [r for r, _ in reasons],
                [("Times picked", [n for _, n in reasons])],
            ),
            table("answers", reason_table, q),
            "<h2>Articles</h2>",
            table("answers", articles, q),
            "<h2>Comments</h2>",
            table("answers", comment_table, q),
        ]
    )
    tables = {t.id: t for t in (articles, weeks, reason_table, comment_table)}
    return Built(body, tables)


# --- Knowledge health ----------------------------------------------------------------------------


def build_health(ctx: Context, query: Mapping[str, str]) -> Built:
    today = dt.datetime.fromtimestamp(ctx.now(), dt.timezone.utc).date()
    rows = health.knowledge_health(ctx.knowledge_dir, today)
    files = DataTable(
        "files",
        f"Every knowledge file, most urgent first (today is {today.isoformat()})",
        ["File", "Kind", "Review by", "Due", "Last reviewed", "Sign-off", "Errors", "Warnings"],
        [
            [r.key, r.kind, r.review_by or "", r.due, r.last_reviewed or "", r.sign_off, r.errors, r.warnings]
            for r in rows
        ],
    )
    problems = DataTable(
        "problems",
        "Problems found by the knowledge check",
        ["File", "Line", "Severity", "Problem"],
        [[r.key, p.line, p.severity, p.message] for r in rows for p in r.problems],
    )
    counts = {state: sum(r.due == state for r in rows) for state in (health.OVERDUE, health.DUE_SOON)}
    changed = [r for r in rows if r.changes]
    details = "".join(
        f"<details><summary>{esc(r.key)}: {esc(r.sign_off)}</summary><pre>{esc(r.changes)}</pre></details>"
        for r in changed
    )
    body = (
        f"<p>{counts[health.OVERDUE]} file(s) overdue for review, {counts[health.DUE_SOON]} due within "
        f"{health.DUE_SOON_DAYS} days, {len(problems.rows)} problem(s) from the knowledge check, "
        f"{len(changed)} file(s) changed since sign-off.</p>"
        + table("health", files)
        + "<h2>Problems</h2>"
        + table("health", problems)
        + "<h2>Changed since sign-off</h2>"
        + (details or "<p>Every file's legal text is as signed off.</p>")
    )
    return Built(body, {"files": files, "problems": problems})


# --- Audit log ----------------------------------------------------------------------------------

AUDIT_SHOWN = 500


def build_audit(ctx: Context, query: Mapping[str, str]) -> Built:
    with ctx.engine.connect() as conn:
        rows = conn.execute(select(audit).order_by(audit.c.id.desc()).limit(AUDIT_SHOWN)).all()
    log = DataTable(
        "log",
        f"Sign-ins and actions, newest first (at most {AUDIT_SHOWN})",
        ["When (UTC)", "Account", "What", "Detail"],
        [[r.at.strftime("%Y-%m-%d %H:%M:%S"), r.username, r.action, r.detail or ""] for r in rows],
    )
    return Built(
        "<p>Kept for the retention period, then deleted. Never holds a password, a session or a parent's "
        "message.</p>" + table("audit", log),
        {"log": log},
    )


# --- Partners ------------------------------------------------------------------------------------


def build_partners(ctx: Context, query: Mapping[str, str], user: StaffUser) -> Built:
    days = period(query, 30)
    since = ctx.now() - days * DAY
    turns = load_turns(ctx.conversations, since)
    if not user.is_editor:  # a partner viewer's figures come from their partner's conversations only
        turns = [t for t in turns if t.partner == user.partner]
    found = figures.partner_figures(turns, situation_intents())
    if not user.is_editor:
        found = {user.partner: found.get(user.partner) or figures.PartnerFigures(str(user.partner))}
    else:  # every partner file, also those with no conversations in the period
        for path in partner_paths(ctx.knowledge_dir / "partners"):
            found.setdefault(path.stem, figures.PartnerFigures(path.stem))
    summary = DataTable(
        "summary",
        f"Partners in the last {days} days",
        ["Partner", "Conversations", "Asked for the helpline", "Share", "Situations seen most"],
        [
            [
                f.partner,
                f.conversations,
                f.to_helpline,
                f"{f.helpline_share:.0%}",
                "; ".join(f"{s}: {n}" for s, n in f.situations.most_common(3)),
            ]
            for f in sorted(found.values(), key=lambda f: f.partner)
        ],
    )
    weeks = sorted({w for f in found.values() for w in f.weeks})
    names = sorted(found)
    weekly = DataTable(
        "weeks",
        "Conversations per week (weeks start on Monday)",
        ["Week", *names],
        [[w.isoformat(), *[found[n].weeks[w] for n in names]] for w in weeks],
    )
    q = {"days": str(days)}
    body = (
        _period_picker("/partners", days)
        + "<p>Counts only: no messages are shown here. “Asked for the helpline”: conversations where the "
        "parent asked to talk to an adviser and was given the partner's helpline.</p>"
        + table("partners", summary, q)
        + "<h2>Conversations per week</h2>"
        + chart(
            "weeks",
            "line",
            "Conversations per week",
            [w.isoformat() for w in weeks],
            [(n, [found[n].weeks[w] for w in weeks]) for n in names],
        )
        + table("partners", weekly, q)
    )
    return Built(body, {"summary": summary, "weeks": weekly})
