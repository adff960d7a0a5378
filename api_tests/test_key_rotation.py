"""Rotating the encryption key: contact details survive, the old key can then be dropped."""

from __future__ import annotations

from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from sqlmodel import Session

from api_tests.conftest import Api, enquiry
from service import store
from service.crypto import ContactCipher
from service.main import create_app
from service.settings import Settings


def test_after_rotation_only_the_new_key_is_needed(api: Api, settings: Settings) -> None:
    partner = api.headers("partner", org="NGO")
    created = api.client.post("/api/v1/enquiries", json=enquiry(), headers=partner).json()
    old_key = settings.encryption_keys[0]
    new_key = Fernet.generate_key().decode()
    with Session(api.engine) as session:
        rotated = store.rotate_encrypted_values(session, cipher=ContactCipher([new_key, old_key]))
    assert rotated == 1
    only_new = settings.model_copy(update={"encryption_keys": [new_key]})
    app = create_app(only_new, engine=api.engine, run_migrations=False, background_worker=False)
    with TestClient(app) as client:
        read = client.get(f"/api/v1/enquiries/{created['id']}", headers=partner)
    assert read.status_code == 200
    assert read.json()["enquirer"]["contact"]["email"] == "fatima.demo@example.org"
    events = api.rows("SELECT details FROM audit_event WHERE action = 'secrets.rotate'")
    assert len(events) == 1
