"""Choosing the reader by Content-Type, with file-wide kind and consent."""

from __future__ import annotations

import pytest

from service.formats.dispatch import format_of, read_import_file
from service.formats.rows import DuplicateLink, FormatError

CONSENT = {"tracing": True, "given_by": "agency"}
PFIF_WITH_LINK = b"""<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4"><pfif:person>
<pfif:person_record_id>ngo.example/1</pfif:person_record_id>
<pfif:full_name>Dina Saleh</pfif:full_name>
<pfif:note><pfif:linked_person_record_id>ngo.example/2</pfif:linked_person_record_id></pfif:note>
</pfif:person></pfif:pfif>"""


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("text/csv", "csv"),
        ("text/csv; charset=utf-8", "csv"),
        ("application/x-ndjson", "jsonl"),
        ("application/xml", "pfif"),
        ("Text/XML; charset=ISO-8859-1", "pfif"),
        ("application/json", None),
    ],
)
def test_the_content_type_chooses_the_format(content_type: str, expected: str | None) -> None:
    assert format_of(content_type) == expected


def test_a_csv_in_another_charset_is_refused() -> None:
    with pytest.raises(FormatError, match="windows-1252"):
        format_of("text/csv; charset=windows-1252")


def test_an_unknown_content_type_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not an import file format"):
        read_import_file("application/pdf", b"")


def test_file_consent_and_kind_apply_to_rows_that_state_none() -> None:
    data = (
        b"external_id,consent.tracing,consent.given_by,subject.full_name\r\n"
        b"TR-1,,,Dina Saleh\r\n"
        b"TR-2,false,parent,Omar Saleh\r\n"
    )
    rows = list(read_import_file("text/csv", data, kind="tracing_request", consent=CONSENT).rows)
    assert [row.record["consent"] for row in rows if row.record] == [
        CONSENT,
        {"tracing": False, "given_by": "parent"},
    ]
    assert all(row.record and row.record["kind"] == "tracing_request" for row in rows)


def test_jsonl_rows_get_the_file_consent() -> None:
    rows = list(
        read_import_file(
            "application/x-ndjson",
            b'{"kind": "enquiry", "external_id": "E"}\n',
            consent=CONSENT,
        ).rows
    )
    assert rows[0].record is not None
    assert rows[0].record["consent"] == CONSENT


def test_pfif_duplicate_links_are_there_once_the_rows_are_read() -> None:
    imported = read_import_file("application/xml", PFIF_WITH_LINK, consent=CONSENT)
    assert imported.format == "pfif"
    rows = list(imported.rows)
    assert rows[0].record is not None
    assert rows[0].record["consent"] == CONSENT
    assert imported.duplicate_links == [DuplicateLink("ngo.example/1", "ngo.example/2")]
    assert imported.note_counts.duplicate_links == 1
