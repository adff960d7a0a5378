"""Bulk registration: 202 and a job; per-row outcomes; retries create nothing new."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col

from api_tests.conftest import Api, enquiry, served, tracing_request
from api_tests.test_matching import child_request, mother_enquiry
from service import linkage, matching_pool, store
from service.crypto import ContactCipher
from service.imports import LEASE, resume_unfinished_imports
from service.leases import holder_is_gone, new_lease_owner
from service.matching_pool import close_pools
from service.store import imports as import_store
from service.store.common import RequestContext
from service.store.keys import find_principal
from service.tables import ImportJob

URL = "/api/v1/imports"


def rows(*bodies: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    return {"records": [{"kind": kind, **body} for kind, body in bodies]}


def _import(api: Api, payload: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    accepted = api.client.post(URL, json=payload, headers=headers)
    assert accepted.status_code == 202, accepted.text
    assert accepted.headers["location"] == f"{URL}/{accepted.json()['id']}"
    report = api.client.get(accepted.headers["location"], headers=headers)
    assert report.status_code == 200
    job: dict[str, Any] = report.json()
    return job


def test_an_import_stores_and_matches_every_row_and_reports_each(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    job = _import(
        api,
        rows(("tracing_request", child_request("TR-1")), ("enquiry", mother_enquiry("EN-1"))),
        partner,
    )
    assert job["status"] == "done"
    assert job["counts"] == {"created": 2, "updated": 0, "unchanged": 0, "failed": 0}
    assert [r["outcome"] for r in job["rows"]] == ["created", "created"]
    assert all(r["record_id"] for r in job["rows"])
    assert api.rows("SELECT count(*) FROM match WHERE type = 'match'")[0][0] == 1


def test_importing_the_same_rows_again_creates_nothing_new(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    payload = rows(("tracing_request", tracing_request("A")), ("enquiry", enquiry("B")))
    first = _import(api, payload, partner)
    again = _import(api, payload, partner)
    assert again["counts"] == {"created": 0, "updated": 0, "unchanged": 2, "failed": 0}
    assert [r["record_id"] for r in again["rows"]] == [r["record_id"] for r in first["rows"]]
    assert api.rows("SELECT count(*) FROM record")[0][0] == 2


def test_a_changed_row_updates_its_record(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    _import(api, rows(("tracing_request", tracing_request("A"))), partner)
    changed = tracing_request("A")
    changed["subject"]["other_names"] = ["Hamoudi"]
    job = _import(api, rows(("tracing_request", changed)), partner)
    assert job["rows"][0]["outcome"] == "updated"
    record = api.client.get(
        f"/api/v1/tracing-requests/{job['rows'][0]['record_id']}", headers=partner
    ).json()
    assert record["subject"]["other_names"] == ["Hamoudi"]


def test_a_malformed_row_fails_alone_with_its_reason(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    bad_date = tracing_request("BAD")
    bad_date["subject"]["date_of_birth"] = "2015-02-30"
    payload = {
        "records": [
            {"kind": "tracing_request", **tracing_request("OK-1")},
            {"kind": "tracing_request", **bad_date},
            "not an object",
            {"kind": "person", **tracing_request("NOKIND")},
            {"kind": "enquiry", **enquiry("OK-2")},
        ]
    }
    job = _import(api, payload, partner)
    assert job["status"] == "done"
    assert [r["outcome"] for r in job["rows"]] == [
        "created",
        "failed",
        "failed",
        "failed",
        "created",
    ]
    errors = {e["index"]: e for e in job["errors"]}
    assert set(errors) == {1, 2, 3}
    assert errors[1]["external_id"] == "BAD"
    assert "subject.date_of_birth" in errors[1]["reason"]
    assert "JSON object" in errors[2]["reason"]
    assert errors[3]["reason"].startswith("kind:")
    assert api.rows("SELECT count(*) FROM record")[0][0] == 2


def test_a_row_under_another_kinds_external_id_fails(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    _import(api, rows(("tracing_request", tracing_request("SAME"))), partner)
    job = _import(api, rows(("enquiry", enquiry("SAME"))), partner)
    assert job["rows"][0]["outcome"] == "failed"
    assert "tracing request" in job["rows"][0]["reason"]


def test_import_bodies_are_dropped_once_stored(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    _import(api, rows(("enquiry", enquiry("E-1"))), partner)
    assert api.rows("SELECT count(*) FROM import_row WHERE body IS NOT NULL")[0][0] == 0


def test_an_import_of_another_organisation_is_not_found(api: Api) -> None:
    job = _import(api, rows(("enquiry", enquiry())), api.headers("partner", org="NGO"))
    other = api.headers("partner", org="Other NGO")
    assert api.client.get(f"{URL}/{job['id']}", headers=other).status_code == 404
    for role in ("reviewer", "admin"):
        assert (
            api.client.get(f"{URL}/{job['id']}", headers=api.headers(role, "NGO")).status_code
            == 403
        )
        assert (
            api.client.post(
                URL, json=rows(("enquiry", enquiry())), headers=api.headers(role)
            ).status_code
            == 403
        )


def test_an_empty_or_oversized_import_is_422(api: Api) -> None:
    partner = api.headers("partner")
    assert api.client.post(URL, json={"records": []}, headers=partner).status_code == 422
    too_many = {"records": [{}] * 10_001}
    response = api.client.post(URL, json=too_many, headers=partner)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "records"
    assert api.client.post(URL, json={"rows": []}, headers=partner).status_code == 422


def test_an_import_left_behind_by_a_dead_worker_is_resumed(api: Api) -> None:
    headers = api.headers("partner", org="NGO")
    secret = headers["Authorization"].removeprefix("Bearer ")
    cipher = api.client.app.state.cipher  # type: ignore[attr-defined]
    with Session(api.engine, expire_on_commit=False) as session:
        principal = find_principal(session, secret=secret)
        assert principal is not None
        job = import_store.create_import_job(
            session,
            actor=RequestContext(principal=principal),
            rows=[{"kind": "enquiry", **enquiry("E-1")}, {"kind": "enquiry", **enquiry("E-2")}],
        )
        assert job.pk is not None
        # A worker claimed it and died: its lease ran out long ago.
        assert import_store.claim_import_job(
            session, job_pk=job.pk, owner="dead", lease=timedelta(seconds=-1)
        )
    assert isinstance(cipher, ContactCipher)
    assert resume_unfinished_imports(api.engine, cipher) == 1
    report = api.client.get(f"{URL}/{job.id}", headers=headers).json()
    assert report["status"] == "done"
    assert report["counts"]["created"] == 2


def test_a_job_held_under_a_live_lease_is_left_to_its_worker(api: Api) -> None:
    job_id, _ = _held_job(api, owner="alive")
    with Session(api.engine) as session:
        job_pk = session.execute(
            sa.select(col(ImportJob.pk)).where(col(ImportJob.id) == job_id)
        ).scalar_one()
        assert not import_store.claim_import_job(
            session, job_pk=job_pk, owner="second", lease=timedelta(minutes=5)
        )
        assert import_store.unfinished_import_jobs(session) == []


def test_polling_can_ask_for_failed_rows_only_or_counts_only(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    bad = tracing_request("BAD")
    bad["subject"]["sex"] = "boy"
    job = _import(
        api, rows(("tracing_request", tracing_request("OK")), ("tracing_request", bad)), partner
    )
    failed = api.client.get(f"{URL}/{job['id']}", params={"rows": "failed"}, headers=partner)
    assert [r["external_id"] for r in failed.json()["rows"]] == ["BAD"]
    counts = api.client.get(f"{URL}/{job['id']}", params={"rows": "none"}, headers=partner).json()
    assert counts["rows"] == []
    assert counts["counts"]["failed"] == 1
    refused = api.client.get(f"{URL}/{job['id']}", params={"rows": "some"}, headers=partner)
    assert refused.status_code == 422


def test_a_row_that_breaks_its_batch_fails_alone_and_the_others_are_stored(
    api: Api, monkeypatch: Any
) -> None:
    """Rows are stored a batch per transaction; an unexpected error in one row rolls the
    batch back and its rows are stored one by one, so only the bad row fails."""
    from service import imports

    real_upsert = imports.store.upsert_record
    real_register = imports.store.register_new_records

    def upsert(session: Session, **kwargs: Any) -> Any:
        if kwargs["body"].external_id == "B":
            raise RuntimeError("a fault in storing this one row")
        return real_upsert(session, **kwargs)

    def register(session: Session, **kwargs: Any) -> Any:
        if any(body.external_id == "B" for body in kwargs["bodies"]):
            raise RuntimeError("a fault in storing a batch with this row")
        return real_register(session, **kwargs)

    monkeypatch.setattr(imports.store, "upsert_record", upsert)
    monkeypatch.setattr(imports.store, "register_new_records", register)
    partner = api.headers("partner", org="NGO")
    job = _import(
        api,
        rows(
            ("tracing_request", tracing_request("A")),
            ("tracing_request", tracing_request("B")),
            ("enquiry", enquiry("C")),
        ),
        partner,
    )
    assert [r["outcome"] for r in job["rows"]] == ["created", "failed", "created"]
    assert "retry" in job["rows"][1]["reason"]
    assert api.rows("SELECT external_id FROM record ORDER BY external_id") == [("A",), ("C",)]
    assert api.rows("SELECT count(*) FROM record WHERE matched_at IS NULL")[0][0] == 0


def test_a_job_resumed_after_storing_a_batch_matches_it_before_it_is_done(api: Api) -> None:
    """A worker that died between storing a batch and matching it left records owed."""
    partner = api.headers("partner", org="NGO")
    job = _import(
        api,
        rows(("tracing_request", child_request("TR-1")), ("enquiry", mother_enquiry("EN-1"))),
        partner,
    )
    assert job["counts"]["created"] == 2
    with api.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM match")
        connection.exec_driver_sql("UPDATE record SET matched_at = NULL")
        # The worker that stored the batch died: its lease ran out long ago.
        connection.execute(
            sa.text("UPDATE import_job SET status = 'running', lease_expires_at = :past"),
            {"past": datetime(2000, 1, 1, tzinfo=UTC)},
        )
    cipher = api.client.app.state.cipher  # type: ignore[attr-defined]
    assert resume_unfinished_imports(api.engine, cipher) == 1
    assert api.rows("SELECT status FROM import_job")[0][0] == "done"
    assert api.rows("SELECT count(*) FROM record WHERE matched_at IS NULL")[0][0] == 0
    assert api.rows("SELECT count(*) FROM match WHERE type = 'match'")[0][0] == 1


def test_rows_without_tracing_consent_are_stored_owing_no_matching(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new record that may never be a candidate is stored as matched: the job's records
    are not matched at all (nothing to find, nothing to withdraw)."""
    from service import imports

    def not_called(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("nothing of this job is owed matching")

    monkeypatch.setattr(imports.linkage, "match_records", not_called)
    partner = api.headers("partner", org="NGO")
    no_consent = child_request("TR-1")
    del no_consent["consent"]
    closed = mother_enquiry("EN-1")
    closed["status"] = "closed"
    job = _import(api, rows(("tracing_request", no_consent), ("enquiry", closed)), partner)
    assert (job["status"], job["counts"]["created"]) == ("done", 2)
    assert api.rows("SELECT count(*) FROM record WHERE matched_at IS NULL")[0][0] == 0
    assert api.rows("SELECT count(*) FROM match")[0][0] == 0


def test_a_job_of_several_batches_processes_every_row_once_in_order(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each batch is read from the position after the last one; outcomes, counts and
    matching are the same whichever batch a row falls in."""
    from service import imports

    monkeypatch.setattr(imports, "BATCH", 2)
    monkeypatch.setattr(imports, "MATCH_BATCH", 1)
    partner = api.headers("partner", org="NGO")
    changed = tracing_request("A")
    changed["subject"]["other_names"] = ["Hamoudi"]
    job = _import(
        api,
        {
            "records": [
                {"kind": "tracing_request", **child_request("TR-1")},
                {"kind": "tracing_request", **tracing_request("A")},
                "not an object",
                {"kind": "enquiry", **mother_enquiry("EN-1")},
                {"kind": "tracing_request", **changed},
            ]
        },
        partner,
    )
    assert job["status"] == "done"
    assert [r["outcome"] for r in job["rows"]] == [
        "created",
        "created",
        "failed",
        "created",
        "updated",
    ]
    assert job["counts"] == {"created": 3, "updated": 1, "unchanged": 0, "failed": 1}
    assert job["processed"] == 5
    assert api.rows("SELECT count(*) FROM record")[0][0] == 3
    assert api.rows("SELECT count(*) FROM record WHERE matched_at IS NULL")[0][0] == 0
    assert api.rows("SELECT count(*) FROM match WHERE type = 'match'")[0][0] == 1


def test_rows_withdrawing_consent_or_closing_withdraw_their_pending_matches(api: Api) -> None:
    """Records a batch may not match are not scored: their pending matches are withdrawn,
    each for its own reason, and the records are matched (owe nothing)."""
    partner = api.headers("partner", org="NGO")
    _import(
        api,
        rows(
            ("tracing_request", child_request("TR-1")),
            ("enquiry", mother_enquiry("EN-1")),
            ("tracing_request", child_request("TR-2", given_name="يوسف")),
            ("enquiry", mother_enquiry("EN-2", share=False)),
        ),
        partner,
    )
    of_children = (
        "SELECT count(*) FROM match JOIN record ON record.pk IN (left_record_pk, right_record_pk) "
        "WHERE match.status = 'pending' AND record.external_id IN ('TR-1', 'TR-2')"
    )
    assert api.rows(of_children)[0][0] >= 2
    no_consent = child_request("TR-1")
    no_consent["consent"]["tracing"] = False
    closed = child_request("TR-2", given_name="يوسف")
    closed["status"] = "closed"
    job = _import(api, rows(("tracing_request", no_consent), ("tracing_request", closed)), partner)
    assert [r["outcome"] for r in job["rows"]] == ["updated", "updated"]
    assert api.rows(of_children)[0][0] == 0
    reasons = [
        str(details)
        for (details,) in api.rows(
            "SELECT details FROM audit_event WHERE action = 'match.withdraw'"
        )
    ]
    assert any("no tracing consent" in reason for reason in reasons)
    assert any("record closed" in reason for reason in reasons)
    assert api.rows("SELECT count(*) FROM record WHERE matched_at IS NULL")[0][0] == 0


def test_an_external_id_twice_in_one_import_is_created_then_updated(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    changed = tracing_request("A")
    changed["subject"]["other_names"] = ["Hamoudi"]
    job = _import(
        api,
        rows(
            ("tracing_request", tracing_request("A")),
            ("enquiry", enquiry("B")),
            ("tracing_request", changed),
        ),
        partner,
    )
    assert [r["outcome"] for r in job["rows"]] == ["created", "created", "updated"]
    assert job["rows"][0]["record_id"] == job["rows"][2]["record_id"]
    assert api.rows("SELECT count(*) FROM record")[0][0] == 2


def _held_job(api: Api, *, owner: str) -> tuple[str, dict[str, str]]:
    """A one-row job claimed by `owner` under a lease that has minutes left to run."""
    headers = api.headers("partner", org="NGO")
    secret = headers["Authorization"].removeprefix("Bearer ")
    with Session(api.engine, expire_on_commit=False) as session:
        principal = find_principal(session, secret=secret)
        assert principal is not None
        job = import_store.create_import_job(
            session,
            actor=RequestContext(principal=principal),
            rows=[{"kind": "enquiry", **enquiry("E-1")}],
        )
        assert job.pk is not None
        assert import_store.claim_import_job(
            session, job_pk=job.pk, owner=owner, lease=timedelta(minutes=2)
        )
    return job.id, headers


def _owner_of_exited_process() -> str:
    """The lease owner a process of this machine would write, once that process has exited."""
    finished = subprocess.run(
        [sys.executable, "-c", "from service.leases import new_lease_owner as o; print(o())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return finished.stdout.strip()


def test_a_job_leased_to_a_dead_process_of_this_machine_is_resumed_at_once(api: Api) -> None:
    owner = _owner_of_exited_process()
    assert holder_is_gone(owner)
    job_id, headers = _held_job(api, owner=owner)
    cipher = api.client.app.state.cipher  # type: ignore[attr-defined]
    assert resume_unfinished_imports(api.engine, cipher) == 1
    report = api.client.get(f"{URL}/{job_id}", headers=headers).json()
    assert report["status"] == "done"
    assert report["counts"]["created"] == 1


def test_a_job_leased_to_a_live_process_or_another_machine_waits_out_its_lease(
    api: Api,
) -> None:
    cipher = api.client.app.state.cipher  # type: ignore[attr-defined]
    alive = new_lease_owner()
    pid, start, _machine, nonce = _owner_of_exited_process().split(".")
    elsewhere = f"{pid}.{start}.000000000000.{nonce}"  # unknowable: it may be running there
    for owner in (alive, elsewhere, "0123456789abcdef"):
        assert not holder_is_gone(owner)
    job_id, headers = _held_job(api, owner=alive)
    assert resume_unfinished_imports(api.engine, cipher) == 0
    assert api.client.get(f"{URL}/{job_id}", headers=headers).json()["status"] == "running"


def test_of_two_workers_taking_over_from_one_dead_holder_only_one_gets_the_job(
    api: Api,
) -> None:
    dead = _owner_of_exited_process()
    _held_job(api, owner=dead)
    with Session(api.engine) as session:
        [(job_pk, owner)] = import_store.leased_import_jobs(session)
        assert owner == dead
        claims = [
            import_store.claim_import_job(
                session, job_pk=job_pk, owner=new, lease=timedelta(minutes=2), takeover_from=dead
            )
            for new in (new_lease_owner(), new_lease_owner())
        ]
    assert claims == [True, False]


def test_a_batch_cut_off_by_the_database_leaves_its_rows_pending_not_failed(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = api.headers("partner", org="NGO")
    cipher = api.client.app.state.cipher  # type: ignore[attr-defined]
    with monkeypatch.context() as patched:

        def unreachable(*_args: Any, **_kwargs: Any) -> None:
            raise sa.exc.OperationalError("INSERT", {}, Exception("server closed the connection"))

        # The route's own background processing meets the outage; the job stays acknowledged.
        patched.setattr(store, "register_new_records", unreachable)
        accepted = api.client.post(URL, json=rows(("enquiry", enquiry("E-1"))), headers=headers)
        assert accepted.status_code == 202
    report = api.client.get(accepted.headers["location"], headers=headers).json()
    assert report["status"] == "running"
    assert report["counts"]["failed"] == 0
    with Session(api.engine) as session:
        session.execute(
            sa.text("UPDATE import_job SET lease_expires_at = :past"),
            {"past": datetime(2000, 1, 1, tzinfo=UTC)},
        )
        session.commit()
    assert resume_unfinished_imports(api.engine, cipher) == 1
    report = api.client.get(accepted.headers["location"], headers=headers).json()
    assert (report["status"], report["counts"]["created"]) == ("done", 1)


def test_a_worker_whose_lease_was_taken_over_can_record_no_more_rows(api: Api) -> None:
    job_id, _headers = _held_job(api, owner="first")
    with Session(api.engine, expire_on_commit=False) as session:
        [(job_pk, _owner)] = import_store.leased_import_jobs(session)
        # Its lease ran out while it was matching; a second worker has the job now.
        assert import_store.claim_import_job(
            session, job_pk=job_pk, owner="second", lease=LEASE, takeover_from="first"
        )
        job = import_store.import_job_by_pk(session, job_pk)
        [row] = import_store.pending_rows(session, job_pk=job_pk, limit=10)
        with pytest.raises(import_store.LeaseLost):
            import_store.record_row_outcome(
                session,
                job=job,
                row=row,
                outcome="created",
                record_id=None,
                reason=None,
                owner="first",
                lease=LEASE,
            )
        session.rollback()
    assert api.rows("SELECT processed FROM import_job WHERE id = :id", id=job_id) == [(0,)]


def test_a_large_import_refreshes_the_databases_view_of_the_tables_it_grew(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from service import imports
    from service.store.bulk import refresh_after_bulk_load

    refreshed: list[Any] = []

    def refresh(engine: Any) -> None:
        refreshed.append(engine)
        refresh_after_bulk_load(engine)

    monkeypatch.setattr(imports, "REFRESH_AFTER_RECORDS", 3)
    monkeypatch.setattr(imports, "refresh_after_bulk_load", refresh)
    partner = api.headers("partner", org="NGO")
    job = _import(
        api, rows(*(("tracing_request", tracing_request(f"R-{n}")) for n in range(4))), partner
    )
    assert job["counts"]["created"] == 4
    assert refreshed == [api.engine]
    if api.engine.dialect.name == "postgresql":
        # Vacuumed and analysed: the planner's statistics and the visibility map are current.
        with api.engine.connect() as connection:
            connection.exec_driver_sql("SELECT pg_stat_clear_snapshot()")
            stats = connection.exec_driver_sql(
                "SELECT relname, last_vacuum IS NOT NULL, last_analyze IS NOT NULL "
                "FROM pg_stat_user_tables WHERE relname IN ('record', 'person', 'record_key')"
            ).all()
        assert sorted(stats) == [(t, True, True) for t in ("person", "record", "record_key")]
    # A smaller import leaves the tables alone.
    refreshed.clear()
    _import(api, rows(("tracing_request", tracing_request("R-9"))), partner)
    assert refreshed == []


@pytest.fixture
def pooled_api(engine: Any, settings: Any) -> Iterator[Api]:
    """The API with two matching processes (`service.matching_pool`)."""
    with served(engine, settings.model_copy(update={"match_processes": 2})) as api:
        yield api
    close_pools()


def _pairs(api: Api) -> list[tuple[Any, ...]]:
    return sorted(
        api.rows(
            "SELECT type, left_record_pk, right_record_pk, left_index, right_index, status "
            "FROM match"
        )
    )


def test_an_import_matched_in_worker_processes_misses_no_pair_and_stores_none_twice(
    pooled_api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small batches and chunks, so that chunks are matched side by side in two processes
    while the next batch is stored: every record ends matched, and the stored pairs are
    exactly those that matching every record again in this thread finds."""
    from service import imports

    monkeypatch.setattr(imports, "BATCH", 4)
    monkeypatch.setattr(imports, "MATCH_BATCH", 2)
    api = pooled_api
    partner = api.headers("partner", org="NGO")
    bodies = [("tracing_request", tracing_request(f"TR-{n}")) for n in range(6)]
    bodies += [("enquiry", enquiry(f"EN-{n}")) for n in range(6)]
    job = _import(api, rows(*bodies), partner)
    assert job["status"] == "done"
    assert job["counts"]["created"] == 12
    assert matching_pool._pools, "the import was matched by the pool"
    assert api.rows("SELECT count(*) FROM record WHERE matched_at IS NULL") == [(0,)]
    stored = _pairs(api)
    # Six copies of a child and six of his mother's enquiry (each seeking him and his
    # sister): every two copies are probable duplicates (two enquiries, twice: one pair per
    # sought child), every child against every enquiry a match.
    assert [p[0] for p in stored].count("duplicate") == 15 + 2 * 15
    assert [p[0] for p in stored].count("match") == 36
    with Session(api.engine, expire_on_commit=False) as session:
        record_pks = [pk for (pk,) in api.rows("SELECT pk FROM record ORDER BY pk")]
        linkage.match_records(session, record_pks, actor=None)
    assert _pairs(api) == stored


def test_a_matching_process_stores_nothing_for_a_job_whose_lease_it_does_not_hold(
    pooled_api: Api,
) -> None:
    api = pooled_api
    partner = api.headers("partner", org="NGO")
    job = _import(
        api, rows(("tracing_request", tracing_request("A")), ("enquiry", enquiry("B"))), partner
    )
    assert len(_pairs(api)) == 1
    with api.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM match"))
        connection.execute(sa.text("UPDATE record SET matched_at = NULL"))
        connection.execute(
            sa.text("UPDATE import_job SET lease_owner = 'holder', lease_expires_at = :until"),
            {"until": datetime.now(UTC) + LEASE},
        )
    [(job_pk,)] = api.rows("SELECT pk FROM import_job WHERE id = :id", id=job["id"])
    record_pks = [pk for (pk,) in api.rows("SELECT pk FROM record")]
    pool = matching_pool.pool_for(api.engine, 2)
    assert pool is not None
    lost = pool.submit(record_pks, actor=None, job_pk=job_pk, owner="another", lease=LEASE)
    with pytest.raises(import_store.LeaseLost):
        lost.result(timeout=120)
    assert _pairs(api) == []
    assert api.rows("SELECT count(*) FROM record WHERE matched_at IS NULL") == [(2,)]
    held = pool.submit(record_pks, actor=None, job_pk=job_pk, owner="holder", lease=LEASE)
    held.result(timeout=120)
    assert len(_pairs(api)) == 1
    assert api.rows("SELECT count(*) FROM record WHERE matched_at IS NULL") == [(0,)]


def test_an_import_whose_matching_processes_die_is_matched_all_the_same(pooled_api: Api) -> None:
    """Matching processes killed (out of memory, say) before an import: it is matched in
    the import's own thread instead, and the next import gets a new pool."""
    api = pooled_api
    partner = api.headers("partner", org="NGO")
    broken = matching_pool.pool_for(api.engine, 2)
    assert broken is not None
    broken.submit([], actor=None, job_pk=0, owner="-", lease=LEASE).result(timeout=120)
    for process in multiprocessing.active_children():
        os.kill(process.pid, signal.SIGKILL)
    job = _import(
        api, rows(("tracing_request", tracing_request("A")), ("enquiry", enquiry("B"))), partner
    )
    assert job["status"] == "done"
    assert len(_pairs(api)) == 1
    assert api.rows("SELECT count(*) FROM record WHERE matched_at IS NULL") == [(0,)]
    assert matching_pool.pool_for(api.engine, 2) is not broken
    job = _import(api, rows(("enquiry", enquiry("C"))), partner)
    assert job["status"] == "done"
    assert api.rows("SELECT count(*) FROM record WHERE matched_at IS NULL") == [(0,)]


def test_matching_processes_yield_the_processor_to_the_server(pooled_api: Api) -> None:
    pool = matching_pool.pool_for(pooled_api.engine, 2)
    assert pool is not None
    server = os.nice(0)
    # A pool process's own niceness (the executor runs any callable; os.nice(0) reads it).
    process = pool._executor.submit(os.nice, 0).result(timeout=120)
    assert process == min(19, server + matching_pool.NICENESS)
