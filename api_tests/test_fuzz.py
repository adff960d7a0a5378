"""Schemathesis against the service's own OpenAPI document: whatever it sends, no 5xx, and
no response that breaks its own schema. Bounded examples per operation, to stay quick."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from cryptography.fernet import Fernet
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlmodel import Session

from service import store
from service.auth import Role
from service.db import create_db_engine, migrate
from service.main import create_app
from service.settings import Settings, finalise

EXAMPLES_PER_OPERATION = 15


def _fuzzed_service() -> dict[str, Any]:
    """An app on its own SQLite file, with a key per role in one organisation.

    Built when the module is collected, because Schemathesis needs the schema then.
    """
    folder = Path(tempfile.mkdtemp(prefix="ftr-fuzz-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    engine = create_db_engine(f"sqlite:///{folder / 'fuzz.sqlite3'}")
    migrate(engine)
    app = create_app(
        finalise(Settings(data_dir=folder, encryption_keys=[Fernet.generate_key().decode()])),
        engine=engine,
        run_migrations=False,
        background_worker=False,
    )
    keys: dict[str, str] = {}
    with Session(engine, expire_on_commit=False) as session:
        organisation = store.create_organisation(session, name="Fuzz Org")
        for role in Role:
            keys[role.value] = store.create_api_key(
                session, organisation=organisation, role=role, holder=f"fuzz {role.value}"
            ).secret
    return {"app": app, "keys": keys}


SERVICE = _fuzzed_service()
schema = schemathesis.openapi.from_asgi("/openapi.json", SERVICE["app"])


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def _call(case: Any, role: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {SERVICE['keys'][role]}"},
        checks=[not_a_server_error, response_schema_conformance],
    )


@schema.parametrize()
@FUZZ_SETTINGS
def test_as_an_officer_no_input_gives_a_5xx_or_breaks_the_schema(case: Any) -> None:
    _call(case, "officer")


@schema.parametrize()
@FUZZ_SETTINGS
def test_as_a_reviewer_no_input_gives_a_5xx_or_breaks_the_schema(case: Any) -> None:
    _call(case, "reviewer")


@schema.parametrize()
@FUZZ_SETTINGS
def test_as_an_admin_no_input_gives_a_5xx_or_breaks_the_schema(case: Any) -> None:
    _call(case, "admin")
