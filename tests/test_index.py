"""The knowledge index on SQLite (default) and PostgreSQL: storage, lookup and full-text search."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import index
from bot.content.articles import load_knowledge
from bot.storage.database import make_engine
from tests.db import drop_postgres, postgres_url
from tests.knowledge_fixtures import FIXTURE_INTENTS


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path: Path):
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'kb.db'}")
        yield engine
        engine.dispose()
    else:
        url = postgres_url()
        engine = make_engine(url)
        yield engine
        engine.dispose()
        drop_postgres(url)


@pytest.fixture
def indexed(engine, knowledge_dir: Path):
    index.create_schema(engine)
    for article in load_knowledge(knowledge_dir, FIXTURE_INTENTS).articles:
        index.upsert_article(engine, article)
    return engine


def test_round_trip_keeps_every_field(indexed, knowledge_dir: Path) -> None:
    original = load_knowledge(knowledge_dir, FIXTURE_INTENTS).by_intent()["ehc_delay"]
    stored = index.article_for_intent(indexed, "ehc_delay")
    assert stored == original


def test_lookup_by_id_and_unknown(indexed) -> None:
    assert index.get_article(indexed, "request-ehc-assessment").intents == ("request_ehc_assessment",)
    assert index.get_article(indexed, "nope") is None
    assert index.article_for_intent(indexed, "greet") is None


def test_upsert_replaces_rather_than_duplicates(indexed, knowledge_dir: Path) -> None:
    article = load_knowledge(knowledge_dir, FIXTURE_INTENTS).by_intent()["ehc_delay"]
    index.upsert_article(indexed, article)
    index.upsert_article(indexed, article)
    assert [a.id for a in index.all_articles(indexed)] == ["ehc-delay", "request-ehc-assessment"]
    assert len(index.search(indexed, "final plan weeks", limit=10)) == 1


def test_search_finds_by_title_summary_and_body(indexed) -> None:
    assert index.search(indexed, "taking too long")[0].article_id == "ehc-delay"  # title
    assert index.search(indexed, "request an assessment")[0].article_id == "request-ehc-assessment"
    assert index.search(indexed, "Ombudsman")[0].article_id == "ehc-delay"  # body only


@pytest.mark.parametrize(
    "nasty",
    ['"', "' OR 1=1 --", "NEAR(", "title:foo*", "<script>alert(1)</script>", "🙂🙂", "", " " * 50, "a" * 5000],
)
def test_search_is_safe_for_any_input(indexed, nasty: str) -> None:
    assert isinstance(index.search(indexed, nasty), list)


def test_remove_missing(indexed) -> None:
    assert index.remove_missing(indexed, {"ehc-delay"}) == ["request-ehc-assessment"]
    assert index.article_for_intent(indexed, "request_ehc_assessment") is None
    assert all(hit.article_id != "request-ehc-assessment" for hit in index.search(indexed, "request assessment"))


def test_search_terms_drop_noise() -> None:
    assert index.search_terms("My son's school EXCLUDED him, for 3 DAYS!!") == ["excluded", "days"]


def test_several_processes_indexing_at_once_do_not_collide(knowledge_dir: Path) -> None:
    """Seen with two action servers on one PostgreSQL: both built the index on their first request."""
    import threading

    from bot.content.service import KnowledgeService

    url = postgres_url()
    engines = [make_engine(url) for _ in range(4)]
    try:
        for attempt in range(3):
            if attempt:  # later rounds: a changed file makes every process re-write the same article
                path = knowledge_dir / "articles" / "ehc-delay.md"
                path.write_text(path.read_text(encoding="utf-8") + f"\n<!-- edit {attempt} -->\n", encoding="utf-8")
            services = [KnowledgeService(e, knowledge_dir, FIXTURE_INTENTS, refresh_seconds=0) for e in engines]
            errors: list[BaseException] = []
            start = threading.Barrier(len(services))

            def build(service: KnowledgeService, start: threading.Barrier, errors: list[BaseException]) -> None:
                try:
                    start.wait()
                    service.build()
                except BaseException as exc:  # collected for the assertion below
                    errors.append(exc)

            threads = [threading.Thread(target=build, args=(s, start, errors)) for s in services]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert errors == []
            assert index.article_for_intent(engines[0], "ehc_delay") is not None
    finally:
        for engine in engines:
            engine.dispose()
        drop_postgres(url)
