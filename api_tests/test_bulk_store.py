"""Rows written in bulk (COPY on PostgreSQL) read back as rows written one by one do."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from service.auth import Role
from service.store.bulk import insert_rows, insert_rows_returning_pks
from service.store.keys import create_api_key, create_organisation
from service.tables import ImportJob, ImportRow, PersonRow, Record

MOMENT = datetime(2025, 3, 1, 12, 30, tzinfo=UTC)


def _record(organisation_pk: int, external_id: str, **columns: object) -> dict[str, object]:
    return {
        "id": f"id-{external_id}",
        "kind": "tracing_request",
        "organisation_pk": organisation_pk,
        "external_id": external_id,
        "status": "open",
        "consent_tracing": False,
        "consent_share_with_partners": False,
        "created_at": MOMENT,
        "updated_at": MOMENT,
        **columns,
    }


def test_bulk_records_get_their_keys_in_the_order_of_the_rows(engine: Engine) -> None:
    with Session(engine) as session:
        organisation = create_organisation(session, name="Bulk")
        assert organisation.pk is not None
        rows = [_record(organisation.pk, f"B-{n}") for n in (3, 1, 2)]
        pks = insert_rows_returning_pks(session, Record, rows)
        session.commit()
        stored = dict(session.exec(select(Record.pk, Record.external_id)).all())
    assert [stored[pk] for pk in pks] == ["B-3", "B-1", "B-2"]


def test_bulk_rows_read_back_as_written_documents_timestamps_and_nulls(engine: Engine) -> None:
    with Session(engine) as session:
        organisation = create_organisation(session, name="Bulk")
        assert organisation.pk is not None
        separation = {"date": "2024-03", "place": {"country": "TR", "locality": "حمص"}}
        [with_document, without] = insert_rows_returning_pks(
            session,
            Record,
            [
                _record(organisation.pk, "DOC", separation=separation),
                _record(organisation.pk, "NONE", separation=None),
            ],
        )
        details = {"full_name": "Hodan Abdi", "other_names": ["Xodan"], "age": 9}
        insert_rows(
            session,
            PersonRow,
            [
                {
                    "record_pk": with_document,
                    "role": "subject",
                    "position": 0,
                    "full_name": "Hodan Abdi",
                    "details": details,
                    "contact_ciphertext": None,
                }
            ],
        )
        session.commit()
        records = {r.pk: r for r in session.exec(select(Record)).all()}
        [person] = session.exec(select(PersonRow)).all()
        nulls = session.exec(select(Record.pk).where(col(Record.separation).is_(None))).all()
    assert records[with_document].separation == separation
    assert records[with_document].created_at == MOMENT
    assert records[with_document].matched_at is None
    assert list(nulls) == [without]  # SQL NULL, not a JSON null
    assert person.details == details


def test_bulk_rows_left_without_a_column_get_its_default(engine: Engine) -> None:
    with Session(engine) as session:
        organisation = create_organisation(session, name="Bulk")
        assert organisation.pk is not None
        key = create_api_key(session, organisation=organisation, role=Role.PARTNER, holder="x")
        assert key.key.pk is not None
        job = ImportJob(
            id="job", organisation_pk=organisation.pk, key_pk=key.key.pk, status="queued", total=1
        )
        session.add(job)
        session.flush()
        insert_rows(session, ImportRow, [{"job_pk": job.pk, "position": 0, "body": {"kind": "x"}}])
        session.commit()
        [row] = session.exec(select(ImportRow)).all()
    assert (row.outcome, row.external_id, row.body) == (None, None, {"kind": "x"})


def test_bulk_rows_must_give_a_column_whose_default_is_computed(engine: Engine) -> None:
    with Session(engine) as session:
        organisation = create_organisation(session, name="Bulk")
        assert organisation.pk is not None
        row = _record(organisation.pk, "LATE")
        del row["created_at"]
        with pytest.raises(ValueError, match=r"record\.created_at"):
            insert_rows(session, Record, [row])


def test_a_bulk_write_that_breaks_a_constraint_raises_integrity_error(engine: Engine) -> None:
    """As any statement would: an import batch that clashes is retried row by row."""
    with Session(engine) as session:
        organisation = create_organisation(session, name="Bulk")
        assert organisation.pk is not None
        twice = [_record(organisation.pk, "SAME"), _record(organisation.pk, "SAME")]
        twice[1]["id"] = "another-id"
        with pytest.raises(sa.exc.IntegrityError):
            insert_rows_returning_pks(session, Record, twice)


def test_refreshing_tables_after_a_bulk_load_never_fails_the_import() -> None:
    import logging

    from service.store.bulk import refresh_after_bulk_load

    # The service's own logger: it does not propagate once an app has configured it.
    logger = logging.getLogger("ftr.store")
    seen: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: seen.append(record.getMessage())  # type: ignore[method-assign]
    logger.addHandler(handler)
    # A PostgreSQL server that cannot be reached: upkeep is skipped with a warning.
    unreachable = sa.create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none")
    try:
        refresh_after_bulk_load(unreachable)
    finally:
        logger.removeHandler(handler)
        unreachable.dispose()
    assert seen == ["tables not refreshed after a bulk import: OperationalError"]
