"""The knowledge index: articles stored through SQLAlchemy, with full-text search.

SQLite (the default) uses an FTS5 table; PostgreSQL uses a `tsvector` column with a GIN index. Written in
the SQLAlchemy 2.0 style that 1.4 (Rasa's pin) supports.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from sqlalchemy import Column, Date, DateTime, MetaData, String, Table, Text, delete, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, ProgrammingError

from bot.content.articles import SECTIONS, Article
from bot.content.validation import Source

metadata = MetaData()

articles_table = Table(
    "kb_articles",
    metadata,
    Column("id", String(120), primary_key=True),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("intents", Text, nullable=False),  # JSON list
    Column("sections", Text, nullable=False),  # JSON object: section key -> Markdown
    Column("sources", Text, nullable=False),  # JSON list of source objects
    Column("related", Text, nullable=False),  # JSON list of article ids
    Column("owner", Text, nullable=False),
    Column("last_reviewed", Date, nullable=False),
    Column("review_by", Date, nullable=False),
    Column("path", Text, nullable=False),
    Column("checksum", String(64), nullable=False),
    Column("extra", Text, nullable=False, default="{}"),  # JSON: optional front matter such as tailoring
    Column("indexed_at", DateTime, nullable=False),
)

intents_table = Table(
    "kb_intents",
    metadata,
    Column("intent", String(120), primary_key=True),
    Column("article_id", String(120), nullable=False),
)

# Words too common to help a search; parents' messages are full of them.
STOPWORDS = frozenset(
    """a about after again all am an and any are as at be been but by can could did do does doing for from
    had has have he her him his how i if in into is it its just me my no not of on or our out over she so
    some than that the their them then there they this to too up us very was we were what when where which
    who why will with would you your yours im ive dont didnt cant wont hes shes theyre son daughter child
    kid kids school please help hi hello""".split()
)


def _is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def create_schema(engine: Engine) -> None:
    """Create the tables and the full-text index if they don't exist.

    Two processes starting together may both find a table missing; the loser of that race sees a
    duplicate-object error and simply tries again, finding everything in place.
    """
    try:
        _create_schema(engine)
    except (IntegrityError, ProgrammingError):
        _create_schema(engine)


def _create_schema(engine: Engine) -> None:
    metadata.create_all(engine)
    with engine.begin() as conn:
        if _is_sqlite(engine):
            conn.execute(
                text(
                    "CREATE VIRTUAL TABLE IF NOT EXISTS kb_search USING fts5("
                    "article_id UNINDEXED, title, summary, body, tokenize = 'porter unicode61')"
                )
            )
        else:
            conn.execute(text("ALTER TABLE kb_articles ADD COLUMN IF NOT EXISTS search tsvector"))
            conn.execute(text("CREATE INDEX IF NOT EXISTS kb_articles_search ON kb_articles USING GIN (search)"))


def _plain(markdown: str) -> str:
    """Text for searching: no citation markers or Markdown punctuation."""
    return re.sub(r"\[@[a-z0-9-]+\]|[#>*_`]", " ", markdown)


def upsert_article(engine: Engine, article: Article) -> None:
    """Insert or replace one article and its search entry, in one transaction.

    Several action servers share one PostgreSQL database and may index the same article at the same
    moment: a transaction-scoped advisory lock per article makes them take turns (SQLite already lets
    only one writer in at a time).
    """
    row = {
        "id": article.id,
        "title": article.title,
        "summary": article.summary,
        "intents": json.dumps(list(article.intents)),
        "sections": json.dumps(article.sections),
        "sources": json.dumps([s.__dict__ for s in article.sources]),
        "related": json.dumps(list(article.related)),
        "owner": article.owner,
        "last_reviewed": article.last_reviewed,
        "review_by": article.review_by,
        "path": article.path,
        "checksum": article.checksum,
        "extra": json.dumps(article.extra, default=str),
        "indexed_at": dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
    }
    body = _plain("\n".join(article.sections.values()))
    with engine.begin() as conn:
        if not _is_sqlite(engine):
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"kb_articles:{article.id}"})
        conn.execute(delete(articles_table).where(articles_table.c.id == article.id))
        conn.execute(articles_table.insert().values(**row))
        conn.execute(delete(intents_table).where(intents_table.c.article_id == article.id))
        for intent in article.intents:
            conn.execute(delete(intents_table).where(intents_table.c.intent == intent))
            conn.execute(intents_table.insert().values(intent=intent, article_id=article.id))
        if _is_sqlite(engine):
            conn.execute(text("DELETE FROM kb_search WHERE article_id = :id"), {"id": article.id})
            conn.execute(
                text("INSERT INTO kb_search (article_id, title, summary, body) VALUES (:id, :t, :s, :b)"),
                {"id": article.id, "t": article.title, "s": _plain(article.summary), "b": body},
            )
        else:
            conn.execute(
                text(
                    "UPDATE kb_articles SET search = "
                    "setweight(to_tsvector('english', :t), 'A') || "
                    "setweight(to_tsvector('english', :s), 'B') || "
                    "setweight(to_tsvector('english', :b), 'C') WHERE id = :id"
                ),
                {"id": article.id, "t": article.title, "s": _plain(article.summary), "b": body},
            )


def remove_missing(engine: Engine, keep_ids: set[str]) -> list[str]:
    """Drop articles whose files are gone (used by a full build, never by live refresh)."""
    with engine.begin() as conn:
        existing = [r[0] for r in conn.execute(select(articles_table.c.id))]
        gone = [i for i in existing if i not in keep_ids]
        for article_id in gone:
            conn.execute(delete(articles_table).where(articles_table.c.id == article_id))
            conn.execute(delete(intents_table).where(intents_table.c.article_id == article_id))
            if _is_sqlite(engine):
                conn.execute(text("DELETE FROM kb_search WHERE article_id = :id"), {"id": article_id})
    return gone


def _row_to_article(row) -> Article:
    sections = json.loads(row.sections)
    return Article(
        id=row.id,
        title=row.title,
        intents=tuple(json.loads(row.intents)),
        summary=row.summary,
        last_reviewed=row.last_reviewed,
        review_by=row.review_by,
        owner=row.owner,
        sources=tuple(Source(**s) for s in json.loads(row.sources)),
        related=tuple(json.loads(row.related)),
        sections={key: sections.get(key, "") for key in SECTIONS},
        path=row.path,
        checksum=row.checksum,
        extra=json.loads(row.extra or "{}"),
    )


def get_article(engine: Engine, article_id: str) -> Article | None:
    with engine.connect() as conn:
        row = conn.execute(select(articles_table).where(articles_table.c.id == article_id)).first()
    return _row_to_article(row) if row else None


def article_for_intent(engine: Engine, intent: str) -> Article | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(articles_table)
            .join(intents_table, intents_table.c.article_id == articles_table.c.id)
            .where(intents_table.c.intent == intent)
        ).first()
    return _row_to_article(row) if row else None


def all_articles(engine: Engine) -> list[Article]:
    with engine.connect() as conn:
        rows = conn.execute(select(articles_table).order_by(articles_table.c.id)).all()
    return [_row_to_article(r) for r in rows]


def checksums(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {r.id: r.checksum for r in conn.execute(select(articles_table.c.id, articles_table.c.checksum))}


def search_terms(query: str, limit: int = 12) -> list[str]:
    """The useful words of a free-text message, lower-cased, without duplicates."""
    words = re.findall(r"[a-z0-9]+", query.lower())
    terms: list[str] = []
    for word in words:
        if len(word) > 1 and word not in STOPWORDS and word not in terms:
            terms.append(word)
    return terms[:limit]


@dataclass(frozen=True)
class SearchHit:
    article_id: str
    title: str
    score: float


def search(engine: Engine, query: str, limit: int = 3) -> list[SearchHit]:
    """Articles matching any of the query's words, best first. Safe for any user input."""
    terms = search_terms(query)
    if not terms:
        return []
    with engine.connect() as conn:
        if _is_sqlite(engine):
            # Each term quoted, so FTS5 never sees user-typed operators; OR so one good word is enough.
            match = " OR ".join(f'"{t}"' for t in terms)
            rows = conn.execute(
                text(
                    "SELECT kb_search.article_id AS id, a.title AS title, "
                    "bm25(kb_search, 0.0, 8.0, 4.0, 1.0) AS rank "
                    "FROM kb_search JOIN kb_articles a ON a.id = kb_search.article_id "
                    "WHERE kb_search MATCH :match ORDER BY rank LIMIT :limit"
                ),
                {"match": match, "limit": limit},
            ).all()
            return [SearchHit(r.id, r.title, -float(r.rank)) for r in rows]
        rows = conn.execute(
            text(
                "SELECT id, title, ts_rank_cd(search, q) AS rank "
                "FROM kb_articles, to_tsquery('english', :q) AS q "
                "WHERE search @@ q ORDER BY rank DESC, id LIMIT :limit"
            ),
            {"q": " | ".join(terms), "limit": limit},
        ).all()
        return [SearchHit(r.id, r.title, float(r.rank)) for r in rows]
