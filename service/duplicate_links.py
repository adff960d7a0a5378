"""Resolving an import's duplicate links once its rows are stored.

A PFIF note with a `linked_person_record_id` says two persons of the source are one person.
Both ids are external_ids of the importing organisation (PFIF record ids become external_ids);
the link is resolved only among that organisation's own records, so an import can never
learn whether another organisation holds anyone.

Links are resolved after every row of the job is stored and matched, so a link to a person
later in the file, or to one registered by an earlier import, finds its record. A link whose
record is not in the organisation's registry by then fails with that reason in the job's
outcomes and is not kept: a link waiting for a record that may never come would be a promise
no one sees. Importing the file that holds the other person, then the linking file again,
creates the duplicate; importing the same file again creates nothing new (the pair's match
already carries the link: `unchanged`).

Outcomes, in the words of the rows': `created` (a new pending duplicate), `updated` (a
duplicate or match scoring had already stored for the pair now carries the source's word),
`unchanged`, `failed` (with the reason).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from service import linkage
from service.store import imports as import_store
from service.store import matches as match_store
from service.store import source_links
from service.store.common import RequestContext
from service.tables import ImportJob, ImportLink, Match, Record


class LinkFailed(Exception):  # noqa: N818  (a link's outcome, not a program error)
    """A link cannot be stored; the message is the reason reported for it."""


def resolve_import_links(
    session: Session,
    *,
    job: ImportJob,
    actor: RequestContext,
    owner: str,
    lease: timedelta,
) -> None:
    """Resolve the job's pending links, each committed with its outcome (resumable)."""
    assert job.pk is not None
    for link in import_store.pending_links(session, job_pk=job.pk):
        for attempt in range(2):
            try:
                outcome, reason = _resolve(session, job, link, actor), None
            except LinkFailed as failure:
                outcome, reason = "failed", str(failure)
            except IntegrityError:
                # Matching stored the same pair in the meantime: the second try finds it.
                session.rollback()
                if attempt == 0:
                    continue
                raise
            import_store.record_link_outcome(
                session,
                job=job,
                link=link,
                outcome=outcome,
                reason=reason,
                owner=owner,
                lease=lease,
            )
            session.commit()
            break


def _resolve(session: Session, job: ImportJob, link: ImportLink, actor: RequestContext) -> str:
    first = _record(session, job, link.from_external_id)
    second = _record(session, job, link.to_external_id)
    assert first.pk is not None
    assert second.pk is not None
    if first.pk == second.pk:
        raise LinkFailed("both ids name the same record")
    if first.kind != second.kind:
        raise LinkFailed(
            f"{link.from_external_id} is a {_kind_words(first.kind)} and "
            f"{link.to_external_id} a {_kind_words(second.kind)}: a duplicate joins two "
            "records of one kind (matching pairs the two kinds by itself)"
        )
    for record in (first, second):
        if not match_store.is_matchable(record):
            raise LinkFailed(
                f"{record.external_id} has no consent to tracing or is closed, so it is "
                "never matched; give it consent, then import this file again"
            )
    # Duplicates are stored with the older record on the left, as matching stores them.
    left, right = (first, second) if first.pk < second.pk else (second, first)
    assert left.pk is not None
    assert right.pk is not None
    stored = source_links.pair_match(session, left_pk=left.pk, right_pk=right.pk)
    if stored is not None:
        noted = source_links.note_source_link(session, match=stored, actor=actor, import_id=job.id)
        return "updated" if noted else "unchanged"
    # The pair's comparison, scored as matching would score it: the reviewer sees the
    # model's honest verdict beside the source's word.
    probe = Match(
        id="",
        type="duplicate",
        left_record_pk=left.pk,
        left_index=0,
        right_record_pk=right.pk,
        right_index=0,
        score=0.0,
        match_weight=0.0,
        band="possible",
        status="pending",
        comparison_vector={},
        vector_key="",
        explanation=[],
        model_version="",
    )
    score = linkage.rescore_match(session, probe)
    if score is None:
        raise LinkFailed("the linked records no longer hold the person the note named")
    source_links.propose_source_duplicate(
        session, left_pk=left.pk, right_pk=right.pk, score=score, actor=actor, import_id=job.id
    )
    return "created"


def _record(session: Session, job: ImportJob, external_id: str) -> Record:
    record = source_links.live_record(
        session, organisation_pk=job.organisation_pk, external_id=external_id
    )
    if record is None:
        raise LinkFailed(
            f"{external_id}: no record with this external_id in your organisation's registry "
            "after this import; the link is not kept: import the file that holds this "
            "person, then this one again"
        )
    return record


def _kind_words(kind: str) -> str:
    return "tracing request" if kind == "tracing_request" else "enquiry"
