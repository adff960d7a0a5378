"""Organisations, API keys and the principal behind a key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from service.auth import Principal, Role, hash_api_key
from service.crypto import ContactCipher
from service.problems import Conflict, NotFound
from service.settings import new_api_key
from service.store.common import (
    audit,
    new_id,
)
from service.tables import ApiKey, Organisation, PersonRow, WebhookEndpoint, utcnow

# -- organisations and keys ---------------------------------------------------------------


def create_organisation(session: Session, *, name: str) -> Organisation:
    if session.exec(select(Organisation).where(Organisation.name == name)).first():
        raise Conflict(f"An organisation named {name!r} exists already.")
    organisation = Organisation(id=new_id(), name=name)
    session.add(organisation)
    session.flush()
    audit(
        session, actor=None, action="organisation.create", target=("organisation", organisation.id)
    )
    session.commit()
    return organisation


def find_organisation(session: Session, *, name: str) -> Organisation | None:
    return session.exec(select(Organisation).where(Organisation.name == name)).first()


def list_organisations(session: Session) -> Sequence[Organisation]:
    return session.exec(select(Organisation).order_by(col(Organisation.name))).all()


@dataclass(frozen=True, slots=True)
class IssuedKey:
    key: ApiKey
    secret: str  # shown once, to the person who created it


def create_api_key(
    session: Session, *, organisation: Organisation, role: Role, holder: str
) -> IssuedKey:
    secret = new_api_key()
    assert organisation.pk is not None
    key = ApiKey(
        id=new_id(),
        key_hash=hash_api_key(secret),
        prefix=secret[:12],
        organisation_pk=organisation.pk,
        role=role.value,
        holder=holder,
    )
    session.add(key)
    session.flush()
    audit(
        session,
        actor=None,
        action="api_key.create",
        target=("api_key", key.id),
        details={"role": role.value, "organisation_id": organisation.id},
    )
    session.commit()
    return IssuedKey(key=key, secret=secret)


def list_api_keys(
    session: Session, *, organisation: Organisation | None = None
) -> Sequence[tuple[ApiKey, Organisation]]:
    query = select(ApiKey, Organisation).join(
        Organisation, col(Organisation.pk) == col(ApiKey.organisation_pk)
    )
    if organisation is not None:
        query = query.where(ApiKey.organisation_pk == organisation.pk)
    return session.exec(query.order_by(col(ApiKey.pk))).all()


def revoke_api_key(session: Session, *, key_id: str) -> ApiKey:
    key = session.exec(select(ApiKey).where(ApiKey.id == key_id)).first()
    if key is None:
        raise NotFound("API key")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session.add(key)
        audit(session, actor=None, action="api_key.revoke", target=("api_key", key.id))
        session.commit()
    return key


def find_principal(session: Session, *, secret: str) -> Principal | None:
    """The holder of a key, or None when it is unknown or revoked."""
    found = session.exec(
        select(ApiKey, Organisation)
        .join(Organisation, col(Organisation.pk) == col(ApiKey.organisation_pk))
        .where(ApiKey.key_hash == hash_api_key(secret))
    ).first()
    if found is None:
        return None
    key, organisation = found
    if key.revoked_at is not None:
        return None
    return _principal(key, organisation)


def principal_of_key(session: Session, *, key_pk: int) -> Principal:
    """The holder of a key by its primary key, revoked or not.

    For work a key was acknowledged for (an import job): it is finished under the identity
    that submitted it, even if the key is revoked meanwhile.
    """
    key, organisation = session.exec(
        select(ApiKey, Organisation)
        .join(Organisation, col(Organisation.pk) == col(ApiKey.organisation_pk))
        .where(ApiKey.pk == key_pk)
    ).one()
    return _principal(key, organisation)


def _principal(key: ApiKey, organisation: Organisation) -> Principal:
    assert key.pk is not None
    assert organisation.pk is not None
    return Principal(
        key_pk=key.pk,
        key_id=key.id,
        holder=key.holder,
        role=Role(key.role),
        organisation_pk=organisation.pk,
        organisation_id=organisation.id,
        organisation_name=organisation.name,
    )


def rotate_encrypted_values(session: Session, *, cipher: ContactCipher, batch: int = 500) -> int:
    """Re-encrypt every stored secret (contact details, webhook secrets) under the first key.

    Part of a key rotation: put the new key first in FTR_ENCRYPTION_KEYS, keep the old one
    after it, run this, then drop the old key. Returns how many values were re-encrypted.
    """
    rotated = 0
    after = 0
    while people := session.exec(
        select(PersonRow)
        .where(col(PersonRow.contact_ciphertext).is_not(None), col(PersonRow.pk) > after)
        .order_by(col(PersonRow.pk))
        .limit(batch)
    ).all():
        for person in people:
            assert person.contact_ciphertext is not None
            person.contact_ciphertext = cipher.rotate(person.contact_ciphertext)
            session.add(person)
            after = person.pk or after
        rotated += len(people)
        session.commit()
    for endpoint in session.exec(select(WebhookEndpoint)).all():
        endpoint.secret_ciphertext = cipher.rotate(endpoint.secret_ciphertext)
        session.add(endpoint)
        rotated += 1
    audit(session, actor=None, action="secrets.rotate", details={"values": rotated})
    session.commit()
    return rotated
