"""Settings, read once from the environment (prefix FTR_) and passed down explicitly.

In development (the default) the service generates its own secrets on first start and keeps
them in the data folder, so `ftr serve` works with nothing set. In production it refuses to
start without real secrets: a placeholder key that slipped into a deployment would let anyone
read enquirers' contact details.
"""

from __future__ import annotations

import json
import os
import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from cryptography.fernet import Fernet
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PRODUCTION_RATE_LIMIT = 600
MAX_MATCH_PROCESSES = 8
PLACEHOLDER_SECRETS = frozenset({"", "changeme", "change-me", "secret", "placeholder", "xxx"})


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class SettingsError(RuntimeError):
    """The configuration cannot run the service safely."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FTR_", env_file=None, extra="ignore")

    env: Environment = Environment.DEVELOPMENT
    data_dir: Path = Path("data")
    database_url: str = ""  # empty: an SQLite file in data_dir
    # Fernet keys (urlsafe base64, 32 bytes) for enquirers' contact details; the first
    # encrypts, all decrypt, so a new key can be put in front during a rotation.
    encryption_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_body_bytes: int = 1_048_576
    max_import_bytes: int = 64 * 1_048_576
    max_page_size: int = 1000
    default_page_size: int = 100
    log_level: str = "INFO"
    # Requests per minute per API key; 0 turns the limit off. Unset: none in development,
    # PRODUCTION_RATE_LIMIT in production.
    rate_limit_per_minute: int | None = Field(default=None, ge=0)
    # PFIF exports name records <domain>/<external_id>: your organisation's own domain.
    pfif_domain: str = "ftr-matching.example.org"
    # Run background work (imports, owed matching) inside each server process; turn off when
    # separate `ftr worker` processes do it.
    background_worker: bool = True
    # Processes that match a bulk import's records while its worker stores the next batch;
    # 0 matches in the worker's own thread. None: one per core (none on a single core).
    match_processes: int | None = Field(default=None, ge=0, le=MAX_MATCH_PROCESSES)
    # How many distinct reviewers must confirm a match: 1, or 2 for four-eyes operations.
    confirmations_required: int = Field(default=1, ge=1, le=5)
    # Development only: where `ftr serve --demo` keeps the demo keys it prints.
    dev_keys_file: str = "dev-keys.json"
    # The web interface: how long a sign-in lasts, and whether its cookies are sent only over
    # HTTPS (None: always in production, else only when the request came over HTTPS).
    ui_session_minutes: int = Field(default=480, ge=1, le=7 * 24 * 60)
    ui_secure_cookies: bool | None = None
    # Closed records are erased this many days after closing by `ftr retention run`;
    # None: closed records are kept until someone erases them.
    retention_closed_days: int | None = Field(default=None, ge=1)

    @model_validator(mode="before")
    @classmethod
    def _split_keys(cls, data: object) -> object:
        if isinstance(data, dict):
            raw = data.get("encryption_keys")
            if isinstance(raw, str):
                data["encryption_keys"] = [k.strip() for k in raw.split(",") if k.strip()]
        return data

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'ftr.sqlite3').as_posix()}"

    @property
    def effective_match_processes(self) -> int:
        if self.match_processes is not None:
            return self.match_processes
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
        cores = cores or os.cpu_count() or 1
        return 0 if cores < 2 else min(cores, MAX_MATCH_PROCESSES)

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def effective_rate_limit(self) -> int:
        """Requests per minute per key; 0 means no limit."""
        if self.rate_limit_per_minute is not None:
            return self.rate_limit_per_minute
        return PRODUCTION_RATE_LIMIT if self.is_production else 0


def _load_or_create_dev_secrets(data_dir: Path) -> dict[str, str]:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "dev-secrets.json"
    if path.exists():
        stored: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        return stored
    created = {"encryption_key": Fernet.generate_key().decode("ascii")}
    path.touch(mode=0o600)
    path.write_text(json.dumps(created), encoding="utf-8")
    return created


def finalise(settings: Settings) -> Settings:
    """Fill in development secrets, or refuse production settings that are not safe."""
    keys = [k for k in settings.encryption_keys if k.lower() not in PLACEHOLDER_SECRETS]
    if settings.is_production:
        if not keys or len(keys) != len(settings.encryption_keys):
            raise SettingsError(
                "FTR_ENCRYPTION_KEYS must hold one or more real Fernet keys in production "
                "(generate one with: ftr secrets generate)"
            )
        if not settings.database_url:
            raise SettingsError("FTR_DATABASE_URL must be set in production")
    elif not keys:
        keys = [_load_or_create_dev_secrets(settings.data_dir)["encryption_key"]]
    for key in keys:
        try:
            Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError) as error:
            raise SettingsError(
                "FTR_ENCRYPTION_KEYS holds a value that is not a Fernet key"
            ) from error
    return settings.model_copy(update={"encryption_keys": keys})


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests build their own and pass them to create_app."""
    return finalise(Settings())


def new_api_key() -> str:
    """A fresh API key: a recognisable prefix and 256 bits of randomness."""
    return "ftr_" + secrets.token_urlsafe(32)
