"""Staff console: the queries and the grouping, on real stored conversations (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from bot.console import decisions, figures, pages, unanswered
from bot.console.events import load_turns
from tests.console_helpers import DAY, NOW, make_context, rate, store_conversation, turn
from tests.db import drop_postgres, postgres_url

DID_YOU_MEAN = ["action_did_you_mean"]
ANSWER = ["action_answer_situation"]


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'console.db'}"
        return
    url = postgres_url()
    yield url
    drop_postgres(url)


@pytest.fixture
async def ctx(database_url, tmp_path):
    """Conversations of this week and the week before, and feedback on some answers."""
    await store_conversation(
        database_url,
        "c1",
        turn("my son's school keeps sending him home early", "nlu_fallback", 0.2, DID_YOU_MEAN, NOW - 1 * DAY),
    )
    await store_conversation(
        database_url,
        "c2",
        turn(
            "school keeps sending my son home early every day", "reduced_timetable", 0.22, DID_YOU_MEAN, NOW - 2 * DAY
        ),
    )
    await store_conversation(
        database_url,
        "c3",
        turn(
            "council said no to assessing my daughter",
            "ehc_assessment_refused",
            0.5,
            ANSWER,
            NOW - 3 * DAY,
            article="ehc-assessment-refused",
        ),
    )
    confident = turn("the plan is 30 weeks late", "ehc_delay", 0.93, ANSWER, NOW - 4 * DAY, article="ehc-delay")
    section = turn("/section_law", "section_law", 1.0, ["action_show_section"], NOW - 4 * DAY + 10, article="ehc-delay")
    await store_conversation(database_url, "c4", confident + section)
    await store_conversation(
        database_url,
        "c5",
        turn(
            "email me at jo@example.com about tribunal costs",
            "nlu_fallback",
            0.1,
            DID_YOU_MEAN,
            NOW - 5 * DAY,
            partner="example-charity",
        )
        + turn(
            "/talk_to_adviser",
            "talk_to_adviser",
            1.0,
            ANSWER,
            NOW - 5 * DAY + 20,
            partner="example-charity",
            article="talk-to-adviser",
        ),
    )
    # The week before: one more like c1, and one that was answered confidently (never listed).
    await store_conversation(
        database_url,
        "c6",
        turn("the school is sending my son home early again", "nlu_fallback", 0.2, DID_YOU_MEAN, NOW - 9 * DAY),
    )
    await store_conversation(
        database_url,
        "c7",
        turn("we are waiting for camhs", "camhs_waiting", 0.95, ANSWER, NOW - 10 * DAY, article="camhs-waiting"),
    )
    context = make_context(database_url, tmp_path)
    answered_at = NOW - 4 * DAY + 0.9  # c4's first answer mark
    rate(context, "ehc-delay", False, NOW - 4 * DAY + 30, "out_of_date", "Call me on 07700 900123", answered_at)
    rate(context, "ehc-delay", True, NOW - 4 * DAY + 40)
    rate(context, "camhs-waiting", True, NOW - 10 * DAY + 40)
    yield context
    context.engine.dispose()


def test_turns_are_read_back_with_their_band_article_and_partner(ctx) -> None:
    turns = load_turns(ctx.conversations, NOW - 7 * DAY)
    by_sender = {t.sender_id: t for t in turns if t.typed}
    assert sorted(by_sender) == ["c1", "c2", "c3", "c4", "c5"]
    assert by_sender["c3"].article == "ehc-assessment-refused" and by_sender["c3"].confidence == 0.5
    assert by_sender["c5"].partner == "example-charity"
    # Stored redacted: the console never sees what the store did not keep.
    assert "jo@example.com" not in by_sender["c5"].text and "[email]" in by_sender["c5"].text


def test_the_three_kinds_of_unanswered_message_and_nothing_else(ctx) -> None:
    rated = unanswered.unhelpful_answers(pages._feedback_rows(ctx, NOW - 14 * DAY))
    found = unanswered.unanswered(load_turns(ctx.conversations, NOW - 7 * DAY), rated, set())
    kinds = {m.text: (m.kind, m.reason) for m in found}
    assert kinds == {
        "my son's school keeps sending him home early": (unanswered.NOT_SURE, None),
        "school keeps sending my son home early every day": (unanswered.NOT_SURE, None),
        "council said no to assessing my daughter": (unanswered.MIDDLE_BAND, None),
        "the plan is 30 weeks late": (unanswered.UNHELPFUL, "out_of_date"),
        "email me at [email] about tribunal costs": (unanswered.NOT_SURE, None),
    }


def test_similar_messages_are_grouped_with_a_trend_newest_group_first(ctx) -> None:
    groups = pages.unanswered_groups(ctx, 7)
    sizes = [(g.messages[0].text, g.count, g.previous_count) for g in groups]
    assert sizes[0] == ("my son's school keeps sending him home early", 2, 1)
    assert sorted(g.count for g in groups) == [1, 1, 1, 2]
    assert [g.newest for g in groups] == sorted((g.newest for g in groups), reverse=True)
    assert groups[0].trend == 1 and groups[0].top_guess == "reduced_timetable"


def test_grouping_keeps_different_questions_apart() -> None:
    def message(text: str, at: float) -> unanswered.Message:
        return unanswered.Message(text, at, unanswered.NOT_SURE, "default", None, 0.0)

    groups = unanswered.group(
        [
            message("can the school make him do half days", 3),
            message("can the school make her do half days?", 2),
            message("who pays for the taxi to college", 1),
        ]
    )
    assert [[m.text for m in g.messages] for g in groups] == [
        ["can the school make him do half days", "can the school make her do half days?"],
        ["who pays for the taxi to college"],
    ]


def test_marking_a_group_as_an_existing_situation_writes_review_examples_and_hides_it(ctx, tmp_path) -> None:
    first = pages.unanswered_groups(ctx, 7)[0]
    staff = type("User", (), {"username": "editor1"})()
    notice = pages.decide_group(
        ctx, staff, {"decision": decisions.EXISTING, "intent": "reduced_timetable", "keys": ",".join(first.keys)}
    )
    assert "2 new example(s) of reduced_timetable" in notice and "Nothing has been retrained" in notice
    written = yaml.safe_load(ctx.review_file.read_text(encoding="utf-8"))
    assert "nlu" not in written  # Rasa reads `nlu:` files only: this one waits for a developer
    assert written["review"][0]["intent"] == "reduced_timetable"
    assert sorted(written["review"][0]["examples"]) == sorted(m.text for m in first.messages)
    remaining = [g.messages[0].text for g in pages.unanswered_groups(ctx, 7)]
    assert first.messages[0].text not in remaining and len(remaining) == 3
    # The same messages again add nothing twice.
    assert decisions.append_examples("reduced_timetable", [m.text for m in first.messages], ctx.review_file) == 0


def test_dismissing_needs_the_keys_of_messages_on_the_page(ctx) -> None:
    staff = type("User", (), {"username": "editor1"})()
    with pytest.raises(ValueError):
        pages.decide_group(ctx, staff, {"decision": decisions.DISMISSED, "keys": "0" * 64})
    with pytest.raises(ValueError):
        pages.decide_group(ctx, staff, {"decision": "delete everything", "keys": "0" * 64})
    group = pages.unanswered_groups(ctx, 7)[-1]
    assert "marked “dismissed”" in pages.decide_group(
        ctx, staff, {"decision": decisions.DISMISSED, "keys": ",".join(group.keys)}
    )
    assert len(pages.unanswered_groups(ctx, 7)) == 3
    assert not ctx.review_file.exists()


def test_article_figures_count_answers_sections_and_reasons(ctx) -> None:
    turns = load_turns(ctx.conversations, NOW - 30 * DAY)
    rows = pages._feedback_rows(ctx, NOW - 30 * DAY)
    found = {f.article: f for f in figures.article_figures(turns, rows)}
    assert found["ehc-delay"].given == 1 and found["ehc-delay"].sections["law"] == 1
    assert (found["ehc-delay"].helpful, found["ehc-delay"].not_helpful) == (1, 1)
    assert dict(found["ehc-delay"].reasons) == {"out of date": 1}
    assert found["camhs-waiting"].helpful == 1
    weeks = figures.weekly_answers(turns, rows)
    # Week of 23 November: c7 (Tuesday 24th) and c5's adviser answer (Sunday 29th); then c3 and c4.
    assert weeks == [(dt.date(2026, 11, 23), 2, 1, 0), (dt.date(2026, 11, 30), 2, 1, 1)]
    one = figures.weekly_answers([t for t in turns if t.article == "ehc-delay"], [])
    assert one == [(dt.date(2026, 11, 30), 1, 0, 0)]  # the section opened is not another answer


def test_partner_figures_are_counts_per_partner(ctx) -> None:
    found = figures.partner_figures(
        load_turns(ctx.conversations, NOW - 30 * DAY),
        ["ehc_delay", "camhs_waiting", "ehc_assessment_refused", "talk_to_adviser"],
    )
    assert found["example-charity"].conversations == 1 and found["example-charity"].to_helpline == 1
    assert found["default"].conversations == 6 and found["default"].to_helpline == 0
    assert found["default"].situations["ehc_delay"] == 1


def test_rasa_does_not_read_the_review_file_as_training_data(tmp_path) -> None:
    from rasa.shared.importers.rasa import RasaFileImporter
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    path = tmp_path / "data" / "nlu" / "review" / "from-console.yml"
    assert decisions.append_examples("reduced_timetable", ["they only let him in for mornings"], path) == 1
    assert not RasaYAMLReader.is_yaml_nlu_file(path)
    # How `rasa train` and `rasa data validate` gather files from --data: this one is passed over.
    importer = RasaFileImporter(training_data_paths=[str(tmp_path / "data")])
    assert importer.get_nlu_data().training_examples == []


def test_the_console_reads_conversations_through_its_own_engine_when_they_share_a_database(tmp_path) -> None:
    from bot.console.tables import console_engine, conversations_engine

    url = f"sqlite:///{tmp_path / 'send.db'}"
    engine = console_engine(url)
    assert conversations_engine(engine, url, 5, 5) is engine
    other = conversations_engine(engine, f"sqlite:///{tmp_path / 'tracker.db'}", 5, 5)
    assert other is not engine and other.url.database.endswith("tracker.db")
    engine.dispose()
    other.dispose()


def test_editors_see_every_partner_file_even_without_conversations(tmp_path) -> None:
    from bot.console.accounts import StaffUser

    ctx = make_context(f"sqlite:///{tmp_path / 'empty.db'}", tmp_path)
    editor = StaffUser(1, "editor1", "editor", None)
    built = pages.build_partners(ctx, {}, editor)
    assert [row[0] for row in built.tables["summary"].rows] == ["default", "example-charity"]
    assert all(row[1] == 0 for row in built.tables["summary"].rows)
    viewer = StaffUser(2, "charity1", "partner_viewer", "example-charity")
    assert [row[0] for row in pages.build_partners(ctx, {}, viewer).tables["summary"].rows] == ["example-charity"]
    ctx.engine.dispose()
