"""A real server under 50 concurrent clients: latency, throughput, errors, and no lost write.

    .venv/bin/python -m bench.load [--seconds 60] [--clients 50] [--workers 2] [--seed-records 300]

Starts `ftr serve --workers 2` on a fresh SQLite file and, when FTR_BENCH_POSTGRES_URL is
set (e.g. postgresql://postgres@127.0.0.1:5432/test), on a fresh PostgreSQL database created
beside the one named. Seeds a few hundred synthetic records (bench.tracing's families: random
combinations of name parts, no real person) by one import, then runs the clients for a
bounded time. Each client loops over a mixed workload:

- **search** (officer): a person from the synthetic families, in Latin or native script;
- **register** (partner): a new tracing request or enquiry, idempotent by external_id and
  retried on 5xx or a network error as a partner's system would (the operation's latency
  includes its retries); now and then the same body is sent again on purpose (must be 200);
- **decide** (reviewer): a pending match from the queue, confirmed or rejected; two
  reviewers racing for one match is expected (409/412 are counted, not errors of the
  service);
- **import** (partner): 10 rows through POST /api/v1/imports, then polled until `done`.

Afterwards every acknowledged write is checked: each acknowledged registration is fetchable
by id with its external_id, no external_id is stored twice, and every acknowledged import
reached `done` with each of its rows stored.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import httpx
import sqlalchemy as sa

from bench.scale.__main__ import registry
from bench.serving import Server, fresh_postgres_database
from service.db import create_db_engine

KIND_PATH = {"tracing_request": "tracing-requests", "enquiry": "enquiries"}
WORKLOAD = (("search", 40), ("register", 35), ("decide", 15), ("import", 10))
IMPORT_ROWS = 10
RETRIES = 8
EXPECTED = {409, 412}  # reviewers racing for one match: the service refusing a stale decision


@dataclass
class Stats:
    """What one kind of operation did: latencies of the finished ones, statuses of failures."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    tried: Counter[str] = field(default_factory=Counter)
    statuses: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def note(self, operation: str, status: str) -> None:
        self.statuses[operation][status] += 1


@dataclass
class Acknowledged:
    registrations: dict[str, tuple[str, str]] = field(default_factory=dict)  # ext -> kind, id
    imports: dict[str, list[str]] = field(default_factory=dict)  # job id -> external ids


@dataclass
class Workload:
    server: Server
    seeded: list[dict[str, Any]]
    fresh: list[dict[str, Any]]
    stats: Stats = field(default_factory=Stats)
    acknowledged: Acknowledged = field(default_factory=Acknowledged)
    sent: dict[str, dict[str, Any]] = field(default_factory=dict)  # external_id -> body
    deadline: float = 0.0


async def _send(
    http: httpx.AsyncClient,
    stats: Stats,
    operation: str,
    method: str,
    url: str,
    *,
    retry: bool,
    **kwargs: Any,
) -> httpx.Response | None:
    """One request; with `retry`, again after 5xx or a network error (honouring Retry-After)."""
    for attempt in range(RETRIES if retry else 1):
        try:
            response = await http.request(method, url, **kwargs)
        except httpx.TransportError as error:
            stats.note(operation, type(error).__name__)
            await asyncio.sleep(0.2 * (attempt + 1))
            continue
        if response.status_code < 500:
            return response
        stats.note(operation, str(response.status_code))
        await asyncio.sleep(float(response.headers.get("retry-after", "0.5")) if retry else 0)
    return None


async def search(work: Workload, http: httpx.AsyncClient, rng: random.Random) -> bool:
    row = rng.choice(work.seeded)
    person = dict(row.get("subject") or row["sought"][0])
    if "native_name" in person and rng.random() < 0.5:
        person["full_name"] = person.pop("native_name")
    headers = work.server.headers("officer")
    response = await _send(
        http,
        work.stats,
        "search",
        "POST",
        "/api/v1/search",
        retry=False,
        json={"person": {k: person[k] for k in ("full_name", "sex") if k in person}},
        headers=headers,
    )
    if response is None or response.status_code != 200:
        if response is not None:
            work.stats.note("search", str(response.status_code))
        return False
    return True


async def register(
    work: Workload, http: httpx.AsyncClient, rng: random.Random, client: int, number: int
) -> bool:
    acknowledged = work.acknowledged.registrations
    if acknowledged and rng.random() < 0.1:
        # A partner that never saw the answer sends the same body again: must be 200.
        external_id = rng.choice(list(acknowledged))
        body = work.sent[external_id]
    else:
        row = dict(rng.choice(work.fresh))
        row["external_id"] = external_id = f"L{client}-{number}"
        body = row
        work.sent[external_id] = body
    kind = body["kind"]
    payload = {k: v for k, v in body.items() if k != "kind"}
    response = await _send(
        http,
        work.stats,
        "register",
        "POST",
        f"/api/v1/{KIND_PATH[kind]}",
        retry=True,
        json=payload,
        headers=work.server.headers("partner"),
    )
    if response is None or response.status_code not in (200, 201):
        if response is not None:
            work.stats.note("register", str(response.status_code))
        return False
    acknowledged[external_id] = (kind, response.json()["id"])
    return True


async def decide(work: Workload, http: httpx.AsyncClient, rng: random.Random) -> bool:
    headers = work.server.headers("reviewer")
    queue = await _send(
        http,
        work.stats,
        "decide",
        "GET",
        "/api/v1/matches",
        retry=False,
        params={"status": "pending", "limit": 20},
        headers=headers,
    )
    if queue is None or queue.status_code != 200:
        if queue is not None:
            work.stats.note("decide", str(queue.status_code))
        return False
    items = queue.json()["items"]
    if not items:
        return True
    match = rng.choice(items)
    decision = rng.choice(("confirm", "reject"))
    response = await _send(
        http,
        work.stats,
        "decide",
        "POST",
        f"/api/v1/matches/{match['id']}/decisions",
        retry=False,
        json={"decision": decision, "reason": "bench: synthetic decision"},
        headers=headers,
    )
    if response is None or response.status_code not in (200, 201):
        if response is not None:
            work.stats.note("decide", str(response.status_code))
        return response is not None and response.status_code in EXPECTED
    return True


async def bulk_import(
    work: Workload, http: httpx.AsyncClient, rng: random.Random, client: int, number: int
) -> bool:
    rows = []
    for index in range(IMPORT_ROWS):
        row = dict(rng.choice(work.fresh))
        row["external_id"] = f"I{client}-{number}-{index}"
        rows.append(row)
    headers = work.server.headers("partner")
    accepted = await _send(
        http,
        work.stats,
        "import",
        "POST",
        "/api/v1/imports",
        retry=True,
        json={"records": rows},
        headers=headers,
    )
    if accepted is None or accepted.status_code != 202:
        if accepted is not None:
            work.stats.note("import", str(accepted.status_code))
        return False
    job_id = accepted.json()["id"]
    work.acknowledged.imports[job_id] = [row["external_id"] for row in rows]
    while time.monotonic() < work.deadline + 60:
        await asyncio.sleep(0.5)
        polled = await _send(
            http,
            work.stats,
            "import",
            "GET",
            f"/api/v1/imports/{job_id}",
            retry=True,
            params={"rows": "none"},
            headers=headers,
        )
        if polled is not None and polled.status_code == 200 and polled.json()["status"] == "done":
            return True
    work.stats.note("import", "not done in time")
    return False


async def client_loop(work: Workload, client: int) -> None:
    rng = random.Random(client)
    operations = [operation for operation, _weight in WORKLOAD]
    weights = [weight for _operation, weight in WORKLOAD]
    limits = httpx.Limits(max_connections=2)
    async with httpx.AsyncClient(base_url=work.server.url, timeout=60, limits=limits) as http:
        number = 0
        while time.monotonic() < work.deadline:
            operation = rng.choices(operations, weights)[0]
            number += 1
            started = time.perf_counter()
            if operation == "search":
                ok = await search(work, http, rng)
            elif operation == "register":
                ok = await register(work, http, rng, client, number)
            elif operation == "decide":
                ok = await decide(work, http, rng)
            else:
                ok = await bulk_import(work, http, rng, client, number)
            work.stats.tried[operation] += 1
            if ok:
                work.stats.latencies[operation].append(time.perf_counter() - started)


async def seed(server: Server, rows: list[dict[str, Any]]) -> None:
    headers = server.headers("partner")
    async with httpx.AsyncClient(base_url=server.url, timeout=120) as http:
        accepted = await http.post("/api/v1/imports", json={"records": rows}, headers=headers)
        accepted.raise_for_status()
        while True:
            job = await http.get(
                accepted.headers["location"], params={"rows": "none"}, headers=headers
            )
            if job.json()["status"] == "done":
                return
            await asyncio.sleep(0.5)


@dataclass
class Verdict:
    registrations: int
    missing: int
    duplicated_external_ids: int
    imports: int
    imports_not_done: int
    import_rows_missing: int


async def verify(work: Workload, database_url: str) -> Verdict:
    server, acknowledged = work.server, work.acknowledged
    missing = 0
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
        partner = server.headers("partner")
        for external_id, (kind, record_id) in acknowledged.registrations.items():
            found = await http.get(f"/api/v1/{KIND_PATH[kind]}/{record_id}", headers=partner)
            if found.status_code != 200 or found.json()["external_id"] != external_id:
                missing += 1
        not_done = 0
        for job_id in acknowledged.imports:
            for _ in range(240):
                job = (await http.get(f"/api/v1/imports/{job_id}", headers=partner)).json()
                if job["status"] == "done":
                    break
                await asyncio.sleep(0.5)
            if job["status"] != "done" or job["counts"]["failed"]:
                not_done += 1
    engine = create_db_engine(database_url)
    with engine.connect() as connection:
        duplicated = connection.execute(
            sa.text(
                "SELECT count(*) FROM (SELECT organisation_pk, external_id FROM record "
                "GROUP BY organisation_pk, external_id HAVING count(*) > 1) AS twice"
            )
        ).scalar_one()
        stored = {
            external_id
            for (external_id,) in connection.execute(sa.text("SELECT external_id FROM record"))
        }
    engine.dispose()
    rows_missing = sum(
        1
        for ids in acknowledged.imports.values()
        for external_id in ids
        if external_id not in stored
    )
    return Verdict(
        registrations=len(acknowledged.registrations),
        missing=missing,
        duplicated_external_ids=int(duplicated),
        imports=len(acknowledged.imports),
        imports_not_done=not_done,
        import_rows_missing=rows_missing,
    )


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1]


def print_table(database: str, work: Workload, seconds: float, clients: int) -> None:
    stats = work.stats
    print(f"\n{database}: {clients} clients for {seconds:.0f} s, {work.server.workers} workers")
    header = (
        f"{'operation':<10} {'tried':>7} {'ok':>7} {'ok/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8}  errors by status"
    )
    print(header)
    print("-" * len(header))
    total_ok = 0
    for operation, _weight in WORKLOAD:
        done = stats.latencies[operation]
        total_ok += len(done)
        millis = [value * 1000 for value in done]
        errors = ", ".join(f"{s}: {n}" for s, n in sorted(stats.statuses[operation].items()))
        print(
            f"{operation:<10} {stats.tried[operation]:>7,} {len(done):>7,} "
            f"{len(done) / seconds:>7.1f} {_percentile(millis, 0.5):>8.0f} "
            f"{_percentile(millis, 0.95):>8.0f} {_percentile(millis, 0.99):>8.0f}  {errors or '-'}"
        )
    print(f"{'all':<10} {sum(stats.tried.values()):>7,} {total_ok:>7,} {total_ok / seconds:>7.1f}")
    print(
        "ok: operations that succeeded (a decision refused as stale by a racing reviewer "
        "counts as ok but not in the latencies); errors count every failed attempt, "
        "including attempts a retry later made good; register and import latencies include "
        "retries, import latency runs from submission to `done`."
    )


def run_database(database: str, url: str | None, args: argparse.Namespace) -> bool:
    data = registry(args.seed_records + 2_000, seed=11)
    server = Server(database_url=url, workers=args.workers)
    server.prepare()
    server.start()
    try:
        started = time.perf_counter()
        asyncio.run(seed(server, data.rows[: args.seed_records]))
        seeding = time.perf_counter() - started
        print(f"{database}: seeded {args.seed_records} records in {seeding:.0f} s", flush=True)
        work = Workload(server, data.rows[: args.seed_records], data.rows[args.seed_records :])
        work.deadline = time.monotonic() + args.seconds

        async def everyone() -> None:
            await asyncio.gather(*(client_loop(work, c) for c in range(args.clients)))

        started = time.perf_counter()
        asyncio.run(everyone())
        elapsed = time.perf_counter() - started
        print_table(database, work, elapsed, args.clients)
        database_url = url or f"sqlite:///{server.data_dir / 'ftr.sqlite3'}"
        verdict = asyncio.run(verify(work, database_url))
    finally:
        server.stop()
    print(
        f"verified: {verdict.registrations:,} acknowledged registrations, "
        f"{verdict.missing} missing; {verdict.duplicated_external_ids} external_ids stored "
        f"twice; {verdict.imports:,} acknowledged imports, {verdict.imports_not_done} not done "
        f"(or with failed rows), {verdict.import_rows_missing} of their rows missing"
    )
    return not (
        verdict.missing
        or verdict.duplicated_external_ids
        or verdict.imports_not_done
        or verdict.import_rows_missing
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed-records", type=int, default=300)
    args = parser.parse_args(argv)
    postgres = os.environ.get("FTR_BENCH_POSTGRES_URL")
    ok = run_database("sqlite", None, args)
    if postgres:
        with fresh_postgres_database(postgres, "load") as url:
            ok = run_database("postgresql", url, args) and ok
    else:
        print("\npostgresql: skipped (set FTR_BENCH_POSTGRES_URL to run it)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
