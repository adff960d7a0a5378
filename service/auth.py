"""API keys, roles and who may do what.

Every key belongs to one named holder (a person or a partner system), one organisation and
one role. Keys are stored as SHA-256 hashes only: they are 256-bit random strings, so the hash
cannot be reversed, and looking it up by hash keeps the comparison off the secret itself.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    REVIEWER = "reviewer"
    OFFICER = "officer"
    PARTNER = "partner"


ROLE_DESCRIPTIONS = {
    Role.ADMIN: "manages organisations and keys, erases records, reads the audit log",
    Role.REVIEWER: "reviews candidate matches across all organisations",
    Role.OFFICER: "registers and searches records for one organisation",
    Role.PARTNER: "a partner organisation's system submitting records through the API",
}

# Who may register, read and change records: only the organisations that hold them.
RECORD_WRITERS = frozenset({Role.OFFICER, Role.PARTNER})
RECORD_READERS = frozenset({Role.OFFICER, Role.PARTNER, Role.REVIEWER})
RECORD_ERASERS = frozenset({Role.OFFICER, Role.PARTNER, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class Principal:
    """The holder of the key a request came with."""

    key_pk: int
    key_id: str
    holder: str
    role: Role
    organisation_pk: int
    organisation_id: str
    organisation_name: str

    @property
    def sees_all_organisations(self) -> bool:
        """Reviewers work for the agency running the operation and review across it."""
        return self.role is Role.REVIEWER


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def parse_bearer(header: str | None) -> str | None:
    """The key from an `Authorization: Bearer <key>` header, or None."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        return None
    return token
