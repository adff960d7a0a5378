"""Per-key rate limits: 429 with Retry-After, one key never slows another."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from api_tests.conftest import Api, served
from service.settings import Environment, Settings


@pytest.fixture
def limited(engine: Engine, settings: Settings) -> Iterator[Api]:
    with served(engine, settings.model_copy(update={"rate_limit_per_minute": 3})) as api:
        yield api


def test_a_key_over_its_limit_gets_429_with_retry_after(limited: Api) -> None:
    officer = limited.headers("officer")
    statuses = [
        limited.client.get("/api/v1/tracing-requests", headers=officer).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    refused = limited.client.get("/api/v1/tracing-requests", headers=officer)
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.headers["content-type"] == "application/problem+json"
    other = limited.headers("officer", org="Org B")
    assert limited.client.get("/api/v1/tracing-requests", headers=other).status_code == 200


def test_production_limits_by_default_and_development_does_not(settings: Settings) -> None:
    assert settings.effective_rate_limit == 0
    production = settings.model_copy(update={"env": Environment.PRODUCTION})
    assert production.effective_rate_limit > 0
    switched_off = production.model_copy(update={"rate_limit_per_minute": 0})
    assert switched_off.effective_rate_limit == 0
