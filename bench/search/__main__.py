"""Search latency at registry sizes (issue 4): p50/p95/p99 of POST /api/v1/search.

    .venv/bin/python -m bench.search [--sizes 10000,100000] [--queries 200]

A synthetic registry is built from the shared development names: each child's given name
is a Latin spelling of one name cluster and the family name one of another, with random
sex, age and country. Records are stored with their search keys through the store (not
matched: matching time is measured by the import benchmarks); queries are the
native-script forms of registered clusters, as an officer would type them. Runs on SQLite,
and on PostgreSQL when FTR_BENCH_POSTGRES_URL is set. Writes bench/out/search.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session

from service import schemas, store
from service.auth import Role
from service.crypto import ContactCipher
from service.db import create_db_engine, migrate
from service.main import create_app
from service.settings import Settings, finalise

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "dev.jsonl"
OUT = Path("bench/out")
COUNTRIES = ["SY", "IQ", "AF", "SO", "ER", "ET", "UA", "SD", "MM", "VN", "YE", "CD"]


def clusters() -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if r.get("variants") and r.get("script") != "Latn"]


def body(number: int, given: dict[str, Any], family: dict[str, Any], rng: random.Random) -> Any:
    name = f"{rng.choice(given['variants'])} {rng.choice(family['variants'])}".title()
    return schemas.TracingRequestIn.model_validate(
        {
            "external_id": f"B-{number}",
            "consent": {"tracing": True, "given_by": "agency"},
            "subject": {
                "full_name": name,
                "sex": rng.choice(["female", "male"]),
                "age": rng.randint(2, 17),
                "age_as_of": "2025-06-01",
                "place_of_origin": {"country": rng.choice(COUNTRIES)},
            },
        }
    )


def build(url: str, size: int, pool: list[dict[str, Any]], seed: int) -> tuple[Any, list[Any]]:
    engine = create_db_engine(url)
    migrate(engine)
    settings = finalise(Settings(data_dir=Path(tempfile.mkdtemp()), log_level="WARNING"))
    cipher = ContactCipher(settings.encryption_keys)
    rng = random.Random(seed)
    with Session(engine, expire_on_commit=False) as session:
        organisation = store.create_organisation(session, name="Bench")
        key = store.create_api_key(
            session, organisation=organisation, role=Role.OFFICER, holder="bench"
        ).secret
        principal = store.find_principal(session, secret=key)
        assert principal is not None
        actor = store.RequestContext(principal=principal)
        used: list[tuple[dict[str, Any], dict[str, Any]]] = []
        started = time.perf_counter()
        for number in range(size):
            given, family = rng.choice(pool), rng.choice(pool)
            used.append((given, family))
            store.register_record(
                session, actor=actor, body=body(number, given, family, rng), cipher=cipher
            )
        stored = time.perf_counter() - started
    app = create_app(settings, engine=engine, run_migrations=False, background_worker=False)
    queries = [
        f"{given['name']} {family['name']}" for given, family in rng.sample(used, k=min(200, size))
    ]
    print(f"  stored {size} records in {stored:.0f} s ({size / stored:.0f}/s)", flush=True)
    return (app, key, engine), queries


def measure(app: Any, key: str, queries: list[str]) -> dict[str, float]:
    times = []
    found = 0
    with TestClient(app) as client:
        headers = {"Authorization": f"Bearer {key}"}
        for query in queries:
            started = time.perf_counter()
            response = client.post(
                "/api/v1/search", json={"person": {"full_name": query}}, headers=headers
            )
            times.append(time.perf_counter() - started)
            found += bool(response.json().get("candidates"))
    times.sort()

    def at(q: float) -> float:
        return round(1000 * times[min(len(times) - 1, int(q * len(times)))], 1)

    return {
        "queries": len(times),
        "p50_ms": at(0.50),
        "p95_ms": at(0.95),
        "p99_ms": at(0.99),
        "mean_ms": round(1000 * statistics.mean(times), 1),
        "with_candidates": round(found / len(times), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    pool = clusters()
    databases = {"sqlite": None}
    if os.environ.get("FTR_BENCH_POSTGRES_URL"):
        databases["postgresql"] = os.environ["FTR_BENCH_POSTGRES_URL"]
    rows = []
    for database, url in databases.items():
        for size in (int(s) for s in args.sizes.split(",")):
            print(f"{database}, {size} records:", flush=True)
            if url is None:
                target = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
            else:
                target = url
                engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
                with engine.begin() as connection:
                    connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
                engine.dispose()
            (app, key, _engine), queries = build(target, size, pool, args.seed)
            rows.append({"database": database, "records": size, **measure(app, key, queries)})
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "search.json").write_text(json.dumps(rows, indent=1))
    header = ["database", "records", "queries", "p50_ms", "p95_ms", "p99_ms", "with_candidates"]
    print("\n" + " | ".join(header))
    for row in rows:
        print(" | ".join(str(row[c]) for c in header))
    print("target (issue 5): p95 <= 50 ms at 1,000,000 records")


if __name__ == "__main__":
    main()
