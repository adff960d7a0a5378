"""Model training on the registry: a new active version, pending matches re-scored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from api_tests.conftest import Api
from api_tests.test_matching import child_request, mother_enquiry, unrelated_request
from matching.scoring import DEFAULT_MODEL
from service.store.models import active_model
from service.tables import RegistrySetting
from service.training import TRAINING_SETTING, TrainingRefused, train_if_grown, train_model


def _registry(api: Api) -> str:
    partner = api.headers("partner", org="NGO")
    officer = api.headers("officer", org="Agency")
    api.client.post("/api/v1/enquiries", json=mother_enquiry(), headers=partner)
    for n in range(5):
        api.client.post(
            "/api/v1/tracing-requests", json=unrelated_request(f"U-{n}"), headers=officer
        )
    record = api.client.post("/api/v1/tracing-requests", json=child_request(), headers=officer)
    match_id: str = record.json()["candidates"][0]["id"]
    return match_id


def test_training_activates_a_new_model_and_rescores_pending_matches(api: Api) -> None:
    _registry(api)
    pending = api.rows("SELECT count(*) FROM match WHERE status = 'pending'")[0][0]
    report = train_model(api.engine, pairs=500, sample=100, min_records=1)
    assert report.tracing_requests == 6
    assert report.enquiries == 1
    active = api.rows("SELECT version FROM model_version WHERE active")
    assert [row[0] for row in active] == [report.version]
    # Every pending match was scored again; one that no longer reaches a band is withdrawn,
    # and the audit log says why.
    assert report.rescored + report.withdrawn == pending
    withdrawals = api.rows("SELECT details FROM audit_event WHERE action = 'match.withdraw'")
    assert len(withdrawals) == report.withdrawn
    assert all("retrained model" in str(details) for (details,) in withdrawals)
    with Session(api.engine) as session:
        trained = active_model(session, DEFAULT_MODEL).for_registry(7)  # 7 live records
    assert trained.version != DEFAULT_MODEL.for_registry(7).version
    versions = {row[0] for row in api.rows("SELECT model_version FROM match")}
    assert versions == {trained.version}


def test_a_decided_match_keeps_the_version_it_was_decided_under(api: Api) -> None:
    match_id = _registry(api)
    reviewer = api.headers("reviewer", org="Agency")
    api.client.post(
        f"/api/v1/matches/{match_id}/decisions", json={"decision": "confirm"}, headers=reviewer
    )
    before = api.rows("SELECT model_version FROM match WHERE id = :id", id=match_id)[0][0]
    train_model(api.engine, pairs=500, sample=100, min_records=1)
    after = api.rows("SELECT model_version FROM match WHERE id = :id", id=match_id)[0][0]
    assert after == before


def test_the_service_scores_with_the_trained_model_once_trained(api: Api) -> None:
    _registry(api)
    with Session(api.engine) as session:
        assert active_model(session, DEFAULT_MODEL) is DEFAULT_MODEL
    report = train_model(api.engine, pairs=500, sample=100, min_records=1)
    with Session(api.engine) as session:
        trained = active_model(session, DEFAULT_MODEL)
    assert trained.version == report.version
    assert trained.version != DEFAULT_MODEL.version


def test_a_registry_too_small_to_learn_from_is_refused(api: Api) -> None:
    _registry(api)
    with pytest.raises(TrainingRefused, match="at least 200"):
        train_model(api.engine, pairs=500, sample=100)
    assert api.rows("SELECT count(*) FROM model_version")[0][0] == 0


def test_a_registry_is_trained_once_it_is_large_enough_and_again_when_it_doubles(
    api: Api,
) -> None:
    partner = api.headers("partner", org="NGO")
    assert train_if_grown(api.engine, min_records=2) is None  # nothing registered yet
    _registry(api)  # six tracing requests, one enquiry
    assert train_if_grown(api.engine, min_records=2) is None  # one enquiry is not enough
    api.client.post("/api/v1/enquiries", json=mother_enquiry("EN-2"), headers=partner)
    first = train_if_grown(api.engine, min_records=2)
    assert first is not None
    assert (first.tracing_requests, first.enquiries) == (6, 2)
    assert train_if_grown(api.engine, min_records=2) is None  # not grown since
    for n in range(2):
        api.client.post("/api/v1/enquiries", json=mother_enquiry(f"EN-{3 + n}"), headers=partner)
    # The enquiries doubled, the tracing requests did not: not yet.
    assert train_if_grown(api.engine, min_records=2) is None
    officer = api.headers("officer", org="Agency")
    for n in range(6):
        api.client.post(
            "/api/v1/tracing-requests", json=unrelated_request(f"V-{n}"), headers=officer
        )
    again = train_if_grown(api.engine, min_records=2)
    assert again is not None
    assert (again.tracing_requests, again.enquiries) == (12, 4)
    assert api.rows("SELECT count(*) FROM model_version WHERE active")[0][0] == 1


def test_only_one_worker_trains_at_a_time(api: Api) -> None:
    _registry(api)
    later = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    with Session(api.engine) as session:
        session.add(RegistrySetting(name=TRAINING_SETTING, value=later))
        session.commit()
    assert train_if_grown(api.engine, min_records=1) is None
    assert api.rows("SELECT count(*) FROM model_version")[0][0] == 0
    # The other worker's claim ran out (it died while training): this one takes over.
    earlier = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    with api.engine.begin() as connection:
        connection.execute(sa.text("UPDATE registry_setting SET value = :v"), {"v": earlier})
    assert train_if_grown(api.engine, min_records=1) is not None
    assert api.rows("SELECT value FROM registry_setting WHERE name = :n", n=TRAINING_SETTING) == [
        ("",)
    ]


def test_the_background_worker_trains_a_registry_that_outgrew_its_model(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from service import training
    from service.crypto import ContactCipher
    from service.worker import run_once

    monkeypatch.setattr(training, "MIN_RECORDS", 1)
    _registry(api)
    cipher = ContactCipher(api.client.app.state.settings.encryption_keys)  # type: ignore[attr-defined]
    run_once(api.engine, cipher, check_training=False)
    assert api.rows("SELECT count(*) FROM model_version")[0][0] == 0
    run_once(api.engine, cipher)
    assert api.rows("SELECT count(*) FROM model_version WHERE active")[0][0] == 1
