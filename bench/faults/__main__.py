"""Faults injected into a real server: what survives, what is lost (nothing), how fast it heals.

    .venv/bin/python -m bench.faults [--rows 10000] [--only kill outage full readonly]

- **kill**: a 10,000-row import (synthetic families, consent to tracing, so every row is
  matched); once part of it is processed, the server (uvicorn and its 2 workers) gets
  SIGKILL; it is started again and the client, like a partner's script that saw its
  connection drop, polls with retries and submits the same file once more. Checked: each
  external_id stored exactly once, every record matched, both jobs `done` without failed
  rows. Runs on SQLite and, with FTR_BENCH_POSTGRES_URL, on PostgreSQL.
  Matching sets the pace: on a 2-core machine shared with other work it ran at 2-3
  records/s, so `--rows 2000` keeps the run under half an hour.
- **outage** (PostgreSQL only): the server reaches PostgreSQL through a TCP proxy in this
  process; under load from 10 clients the proxy is cut (every connection dropped, new ones
  refused, as when PostgreSQL stops) and restored. Checked: only 503s with Retry-After
  while it is down (never a 500), /readyz failing, and the time until /readyz and a
  registration succeed again, without restarting the server.
- **full**: the SQLite file on a small tmpfs (needs root to mount); registrations until the
  disk is full. Checked: 507 problem documents, `PRAGMA integrity_check` ok, every
  acknowledged registration present; then the filesystem is grown and writes succeed again
  without a restart.
- **readonly**: the same SQLite file on a read-only bind mount. Checked: writes get 503
  naming the read-only database, reads still answer.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from bench.scale.__main__ import registry
from bench.serving import Server, free_port, fresh_postgres_database
from service.db import create_db_engine

KIND_PATH = {"tracing_request": "tracing-requests", "enquiry": "enquiries"}


def _body(row: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return KIND_PATH[row["kind"]], {k: v for k, v in row.items() if k != "kind"}


def _scalar(url: str, sql: str, **params: Any) -> Any:
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text(sql), params).scalar_one()
    finally:
        engine.dispose()


# -- kill -9 in the middle of an import ----------------------------------------------------


def _request_with_retries(
    http: httpx.Client, method: str, url: str, refused: Counter[str], **kwargs: Any
) -> httpx.Response:
    """What a partner's script does: try again after a dropped connection or a 5xx."""
    while True:
        try:
            response = http.request(method, url, **kwargs)
        except httpx.TransportError as error:
            refused[type(error).__name__] += 1
            time.sleep(0.5)
            continue
        if response.status_code < 500:
            return response
        refused[str(response.status_code)] += 1
        time.sleep(float(response.headers.get("retry-after", "1")))


def _wait_done(http: httpx.Client, job: str, refused: Counter[str]) -> dict[str, Any]:
    while True:
        report = _request_with_retries(http, "GET", job, refused, params={"rows": "none"})
        body: dict[str, Any] = report.json()
        if body["status"] == "done":
            return body
        time.sleep(0.5)


def kill_during_import(database: str, url: str | None, rows: int) -> list[str]:
    data = registry(rows, seed=23).rows
    server = Server(database_url=url, workers=2)
    server.prepare()
    server.start()
    database_url = url or f"sqlite:///{server.data_dir / 'ftr.sqlite3'}"
    refused: Counter[str] = Counter()
    http = httpx.Client(base_url=server.url, headers=server.headers("partner"), timeout=120)
    try:
        submitted = _request_with_retries(
            http, "POST", "/api/v1/imports", refused, json={"records": data}
        )
        assert submitted.status_code == 202, submitted.text
        job = submitted.headers["location"]
        while True:
            progress = http.get(job, params={"rows": "none"}).json()
            if progress["processed"] >= len(data) // 4:
                break
            time.sleep(0.2)
        server.kill()
        killed_at = time.monotonic()
        # What had been committed when the server died; the client's polls are refused now.
        processed_at_kill = _scalar(database_url, "SELECT processed FROM import_job")
        server.start(wait=False)
        restarted = time.monotonic()
        ready = server.wait_ready()
        first = _wait_done(http, job, refused)
        resumed_in = time.monotonic() - restarted
        # The partner's script never saw its run finish: it sends the whole file again.
        again = _request_with_retries(
            http, "POST", "/api/v1/imports", refused, json={"records": data}
        )
        second = _wait_done(http, again.headers["location"], refused)
    finally:
        http.close()
        server.stop()
    external_ids = [row["external_id"] for row in data]
    stored = _scalar(database_url, "SELECT count(*) FROM record")
    distinct = _scalar(database_url, "SELECT count(DISTINCT external_id) FROM record")
    unmatched = _scalar(database_url, "SELECT count(*) FROM record WHERE matched_at IS NULL")
    first_ok = sum(first["counts"][k] for k in ("created", "updated", "unchanged"))
    lost = len(set(external_ids)) - distinct
    print(
        f"\nkill -9 during a {len(data):,}-row import ({database}, 2 workers): killed after "
        f"{processed_at_kill:,} rows were committed; ready again {ready:.1f} s after the "
        f"restart; the job `done` {resumed_in:.1f} s after the restart "
        f"({time.monotonic() - killed_at:.0f} s after the kill, both files included)"
    )
    print(
        f"  first job: {first['counts']}; resubmitted file: {second['counts']}; "
        f"client retries: {dict(refused) or 'none'}"
    )
    print(
        f"  records stored {stored:,} for {len(data):,} rows: lost {lost}, duplicated "
        f"{stored - distinct}, not matched {unmatched}"
    )
    problems = []
    if (
        lost
        or stored != distinct
        or unmatched
        or first_ok != len(data)
        or second["counts"]["failed"]
    ):
        problems.append(f"kill ({database})")
    return problems


# -- PostgreSQL cut off under load ----------------------------------------------------------


class Proxy:
    """A TCP proxy to PostgreSQL that can be cut (all connections dropped, new ones refused)."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while chunk := await reader.read(65536):
                writer.write(chunk)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self.writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        self.writers -= {writer, up_writer}

    async def _open(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def _cut(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in list(self.writers):
            writer.transport.abort()
        self.writers.clear()
        self.server = None

    def open(self) -> None:
        asyncio.run_coroutine_threadsafe(self._open(), self.loop).result()

    def cut(self) -> None:
        asyncio.run_coroutine_threadsafe(self._cut(), self.loop).result()


@dataclass
class Observed:
    statuses: dict[str, Counter[str]] = field(default_factory=dict)
    without_retry_after: int = 0
    readyz: dict[str, Counter[int]] = field(default_factory=dict)
    acknowledged: dict[str, tuple[str, str]] = field(default_factory=dict)
    phase: str = "before"
    restored_at: float = 0.0
    ready_after: float | None = None
    write_after: float | None = None


async def _outage_client(
    server: Server, seen: Observed, client: int, rows: list[Any], end: float
) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
        number = 0
        while time.monotonic() < end:
            number += 1
            row = dict(rows[(client * 1000 + number) % len(rows)])
            row["external_id"] = external_id = f"O{client}-{number}"
            path, body = _body(row)
            phase = seen.phase
            try:
                if number % 2:
                    response = await http.post(
                        f"/api/v1/{path}", json=body, headers=server.headers("partner")
                    )
                else:
                    person = {"full_name": (row.get("subject") or row["sought"][0])["full_name"]}
                    response = await http.post(
                        "/api/v1/search", json={"person": person}, headers=server.headers("officer")
                    )
            except httpx.TransportError as error:
                seen.statuses.setdefault(phase, Counter())[type(error).__name__] += 1
                continue
            seen.statuses.setdefault(phase, Counter())[str(response.status_code)] += 1
            if response.status_code == 503 and "retry-after" not in response.headers:
                seen.without_retry_after += 1
            if response.status_code in (200, 201) and number % 2:
                seen.acknowledged[external_id] = (path, response.json()["id"])
                if seen.phase == "after" and seen.write_after is None:
                    seen.write_after = time.monotonic() - seen.restored_at
            if response.status_code >= 500:
                await asyncio.sleep(0.2)


async def _probe_readyz(server: Server, seen: Observed, end: float) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        while time.monotonic() < end:
            phase = seen.phase
            status = (await http.get("/readyz")).status_code
            seen.readyz.setdefault(phase, Counter())[status] += 1
            if phase == "after" and status == 200 and seen.ready_after is None:
                seen.ready_after = time.monotonic() - seen.restored_at
            await asyncio.sleep(0.25)


def postgres_outage(base_url: str, clients: int, down_seconds: float) -> list[str]:
    target = sa.engine.make_url(base_url)
    proxy = Proxy(target.host or "127.0.0.1", target.port or 5432)
    proxy.open()
    rows = registry(2_000, seed=29).rows
    with fresh_postgres_database(base_url, "outage") as direct:
        database = direct.rsplit("/", 1)[1]
        via_proxy = f"postgresql://{target.username}@127.0.0.1:{proxy.port}/{database}"
        server = Server(database_url=via_proxy, workers=2)
        server.prepare()
        server.start()
        seen = Observed()
        before, after = 10.0, 25.0
        end = time.monotonic() + before + down_seconds + after

        async def scenario() -> None:
            async def inject() -> None:
                await asyncio.sleep(before)
                proxy.cut()
                seen.phase = "down"
                await asyncio.sleep(down_seconds)
                proxy.open()
                seen.restored_at = time.monotonic()
                seen.phase = "after"

            await asyncio.gather(
                inject(),
                _probe_readyz(server, seen, end),
                *(_outage_client(server, seen, c, rows, end) for c in range(clients)),
            )

        try:
            asyncio.run(scenario())
            missing = 0
            with httpx.Client(base_url=server.url, timeout=60) as http:
                for external_id, (path, record_id) in seen.acknowledged.items():
                    found = http.get(
                        f"/api/v1/{path}/{record_id}", headers=server.headers("partner")
                    )
                    if found.status_code != 200 or found.json()["external_id"] != external_id:
                        missing += 1
        finally:
            server.stop()
        duplicated = _scalar(
            direct,
            "SELECT count(*) FROM (SELECT external_id FROM record GROUP BY organisation_pk, "
            "external_id HAVING count(*) > 1) AS twice",
        )
    print(
        f"\nPostgreSQL cut off for {down_seconds:.0f} s under {clients} clients "
        f"(registrations and searches; 2 workers; proxy drops every connection and refuses "
        f"new ones)"
    )
    print(f"{'phase':<8} {'responses by status':<50} {'/readyz':<20}")
    for phase in ("before", "down", "after"):
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(seen.statuses.get(phase, {}).items()))
        ready = ", ".join(f"{s}: {n}" for s, n in sorted(seen.readyz.get(phase, {}).items()))
        print(f"{phase:<8} {statuses:<50} {ready:<20}")
    print(
        f"  503 without Retry-After: {seen.without_retry_after}; recovery after the restore: "
        f"/readyz 200 in {seen.ready_after or float('nan'):.1f} s, first registration "
        f"acknowledged in {seen.write_after or float('nan'):.1f} s, no restart"
    )
    print(
        f"  {len(seen.acknowledged):,} acknowledged registrations: {missing} missing, "
        f"{duplicated} external_ids stored twice"
    )
    errors = sum(
        n
        for counts in seen.statuses.values()
        for s, n in counts.items()
        if s.startswith("5") and s != "503"
    )
    down_ready = seen.readyz.get("down", Counter())
    problems = []
    if errors or seen.without_retry_after or missing or duplicated or down_ready.get(200, 0) > 1:
        problems.append("outage")
    if seen.ready_after is None or seen.write_after is None:
        problems.append("outage: no recovery")
    return problems


# -- a full disk and a read-only file --------------------------------------------------------


@contextmanager
def tmpfs(size: str) -> Iterator[Path | None]:
    """A size-limited filesystem of our own, or None where mounting is not allowed."""
    where = Path(tempfile.mkdtemp(prefix="ftr-bench-full-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        where.rmdir()
        yield None
        return
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
        where.rmdir()


def _register_until_full(
    server: Server, rows: list[Any]
) -> tuple[Counter[str], dict[str, str], str]:
    statuses: Counter[str] = Counter()
    acknowledged: dict[str, str] = {}
    sample = ""
    refused_in_a_row = 0
    with httpx.Client(base_url=server.url, headers=server.headers("partner"), timeout=60) as http:
        for number, row in enumerate(rows):
            path, body = _body(row)
            body["external_id"] = f"F-{number}"
            response = http.post(f"/api/v1/{path}", json=body)
            statuses[str(response.status_code)] += 1
            if response.status_code in (200, 201):
                acknowledged[body["external_id"]] = path
                refused_in_a_row = 0
                continue
            kind_of_answer = response.headers.get("content-type")
            detail = response.json().get("detail")
            sample = sample or f"{response.status_code} {kind_of_answer}: {detail}"
            refused_in_a_row += 1
            if refused_in_a_row >= 20:
                break
    return statuses, acknowledged, sample


def disk_full_and_read_only(size: str) -> list[str]:
    rows = registry(20_000, seed=31).rows
    with tmpfs(size) as mount:
        if mount is None:
            print(
                "\nfull, readonly: skipped (mounting a tmpfs needs root; "
                "api_tests/test_database_faults.py covers both with SQLite pragmas)"
            )
            return []
        database = mount / "ftr.sqlite3"
        server = Server(database_url=f"sqlite:///{database}", workers=2)
        server.prepare()
        server.start()
        try:
            statuses, acknowledged, sample = _register_until_full(server, rows)
            healthy = httpx.get(f"{server.url}/readyz").status_code
            subprocess.run(["mount", "-o", "remount,size=256m", str(mount)], check=True)
            with httpx.Client(base_url=server.url, headers=server.headers("partner")) as http:
                path, body = _body(rows[-1])
                body["external_id"] = "F-after-growing"
                grown = http.post(f"/api/v1/{path}", json=body).status_code
            if grown == 201:
                acknowledged["F-after-growing"] = path
        finally:
            server.stop()
        url = f"sqlite:///{database}"
        integrity = _scalar(url, "PRAGMA integrity_check")
        engine = create_db_engine(url)
        with engine.connect() as connection:
            stored = {e for (e,) in connection.execute(sa.text("SELECT external_id FROM record"))}
        engine.dispose()
        missing = len(set(acknowledged) - stored)
        print(f"\nSQLite on a {size} tmpfs, registrations until it is full (2 workers)")
        print(f"  responses: {dict(sorted(statuses.items()))}; e.g. {sample}")
        print(
            f"  /readyz while full: {healthy}; integrity_check: {integrity}; "
            f"{len(acknowledged):,} acknowledged, {missing} missing; after growing the "
            f"filesystem a registration answers {grown} (no restart)"
        )
        problems = []
        if (
            integrity != "ok"
            or missing
            or statuses.get("500")
            or not statuses.get("507")
            or grown != 201
        ):
            problems.append("full")
        problems += _read_only(mount, server, rows)
    return problems


def _read_only(mount: Path, writable: Server, rows: list[Any]) -> list[str]:
    # SQLite opens a WAL database on read-only media only when its -wal and -shm files
    # exist; a connection held open here keeps them, as a crashed writer would leave them.
    holder = sqlite3.connect(mount / "ftr.sqlite3")
    holder.execute("SELECT count(*) FROM record").fetchall()
    read_only = Path(tempfile.mkdtemp(prefix="ftr-bench-ro-"))
    subprocess.run(["mount", "--bind", str(mount), str(read_only)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(read_only)], check=True)
        server = Server(
            database_url=f"sqlite:///{read_only / 'ftr.sqlite3'}",
            workers=1,
            data_dir=writable.data_dir,
        )
        server.keys = writable.keys
        server.start()
        try:
            headers = server.headers("partner")
            with httpx.Client(base_url=server.url, headers=headers, timeout=60) as http:
                ready = http.get("/readyz").status_code
                path, body = _body(rows[0])
                body["external_id"] = "RO-1"
                write = http.post(f"/api/v1/{path}", json=body)
                read = http.get(f"/api/v1/{path}", params={"limit": 1})
        finally:
            server.stop()
    finally:
        subprocess.run(["umount", str(read_only)], check=False)
        read_only.rmdir()
        holder.close()
    print("\nthe same SQLite file on a read-only bind mount (1 worker)")
    print(
        f"  /readyz {ready}; a registration {write.status_code} "
        f"(Retry-After {write.headers.get('retry-after')}): {write.json().get('detail')}; "
        f"a list {read.status_code} (reads are audited, so they need writes too)"
    )
    refused = {write.status_code, read.status_code} == {503}
    return [] if refused and "retry-after" in write.headers else ["readonly"]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--down-seconds", type=float, default=15)
    parser.add_argument("--disk", default="4m", help="size of the tmpfs that fills up")
    parser.add_argument(
        "--only", nargs="+", default=["kill", "outage", "full"], help="kill outage full"
    )
    args = parser.parse_args(argv)
    postgres = os.environ.get("FTR_BENCH_POSTGRES_URL")
    problems: list[str] = []
    if "kill" in args.only:
        problems += kill_during_import("sqlite", None, args.rows)
        if postgres:
            with fresh_postgres_database(postgres, "kill") as url:
                problems += kill_during_import("postgresql", url, args.rows)
        else:
            print("\nkill (postgresql): skipped (set FTR_BENCH_POSTGRES_URL to run it)")
    if "outage" in args.only:
        if postgres:
            problems += postgres_outage(postgres, args.clients, args.down_seconds)
        else:
            print("\noutage: skipped (needs PostgreSQL: set FTR_BENCH_POSTGRES_URL)")
    if "full" in args.only:
        problems += disk_full_and_read_only(args.disk)
    print(f"\nfaults not survived: {', '.join(problems) if problems else 'none'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
