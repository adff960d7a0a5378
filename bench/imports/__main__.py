"""Bulk import through the command line against a real server: records/s and peak memory.

    .venv/bin/python -m bench.imports [--records 100000] [--formats csv jsonl]

Generates N synthetic records (names drawn from ../shared/data/dev.jsonl: a Latin spelling
as `full_name` and the name in its own script as `native_name`; random sexes, ages and
countries) as CSV and JSON Lines under bench/out/, starts `ftr serve` on a fresh database
for every run, imports the file with `ftr import` in a subprocess, and prints a table.

Each format runs twice on a fresh database:
- **stored**: the rows carry no consent, so nothing is matched (a record without tracing
  consent is stored but never a candidate): the rate of storing alone;
- **stored+matched**: consent to tracing for the whole file, so each row is stored and
  matched against everything imported before it: the rate of the whole job.

Runs on SQLite always, and on PostgreSQL when FTR_BENCH_POSTGRES_URL is set (for example
postgresql://postgres@127.0.0.1:5432/test): a fresh database is created beside the one
named and dropped afterwards. Peak memory is the peak resident set size of the server
process (VmHWM) and of the `ftr import` process (its rusage).

Targets (issue 7): ≥ 5,000 records/s stored, ≥ 2,000 records/s matched.

A large file within a memory bound:

    .venv/bin/python -m bench.imports --bytes 1000000000 [--formats jsonl] [--minutes 8]

writes a file of about that many bytes of synthetic records (streamed while generating, in a
temporary folder removed afterwards), imports it with `ftr import` against a server on a
fresh SQLite database, the rows without consent (storing only: matching millions of records
would take hours), and stops the client after `--minutes` if it has not finished. It prints
the file size beside the peak resident memory of server and client, the rows the server
acknowledged and stored and their rate, and checks, in the server's database once the
acknowledged jobs have settled, that every acknowledged row is there: stored as a record, or
kept (its job resumable) if the server was still processing it.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench.serving import fresh_postgres_database

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "out"
DEV = ROOT.parent / "shared" / "data" / "dev.jsonl"
FTR = Path(sys.executable).with_name("ftr")
TARGET_STORED = 5_000
TARGET_MATCHED = 2_000
COUNTRIES = ("SO", "SY", "AF", "UA", "ER", "ET", "SD", "IQ", "MM", "CD", "YE", "VE")
COLUMNS = (
    "kind",
    "external_id",
    "subject.full_name",
    "subject.native_name",
    "subject.sex",
    "subject.age",
    "subject.place_of_origin.country",
    "sought.0.full_name",
    "sought.0.native_name",
    "sought.0.sex",
    "sought.0.age",
    "sought.0.place_of_origin.country",
)


# -- data ---------------------------------------------------------------------------------


def _name_parts() -> dict[str, list[tuple[str, str]]]:
    """(Latin spelling, native form) pairs from the dev set, by script."""
    by_script: dict[str, list[tuple[str, str]]] = {}
    with DEV.open(encoding="utf-8") as lines:
        for line in lines:
            entry = json.loads(line)
            variants = [v for v in entry.get("variants", []) if v.isascii() and v.isalpha()]
            if variants and entry.get("name"):
                by_script.setdefault(entry["script"], []).append(
                    (variants[0].title(), entry["name"])
                )
    return {script: parts for script, parts in by_script.items() if len(parts) >= 20}


def synthetic_records(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """Synthetic people only: random pairs of name parts of one script, random details."""
    rng = random.Random(seed)
    parts = _name_parts()
    scripts = sorted(parts)
    for number in range(count):
        script = rng.choice(scripts)
        (given, given_native), (family, family_native) = rng.sample(parts[script], 2)
        person: dict[str, Any] = {
            "full_name": f"{given} {family}",
            "native_name": f"{given_native} {family_native}",
            "sex": rng.choice(("female", "male")),
            "age": str(rng.randint(1, 17)),
            "place_of_origin": {"country": rng.choice(COUNTRIES)},
        }
        if number % 2 == 0:
            yield {"kind": "tracing_request", "external_id": f"B-{number}", "subject": person}
        else:
            yield {"kind": "enquiry", "external_id": f"B-{number}", "sought": [person]}


def _csv_cells(record: dict[str, Any]) -> list[str]:
    person = record.get("subject") or record["sought"][0]
    cells = [
        person["full_name"],
        person["native_name"],
        person["sex"],
        person["age"],
        person["place_of_origin"]["country"],
    ]
    empty = [""] * len(cells)
    is_child = record["kind"] == "tracing_request"
    return [record["kind"], record["external_id"]] + (cells + empty if is_child else empty + cells)


def write_sized_file(file_format: str, size: int, directory: Path) -> tuple[Path, int]:
    """A file of at least `size` bytes of synthetic records, written as they are generated
    (never held in memory); returns its path and how many records it holds."""
    path = directory / f"imports-{size}.{file_format}"
    records = 0
    written = 0
    line = io.StringIO()
    writer = csv.writer(line)
    with path.open("wb") as out:
        if file_format == "csv":
            writer.writerow(COLUMNS)
        for record in synthetic_records(sys.maxsize):
            if file_format == "csv":
                writer.writerow(_csv_cells(record))
            else:
                line.write(json.dumps(record, ensure_ascii=False) + "\n")
            encoded = line.getvalue().encode("utf-8")
            line.seek(0)
            line.truncate()
            out.write(encoded)
            written += len(encoded)
            records += 1
            if written >= size:
                break
    return path, records


def write_files(count: int) -> dict[str, Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    csv_path, jsonl_path = OUT / f"imports-{count}.csv", OUT / f"imports-{count}.jsonl"
    with (
        csv_path.open("w", encoding="utf-8", newline="") as csv_file,
        jsonl_path.open("w", encoding="utf-8") as jsonl_file,
    ):
        writer = csv.writer(csv_file)
        writer.writerow(COLUMNS)
        for record in synthetic_records(count):
            jsonl_file.write(json.dumps(record, ensure_ascii=False) + "\n")
            writer.writerow(_csv_cells(record))
    return {"csv": csv_path, "jsonl": jsonl_path}


# -- servers ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _peak_rss_mib(pid: int) -> float:
    """The process's peak resident set size so far (Linux VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Server:
    url: str
    key: str
    process: subprocess.Popen[bytes]
    data_dir: Path


@contextmanager
def fresh_database(database: str) -> Iterator[str | None]:
    """None for SQLite (a fresh data folder does it); a new PostgreSQL database, dropped after."""
    if database == "sqlite":
        yield None
        return
    with fresh_postgres_database(os.environ["FTR_BENCH_POSTGRES_URL"], "imports") as url:
        yield url


@contextmanager
def running_server(database_url: str | None) -> Iterator[Server]:
    data_dir = Path(tempfile.mkdtemp(prefix="ftr-bench-imports-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FTR_")}
    env["FTR_DATA_DIR"] = str(data_dir)
    env["FTR_LOG_LEVEL"] = "WARNING"
    if database_url:
        env["FTR_DATABASE_URL"] = database_url
        subprocess.run([str(FTR), "migrate"], env=env, check=True, capture_output=True)
    subprocess.run(
        [str(FTR), "orgs", "create", "Bench Agency"], env=env, check=True, capture_output=True
    )
    issued = subprocess.run(
        [str(FTR), "keys", "create", "--org", "Bench Agency", "--role", "partner"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    port = _free_port()
    log = (data_dir / "server.log").open("wb")
    process = subprocess.Popen(
        [str(FTR), "serve", "--port", str(port)], env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"the server did not start; see {data_dir / 'server.log'}")
            time.sleep(0.2)
        yield Server(url, issued.stdout.strip().splitlines()[-1], process, data_dir)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            # A server still busy with an import may not stop in time on a loaded machine.
            process.kill()
            process.wait(timeout=30)
        log.close()
        shutil.rmtree(data_dir, ignore_errors=True)


# -- runs ---------------------------------------------------------------------------------


@dataclass
class Run:
    file_format: str
    database: str
    mode: str
    records: int
    seconds: float
    processing_seconds: float
    imported: int
    failed: int
    server_mib: float
    client_mib: float

    @property
    def rate(self) -> float:
        return self.imported / self.seconds if self.seconds else 0.0


def _job_seconds(server: Server, job_ids: list[str]) -> float:
    """Seconds the server spent processing the import's jobs (started → finished)."""
    total = 0.0
    with httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {server.key}"}
    ) as http:
        for job_id in job_ids:
            job = http.get(f"/api/v1/imports/{job_id}", timeout=120).json()
            if job.get("started_at") and job.get("finished_at"):
                started = datetime.fromisoformat(job["started_at"])
                finished = datetime.fromisoformat(job["finished_at"])
                total += (finished - started).total_seconds()
    return total


def import_once(path: Path, file_format: str, database: str, mode: str, records: int) -> Run:
    with fresh_database(database) as database_url, running_server(database_url) as server:
        summary_path = Path(tempfile.mkstemp(suffix=".json")[1])
        command = [str(FTR), "import", str(path), "--poll", "0.5"]
        command += ["--summary-json", str(summary_path)]
        if mode == "stored+matched":
            command += ["--consent-tracing", "--consent-given-by", "agency"]
        env = {**os.environ, "FTR_URL": server.url, "FTR_API_KEY": server.key, "COLUMNS": "200"}
        started = time.perf_counter()
        client = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(client.pid, 0)
        seconds = time.perf_counter() - started
        client.returncode = os.waitstatus_to_exitcode(status)
        if client.returncode not in (0, 1):
            raise RuntimeError(f"ftr import exited {client.returncode}")
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        summary_path.unlink()
        processing = _job_seconds(server, summary["jobs"])
        server_mib = _peak_rss_mib(server.process.pid)
    return Run(
        file_format=file_format,
        database=database,
        mode=mode,
        records=records,
        seconds=seconds,
        processing_seconds=processing,
        imported=summary["created"] + summary["updated"] + summary["unchanged"],
        failed=summary["failed"],
        server_mib=server_mib,
        client_mib=usage.ru_maxrss / 1024,
    )


def print_table(runs: list[Run]) -> None:
    header = (
        f"{'format':<6} {'database':<10} {'run':<15} {'records':>8} {'failed':>6} "
        f"{'seconds':>8} {'job s':>7} {'records/s':>10} {'target/s':>9} "
        f"{'server MiB':>10} {'client MiB':>10}"
    )
    print(header)
    print("-" * len(header))
    for run in runs:
        target = TARGET_MATCHED if run.mode == "stored+matched" else TARGET_STORED
        print(
            f"{run.file_format:<6} {run.database:<10} {run.mode:<15} {run.records:>8,} "
            f"{run.failed:>6,} {run.seconds:>8.1f} {run.processing_seconds:>7.1f} "
            f"{run.rate:>10,.0f} {target:>9,} "
            f"{run.server_mib:>10.0f} {run.client_mib:>10.0f}"
        )
    print(
        "seconds: wall time of `ftr import` (upload, storing, matching, polling) on a fresh "
        "database; job s: the server's own processing time of the jobs (started to finished, "
        "to the second); records/s = records / seconds; targets: "
        f">= {TARGET_STORED:,}/s stored, >= {TARGET_MATCHED:,}/s matched."
    )


# -- a large file --------------------------------------------------------------------------


@dataclass
class LargeRun:
    file_format: str
    file_bytes: int
    file_records: int
    seconds: float
    finished: bool
    acknowledged: int
    stored: int
    jobs: int
    first_ack_seconds: float | None  # until the first upload was acknowledged
    jobs_missing_rows: int
    rows_kept_unprocessed: int
    records_in_database: int
    server_mib: float
    client_mib: float


def _first_job_at(database: Path) -> datetime | None:
    """When the server acknowledged the first upload (its job's creation), in UTC."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=60)) as db:
        (first,) = db.execute("SELECT min(created_at) FROM import_job").fetchone()
    if first is None:
        return None
    moment = datetime.fromisoformat(str(first))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _database_counts(database: Path) -> dict[str, int]:
    """What the server's SQLite database holds of the import, read beside the server."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=60)) as db:
        jobs, acknowledged, processed, created, settling = db.execute(
            "SELECT count(*), coalesce(sum(total), 0), coalesce(sum(processed), 0), "
            "coalesce(sum(created), 0), "
            "coalesce(sum(CASE WHEN status IN ('queued', 'running') THEN 1 ELSE 0 END), 0) "
            "FROM import_job"
        ).fetchone()
        missing = db.execute(
            "SELECT count(*) FROM import_job AS j WHERE j.total != "
            "(SELECT count(*) FROM import_row AS r WHERE r.job_pk = j.pk)"
        ).fetchone()[0]
        kept = db.execute("SELECT count(*) FROM import_row WHERE outcome IS NULL").fetchone()[0]
        records = db.execute("SELECT count(*) FROM record").fetchone()[0]
    return {
        "jobs": jobs,
        "acknowledged": acknowledged,
        "processed": processed,
        "created": created,
        "settling": settling,
        "missing": missing,
        "kept": kept,
        "records": records,
    }


def import_large(path: Path, file_format: str, records: int, minutes: float) -> LargeRun:
    with fresh_database("sqlite") as database_url, running_server(database_url) as server:
        command = [str(FTR), "import", str(path), "--poll", "0.5"]
        env = {**os.environ, "FTR_URL": server.url, "FTR_API_KEY": server.key, "COLUMNS": "200"}
        started = time.perf_counter()
        started_at = datetime.now(UTC)
        client = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = started + minutes * 60
        finished = True
        while True:
            pid, _, usage = os.wait4(client.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                # Stopping the client mid-upload is the other half of the test: an upload the
                # server had not acknowledged must leave nothing behind, and every one it had
                # must be kept whole.
                client.terminate()
                _, _, usage = os.wait4(client.pid, 0)
                finished = False
                break
            time.sleep(1.0)
        seconds = time.perf_counter() - started
        database = server.data_dir / "ftr.sqlite3"
        counts = _database_counts(database)
        settle_until = time.monotonic() + 600
        while counts["settling"] and time.monotonic() < settle_until:
            time.sleep(2.0)
            counts = _database_counts(database)
        server_mib = _peak_rss_mib(server.process.pid)
        first = _first_job_at(database)
    return LargeRun(
        file_format=file_format,
        file_bytes=path.stat().st_size,
        file_records=records,
        seconds=seconds,
        finished=finished,
        acknowledged=counts["acknowledged"],
        stored=counts["created"],
        jobs=counts["jobs"],
        first_ack_seconds=(first - started_at).total_seconds() if first else None,
        jobs_missing_rows=counts["missing"],
        rows_kept_unprocessed=counts["kept"],
        records_in_database=counts["records"],
        server_mib=server_mib,
        client_mib=usage.ru_maxrss / 1024,
    )


def print_large(run: LargeRun, minutes: float) -> None:
    mib = run.file_bytes / 1_048_576
    print(
        f"{'format':<6} {'file MiB':>9} {'records':>10} {'ack rows':>10} {'stored':>10} "
        f"{'seconds':>8} {'stored/s':>9} {'MiB/s':>6} {'server MiB':>10} {'client MiB':>10}"
    )
    print(
        f"{run.file_format:<6} {mib:>9,.0f} {run.file_records:>10,} {run.acknowledged:>10,} "
        f"{run.stored:>10,} {run.seconds:>8.0f} {run.stored / run.seconds:>9,.0f} "
        f"{mib * run.acknowledged / run.file_records / run.seconds:>6.2f} "
        f"{run.server_mib:>10.0f} {run.client_mib:>10.0f}"
    )
    if run.first_ack_seconds is not None:
        # Before its first upload the client reads the whole file once to cut it into
        # chunks; the rate of the server alone counts from the first acknowledgement.
        storing = run.seconds - run.first_ack_seconds
        print(
            f"first upload acknowledged after {run.first_ack_seconds:,.0f} s (the client "
            "starting and reading the file to cut it into chunks); from then "
            f"{run.stored:,} rows stored in {storing:,.0f} s: "
            f"{run.stored / storing if storing > 0 else 0:,.0f} rows/s"
        )
    how = "finished" if run.finished else f"stopped after {minutes:g} minutes"
    print(
        f"`ftr import` {how}; server peak RSS = {run.server_mib / mib:.1%} of the file size. "
        f"{run.jobs:,} jobs acknowledged, {run.jobs_missing_rows} of them missing rows; "
        f"{run.records_in_database:,} records in the database for {run.stored:,} rows "
        f"reported created; {run.rows_kept_unprocessed:,} acknowledged rows kept unprocessed "
        "(resumed at the next start)."
    )
    intact = (
        run.jobs_missing_rows == 0
        and run.records_in_database == run.stored
        and run.stored + run.rows_kept_unprocessed == run.acknowledged
    )
    print("nothing acknowledged was lost" if intact else "ACKNOWLEDGED ROWS ARE MISSING")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--formats", nargs="+", default=["csv", "jsonl"])
    parser.add_argument(
        "--modes", nargs="+", default=["stored", "stored+matched"], help="stored, stored+matched"
    )
    parser.add_argument(
        "--bytes",
        type=int,
        default=None,
        help="Instead: import one file of about this many bytes (e.g. 1000000000), storing only.",
    )
    parser.add_argument(
        "--minutes", type=float, default=8.0, help="With --bytes: stop the client after this."
    )
    args = parser.parse_args(argv)
    if args.bytes is not None:
        return main_large(args.bytes, args.formats, args.minutes)
    files = write_files(args.records)
    databases = ["sqlite"] + (["postgresql"] if os.environ.get("FTR_BENCH_POSTGRES_URL") else [])
    print(
        f"{args.records:,} synthetic records; databases: {', '.join(databases)}; files in {OUT}",
        flush=True,
    )
    runs: list[Run] = []
    for database in databases:
        for file_format in args.formats:
            for mode in args.modes:
                run = import_once(files[file_format], file_format, database, mode, args.records)
                print(
                    f"  {file_format} {database} {mode}: {run.seconds:.1f} s ({run.rate:,.0f}/s)",
                    flush=True,
                )
                runs.append(run)
    print()
    print_table(runs)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this benchmark process: {own:.0f} MiB peak)")
    return 0


def main_large(size: int, formats: list[str], minutes: float) -> int:
    status = 0
    for file_format in formats:
        directory = Path(tempfile.mkdtemp(prefix="ftr-bench-large-"))
        try:
            started = time.perf_counter()
            path, records = write_sized_file(file_format, size, directory)
            print(
                f"wrote {path.stat().st_size / 1_048_576:,.0f} MiB of {file_format} "
                f"({records:,} synthetic records) in {time.perf_counter() - started:.0f} s",
                flush=True,
            )
            run = import_large(path, file_format, records, minutes)
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        print_large(run, minutes)
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"(this benchmark process, which wrote the file: {own:.0f} MiB peak)", flush=True)
        if run.jobs_missing_rows or run.records_in_database != run.stored:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
