"""FEBRL4 through the service (issue 4): import A as tracing requests and B as enquiries
through POST /api/v1/imports, wait until every row is stored and matched, and compare the
stored `likely` matches with the true links.

    .venv/bin/python -m bench.febrl_service [--records N]

`--records N` takes the first N rows of each file (the true links among them still count);
the default is all 5,000 + 5,000. Runs in-process on a fresh SQLite file. Compare the time
with bench.febrl (the core alone, and Splink 5 on the same data); the target is no more than
twice Splink's time from records to scored pairs.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from bench.febrl.data import febrl4
from bench.febrl.metrics import accuracy
from matching.records import MatchableRecord, RecordKind
from service import store
from service.auth import Role
from service.db import create_db_engine, migrate
from service.main import create_app
from service.settings import Settings, finalise


def body(record: MatchableRecord) -> dict[str, Any]:
    """A FEBRL row as an import row: its one person as the child of the record."""
    person = record.children[0]
    child: dict[str, Any] = {"full_name": person.full_name or "-"}
    if person.given_name:
        child["given_name"] = person.given_name
    if person.family_name:
        child["family_name"] = person.family_name
    if person.date_of_birth is not None:
        born = person.date_of_birth
        child["date_of_birth"] = f"{born.year:04d}-{born.month or 1:02d}-{born.day or 1:02d}"
    address = person.last_known_address
    if address is not None:
        child["last_known_address"] = {
            key: value
            for key, value in {
                "country": address.country,
                "admin1": address.admin1,
                "locality": address.locality,
                "street": address.street,
                "postcode": address.postcode,
            }.items()
            if value
        }
    if person.identifiers:
        child["identifiers"] = [{"type": i.type, "value": i.value} for i in person.identifiers]
    row: dict[str, Any] = {
        "external_id": record.record_id,
        "consent": {"tracing": True, "given_by": "agency"},
    }
    if record.kind is RecordKind.TRACING_REQUEST:
        return {"kind": "tracing_request", **row, "subject": child}
    return {"kind": "enquiry", **row, "sought": [child]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument(
        "--match-processes",
        type=int,
        default=None,
        help="processes matching the import (default: the service's, one per core)",
    )
    args = parser.parse_args()
    left, right, truth = febrl4()
    left, right = left[: args.records], right[: args.records]
    kept = {r.record_id for r in left} | {r.record_id for r in right}
    truth = {(a, b) for a, b in truth if a in kept and b in kept}
    folder = Path(tempfile.mkdtemp(prefix="ftr-febrl-"))
    engine = create_db_engine(f"sqlite:///{folder / 'febrl.sqlite3'}")
    migrate(engine)
    settings = finalise(
        Settings(data_dir=folder, log_level="WARNING", match_processes=args.match_processes)
    )
    app = create_app(settings, engine=engine, run_migrations=False, background_worker=False)
    with Session(engine, expire_on_commit=False) as session:
        organisation = store.create_organisation(session, name="FEBRL")
        key = store.create_api_key(
            session, organisation=organisation, role=Role.PARTNER, holder="bench"
        ).secret
    headers = {"Authorization": f"Bearer {key}"}
    rows = [body(r) for r in left] + [body(r) for r in right]
    with TestClient(app) as client:
        started = time.perf_counter()
        # The test client runs the import's background processing before it returns.
        accepted = client.post("/api/v1/imports", json={"records": rows}, headers=headers)
        elapsed = time.perf_counter() - started
        job = client.get(
            f"/api/v1/imports/{accepted.json()['id']}", params={"rows": "none"}, headers=headers
        ).json()
    ids = dict(_external_ids(engine))
    likely = set()
    with engine.connect() as connection:
        for left_pk, right_pk, band, kind in connection.exec_driver_sql(
            "SELECT left_record_pk, right_record_pk, band, type FROM match"
        ):
            if band == "likely" and kind == "match":
                likely.add((ids[left_pk], ids[right_pk]))
    result = accuracy(likely, truth)
    print(f"records imported: {len(rows)} (status {job['status']}, counts {job['counts']})")
    print(f"matching processes: {settings.effective_match_processes}")
    print(f"true links among them: {len(truth)}")
    print("seconds | records/s | precision | recall | F1")
    print(
        f"{elapsed:.1f} | {len(rows) / elapsed:.0f} | {result.precision:.4f} | "
        f"{result.recall:.4f} | {result.f1:.4f}"
    )
    print("targets: F1 >= 0.998; time <= 2x Splink's (see bench.febrl)")


def _external_ids(engine: Any) -> list[tuple[int, str]]:
    with engine.connect() as connection:
        return [
            (int(pk), str(external_id))
            for pk, external_id in connection.exec_driver_sql("SELECT pk, external_id FROM record")
        ]


if __name__ == "__main__":
    main()
