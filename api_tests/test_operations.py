"""Liveness, readiness, metrics, request ids and the OpenAPI document."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api_tests.conftest import Api, tracing_request
from service.db import create_db_engine
from service.main import create_app
from service.settings import Settings


def test_healthz_and_readyz_answer_without_a_key(api: Api) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}
    assert api.client.get("/readyz").status_code == 200


def test_readyz_is_503_with_retry_after_when_the_database_is_unreachable(
    settings: Settings,
) -> None:
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    engine = create_db_engine("postgresql://nobody@127.0.0.1:1/none")
    with TestClient(create_app(settings, engine=engine, run_migrations=False)) as client:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.headers["retry-after"]
        records = client.get(
            "/api/v1/tracing-requests", headers={"Authorization": "Bearer ftr_anything"}
        )
        assert records.status_code == 503
        assert records.headers["retry-after"]
        assert records.headers["content-type"] == "application/problem+json"


def test_metrics_count_requests_by_route_template_not_by_id(api: Api) -> None:
    officer = api.headers("officer")
    record = api.client.post(
        "/api/v1/tracing-requests", json=tracing_request(), headers=officer
    ).json()
    api.client.get(f"/api/v1/tracing-requests/{record['id']}", headers=officer)
    metrics = api.client.get("/metrics").text
    assert 'route="/api/v1/tracing-requests/{id}"' in metrics
    assert record["id"] not in metrics


def test_every_response_carries_a_request_id_and_echoes_a_safe_one(api: Api) -> None:
    generated = api.client.get("/healthz")
    assert len(generated.headers["x-request-id"]) == 32
    echoed = api.client.get("/healthz", headers={"X-Request-ID": "partner-req-42"})
    assert echoed.headers["x-request-id"] == "partner-req-42"
    unsafe = api.client.get("/healthz", headers={"X-Request-ID": "x" * 500})
    assert unsafe.headers["x-request-id"] != "x" * 500


def test_openapi_document_lists_the_contract_paths(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/tracing-requests",
        "/api/v1/tracing-requests/{id}",
        "/api/v1/enquiries",
        "/api/v1/enquiries/{id}",
        "/api/v1/audit",
        "/healthz",
        "/readyz",
    ):
        assert path in paths
    assert api.client.get("/docs").status_code == 200
