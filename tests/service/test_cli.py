"""The `ftr` command for administrators: organisations, keys, secrets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from service.cli import app
from service.settings import get_settings

runner = CliRunner()


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("FTR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("FTR_DATABASE_URL", raising=False)
    monkeypatch.delenv("FTR_ENV", raising=False)
    monkeypatch.delenv("FTR_ENCRYPTION_KEYS", raising=False)
    # A wide console, so that tables are not wrapped in the captured output.
    monkeypatch.setattr("service.cli.console", Console(width=250))
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def test_a_key_created_on_the_command_line_is_printed_once_as_the_last_line() -> None:
    assert runner.invoke(app, ["orgs", "create", "Tracing Agency"]).exit_code == 0
    result = runner.invoke(
        app,
        [
            "keys",
            "create",
            "--org",
            "Tracing Agency",
            "--role",
            "reviewer",
            "--holder",
            "Reviewer Test",
        ],
    )
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert key.startswith("ftr_")
    assert len(key) > 40
    listed = runner.invoke(app, ["keys", "list"])
    assert "Reviewer Test" in listed.output
    assert key not in listed.output


def test_a_key_for_an_unknown_organisation_is_refused() -> None:
    result = runner.invoke(app, ["keys", "create", "--org", "Nobody", "--role", "officer"])
    assert result.exit_code == 1
    assert "No organisation named" in result.output


def test_an_unknown_role_is_refused() -> None:
    runner.invoke(app, ["orgs", "create", "Agency"])
    result = runner.invoke(app, ["keys", "create", "--org", "Agency", "--role", "superuser"])
    assert result.exit_code == 2


def test_a_duplicate_organisation_name_is_refused() -> None:
    runner.invoke(app, ["orgs", "create", "Agency"])
    result = runner.invoke(app, ["orgs", "create", "Agency"])
    assert result.exit_code == 1
    assert "exists already" in result.output


def test_revoking_a_key_by_id(isolated_data_dir: Path) -> None:
    runner.invoke(app, ["orgs", "create", "Agency"])
    runner.invoke(app, ["keys", "create", "--org", "Agency", "--role", "admin"])
    from sqlmodel import Session, select

    from service.db import create_db_engine
    from service.tables import ApiKey

    engine = create_db_engine(f"sqlite:///{isolated_data_dir / 'ftr.sqlite3'}")
    with Session(engine) as session:
        key_id = session.exec(select(ApiKey.id)).one()
    assert runner.invoke(app, ["keys", "revoke", key_id]).exit_code == 0
    with Session(engine) as session:
        assert session.exec(select(ApiKey.revoked_at)).one() is not None
    assert runner.invoke(app, ["keys", "revoke", "no-such-key"]).exit_code == 1


def test_production_refuses_to_start_without_real_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FTR_ENV", "production")
    monkeypatch.setenv("FTR_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    monkeypatch.setenv("FTR_ENCRYPTION_KEYS", "changeme")
    result = runner.invoke(app, ["orgs", "list"])
    assert result.exit_code == 2
    assert "FTR_ENCRYPTION_KEYS" in result.output


def test_development_generates_and_keeps_its_secret(isolated_data_dir: Path) -> None:
    first = get_settings().encryption_keys
    get_settings.cache_clear()
    assert get_settings().encryption_keys == first
    secrets_file = isolated_data_dir / "dev-secrets.json"
    assert secrets_file.stat().st_mode & 0o077 == 0


def test_secrets_generate_prints_a_usable_key() -> None:
    from cryptography.fernet import Fernet

    result = runner.invoke(app, ["secrets", "generate"])
    Fernet(result.output.strip().encode())


def test_worker_once_finishes_what_is_waiting_and_stops() -> None:
    result = runner.invoke(app, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "Finished 0 jobs and records" in result.output
