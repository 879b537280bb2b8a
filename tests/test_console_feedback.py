"""Feedback with a reason: the new columns reach existing databases, and the rated answer's time is the
one the staff console looks for."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from bot.web.channel import answer_time
from bot.web.feedback import all_feedback, feedback_engine, store_feedback


def test_an_existing_feedback_table_gets_the_new_columns(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = create_engine(url)
    with old.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE feedback (id INTEGER PRIMARY KEY, article_id VARCHAR(120) NOT NULL, helpful BOOLEAN "
                "NOT NULL, reason TEXT, partner VARCHAR(120) NOT NULL, created_at DATETIME NOT NULL)"
            )
        )
        conn.execute(text("INSERT INTO feedback VALUES (1, 'ehc-delay', 0, NULL, 'default', '2026-11-01 10:00:00')"))
    old.dispose()
    engine = feedback_engine(url)
    assert {"reason_code", "answered_at"} <= {c["name"] for c in inspect(engine).get_columns("feedback")}
    store_feedback(
        engine, "ehc-delay", False, "Too long. Ring 07700 900123", "default", reason_code="other", answered_at=12.5
    )
    rows = all_feedback(engine)
    assert [(r["reason_code"], r["answered_at"], r["reason"]) for r in rows] == [
        (None, None, None),
        ("other", 12.5, "Too long. Ring [removed]"),
    ]
    feedback_engine(url).dispose()  # a second start finds the columns there
    engine.dispose()


def test_answer_time_is_the_latest_answer_from_that_article() -> None:
    def mark(article: str, at: float) -> dict:
        return {"event": "bot", "timestamp": at, "data": {"custom": {"answered_from_article": article}}}

    events = [
        mark("ehc-delay", 10.0),
        {"event": "bot", "timestamp": 11.0, "data": {}},
        mark("suspension", 12.0),
        mark("ehc-delay", 13.0),
    ]
    assert answer_time(events, "ehc-delay") == 13.0
    assert answer_time(events, "annual-review") is None
