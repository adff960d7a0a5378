"""Background work: matching left owed by a crash is finished; queue depth is measured."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from api_tests.conftest import Api
from api_tests.test_matching import child_request, mother_enquiry
from service import schemas, store
from service.worker import match_owed_records, owed_records, run_once


def _store_without_matching(api: Api) -> str:
    """As if the process died right after storing: the record is there, its matching owed."""
    headers = api.headers("officer", org="Agency")
    secret = headers["Authorization"].removeprefix("Bearer ")
    cipher = api.client.app.state.cipher  # type: ignore[attr-defined]
    with Session(api.engine, expire_on_commit=False) as session:
        principal = store.find_principal(session, secret=secret)
        assert principal is not None
        registration = store.register_record(
            session,
            actor=store.RequestContext(principal=principal),
            body=schemas.TracingRequestIn.model_validate(child_request()),
            cipher=cipher,
        )
    # Not `registration.record.id`: that view is built lazily, and a closed session would
    # open a transaction nothing ends (on PostgreSQL it holds locks past the test).
    return registration.record_id


def test_a_record_whose_matching_was_interrupted_is_matched_by_the_worker(api: Api) -> None:
    api.client.post("/api/v1/enquiries", json=mother_enquiry(), headers=api.headers("partner"))
    record_id = _store_without_matching(api)
    assert api.rows("SELECT count(*) FROM match")[0][0] == 0
    assert match_owed_records(api.engine, grace=timedelta(0)) == 1
    assert api.rows("SELECT count(*) FROM match")[0][0] == 1
    matched_at = api.rows("SELECT matched_at FROM record WHERE id = :id", id=record_id)[0][0]
    assert matched_at is not None
    assert match_owed_records(api.engine, grace=timedelta(0)) == 0


def test_a_record_being_matched_by_its_own_request_is_left_alone(api: Api) -> None:
    _store_without_matching(api)
    with Session(api.engine) as session:
        assert owed_records(session, limit=10) == []  # inside the grace period
        assert len(owed_records(session, limit=10, grace=timedelta(0))) == 1


def test_the_worker_matches_twice_without_storing_a_pair_twice(api: Api) -> None:
    api.client.post("/api/v1/enquiries", json=mother_enquiry(), headers=api.headers("partner"))
    _store_without_matching(api)
    cipher = api.client.app.state.cipher  # type: ignore[attr-defined]
    run_once(api.engine, cipher, grace=timedelta(0))
    with api.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE record SET matched_at = NULL")
    run_once(api.engine, cipher, grace=timedelta(0))
    assert api.rows("SELECT count(*) FROM match")[0][0] == 1


def test_metrics_report_queue_depth_and_matching_time(api: Api) -> None:
    _store_without_matching(api)
    api.client.post("/api/v1/enquiries", json=mother_enquiry(), headers=api.headers("partner"))
    metrics = api.client.get("/metrics").text
    assert 'ftr_queue_depth{kind="unmatched_records"} 1.0' in metrics
    assert "ftr_matching_seconds_count" in metrics
