"""The knowledge service the actions use: the index, kept in step with the files while running.

Staff edit files in `knowledge/`; within `refresh_seconds` the next question sees the change, with no
retraining and no restart. A file that fails validation is reported in the log and the last valid
version of that article keeps being served, so a typo never takes an answer away from a parent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.content import index
from bot.content.articles import Article, article_paths, load_knowledge, parse_article
from bot.content.validation import Problem
from bot.content.watch import FileWatch
from bot.storage.database import make_engine

logger = logging.getLogger(__name__)


class KnowledgeService:
    def __init__(
        self,
        engine: Engine,
        knowledge_dir: Path,
        situation_intents: Iterable[str] | None = None,
        refresh_seconds: float = 1.0,
    ) -> None:
        self.engine = engine
        self.knowledge_dir = knowledge_dir
        self.situation_intents = list(situation_intents) if situation_intents is not None else None
        self._watch = FileWatch(lambda: article_paths(self.knowledge_dir), refresh_seconds)
        self.last_problems: list[Problem] = []

    # -- keeping the index in step with the files ---------------------------------------------------
    def build(self) -> list[Problem]:
        """Validate everything and index every valid article (start-up, and the staff `build` command)."""
        index.create_schema(self.engine)
        kb = load_knowledge(self.knowledge_dir, self.situation_intents)
        # Unchanged articles are left alone: several action servers start at once against one database,
        # and re-writing identical rows in parallel only gives them a chance to collide.
        indexed = index.checksums(self.engine)
        for article in kb.articles:
            if indexed.get(article.id) != article.checksum:
                index.upsert_article(self.engine, article)
        if not kb.errors:
            # Only a clean build may drop articles: a broken file must not remove a served answer.
            index.remove_missing(self.engine, {a.id for a in kb.articles})
        with self._watch.lock:
            self._watch.mark_seen()
        self.last_problems = kb.problems
        for problem in kb.problems:
            (logger.error if problem.severity == "error" else logger.warning)("knowledge: %s", problem)
        return kb.problems

    @property
    def refresh_seconds(self) -> float:
        return self._watch.refresh_seconds

    @refresh_seconds.setter
    def refresh_seconds(self, seconds: float) -> None:
        self._watch.refresh_seconds = seconds

    def refresh(self, force: bool = False) -> list[Article]:
        """Re-index files changed since the last look; returns the articles that were updated."""
        with self._watch.lock:
            changes = self._watch.look(force)
        if changes is None:
            return []
        changed = changes.changed
        updated: list[Article] = []
        known = index.checksums(self.engine)
        for path in changed:
            article, problems = parse_article(path, self.situation_intents)
            for problem in problems:
                (logger.error if problem.severity == "error" else logger.warning)("knowledge: %s", problem)
            if article is None:
                logger.error("knowledge: %s is invalid; still serving its last valid version", path)
                continue
            if known.get(article.id) != article.checksum:
                index.upsert_article(self.engine, article)
                updated.append(article)
                logger.info("knowledge: re-indexed %s", article.id)
        return updated

    # -- what the actions ask ----------------------------------------------------------------------
    def _fresh(self) -> None:
        try:
            self.refresh()
        except Exception:  # a failed refresh must never stop a parent getting the last good answer
            logger.exception("knowledge: refresh failed; serving the indexed versions")

    def article_for_intent(self, intent: str) -> Article | None:
        self._fresh()
        return index.article_for_intent(self.engine, intent)

    def article(self, article_id: str) -> Article | None:
        self._fresh()
        return index.get_article(self.engine, article_id)

    def search(self, query: str, limit: int = 3) -> list[index.SearchHit]:
        self._fresh()
        return index.search(self.engine, query, limit)


def service_from_settings() -> KnowledgeService:
    """A service for DATABASE_URL and KNOWLEDGE_DIR, creating the SQLite folder when needed."""
    from bot.settings import load_settings
    from bot.understanding.intents import situation_intents

    settings = load_settings()
    if settings.database_url.startswith("sqlite:///"):
        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return KnowledgeService(
        make_engine(settings.database_url, settings.db_pool_size, settings.db_max_overflow),
        settings.knowledge_dir,
        situation_intents(),
        settings.knowledge_refresh_seconds,
    )
