"""Tracing requests and enquiries: registration, reads, replacement, erasure, lists."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from matching.records import RecordKind
from service import schemas
from service.auth import Role
from service.crypto import ContactCipher
from service.problems import Conflict, NotFound, Problem
from service.store.bulk import insert_rows, insert_rows_returning_pks
from service.store.common import (
    RequestContext,
    audit,
    audit_many,
    audit_now,
    decode_cursor,
    encode_cursor,
    new_id,
)
from service.store.core import core_record
from service.store.decisions import forget_decision_reasons
from service.store.matches import (
    index_record,
    may_be_candidate,
    remove_record_keys,
    search_keys,
    withdraw_pending_matches,
)
from service.tables import Organisation, PersonRow, Record, RecordKey, utcnow

RecordBody = schemas.TracingRequestIn | schemas.EnquiryIn
RecordOut = schemas.TracingRequestOut | schemas.EnquiryOut
# -- records ------------------------------------------------------------------------------

KIND_OF_BODY: dict[type[RecordBody], RecordKind] = {
    schemas.TracingRequestIn: RecordKind.TRACING_REQUEST,
    schemas.EnquiryIn: RecordKind.ENQUIRY,
}


def body_hash(body: RecordBody) -> str:
    """A fingerprint of what was submitted, independent of key order and omitted defaults."""
    canonical = json.dumps(
        body.model_dump(mode="json", exclude_none=True),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _people_of(body: RecordBody) -> Iterable[tuple[str, schemas.Person]]:
    if isinstance(body, schemas.TracingRequestIn):
        yield "subject", body.subject
    else:
        for person in body.sought:
            yield "sought", person
        if body.enquirer is not None:
            yield "enquirer", body.enquirer
    for relative in body.relatives:
        yield "relative", relative


def _people_values(body: RecordBody, cipher: ContactCipher) -> list[dict[str, Any]]:
    """The person rows of a record body (without `record_pk`), contact details encrypted."""
    values: list[dict[str, Any]] = []
    positions: dict[str, int] = {}
    for role, person in _people_of(body):
        position = positions.get(role, 0)
        positions[role] = position + 1
        contact = getattr(person, "contact", None)
        ciphertext = None
        if contact is not None:
            contact_values = contact.model_dump(mode="json", exclude_none=True)
            ciphertext = cipher.encrypt(contact_values) if contact_values else None
        values.append(
            {
                "role": role,
                "position": position,
                "full_name": person.full_name,
                "details": person.model_dump(mode="json", exclude_none=True, exclude={"contact"}),
                "contact_ciphertext": ciphertext,
            }
        )
    return values


def _write_people(
    session: Session, *, record: Record, body: RecordBody, cipher: ContactCipher, new: bool
) -> None:
    """Write the record's people and, in the same transaction, its search keys."""
    assert record.pk is not None
    rows = [PersonRow(record_pk=record.pk, **v) for v in _people_values(body, cipher)]
    session.add_all(rows)
    index_record(session, record=record, people=rows, new=new)


def _record_values(
    body: RecordBody, *, actor: RequestContext, fingerprint: str, now: datetime
) -> dict[str, Any]:
    """The columns of a new record from its body (see `_apply_body` for a changed one)."""
    return {
        "id": new_id(),
        "kind": KIND_OF_BODY[type(body)].value,
        "organisation_pk": actor.principal.organisation_pk,
        "external_id": body.external_id,
        "status": body.status or "open",
        "closed_at": now if body.status == "closed" else None,
        "consent_tracing": body.consent.tracing,
        "consent_share_with_partners": body.consent.share_with_partners,
        "consent_given_by": body.consent.given_by.value if body.consent.given_by else None,
        "consent_date": body.consent.date,
        "separation": (
            body.separation.model_dump(mode="json", exclude_none=True) if body.separation else None
        ),
        "body_hash": fingerprint,
        "created_by_key_pk": actor.principal.key_pk,
        "created_at": now,
        "updated_at": now,
    }


@dataclass(frozen=True, slots=True)
class NewRecord:
    """A record stored by `register_new_records`."""

    pk: int
    id: str
    needs_matching: bool


def register_new_records(
    session: Session, *, actor: RequestContext, bodies: Sequence[RecordBody], cipher: ContactCipher
) -> list[NewRecord]:
    """Store records new to the organisation in a few multi-row inserts, in order.

    What a bulk import does with the rows whose external_ids its organisation has not used
    (and that appear once in the batch): the records, their people, their search keys and
    their audit events each go to the database in one statement, instead of an ORM object
    and a round trip per row. A record that may never be a candidate (no tracing consent,
    or closed) is stored as matched: new, it has no match to withdraw and may find none.
    Commits nothing; a clash with a concurrent submission of the same external_id raises
    IntegrityError for the caller to retry row by row.
    """
    if not bodies:
        return []
    now = utcnow()
    records = [
        _record_values(body, actor=actor, fingerprint=body_hash(body), now=now) for body in bodies
    ]
    for values in records:
        candidate = may_be_candidate(values["consent_tracing"], values["status"])
        values["matched_at"] = None if candidate else now
    pks = insert_rows_returning_pks(session, Record, records)
    people: list[dict[str, Any]] = []
    keys: list[dict[str, Any]] = []
    for pk, values, body in zip(pks, records, bodies, strict=True):
        own = _people_values(body, cipher)
        people.extend({"record_pk": pk, **person} for person in own)
        core = core_record(
            record_id=values["id"],
            kind=values["kind"],
            created_at=now,
            separation=values["separation"],
            people=((p["role"], p["position"], p["details"]) for p in own),
        )
        keys.extend(
            {"record_pk": pk, "kind": values["kind"], "key": key} for key in search_keys(core)
        )
    insert_rows(session, PersonRow, people)
    # In the order of the key index: each of its pages is visited once, in turn, instead of
    # the whole index being touched at random once per record.
    keys.sort(key=itemgetter("key", "kind", "record_pk"))
    insert_rows(session, RecordKey, keys)
    audit_many(
        session,
        actor=actor,
        action="record.create",
        targets=[(values["kind"], values["id"]) for values in records],
    )
    return [
        NewRecord(pk=pk, id=values["id"], needs_matching=values["matched_at"] is None)
        for pk, values in zip(pks, records, strict=True)
    ]


def new_external_ids(
    session: Session, *, organisation_pk: int, external_ids: Collection[str]
) -> set[str]:
    """Which of these external_ids the organisation has never used (erased records included)."""
    used = session.execute(
        sa.select(col(Record.external_id)).where(
            col(Record.organisation_pk) == organisation_pk,
            col(Record.external_id).in_(list(external_ids)),
        )
    ).all()
    return set(external_ids) - {str(e) for (e,) in used}


def _apply_body(record: Record, body: RecordBody, fingerprint: str) -> None:
    record.consent_tracing = body.consent.tracing
    record.consent_share_with_partners = body.consent.share_with_partners
    record.consent_given_by = body.consent.given_by.value if body.consent.given_by else None
    record.consent_date = body.consent.date
    record.separation = (
        body.separation.model_dump(mode="json", exclude_none=True) if body.separation else None
    )
    record.body_hash = fingerprint


def _stamp_closing(record: Record, now: datetime) -> None:
    """Note when a record was closed; a later change while closed keeps the first moment,
    so that editing a closed record does not postpone its retention."""
    if record.status != "closed":
        record.closed_at = None
    elif record.closed_at is None:
        record.closed_at = now


class Registration:
    """A stored record: its ids, whether it is new, whether it is owed matching.

    The API view of the record (`record`) is built only when asked for: a bulk import needs
    the ids, not the full document, and building it costs as much as storing the row. Ask
    for it while the session is open: a closed session would open a transaction that
    nothing ends.
    """

    def __init__(
        self, session: Session, row: Record, cipher: ContactCipher, *, created: bool
    ) -> None:
        assert row.pk is not None
        self.record_pk: int = row.pk
        self.record_id: str = row.id
        self.created = created
        # True when this version of the record has not been matched yet: a new or changed
        # record, or a retry of one whose matching was interrupted.
        self.needs_matching: bool = row.matched_at is None
        self._session = session
        self._row = row
        self._cipher = cipher

    @cached_property
    def record(self) -> RecordOut:
        return _record_out(self._session, self._row, self._cipher)


def _by_external_id(session: Session, organisation_pk: int, external_id: str) -> Record | None:
    return session.exec(
        select(Record).where(
            Record.organisation_pk == organisation_pk, Record.external_id == external_id
        )
    ).first()


def register_record(
    session: Session,
    *,
    actor: RequestContext,
    body: RecordBody,
    cipher: ContactCipher,
    commit: bool = True,
    known_new: bool = False,
) -> Registration:
    """Store a new record, or recognise a retry of one already stored.

    `commit=False` leaves the transaction open for a caller storing a batch in one
    transaction; a clash with a concurrent submission then raises IntegrityError for the
    caller to retry row by row, instead of being resolved here. `known_new` says the caller
    has just looked the external_id up in this transaction and found nothing.
    """
    kind = KIND_OF_BODY[type(body)]
    principal = actor.principal
    fingerprint = body_hash(body)
    existing = (
        None if known_new else _by_external_id(session, principal.organisation_pk, body.external_id)
    )
    if existing is not None:
        return _registration_retry(
            session,
            actor=actor,
            existing=existing,
            kind=kind,
            fingerprint=fingerprint,
            cipher=cipher,
            commit=commit,
        )
    record = Record(**_record_values(body, actor=actor, fingerprint=fingerprint, now=utcnow()))
    session.add(record)
    try:
        session.flush()
    except sa.exc.IntegrityError:
        if not commit:
            raise
        # Two identical submissions raced; the other one won. Answer as for a retry.
        session.rollback()
        winner = _by_external_id(session, principal.organisation_pk, body.external_id)
        assert winner is not None
        return _registration_retry(
            session, actor=actor, existing=winner, kind=kind, fingerprint=fingerprint, cipher=cipher
        )
    _write_people(session, record=record, body=body, cipher=cipher, new=True)
    audit(session, actor=actor, action="record.create", target=(kind.value, record.id))
    if commit:
        session.commit()
    return Registration(session, record, cipher, created=True)


def _registration_retry(
    session: Session,
    *,
    actor: RequestContext,
    existing: Record,
    kind: RecordKind,
    fingerprint: str,
    cipher: ContactCipher,
    commit: bool = True,
) -> Registration:
    if existing.erased_at is not None:
        raise Conflict(
            "A record with this external_id was erased; a retry must not bring it back. "
            "Register it under a new external_id if it is really needed again.",
            external_id=existing.external_id,
        )
    if existing.kind != kind.value or existing.body_hash != fingerprint:
        raise Conflict(
            f"external_id {existing.external_id!r} is already used by another "
            f"{existing.kind.replace('_', ' ')} in your organisation with different content; "
            "use PUT on it to change it, or a new external_id.",
            external_id=existing.external_id,
            existing_id=existing.id,
        )
    audit(session, actor=actor, action="record.create_retry", target=(kind.value, existing.id))
    if commit:
        session.commit()
    return Registration(session, existing, cipher, created=False)


def visible_record(
    session: Session, *, actor: RequestContext, kind: RecordKind, record_id: str
) -> Record:
    """The record if this key may see it; 404 alike for absent and for someone else's."""
    record = session.exec(select(Record).where(Record.id == record_id)).first()
    principal = actor.principal
    visible = (
        record is not None
        and record.kind == kind.value
        and (
            principal.sees_all_organisations or record.organisation_pk == principal.organisation_pk
        )
    )
    if record is None or not visible:
        audit_now(
            session,
            actor=actor,
            action="record.access",
            outcome="not_found",
            target=(kind.value, record_id),
        )
        raise NotFound(kind.value.replace("_", " "))
    return record


def refuse_erased(record: Record) -> None:
    if record.erased_at is not None:
        raise Problem(
            410,
            "Gone",
            f"This record was erased on {record.erased_at.date().isoformat()}; "
            "its personal data no longer exists.",
        )


def read_record(
    session: Session,
    *,
    actor: RequestContext,
    kind: RecordKind,
    record_id: str,
    cipher: ContactCipher,
) -> RecordOut:
    record = visible_record(session, actor=actor, kind=kind, record_id=record_id)
    refuse_erased(record)
    audit(session, actor=actor, action="record.read", target=(kind.value, record.id))
    session.commit()
    return _record_out(session, record, cipher)


def replace_record(
    session: Session,
    *,
    actor: RequestContext,
    record_id: str,
    body: RecordBody,
    cipher: ContactCipher,
    commit: bool = True,
) -> Registration:
    """Replace a record's content; a changed record is owed matching again."""
    kind = KIND_OF_BODY[type(body)]
    record = visible_record(session, actor=actor, kind=kind, record_id=record_id)
    if record.organisation_pk != actor.principal.organisation_pk:
        raise NotFound(kind.value.replace("_", " "))
    refuse_erased(record)
    if body.external_id != record.external_id:
        clash = _by_external_id(session, record.organisation_pk, body.external_id)
        if clash is not None:
            raise Conflict(
                f"external_id {body.external_id!r} is already used by another record.",
                external_id=body.external_id,
            )
        record.external_id = body.external_id
    fingerprint = body_hash(body)
    if fingerprint != record.body_hash:
        _apply_body(record, body, fingerprint)
        if body.status is not None and record.status != "matched":
            record.status = body.status
        elif body.status == "closed":
            record.status = "closed"
        record.updated_at = utcnow()
        _stamp_closing(record, record.updated_at)
        record.matched_at = None
        session.execute(sa.delete(PersonRow).where(col(PersonRow.record_pk) == record.pk))
        session.add(record)
        session.flush()
        _write_people(session, record=record, body=body, cipher=cipher, new=False)
        audit(session, actor=actor, action="record.update", target=(kind.value, record.id))
    else:
        audit(
            session, actor=actor, action="record.update_unchanged", target=(kind.value, record.id)
        )
    if commit:
        session.commit()
    return Registration(session, record, cipher, created=False)


def erase_record(
    session: Session, *, actor: RequestContext, kind: RecordKind, record_id: str
) -> None:
    """Erase a record on a caller's request: an administrator any, others their own.

    Someone else's record answers 404 like a missing one; erasing an erased record again
    succeeds (a retried DELETE whose first answer was lost).
    """
    principal = actor.principal
    record = session.exec(select(Record).where(Record.id == record_id)).first()
    may_erase = (
        record is not None
        and record.kind == kind.value
        and (principal.role is Role.ADMIN or record.organisation_pk == principal.organisation_pk)
    )
    if record is None or not may_erase:
        audit_now(
            session,
            actor=actor,
            action="record.erase",
            outcome="not_found",
            target=(kind.value, record_id),
        )
        raise NotFound(kind.value.replace("_", " "))
    if record.erased_at is None:
        remove_personal_data(session, record=record, actor=actor)
    else:
        audit(
            session,
            actor=actor,
            action="record.erase",
            outcome="already_erased",
            target=(kind.value, record.id),
        )
    session.commit()
    checkpoint_erasure(session)


def remove_personal_data(
    session: Session,
    *,
    record: Record,
    actor: RequestContext | None,
    details: dict[str, Any] | None = None,
) -> None:
    """Remove every piece of personal data of a live record, keeping a tombstone; audited.

    The tombstone keeps the id, kind, owner, external_id and timestamps, so that the audit
    trail still points somewhere and a partner's retry of the original submission cannot
    silently bring the record back. People, search keys, pending matches and the free-text
    reasons of decisions on its matches go. The caller commits, then calls
    `checkpoint_erasure`. `actor` None is the command line (retention); `details` say why,
    without personal data.
    """
    assert record.pk is not None
    assert record.erased_at is None
    remove_record_keys(session, record_pk=record.pk)
    withdraw_pending_matches(session, record_pk=record.pk, actor=actor, reason="record erased")
    session.execute(sa.delete(PersonRow).where(col(PersonRow.record_pk) == record.pk))
    forget_decision_reasons(session, record_pk=record.pk)
    record.separation = None
    record.body_hash = None
    record.consent_tracing = False
    record.consent_share_with_partners = False
    record.status = "closed"
    record.erased_at = utcnow()
    record.updated_at = record.erased_at
    session.add(record)
    audit(
        session,
        actor=actor,
        action="record.erase",
        target=(record.kind, record.id),
        details=details,
    )


def checkpoint_erasure(session: Session) -> None:
    """After an erasure is committed: on SQLite, checkpoint the write-ahead log so that no
    copy of the erased pages stays in it (secure_delete has overwritten them in the file)."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(sa.text("PRAGMA wal_checkpoint(TRUNCATE)"))


def list_records(
    session: Session,
    *,
    actor: RequestContext,
    kind: RecordKind,
    cipher: ContactCipher,
    cursor: str | None,
    limit: int,
    status: str | None = None,
    external_id: str | None = None,
    organisation_id: str | None = None,
    updated_since: datetime | None = None,
) -> tuple[list[RecordOut], str | None]:
    principal = actor.principal
    query = select(Record).where(Record.kind == kind.value, col(Record.erased_at).is_(None))
    if principal.sees_all_organisations:
        if organisation_id:
            query = query.join(
                Organisation, col(Organisation.pk) == col(Record.organisation_pk)
            ).where(Organisation.id == organisation_id)
    else:
        query = query.where(Record.organisation_pk == principal.organisation_pk)
    after = decode_cursor(cursor)
    if after is not None:
        query = query.where(col(Record.pk) > after)
    if status:
        query = query.where(Record.status == status)
    if external_id:
        query = query.where(Record.external_id == external_id)
    if updated_since:
        query = query.where(col(Record.updated_at) >= updated_since)
    rows = list(session.exec(query.order_by(col(Record.pk)).limit(limit + 1)).all())
    next_cursor = encode_cursor(rows[limit - 1].pk) if len(rows) > limit else None
    rows = rows[:limit]
    audit(
        session,
        actor=actor,
        action="record.list",
        target=(kind.value, "*"),
        details={"count": len(rows), "record_ids": [r.id for r in rows]},
    )
    session.commit()
    return _records_out(session, rows, cipher), next_cursor


def _records_out(session: Session, rows: list[Record], cipher: ContactCipher) -> list[RecordOut]:
    if not rows:
        return []
    pks = [row.pk for row in rows]
    people: dict[int, list[PersonRow]] = {}
    for person in session.exec(
        select(PersonRow)
        .where(col(PersonRow.record_pk).in_(pks))
        .order_by(col(PersonRow.record_pk), col(PersonRow.role), col(PersonRow.position))
    ).all():
        people.setdefault(person.record_pk, []).append(person)
    organisations = {
        org.pk: org
        for org in session.exec(
            select(Organisation).where(
                col(Organisation.pk).in_({row.organisation_pk for row in rows})
            )
        ).all()
    }
    return [
        _assemble(row, organisations[row.organisation_pk], people.get(row.pk or 0, []), cipher)
        for row in rows
    ]


def _record_out(session: Session, record: Record, cipher: ContactCipher) -> RecordOut:
    return _records_out(session, [record], cipher)[0]


def _assemble(
    record: Record, organisation: Organisation, people: list[PersonRow], cipher: ContactCipher
) -> RecordOut:
    by_role: dict[str, list[PersonRow]] = {}
    for person in sorted(people, key=lambda p: (p.role, p.position)):
        by_role.setdefault(person.role, []).append(person)
    common: dict[str, Any] = {
        "id": record.id,
        "kind": record.kind,
        "external_id": record.external_id,
        "status": record.status,
        "organisation": {"id": organisation.id, "name": organisation.name},
        "consent": {
            "tracing": record.consent_tracing,
            "share_with_partners": record.consent_share_with_partners,
            "given_by": record.consent_given_by,
            "date": record.consent_date,
        },
        "relatives": [p.details for p in by_role.get("relative", [])],
        "separation": record.separation,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }
    if record.kind == RecordKind.TRACING_REQUEST.value:
        subject = by_role["subject"][0].details
        return schemas.TracingRequestOut.model_validate({**common, "subject": subject})
    enquirer = None
    if by_role.get("enquirer"):
        row = by_role["enquirer"][0]
        enquirer = dict(row.details)
        if row.contact_ciphertext:
            enquirer["contact"] = cipher.decrypt(row.contact_ciphertext)
    return schemas.EnquiryOut.model_validate(
        {**common, "sought": [p.details for p in by_role.get("sought", [])], "enquirer": enquirer}
    )


def count_records(session: Session) -> int:
    return int(session.exec(select(sa.func.count()).select_from(Record)).one())


def read_record_for_review(
    session: Session, *, record_pk: int, cipher: ContactCipher
) -> RecordOut | None:
    """A record of any organisation, for a reviewer's side-by-side view; None once erased.

    The caller has checked the role and audits the read as part of the match it shows.
    """
    record = session.exec(select(Record).where(Record.pk == record_pk)).one()
    if record.erased_at is not None:
        return None
    return _records_out(session, [record], cipher)[0]


@dataclass(frozen=True, slots=True)
class Upsert:
    outcome: str  # created, updated or unchanged
    registration: Registration


def _keep_unmentioned_contact(
    session: Session, existing: Record, body: RecordBody, cipher: ContactCipher
) -> RecordBody:
    """An import row that does not mention the enquirer's contact details keeps them.

    Exports leave contact details out on purpose, so a re-imported export must not erase
    them; removing them is a deliberate PUT.
    """
    if not isinstance(body, schemas.EnquiryIn) or body.enquirer is None:
        return body
    if body.enquirer.contact is not None:
        return body
    stored = session.exec(
        select(PersonRow.contact_ciphertext).where(
            PersonRow.record_pk == existing.pk, PersonRow.role == "enquirer"
        )
    ).first()
    if not stored:
        return body
    contact = schemas.Contact.model_validate(cipher.decrypt(stored))
    enquirer = body.enquirer.model_copy(update={"contact": contact})
    return body.model_copy(update={"enquirer": enquirer})


def upsert_record(
    session: Session,
    *,
    actor: RequestContext,
    body: RecordBody,
    cipher: ContactCipher,
    commit: bool = True,
) -> Upsert:
    """Create, replace or leave a record by external_id: what a bulk import does per row.

    Unlike a single POST, a different body under a known external_id replaces the record
    (an import is the partner's current state of its records), except that contact details
    it does not mention are kept. An erased record or one of the other kind is a conflict.
    """
    existing = _by_external_id(session, actor.principal.organisation_pk, body.external_id)
    if existing is None:
        return Upsert(
            "created",
            register_record(
                session, actor=actor, body=body, cipher=cipher, commit=commit, known_new=True
            ),
        )
    kind = KIND_OF_BODY[type(body)]
    if existing.erased_at is not None:
        raise Conflict("a record with this external_id was erased; use a new external_id")
    if existing.kind != kind.value:
        raise Conflict(
            f"external_id is already used by a {existing.kind.replace('_', ' ')} "
            "in your organisation"
        )
    body = _keep_unmentioned_contact(session, existing, body, cipher)
    unchanged = existing.body_hash == body_hash(body)
    registration = replace_record(
        session, actor=actor, record_id=existing.id, body=body, cipher=cipher, commit=commit
    )
    return Upsert("unchanged" if unchanged else "updated", registration)


def iter_organisation_records(
    engine: Engine,
    *,
    actor: RequestContext,
    cipher: ContactCipher,
    action: str,
    page: int = 500,
) -> Iterator[dict[str, Any]]:
    """Every live record of the caller's organisation as API JSON, page by page, for exports.

    Runs in its own sessions because a streamed response outlives the request's session.
    Each page is audited with the ids it read. Enquirers' contact details are left out:
    an export leaves the service, and contact details are the most dangerous data it holds.
    """
    after = 0
    while True:
        with Session(engine, expire_on_commit=False) as session:
            rows = list(
                session.exec(
                    select(Record)
                    .where(
                        Record.organisation_pk == actor.principal.organisation_pk,
                        col(Record.erased_at).is_(None),
                        col(Record.pk) > after,
                    )
                    .order_by(col(Record.pk))
                    .limit(page)
                ).all()
            )
            if not rows:
                return
            records = _records_out(session, rows, cipher)
            audit(
                session,
                actor=actor,
                action=action,
                details={"count": len(rows), "record_ids": [r.id for r in rows]},
            )
            session.commit()
        after = rows[-1].pk or 0
        for record in records:
            data = record.model_dump(mode="json")
            if data.get("enquirer"):
                data["enquirer"].pop("contact", None)
            yield data
