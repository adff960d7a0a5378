"""Timing of refusals (issue 8): does a 404 say, by its speed, whether the record exists?

    .venv/bin/python -m bench.access [--requests 500] [--records 200]

An officer of organisation A asks for a record that does not exist, for a record of
organisation B (also 404, by design) and for one of A's own (200). If the second were
measurably slower or faster than the first, timing would tell a caller what the status
hides. The three cases are requested in turn (A, B, missing, A, B, …) after a warm-up, so
that caches and drift affect them alike; the table gives p50/p95 and the difference
between the two 404s. In-process (TestClient), on SQLite and, when FTR_BENCH_POSTGRES_URL
is set, on PostgreSQL. Writes bench/out/access.json. All people are synthetic.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session

from service import store
from service.auth import Role
from service.db import create_db_engine, migrate
from service.main import create_app
from service.settings import Settings, finalise

OUT = Path("bench/out")
TR = "/api/v1/tracing-requests"
WARM_UP = 50
GIVEN = ["Amira", "Bashir", "Dalia", "Farid", "Hana", "Idris", "Layla", "Nabil", "Rania", "Samir"]
FAMILY = ["Haddad", "Khoury", "Mansour", "Nasser", "Qasim", "Rahimi", "Saleh", "Tahan"]


def _officer_key(engine: sa.Engine, organisation: str) -> str:
    with Session(engine, expire_on_commit=False) as session:
        org = store.create_organisation(session, name=organisation)
        return store.create_api_key(
            session, organisation=org, role=Role.OFFICER, holder=f"bench officer of {organisation}"
        ).secret


def _child(number: int) -> dict[str, Any]:
    """A synthetic tracing request; names cycle through small lists, so many share keys."""
    return {
        "external_id": f"BENCH-{number}",
        "consent": {"tracing": True, "given_by": "agency"},
        "subject": {
            "full_name": f"{GIVEN[number % len(GIVEN)]} {FAMILY[number % len(FAMILY)]}",
            "sex": "female" if number % 2 else "male",
            "age": 3 + number % 14,
            "age_as_of": "2025-06-01",
            "place_of_origin": {"country": "SY"},
        },
    }


def _register(client: TestClient, key: str, numbers: range) -> list[str]:
    headers = {"Authorization": f"Bearer {key}"}
    ids = []
    for number in numbers:
        response = client.post(TR, json=_child(number), headers=headers)
        response.raise_for_status()
        ids.append(response.json()["id"])
    return ids


def _percentile(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(url: str, *, requests: int, records: int) -> list[dict[str, Any]]:
    engine = create_db_engine(url)
    migrate(engine)
    settings = finalise(Settings(data_dir=Path(tempfile.mkdtemp()), log_level="WARNING"))
    app = create_app(settings, engine=engine, run_migrations=False, background_worker=False)
    key_a, key_b = _officer_key(engine, "Org A"), _officer_key(engine, "Org B")
    with TestClient(app) as client:
        own = _register(client, key_a, range(records))
        others = _register(client, key_b, range(records, 2 * records))
        cases: dict[str, Callable[[int], str]] = {
            "missing id": lambda n: str(uuid.uuid4()),
            "another org's id": lambda n: others[n % len(others)],
            "own record": lambda n: own[n % len(own)],
        }
        expected = {"missing id": 404, "another org's id": 404, "own record": 200}
        times: dict[str, list[float]] = {case: [] for case in cases}
        headers = {"Authorization": f"Bearer {key_a}"}
        for n in range(WARM_UP + requests):
            for case, record_id in cases.items():
                started = time.perf_counter()
                response = client.get(f"{TR}/{record_id(n)}", headers=headers)
                elapsed = time.perf_counter() - started
                if response.status_code != expected[case]:
                    raise SystemExit(f"{case}: {response.status_code}, not {expected[case]}")
                if n >= WARM_UP:
                    times[case].append(elapsed)
    engine.dispose()
    return [
        {
            "case": case,
            "status": expected[case],
            "requests": len(taken),
            "p50_ms": round(_percentile(taken, 0.50), 2),
            "p95_ms": round(_percentile(taken, 0.95), 2),
            "mean_ms": round(1000 * statistics.mean(taken), 2),
        }
        for case, taken in times.items()
    ]


def _fresh_postgres(url: str) -> str:
    engine = create_db_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=500, help="timed requests per case")
    parser.add_argument("--records", type=int, default=200, help="records per organisation")
    args = parser.parse_args()
    databases = {"sqlite": f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"}
    if os.environ.get("FTR_BENCH_POSTGRES_URL"):
        databases["postgresql"] = _fresh_postgres(os.environ["FTR_BENCH_POSTGRES_URL"])
    results = {}
    for database, url in databases.items():
        print(f"{database}: {args.records} records per organisation…", flush=True)
        results[database] = measure(url, requests=args.requests, records=args.records)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "access.json").write_text(json.dumps(results, indent=1))
    header = ["case", "status", "requests", "p50_ms", "p95_ms", "mean_ms"]
    print("\ndatabase | " + " | ".join(header))
    for database, rows in results.items():
        for row in rows:
            print(f"{database} | " + " | ".join(str(row[c]) for c in header))
        missing, other = rows[0], rows[1]
        print(
            f"{database} | another org's id − missing id | | | "
            f"{other['p50_ms'] - missing['p50_ms']:+.2f} | "
            f"{other['p95_ms'] - missing['p95_ms']:+.2f} | "
            f"{other['mean_ms'] - missing['mean_ms']:+.2f}"
        )
    print("both 404s should differ by far less than their own spread (p95 − p50)")


if __name__ == "__main__":
    main()
