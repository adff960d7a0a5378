"""The database tables. Only `store.py` reads and writes them.

People are stored one row each, their validated details as a JSON document (so fields can be
added without a migration per field) beside the few columns that lists and filters need.
An enquirer's contact details never sit in that document: they are encrypted on their own.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# One naming convention so that Alembic's migrations name constraints the same way on
# SQLite and PostgreSQL and a drift check can compare them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def table_of(model: type[SQLModel]) -> sa.Table:
    """The Core table of a model, for bulk statements: inserting thousands of rows through
    it skips the ORM's bookkeeping per row (a bulk import's records, keys and events)."""
    table: sa.Table = model.__table__  # type: ignore[attr-defined]
    return table


class UtcDateTime(sa.TypeDecorator[datetime]):
    """A timestamp that always comes back timezone-aware in UTC.

    SQLite stores no time zone, so without this a timestamp read back would be naive and
    would serialise differently from the one just written.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: give a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _timestamp(**kwargs: Any) -> Any:
    return Field(sa_type=UtcDateTime, **kwargs)


class Organisation(SQLModel, table=True):
    __tablename__ = "organisation"

    pk: int | None = Field(default=None, primary_key=True)
    id: str = Field(max_length=36, unique=True, index=True)
    name: str = Field(max_length=200, unique=True)
    created_at: datetime = _timestamp(default_factory=utcnow)


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"

    pk: int | None = Field(default=None, primary_key=True)
    id: str = Field(max_length=36, unique=True, index=True)
    # SHA-256 of the key: keys are 256-bit random strings, so a fast hash is enough and
    # lets the lookup use an index; the key itself is shown once and never stored.
    key_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=16)  # the first characters, to tell keys apart in lists
    organisation_pk: int = Field(foreign_key="organisation.pk", index=True)
    role: str = Field(max_length=16)
    holder: str = Field(max_length=200)
    created_at: datetime = _timestamp(default_factory=utcnow)
    revoked_at: datetime | None = _timestamp(default=None, nullable=True)


class Record(SQLModel, table=True):
    __tablename__ = "record"
    __table_args__ = (
        sa.UniqueConstraint("organisation_pk", "external_id", name="uq_record_org_external_id"),
        sa.Index("ix_record_org_kind_seq", "organisation_pk", "kind", "pk"),
    )

    pk: int | None = Field(default=None, primary_key=True)
    id: str = Field(max_length=36, unique=True, index=True)
    kind: str = Field(max_length=20)
    organisation_pk: int = Field(foreign_key="organisation.pk")
    external_id: str = Field(max_length=200)
    status: str = Field(max_length=10)
    consent_tracing: bool
    consent_share_with_partners: bool
    consent_given_by: str | None = Field(default=None, max_length=20)
    consent_date: str | None = Field(default=None, max_length=10)
    separation: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON(none_as_null=True))
    # SHA-256 of the canonical request body: a retry with the same body is recognised
    # as the same submission, a different body under the same external_id is a conflict.
    body_hash: str | None = Field(default=None, max_length=64)
    created_by_key_pk: int | None = Field(default=None, foreign_key="api_key.pk")
    created_at: datetime = _timestamp(default_factory=utcnow)
    updated_at: datetime = _timestamp(default_factory=utcnow)
    erased_at: datetime | None = _timestamp(default=None, nullable=True)
    # When the record was closed (None while open or matched): retention of closed records
    # counts from here, not from updated_at, which a change to a closed record moves.
    closed_at: datetime | None = _timestamp(default=None, nullable=True, index=True)
    # When this version of the record was last matched; None: matching is owed (a crash
    # between storing and matching leaves it None, and the record is matched again).
    matched_at: datetime | None = _timestamp(default=None, nullable=True)


class PersonRow(SQLModel, table=True):
    __tablename__ = "person"

    pk: int | None = Field(default=None, primary_key=True)
    record_pk: int = Field(foreign_key="record.pk", index=True)
    role: str = Field(max_length=10, index=True)  # subject, sought, relative, enquirer
    position: int
    full_name: str = Field(max_length=400)
    details: dict[str, Any] = Field(sa_type=sa.JSON(none_as_null=True))
    contact_ciphertext: str | None = Field(default=None, sa_type=sa.Text)


class AuditEvent(SQLModel, table=True):
    """Append-only: who did what to which record, when. Never personal data."""

    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_event_target", "target_type", "target_id"),)

    pk: int | None = Field(default=None, primary_key=True)
    at: datetime = _timestamp(default_factory=utcnow, index=True)
    action: str = Field(max_length=40, index=True)
    outcome: str = Field(max_length=20)
    actor_key_id: str | None = Field(default=None, max_length=36, index=True)
    actor_holder: str | None = Field(default=None, max_length=200)
    actor_role: str | None = Field(default=None, max_length=16)
    actor_organisation_id: str | None = Field(default=None, max_length=36, index=True)
    target_type: str | None = Field(default=None, max_length=20)
    target_id: str | None = Field(default=None, max_length=36)
    request_id: str | None = Field(default=None, max_length=64)
    details: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON(none_as_null=True))


class Match(SQLModel, table=True):
    """A candidate pair of children, for a person to confirm or reject.

    For `type` "match" the left record is the tracing request and the right one the
    enquiry, `right_index` being the sought child; for "duplicate" both are of one kind and
    the left is the older record. The explanation is stored without the compared values,
    so that erasing a record leaves none of its personal data here; reviewers see values
    recomputed from the records themselves.
    """

    __tablename__ = "match"
    __table_args__ = (
        sa.UniqueConstraint(
            "left_record_pk",
            "left_index",
            "right_record_pk",
            "right_index",
            name="uq_match_pair",
        ),
        sa.Index("ix_match_queue", "status", "band", "score"),
    )

    pk: int | None = Field(default=None, primary_key=True)
    id: str = Field(max_length=36, unique=True, index=True)
    type: str = Field(max_length=10)
    left_record_pk: int = Field(foreign_key="record.pk")
    left_index: int
    right_record_pk: int = Field(foreign_key="record.pk", index=True)
    right_index: int
    score: float
    match_weight: float
    band: str = Field(max_length=10)
    status: str = Field(max_length=10)
    comparison_vector: dict[str, str] = Field(sa_type=sa.JSON(none_as_null=True))
    vector_key: str = Field(sa_type=sa.Text)
    explanation: list[dict[str, Any]] = Field(sa_type=sa.JSON(none_as_null=True))
    model_version: str = Field(max_length=60)
    # Bumped on every change a reviewer could have seen: the ETag of the match.
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    # A duplicate the source itself named (a PFIF note's linked_person_record_id): kept for
    # review even when re-scoring no longer reaches a band, since the score is not why it
    # is there; its explanation carries a step saying so.
    linked_by_source: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    decided_at: datetime | None = _timestamp(default=None, nullable=True)
    disclosed_at: datetime | None = _timestamp(default=None, nullable=True)
    created_at: datetime = _timestamp(default_factory=utcnow)
    updated_at: datetime = _timestamp(default_factory=utcnow)


class MatchDecision(SQLModel, table=True):
    """One reviewer's decision on a match: the match's history, in order."""

    __tablename__ = "match_decision"

    pk: int | None = Field(default=None, primary_key=True)
    match_pk: int = Field(foreign_key="match.pk", index=True)
    decision: str = Field(max_length=10)  # confirm, reject, reopen, disclose
    reason: str | None = Field(default=None, sa_type=sa.Text)
    key_pk: int = Field(foreign_key="api_key.pk")
    holder: str = Field(max_length=200)
    status_after: str = Field(max_length=10)
    decided_at: datetime = _timestamp(default_factory=utcnow)


class RecordKey(SQLModel, table=True):
    """Short keys of a record's children, for finding and weighing candidates with SQL.

    Blocking keys (name sounds in each romanisation, identifiers) find candidates without a
    full scan; keys `tf:<part>` hold each canonical name part once per record, so that how
    common a name is can be counted with an index instead of a table kept in step by hand.
    """

    __tablename__ = "record_key"
    __table_args__ = (
        # The records carrying a key, read from the index alone (the first pass follows
        # dozens of keys per record, each carried by up to hundreds of records).
        sa.Index("ix_record_key_key_kind_record_pk", "key", "kind", "record_pk"),
        # A record's keys with the key itself: the first pass weighs its pool of candidates
        # again by every key they carry, read from this index alone (no row lookups).
        sa.Index("ix_record_key_record_pk_key", "record_pk", "key"),
    )

    pk: int | None = Field(default=None, primary_key=True)
    record_pk: int = Field(foreign_key="record.pk")
    kind: str = Field(max_length=20)
    key: str = Field(max_length=80)


class ImportJob(SQLModel, table=True):
    """A bulk registration: acknowledged once its rows are stored, done once all are matched."""

    __tablename__ = "import_job"

    pk: int | None = Field(default=None, primary_key=True)
    id: str = Field(max_length=36, unique=True, index=True)
    organisation_pk: int = Field(foreign_key="organisation.pk", index=True)
    key_pk: int = Field(foreign_key="api_key.pk")
    status: str = Field(max_length=10, index=True)  # queued, running, done, failed
    total: int
    processed: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    # A worker holds a job while its lease runs; a crashed worker's lease expires and
    # another worker resumes the job from its first unprocessed row.
    lease_owner: str | None = Field(default=None, max_length=64)
    lease_expires_at: datetime | None = _timestamp(default=None, nullable=True)
    created_at: datetime = _timestamp(default_factory=utcnow)
    started_at: datetime | None = _timestamp(default=None, nullable=True)
    finished_at: datetime | None = _timestamp(default=None, nullable=True)


class ImportRow(SQLModel, table=True):
    """One submitted row, kept until processed; its body is dropped once it is stored."""

    __tablename__ = "import_row"
    __table_args__ = (sa.UniqueConstraint("job_pk", "position", name="uq_import_row_position"),)

    pk: int | None = Field(default=None, primary_key=True)
    job_pk: int = Field(foreign_key="import_job.pk")
    position: int
    external_id: str | None = Field(default=None, max_length=200)
    body: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON(none_as_null=True))
    outcome: str | None = Field(default=None, max_length=10)  # created, updated, unchanged, failed
    record_id: str | None = Field(default=None, max_length=36)
    reason: str | None = Field(default=None, sa_type=sa.Text)


class ImportLink(SQLModel, table=True):
    """Two records of an import that the file says are one person (a PFIF note's link).

    Stored with the job's rows when the file is acknowledged, resolved once every row is
    stored: the linked record may come later in the file, or be registered already.
    """

    __tablename__ = "import_link"
    __table_args__ = (sa.UniqueConstraint("job_pk", "position", name="uq_import_link_position"),)

    pk: int | None = Field(default=None, primary_key=True)
    job_pk: int = Field(foreign_key="import_job.pk")
    position: int
    from_external_id: str = Field(max_length=200)
    to_external_id: str = Field(max_length=200)
    outcome: str | None = Field(default=None, max_length=10)  # created, updated, unchanged, failed
    reason: str | None = Field(default=None, sa_type=sa.Text)


class UiSession(SQLModel, table=True):
    """A signed-in browser session of the web interface, held on the server.

    The cookie carries a random 256-bit token; only its SHA-256 is kept here, so a copy of
    the database cannot be replayed as cookies. The session acts for one API key: revoking
    the key ends its sessions at once, since every request checks the key again.
    """

    __tablename__ = "ui_session"

    pk: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    key_pk: int = Field(foreign_key="api_key.pk", index=True)
    # The synchronizer token every form of this session must send back.
    csrf_token: str = Field(max_length=64)
    created_at: datetime = _timestamp(default_factory=utcnow)
    expires_at: datetime = _timestamp(index=True)


class WebhookEndpoint(SQLModel, table=True):
    """Where an organisation's system wants to hear about its records' matches."""

    __tablename__ = "webhook_endpoint"

    pk: int | None = Field(default=None, primary_key=True)
    id: str = Field(max_length=36, unique=True, index=True)
    organisation_pk: int = Field(foreign_key="organisation.pk", index=True)
    url: str = Field(max_length=2000)
    events: list[str] = Field(sa_type=sa.JSON(none_as_null=True))
    # The HMAC secret, encrypted like contact details: it must be read back to sign.
    secret_ciphertext: str = Field(sa_type=sa.Text)
    active: bool = True
    created_at: datetime = _timestamp(default_factory=utcnow)


class WebhookDelivery(SQLModel, table=True):
    """The outbox: one event for one endpoint, written with the change that caused it."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (sa.Index("ix_webhook_delivery_due", "status", "next_attempt_at"),)

    pk: int | None = Field(default=None, primary_key=True)
    id: str = Field(max_length=36, unique=True, index=True)
    endpoint_pk: int = Field(foreign_key="webhook_endpoint.pk", index=True)
    event: str = Field(max_length=40)
    payload: dict[str, Any] = Field(sa_type=sa.JSON(none_as_null=True))  # ids and statuses only
    status: str = Field(max_length=10)  # pending, delivered, failed
    attempts: int = 0
    next_attempt_at: datetime = _timestamp(default_factory=utcnow)
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = _timestamp(default_factory=utcnow)
    delivered_at: datetime | None = _timestamp(default=None, nullable=True)


class ModelVersion(SQLModel, table=True):
    """A trained set of match parameters; the active one scores new pairs."""

    __tablename__ = "model_version"

    pk: int | None = Field(default=None, primary_key=True)
    version: str = Field(max_length=60, unique=True)
    parameters: dict[str, Any] = Field(sa_type=sa.JSON(none_as_null=True))
    trained_on: dict[str, Any] = Field(sa_type=sa.JSON(none_as_null=True))  # counts only
    active: bool = False
    created_at: datetime = _timestamp(default_factory=utcnow)


class RegistrySetting(SQLModel, table=True):
    """A named fact about the registry as a whole, e.g. which code derived its search keys."""

    __tablename__ = "registry_setting"

    name: str = Field(primary_key=True, max_length=60)
    value: str = Field(max_length=200)
