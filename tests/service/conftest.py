"""An API app in-process for the client and the remote CLI commands (fresh SQLite per test)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service import store
from service.auth import Role
from service.client import FtrClient
from service.db import create_db_engine, migrate
from service.main import create_app
from service.settings import Settings, finalise


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test (migrating per test is slow)."""
    path = tmp_path_factory.mktemp("remote-template") / "template.sqlite3"
    engine = create_db_engine(f"sqlite:///{path}")
    migrate(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@dataclass
class RemoteApi:
    """The app behind a TestClient, and API keys for any role in any organisation."""

    http: TestClient
    engine: Engine

    def key(self, role: Role | str, org: str = "Org A") -> str:
        role = Role(role)
        with Session(self.engine, expire_on_commit=False) as session:
            organisation = store.find_organisation(session, name=org)
            if organisation is None:
                organisation = store.create_organisation(session, name=org)
            issued = store.create_api_key(
                session, organisation=organisation, role=role, holder=f"{role.value} of {org}"
            )
        return issued.secret

    def client(self, role: Role | str, org: str = "Org A", **options: Any) -> FtrClient:
        """An FtrClient over the in-process app; retries never really sleep."""
        options.setdefault("sleep", lambda _seconds: None)
        return FtrClient(api_key=self.key(role, org), http=self.http, **options)


@pytest.fixture
def remote_api(tmp_path: Path, migrated_sqlite: Path) -> Iterator[RemoteApi]:
    path = tmp_path / "ftr.sqlite3"
    shutil.copy(migrated_sqlite, path)
    engine = create_db_engine(f"sqlite:///{path}")
    settings = finalise(
        Settings(data_dir=tmp_path / "data", encryption_keys=[Fernet.generate_key().decode()])
    )
    app = create_app(settings, engine=engine, run_migrations=False, background_worker=False)
    with TestClient(app) as http:
        yield RemoteApi(http=http, engine=engine)
    engine.dispose()


def tracing_request(external_id: str = "TR-1", **overrides: Any) -> dict[str, Any]:
    """A synthetic tracing request (an invented child)."""
    body: dict[str, Any] = {
        "external_id": external_id,
        "consent": {"tracing": True, "share_with_partners": True, "given_by": "child"},
        "subject": {
            "full_name": "Hodan Cabdi Xasan",
            "native_name": "هودن عبدي حسن",
            "sex": "female",
            "age": 9,
            "age_as_of": "2025-03-01",
            "place_of_origin": {"country": "SO", "locality": "Baidoa"},
        },
        "relatives": [
            {"full_name": "Cabdi Xasan", "relationship": "father", "sex": "male"},
            {"full_name": "Faadumo Cali", "relationship": "mother", "sex": "female"},
        ],
        "separation": {"date": "2024-05", "place": {"country": "KE", "locality": "Dadaab"}},
    }
    body.update(overrides)
    return body


def enquiry(external_id: str = "EN-1", **overrides: Any) -> dict[str, Any]:
    """A synthetic enquiry: an invented father looking for his daughter."""
    body: dict[str, Any] = {
        "external_id": external_id,
        "consent": {"tracing": True, "share_with_partners": True, "given_by": "parent"},
        "sought": [
            {
                "full_name": "Hodan Abdi Hassan",
                "sex": "female",
                "age": 9,
                "age_as_of": "2025-02-01",
                "place_of_origin": {"country": "SO"},
            }
        ],
        "enquirer": {"full_name": "Abdi Hassan", "relationship": "father", "sex": "male"},
        "relatives": [{"full_name": "Fadumo Ali", "relationship": "mother", "sex": "female"}],
        "separation": {"date": "2024-05", "place": {"country": "KE", "locality": "Dadaab"}},
    }
    body.update(overrides)
    return body
