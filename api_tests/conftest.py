"""Black-box API tests: each test gets a fresh database on SQLite and, when
FTR_TEST_POSTGRES_URL is set (as `.ci/run` does), on PostgreSQL too."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api_tests.pg import postgres_url
from service import store
from service.auth import Role
from service.db import create_db_engine, migrate
from service.main import create_app
from service.settings import Settings, finalise
from service.store.matches import forget_caches
from service.store.models import forget_active_model

ENCRYPTION_KEY = Fernet.generate_key().decode()
TABLES = (
    "model_version",
    "registry_setting",
    "webhook_delivery",
    "webhook_endpoint",
    "match_decision",
    "import_row",
    "import_job",
    "match",
    "record_key",
    "person",
    "record",
    "ui_session",
    "api_key",
    "organisation",
    "audit_event",
)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test (migrating per test is slow)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = create_db_engine(f"sqlite:///{path}")
    migrate(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    url = postgres_url("api")
    if url is None:
        pytest.skip("PostgreSQL tests need FTR_TEST_POSTGRES_URL (set by .ci/run)")
    engine = create_db_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[Engine]:
    if request.param == "sqlite":
        path = tmp_path / "ftr.sqlite3"
        shutil.copy(sqlite_template, path)
        sqlite_engine = create_db_engine(f"sqlite:///{path}")
        yield sqlite_engine
        sqlite_engine.dispose()
        return
    postgres: Engine = request.getfixturevalue("postgres_engine")
    with postgres.begin() as connection:
        # TRUNCATE fires no row triggers, so the append-only audit log can be emptied here.
        connection.exec_driver_sql(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    # The engine outlives each test's data: what the process remembers of it must go too.
    forget_caches(postgres)
    forget_active_model(postgres)
    yield postgres


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # Imports are matched in the test's own thread; test_imports starts matching processes.
    return finalise(
        Settings(data_dir=tmp_path / "data", encryption_keys=[ENCRYPTION_KEY], match_processes=0)
    )


@dataclass
class Api:
    """A test client plus the means to issue keys for any role in any organisation."""

    client: TestClient
    engine: Engine
    _organisations: dict[str, Any] = field(default_factory=dict)

    def headers(
        self, role: Role | str, org: str = "Org A", holder: str | None = None
    ) -> dict[str, str]:
        role = Role(role)
        with Session(self.engine, expire_on_commit=False) as session:
            organisation = store.find_organisation(session, name=org)
            if organisation is None:
                organisation = store.create_organisation(session, name=org)
            issued = store.create_api_key(
                session,
                organisation=organisation,
                role=role,
                holder=holder or f"{role.value} of {org}",
            )
        return {"Authorization": f"Bearer {issued.secret}"}

    def organisation_id(self, org: str) -> str:
        with Session(self.engine) as session:
            organisation = store.find_organisation(session, name=org)
            assert organisation is not None
            return organisation.id

    def rows(self, sql: str, **params: Any) -> list[Any]:
        with self.engine.connect() as connection:
            return list(connection.execute(sa.text(sql), params).all())


@contextmanager
def served(
    engine: Engine, settings: Settings, *, base_url: str = "http://testserver"
) -> Iterator[Api]:
    """The app on this database with these settings, behind a test client; no background
    worker (tests run background work themselves, when they mean to)."""
    app = create_app(settings, engine=engine, run_migrations=False, background_worker=False)
    with TestClient(app, base_url=base_url) as client:
        yield Api(client=client, engine=engine)


@pytest.fixture
def api(engine: Engine, settings: Settings) -> Iterator[Api]:
    with served(engine, settings) as api:
        yield api


# -- the web interface --------------------------------------------------------------------

CSRF_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def ui_key(api: Api, role: str, org: str = "Agency", holder: str | None = None) -> str:
    """A fresh API key of the role in the organisation, as typed on the sign-in page."""
    return api.headers(role, org, holder)["Authorization"].removeprefix("Bearer ")


def csrf_token(page: str) -> str:
    found = CSRF_TOKEN.search(page)
    assert found, "the page has no CSRF token"
    return found.group(1)


def ui_sign_in(client: TestClient, key: str) -> Any:
    form = client.get("/ui/")
    return client.post(
        "/ui/", data={"api_key": key, "csrf_token": csrf_token(form.text)}, follow_redirects=False
    )


def ui_browser(api: Api, role: str, org: str = "Agency", **kwargs: Any) -> TestClient:
    """A new client (its own cookie jar) signed in with a fresh key of the role."""
    client = TestClient(api.client.app, **kwargs)
    assert ui_sign_in(client, ui_key(api, role, org)).status_code == 303
    return client


def tracing_request(external_id: str = "TR-1", **overrides: Any) -> dict[str, Any]:
    """A synthetic tracing request body (all people invented)."""
    body: dict[str, Any] = {
        "external_id": external_id,
        "consent": {
            "tracing": True,
            "share_with_partners": False,
            "given_by": "child",
            "date": "2025-03-01",
        },
        "subject": {
            "full_name": "محمد عبدالله حسن",
            "given_name": "محمد",
            "sex": "male",
            "date_of_birth": "2014",
            "age": "10-11",
            "age_as_of": "2025-03-01",
            "place_of_origin": {"country": "SY", "locality": "حلب"},
            "languages": ["ara"],
        },
        "relatives": [{"full_name": "فاطمة علي", "relationship": "mother", "sex": "female"}],
        "separation": {
            "date": "2024-11",
            "place": {"country": "TR", "locality": "Gaziantep"},
            "circumstances": "Separated at a border crossing.",
        },
    }
    body.update(overrides)
    return body


def enquiry(external_id: str = "EN-1", **overrides: Any) -> dict[str, Any]:
    """A synthetic enquiry body: a mother looking for two children."""
    body: dict[str, Any] = {
        "external_id": external_id,
        "consent": {"tracing": True, "share_with_partners": True, "given_by": "parent"},
        "sought": [
            {
                "full_name": "Mohamed Abdalla Hassan",
                "sex": "male",
                "age": 10,
                "age_as_of": "2025-01-15",
            },
            {"full_name": "Amina Abdalla Hassan", "sex": "female", "date_of_birth": "2016-05"},
        ],
        "enquirer": {
            "full_name": "Fatima Ali",
            "relationship": "mother",
            "sex": "female",
            "contact": {"phone": "+000 555 0101", "email": "fatima.demo@example.org"},
        },
        "relatives": [{"full_name": "Abdalla Hassan", "relationship": "father"}],
    }
    body.update(overrides)
    return body
