"""How many PostgreSQL connections a deployment may open at most, against what the server allows.

    python deploy/connections.py --rasa 2 --actions 2                  # uses SANIC_WORKERS, DB_POOL_SIZE, DB_MAX_OVERFLOW
    python deploy/connections.py --rasa 2 --actions 2 --database-url "$DATABASE_URL"   # asks the server

Every engine in every process has its own pool of up to DB_POOL_SIZE + DB_MAX_OVERFLOW connections
(bot/storage/database.py make_engine). A Rasa worker has two engines, the conversation store (bot/rasa_ext/tracker_store.py)
and the feedback table (bot/web/feedback.py); an action server has one, the knowledge index
(bot/content/service.py). Pools open connections lazily, so these are upper bounds: the numbers to plan with.
Exit 1 when they don't fit.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

# Engines (each with its own pool) per process; tests/test_deploy.py notices a new make_engine() caller.
RASA_ENGINES = 2
ACTION_SERVER_ENGINES = 1
# bot/settings.py's defaults for DB_POOL_SIZE and DB_MAX_OVERFLOW.
DEFAULT_POOL_SIZE = 5
DEFAULT_MAX_OVERFLOW = 5
# Kept free for admin sessions, migrations, the retention purge job and monitoring.
DEFAULT_HEADROOM = 10
POSTGRESQL_DEFAULT_MAX_CONNECTIONS = 100


def most_connections(
    rasa_instances: int,
    sanic_workers: int,
    pool_size: int,
    max_overflow: int,
    action_instances: int,
    action_workers: int = 1,
    jobs: int = 1,
) -> int:
    """Connections all processes together may hold at once (docs/configuration.md has the same sum).

    `jobs`: one-off commands that may run alongside, such as the nightly purge (one engine each).
    """
    pool = pool_size + max_overflow
    return (
        rasa_instances * sanic_workers * RASA_ENGINES * pool
        + action_instances * action_workers * ACTION_SERVER_ENGINES * pool
        + jobs * pool
    )


def fits(needed: int, max_connections: int, headroom: int = DEFAULT_HEADROOM) -> bool:
    return needed <= max_connections - headroom


def server_max_connections(database_url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url, future=True, pool_size=1, max_overflow=0)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SHOW max_connections")).scalar_one())
    finally:
        engine.dispose()


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name) or str(default)
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number; it is '{raw}'") from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rasa", type=int, required=True, help="Rasa server instances (replicas)")
    parser.add_argument("--actions", type=int, required=True, help="action server instances (replicas)")
    parser.add_argument("--workers", type=int, default=_env_int("SANIC_WORKERS", 1), help="Sanic workers per Rasa")
    parser.add_argument("--action-workers", type=int, default=1, help="Sanic workers per action server")
    parser.add_argument("--jobs", type=int, default=1, help="jobs that may run at once (the purge CronJob)")
    parser.add_argument("--pool-size", type=int, default=_env_int("DB_POOL_SIZE", DEFAULT_POOL_SIZE))
    parser.add_argument("--max-overflow", type=int, default=_env_int("DB_MAX_OVERFLOW", DEFAULT_MAX_OVERFLOW))
    parser.add_argument("--headroom", type=int, default=DEFAULT_HEADROOM)
    parser.add_argument("--max-connections", type=int, default=POSTGRESQL_DEFAULT_MAX_CONNECTIONS)
    parser.add_argument("--database-url", help="read max_connections from this PostgreSQL server instead")
    args = parser.parse_args(argv)

    limit = server_max_connections(args.database_url) if args.database_url else args.max_connections
    needed = most_connections(
        args.rasa, args.workers, args.pool_size, args.max_overflow, args.actions, args.action_workers, args.jobs
    )
    pool = f"({args.pool_size} + {args.max_overflow})"
    print(
        f"PostgreSQL connections: at most {needed} = {args.rasa} Rasa x {args.workers} worker(s) x "
        f"{RASA_ENGINES} engines x {pool} + {args.actions} action server(s) x {args.action_workers} worker(s) x {pool} + {args.jobs} job(s) x {pool}; "
        f"allowed {limit} - {args.headroom} headroom = {limit - args.headroom}"
    )
    if fits(needed, limit, args.headroom):
        return 0
    print(
        "That does not fit: lower DB_POOL_SIZE / DB_MAX_OVERFLOW or SANIC_WORKERS, run fewer replicas, "
        "raise max_connections, or put PgBouncer in front of PostgreSQL.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
