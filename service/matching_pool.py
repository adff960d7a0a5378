"""Matching an import's records in worker processes, while the import stores on.

Matching is pure Python and CPU-bound: in one process a bulk import uses one core, however
many the machine has. A pool of matching processes spreads an import's records over the
cores: the worker that holds the job stores a batch, hands its records to the pool in
chunks and stores the next batch while they are matched.

Nothing here holds work that is not also in the database: a record handed to the pool keeps
an empty `matched_at` until a process has stored its matches, so a pool that dies with its
server leaves the records owed, and whoever resumes the job matches them again. A process
commits a chunk's matches only while the job's lease is still the handing worker's (the
same compare-and-swap on the lease as inline matching): a worker that lost its job cannot
write through its pool either.

Each process opens its own connections and keeps its own caches (loaded records, prepared
names); they are checked against the database like the server's own, so records changed
meanwhile are never served stale.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from service import linkage
from service.db import create_db_engine
from service.store import imports as import_store
from service.store.common import RequestContext

log = logging.getLogger("ftr.matching")


def shareable(engine: Engine) -> bool:
    """Whether other processes can open the engine's database: not an in-memory SQLite."""
    url = engine.url
    return not (url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"))


class MatchingPool:
    """Processes that match chunks of stored records against the registry."""

    def __init__(self, database_url: str, processes: int) -> None:
        # Spawned, not forked: a forked child would inherit the server's threads, locks
        # and open connections in whatever state they were.
        self.processes = processes
        self._executor = ProcessPoolExecutor(
            max_workers=processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_process,
            initargs=(database_url,),
        )

    def submit(
        self,
        record_pks: Sequence[int],
        *,
        actor: RequestContext | None,
        job_pk: int,
        owner: str,
        lease: timedelta,
    ) -> Future[None]:
        """Match these records in a pool process; the future fails as matching would."""
        return self._executor.submit(
            _match_chunk, list(record_pks), actor, job_pk, owner, lease.total_seconds()
        )

    def close(self, *, wait: bool = True) -> None:
        """Stop the processes: chunks not started are dropped (their records stay owed);
        with `wait`, return once the running ones have finished."""
        self._executor.shutdown(wait=wait, cancel_futures=True)


_pools: dict[tuple[str, int], MatchingPool] = {}
_pools_lock = threading.Lock()


def pool_for(engine: Engine, processes: int) -> MatchingPool | None:
    """The server's pool of `processes` for this database, started on first use; None to
    match in the calling thread (no processes asked for, or an in-memory database)."""
    if processes <= 0 or not shareable(engine):
        return None
    url = engine.url.render_as_string(hide_password=False)
    with _pools_lock:
        pool = _pools.get((url, processes))
        if pool is None:
            pool = _pools[(url, processes)] = MatchingPool(url, processes)
            log.info("%d matching processes started", processes)
        return pool


def forget_pool(pool: MatchingPool) -> None:
    """Drop a broken pool (a process of it died), so that the next job starts a new one."""
    with _pools_lock:
        for key, known in list(_pools.items()):
            if known is pool:
                del _pools[key]
    pool.close(wait=False)


@atexit.register
def close_pools() -> None:
    """Stop every pool's processes (when a server or worker stops, at exit, and between
    tests that start one)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.close()


# -- inside a pool process -------------------------------------------------------------------

_engine: Engine | None = None

#: Matching processes yield the processor to the server's own: an officer's search must not
#: wait behind a partner's import of 100,000 rows. An idle machine gives them every core.
NICENESS = 10


def _start_process(database_url: str) -> None:
    global _engine  # noqa: PLW0603  (one engine per pool process, opened once)
    if hasattr(os, "nice"):
        os.nice(NICENESS)
    _engine = create_db_engine(database_url)


def _match_chunk(
    record_pks: list[int],
    actor: RequestContext | None,
    job_pk: int,
    owner: str,
    lease_seconds: float,
) -> None:
    assert _engine is not None, "a pool process starts with its engine"
    lease = timedelta(seconds=lease_seconds)
    with Session(_engine, expire_on_commit=False) as session:

        def hold() -> None:
            import_store.hold_lease(session, job_pk=job_pk, owner=owner, lease=lease)

        linkage.match_records(session, record_pks, actor=actor, before_commit=hold)
