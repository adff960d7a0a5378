"""Matching at scale (issue 5): storing, retrieval recall, search latency and memory by size.

    .venv/bin/python -m bench.scale [--sizes 10000,100000] [--queries 1000] [--exhaustive 100]
        [--exhaustive-processes N] [--search-queries N] [--matched 1000]
        [--databases sqlite,postgresql]

Each phase prints a progress line with its wall time as it ends, and bench/out/scale.json is
rewritten after every size, so a long run that is stopped keeps what it measured.
`--exhaustive 0` skips scoring against every enquiry, `--matched 0` skips the import that
is stored and matched, `--queries 0` and `--search-queries 0` skip retrieval and search.

A synthetic registry of tracing families (bench.tracing.synth, from the development names:
children with patronymic names, estimated ages, places, relatives, siblings sought
together; half the families have a tracing request per child as well as an enquiry) is
stored through the import path at each size, then:

- stored/s: rows stored through the import path's batch storage (validation, records,
  people, search keys), without matching;
- the model is then trained on the registry (`service.training.train_if_grown`, what the
  background worker does once a registry outgrows its model); everything after scores
  with it;
- matched/s: 1,000 more rows imported into the registry of that size, stored and matched
  (by `--match-processes` processes, by default the service's one per core);
- retrieval recall: for `--queries` tracing requests, whether the family's enquiry is among
  the candidates the service scores in full (the database's first pass of up to 500 by
  shared keys, shortlisted to 30 with the cheap clues and the names' likeness);
- against exhaustive scoring: for `--exhaustive` tracing requests, every enquiry in the
  registry is scored by the core, and the candidates must include each one that reaches a
  band (slow: about 1.5 s per query per 10,000 records; the queries are shared among
  `--exhaustive-processes` processes, by default one per core, each preparing the whole
  registry's enquiries);
- search p50/p95/p99 through POST /api/v1/search with the native-script name of a
  registered child, beside an exhaustive rapidfuzz scan (WRatio over every registered
  full name) of the same queries;
- peak memory (resident) of this process, which holds the whole server but for its
  matching processes.

Runs on SQLite, and on PostgreSQL when FTR_BENCH_POSTGRES_URL is set. Writes
bench/out/scale.json and bench/out/scale.png (growth by size) when matplotlib is present.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient
from rapidfuzz import fuzz, process
from sqlmodel import Session

from bench.scale.exhaustive import candidates_scored, exhaustive_share
from bench.tracing.synth import (
    Family,
    enquiry,
    load_parts,
    make_families,
    tracing_request,
)
from matching.records import MatchableRecord, PartialDate, Person, Place
from service import store
from service.auth import Role
from service.crypto import ContactCipher
from service.db import create_db_engine, migrate
from service.imports import BATCH, RowFailed, parse_row, process_import_job
from service.main import create_app
from service.matching_pool import close_pools
from service.settings import Settings, finalise
from service.store import imports as import_store
from service.store.bulk import refresh_after_bulk_load
from service.store.keys import principal_of_key
from service.tables import ImportJob
from service.training import train_if_grown

OUT = Path("bench/out")
CHUNK = 5_000


# ---------------------------------------------------------------------------- records as rows


def _date(value: PartialDate) -> str:
    text = f"{value.year:04d}"
    if value.month:
        text += f"-{value.month:02d}"
        if value.day:
            text += f"-{value.day:02d}"
    return text


def _place(place: Place | None) -> dict[str, str] | None:
    if place is None:
        return None
    fields = {
        "country": place.country,
        "admin1": place.admin1,
        "admin2": place.admin2,
        "locality": place.locality,
        "street": place.street,
        "postcode": place.postcode,
    }
    return {k: v for k, v in fields.items() if v} or None


def _person(person: Person) -> dict[str, Any]:
    out: dict[str, Any] = {"full_name": person.full_name, "sex": person.sex.value}
    if person.native_name:
        out["native_name"] = person.native_name
    if person.other_names:
        out["other_names"] = list(person.other_names)
    if person.date_of_birth is not None:
        out["date_of_birth"] = _date(person.date_of_birth)
    if person.age is not None:
        age = person.age
        out["age"] = str(age.low) if age.low == age.high else f"{age.low}-{age.high}"
        if age.as_of is not None:
            out["age_as_of"] = age.as_of.isoformat()
    for field in ("place_of_origin", "last_known_address"):
        place = _place(getattr(person, field))
        if place:
            out[field] = place
    if person.relationship is not None:
        out["relationship"] = person.relationship.value
    return out


def row_of(record: MatchableRecord) -> dict[str, Any]:
    """A core record as an import row (kind, external_id, consent, people, separation)."""
    row: dict[str, Any] = {
        "kind": record.kind.value,
        "external_id": record.record_id,
        "consent": {"tracing": True, "given_by": "agency"},
    }
    if record.kind.value == "tracing_request":
        row["subject"] = _person(record.children[0])
        row["relatives"] = [_person(p) for p in record.family]
    else:
        row["sought"] = [_person(p) for p in record.children]
        relatives = [p for p in record.family if p.relationship is not None]
        if relatives:
            row["enquirer"] = _person(relatives[0])
            row["relatives"] = [_person(p) for p in relatives[1:]]
    if record.separation is not None:
        separation: dict[str, Any] = {}
        if record.separation.date is not None:
            separation["date"] = _date(record.separation.date)
        place = _place(record.separation.place)
        if place:
            separation["place"] = place
        if separation:
            row["separation"] = separation
    return row


@dataclass
class Registry:
    """Rows in the order they are stored, and which enquiry each tracing request belongs to."""

    rows: list[dict[str, Any]]
    family_of: dict[str, str]  # tracing request external_id -> its family's enquiry's


def registry(size: int, seed: int) -> Registry:
    rng = random.Random(seed)
    parts = load_parts()
    rows: list[dict[str, Any]] = []
    family_of: dict[str, str] = {}
    family_id = 0
    while len(rows) < size:
        batch: list[Family] = make_families(500, parts, rng)
        for family in batch:
            family.family_id = family_id
            family_id += 1
            enquiry_id = f"en-{family.family_id}"
            rows.append(row_of(enquiry(family, rng, record_id=enquiry_id)))
            if family.family_id % 2 == 0:
                for child in range(len(family.children)):
                    request = tracing_request(family, child, rng)
                    rows.append(row_of(request))
                    family_of[request.record_id] = enquiry_id
    rng.shuffle(rows)
    # The synthetic distortions can write a date that does not exist (a day and month
    # swapped into 2012-02-30): the service refuses such a row, so the registry leaves it out.
    kept = [row for row in rows if _valid(row)][:size]
    ids = {r["external_id"] for r in kept}
    return Registry(kept, {t: e for t, e in family_of.items() if t in ids and e in ids})


def _valid(row: dict[str, Any]) -> bool:
    try:
        parse_row(dict(row))
    except RowFailed:
        return False
    return True


# ---------------------------------------------------------------------------- measurements


def _import(
    engine: Any,
    cipher: ContactCipher,
    key_pk: int,
    rows: list[dict[str, Any]],
    match_processes: int,
) -> None:
    """One import job, processed here as the service's worker would."""
    with Session(engine, expire_on_commit=False) as session:
        principal = principal_of_key(session, key_pk=key_pk)
        job = import_store.create_import_job(
            session, actor=store.RequestContext(principal=principal), rows=rows
        )
        assert job.pk is not None
        job_pk = job.pk
    process_import_job(engine, cipher, job_pk, match_processes=match_processes)
    with Session(engine) as session:
        done = session.get(ImportJob, job_pk)
        assert done is not None
        assert done.status == "done", "import did not finish"


def _store_only(
    engine: Any, cipher: ContactCipher, key_pk: int, rows: list[dict[str, Any]]
) -> None:
    """The import path's storage of new rows (validated, then stored a batch per
    transaction in multi-row inserts), without matching: records are marked matched."""
    with Session(engine, expire_on_commit=False) as session:
        actor = store.RequestContext(principal=principal_of_key(session, key_pk=key_pk))
        for start in range(0, len(rows), BATCH):
            bodies = [parse_row(dict(row)) for row in rows[start : start + BATCH]]
            store.register_new_records(session, actor=actor, bodies=bodies, cipher=cipher)
            session.commit()
        session.execute(
            sa.text("UPDATE record SET matched_at = updated_at WHERE matched_at IS NULL")
        )
        session.commit()


def _percentiles(times: list[float]) -> dict[str, float]:
    times = sorted(times)

    def at(q: float) -> float:
        return round(1000 * times[min(len(times) - 1, int(q * len(times)))], 1)

    return {"p50_ms": at(0.5), "p95_ms": at(0.95), "p99_ms": at(0.99)}


def _pks_by_external_id(engine: Any) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            str(e): int(pk)
            for pk, e in connection.exec_driver_sql("SELECT pk, external_id FROM record")
        }


def retrieval(
    engine: Any, reg: Registry, queries: int, exhaustive: int, processes: int = 1
) -> dict[str, Any]:
    if queries <= 0:
        return {}
    pks = _pks_by_external_id(engine)
    requests = sorted(reg.family_of)
    rng = random.Random(1)
    sample = rng.sample(requests, k=min(queries, len(requests)))
    found = 0
    times = []
    began = time.perf_counter()
    with Session(engine) as session:
        for done, external_id in enumerate(sample, start=1):
            pk = pks[external_id]
            started = time.perf_counter()
            candidates = candidates_scored(session, pk)
            times.append(time.perf_counter() - started)
            found += pks[reg.family_of[external_id]] in candidates
            if done % 100 == 0:
                print(
                    f"    retrieval: {done} queries ({time.perf_counter() - began:.0f} s)",
                    flush=True,
                )
    result: dict[str, Any] = {
        "true_pair_recall": round(found / len(sample), 4),
        "retrieval_p95_ms": _percentiles(times)["p95_ms"],
    }
    if exhaustive:
        query_pks = [pks[external_id] for external_id in sample[:exhaustive]]
        enquiry_pks = [pk for e, pk in pks.items() if e.startswith("en-")]
        url = engine.url.render_as_string(hide_password=False)
        # Each process takes every n-th query and prepares the whole gallery itself.
        processes = max(processes, 1)
        shares = [query_pks[i::processes] for i in range(processes) if query_pks[i::processes]]
        if len(shares) > 1:
            with ProcessPoolExecutor(len(shares), mp_context=mp.get_context("spawn")) as pool:
                counted = list(pool.map(exhaustive_share, repeat(url), shares, repeat(enquiry_pks)))
        else:
            counted = [exhaustive_share(url, share, enquiry_pks) for share in shares]
        banded = sum(b for b, _ in counted)
        kept = sum(k for _, k in counted)
        result["exhaustive_queries"] = len(query_pks)
        result["exhaustive_processes"] = len(shares)
        result["banded_pairs"] = banded
        result["recall_vs_exhaustive"] = round(kept / banded, 4) if banded else None
    return result


def search_latency(app: Any, secret: str, reg: Registry, queries: int) -> dict[str, Any]:
    if queries <= 0:
        return {}
    rng = random.Random(2)
    requests = [r for r in reg.rows if r["kind"] == "tracing_request"]
    sample = rng.sample(requests, k=min(queries, len(requests)))
    texts = [r["subject"].get("native_name") or r["subject"]["full_name"] for r in sample]
    times = []
    with TestClient(app) as client:
        headers = {"Authorization": f"Bearer {secret}"}
        for text in texts:
            started = time.perf_counter()
            response = client.post(
                "/api/v1/search", json={"person": {"full_name": text}}, headers=headers
            )
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.text
    gallery = [r["subject"]["full_name"] for r in reg.rows if r["kind"] == "tracing_request"]
    gallery += [s["full_name"] for r in reg.rows if r["kind"] == "enquiry" for s in r["sought"]]
    scan = []
    for text in texts[: min(len(texts), 100)]:
        started = time.perf_counter()
        process.extract(text, gallery, scorer=fuzz.WRatio, limit=10)
        scan.append(time.perf_counter() - started)
    return {
        **_percentiles(times),
        "scan_p50_ms": _percentiles(scan)["p50_ms"],
        "scan_p95_ms": _percentiles(scan)["p95_ms"],
    }


def _databases(wanted: set[str]) -> Iterator[tuple[str, str | None]]:
    if "sqlite" in wanted:
        yield "sqlite", None
    if "postgresql" in wanted and os.environ.get("FTR_BENCH_POSTGRES_URL"):
        yield "postgresql", os.environ["FTR_BENCH_POSTGRES_URL"]


class _Phases:
    """Wall time of each phase of one run, printed as each ends."""

    def __init__(self, database: str, size: int) -> None:
        self.label = f"{database} {size}"
        self.began = self.last = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def done(self, phase: str, note: str = "") -> float:
        now = time.perf_counter()
        took = now - self.last
        self.seconds[phase] = round(took, 1)
        self.last = now
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(
            f"  {self.label}: {phase} {took:.0f} s{note} "
            f"(run {now - self.began:.0f} s, peak RSS {rss} MiB)",
            flush=True,
        )
        return took


def _fresh(url: str | None) -> str:
    if url is None:
        return f"sqlite:///{tempfile.mkdtemp(prefix='ftr-scale-')}/scale.sqlite3"
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()
    return url


def open_registry(url: str) -> tuple[Any, Settings, ContactCipher]:
    """A migrated database, with settings and the cipher for its contact details."""
    engine = create_db_engine(url)
    migrate(engine)
    settings = finalise(Settings(data_dir=Path(tempfile.mkdtemp()), log_level="WARNING"))
    return engine, settings, ContactCipher(settings.encryption_keys)


def run(database: str, url: str | None, size: int, args: argparse.Namespace) -> dict[str, Any]:
    phases = _Phases(database, size)
    reg = registry(size + args.matched, args.seed)
    stored_rows, matched_rows = reg.rows[:size], reg.rows[size:]
    phases.done("registry generated", f", {len(reg.rows)} rows")
    engine, settings, cipher = open_registry(_fresh(url))
    with Session(engine, expire_on_commit=False) as session:
        organisation = store.create_organisation(session, name="Scale")
        issued = store.create_api_key(
            session, organisation=organisation, role=Role.PARTNER, holder="bench"
        )
        officer = store.create_api_key(
            session, organisation=organisation, role=Role.OFFICER, holder="bench officer"
        )
    partner_pk = issued.key.pk
    assert partner_pk is not None
    phases.done("schema and keys")
    started = time.perf_counter()
    for start in range(0, len(stored_rows), CHUNK):
        _store_only(engine, cipher, partner_pk, stored_rows[start : start + CHUNK])
        if (start // CHUNK) % 10 == 9:
            done = start + CHUNK
            print(
                f"  {database} {size}: stored {done} "
                f"({done / (time.perf_counter() - started):.0f}/s)",
                flush=True,
            )
    # As the import path does after every 10,000 new records (PostgreSQL's statistics and
    # visibility map, which this machine's PostgreSQL, without autovacuum, never refreshes).
    refresh_after_bulk_load(engine)
    stored_s = phases.done("stored", f", {size} rows")
    # As the service's background worker does once the registry has outgrown its model.
    trained = train_if_grown(engine)
    phases.done("trained", f", model {trained.version}" if trained else ", not trained")
    result: dict[str, Any] = {
        "database": database,
        "records": size,
        "stored_per_s": round(size / stored_s),
    }
    if matched_rows:
        _import(engine, cipher, partner_pk, matched_rows, args.match_processes)
        matched_s = phases.done("imported and matched", f", {len(matched_rows)} rows")
        result["matched_rows"] = len(matched_rows)
        result["match_processes"] = args.match_processes
        # The matching processes are part of the server: stopped here, the largest one's
        # peak resident memory can be read (the operating system reports it once it ends).
        close_pools()
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result["matching_process_peak_rss_mib"] = round(children / 1024)
        result["matched_per_s"] = round(len(matched_rows) / matched_s, 1)
    result.update(retrieval(engine, reg, args.queries, args.exhaustive, args.exhaustive_processes))
    phases.done("retrieval recall", f", {args.queries} queries, {args.exhaustive} exhaustive")
    app = create_app(settings, engine=engine, run_migrations=False, background_worker=False)
    search_queries = args.queries if args.search_queries is None else args.search_queries
    search = search_latency(app, officer.secret, reg, search_queries)
    if search:
        result["search_queries"] = search_queries
    result.update(search)
    phases.done("search latency", f", {search_queries} queries")
    result["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    result["phase_s"] = phases.seconds
    result["wall_s"] = round(time.perf_counter() - phases.began)
    result["load_avg"] = [round(x, 2) for x in os.getloadavg()]
    return result


def _plot(rows: list[dict[str, Any]]) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    figure, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    for database in sorted({r["database"] for r in rows}):
        mine = [r for r in rows if r["database"] == database]
        for axis, key, style, label in (
            (axes[0], "p95_ms", {"marker": "o"}, f"{database} search"),
            (axes[0], "scan_p95_ms", {"ls": "--"}, "rapidfuzz scan"),
            (axes[1], "matched_per_s", {"marker": "o"}, database),
            (axes[2], "true_pair_recall", {"marker": "o"}, database),
        ):
            measured = [(r["records"], r[key]) for r in mine if key in r]
            if measured:
                axis.plot(*zip(*measured, strict=True), label=label, **style)
    for axis, title in zip(
        axes,
        ("search p95 (ms)", "stored and matched / s", "true-pair retrieval recall"),
        strict=True,
    ):
        axis.set_xscale("log")
        axis.set_title(title)
        axis.set_xlabel("records")
        axis.legend()
    figure.tight_layout()
    figure.savefig(OUT / "scale.png", dpi=100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--exhaustive", type=int, default=100)
    parser.add_argument(
        "--search-queries", type=int, default=None, help="searches timed (default --queries)"
    )
    parser.add_argument(
        "--matched", type=int, default=1_000, help="rows imported, stored and matched"
    )
    parser.add_argument(
        "--databases",
        default="sqlite,postgresql",
        help="postgresql only when FTR_BENCH_POSTGRES_URL is set",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--exhaustive-processes",
        type=int,
        default=os.cpu_count() or 1,
        help="processes scoring the exhaustive queries (default: one per core)",
    )
    parser.add_argument(
        "--match-processes",
        type=int,
        default=Settings().effective_match_processes,
        help="processes matching the import (default: the service's, one per core)",
    )
    args = parser.parse_args()
    rows = []
    OUT.mkdir(parents=True, exist_ok=True)
    for database, url in _databases(set(args.databases.split(","))):
        for size in (int(s) for s in args.sizes.split(",")):
            rows.append(run(database, url, size, args))
            (OUT / "scale.json").write_text(json.dumps(rows, indent=1))
    _plot(rows)
    header = [
        "database",
        "records",
        "stored_per_s",
        "matched_per_s",
        "match_processes",
        "true_pair_recall",
        "recall_vs_exhaustive",
        "retrieval_p95_ms",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "scan_p95_ms",
        "peak_rss_mib",
        "matching_process_peak_rss_mib",
    ]
    print("\n" + " | ".join(header))
    for row in rows:
        print(" | ".join(str(row.get(c, "")) for c in header))
    print(
        "targets (issue 5): search p95 <= 50 ms at 1,000,000; recall vs exhaustive >= 0.99 at "
        "100,000; >= 5,000 stored/s and >= 1,000 stored and matched/s at 100,000; "
        "peak memory <= 2 GiB"
    )
    ratios = [r["p50_ms"] / r["scan_p50_ms"] for r in rows if "p50_ms" in r]
    if ratios:
        print("mean search/scan ratio:", statistics.mean(ratios))


if __name__ == "__main__":
    main()
