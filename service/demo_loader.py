"""Loads the synthetic demo records into a development database and keeps its dev keys.

Development only: the plain keys are written to a file in the data folder (mode 0600) so that
`make run` prints the same keys on every start. Production keys are never stored this way.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from service import linkage, schemas, store
from service.auth import Role
from service.crypto import ContactCipher
from service.demo import demo_records
from service.settings import Settings

AGENCY = "Tracing Agency North"
_SCHEMAS: dict[str, type[schemas.TracingRequestIn] | type[schemas.EnquiryIn]] = {
    "tracing_request": schemas.TracingRequestIn,
    "enquiry": schemas.EnquiryIn,
}


def _stored_keys(path: Path, session: Session) -> dict[str, dict[str, str]] | None:
    if not path.exists():
        return None
    try:
        keys: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if all(store.find_principal(session, secret=k.get("key", "")) for k in keys.values()):
        return keys
    return None


def load_demo(*, engine: Engine, settings: Settings) -> dict[str, dict[str, str]]:
    """Load the demo records once; return one development key per role."""
    path = settings.data_dir / settings.dev_keys_file
    cipher = ContactCipher(settings.encryption_keys)
    with Session(engine, expire_on_commit=False) as session:
        existing = _stored_keys(path, session)
        if existing is not None:
            return existing
        records = demo_records()
        organisations = {AGENCY} | {r.organisation for r in records}
        writers: dict[str, store.RequestContext] = {}
        printed: dict[str, dict[str, str]] = {}
        for name in sorted(organisations):
            organisation = store.find_organisation(session, name=name)
            if organisation is None:
                organisation = store.create_organisation(session, name=name)
            role = Role.OFFICER if name == AGENCY else Role.PARTNER
            holder = f"Demo {role.value}"
            issued = store.create_api_key(
                session, organisation=organisation, role=role, holder=holder
            )
            principal = store.find_principal(session, secret=issued.secret)
            assert principal is not None
            writers[name] = store.RequestContext(principal=principal, request_id="demo-load")
            printed.setdefault(
                role.value, {"holder": holder, "organisation": name, "key": issued.secret}
            )
        agency = store.find_organisation(session, name=AGENCY)
        assert agency is not None
        for role in (Role.REVIEWER, Role.ADMIN):
            holder = f"Demo {role.value}"
            issued = store.create_api_key(session, organisation=agency, role=role, holder=holder)
            printed[role.value] = {"holder": holder, "organisation": AGENCY, "key": issued.secret}
        for record in records:
            schema = _SCHEMAS[record.kind]
            body = schema.model_validate(record.body)
            actor = writers[record.organisation]
            registration = store.register_record(session, actor=actor, body=body, cipher=cipher)
            if registration.needs_matching:
                linkage.match_record(session, record_pk=registration.record_pk, actor=actor)
    ordered: dict[str, dict[str, str]] = {
        role.value: printed[role.value] for role in Role if role.value in printed
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(ordered, handle, indent=2)
    return ordered
