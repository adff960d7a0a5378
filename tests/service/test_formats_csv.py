"""CSV import and export: encodings, headers, malformed files, streaming, round trips."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.formats.csv_export import csv_columns, iter_csv_export
from service.formats.csv_rows import iter_csv_rows
from service.formats.rows import FormatError, ParsedRow, export_body
from service.imports import parse_row
from service.store.records import body_hash

HEADER = "kind,external_id,consent.tracing,consent.given_by,subject.full_name,subject.age\r\n"


def read(text: str, **options: Any) -> list[ParsedRow]:
    return list(iter_csv_rows(text.encode("utf-8"), **options))


def test_rows_become_records_in_the_json_import_shape() -> None:
    rows = read(HEADER + "tracing_request,TR-1,true,child,Amina Yusuf,8-10\r\n")
    assert rows == [
        ParsedRow(
            number=2,
            record={
                "kind": "tracing_request",
                "external_id": "TR-1",
                "consent": {"tracing": True, "given_by": "child"},
                "subject": {"full_name": "Amina Yusuf", "age": "8-10"},
            },
            error=None,
            external_id="TR-1",
        )
    ]
    parse_row(rows[0].record)  # and the API accepts it


def test_a_byte_order_mark_is_accepted() -> None:
    rows = list(iter_csv_rows(("\ufeff" + HEADER + "enquiry,E,false,agency,x,9\n").encode()))
    assert rows[0].record is not None
    assert rows[0].record["kind"] == "enquiry"


def test_latin1_mislabelled_as_utf8_is_a_clear_file_error() -> None:
    data = (HEADER + "tracing_request,TR-1,true,child,Zoë Brontë,9\r\n").encode("cp1252")
    with pytest.raises(FormatError) as raised:
        list(iter_csv_rows(data))
    assert "line 2 is not valid UTF-8" in str(raised.value)
    assert "Latin-1 or Windows-1252" in str(raised.value)


def test_names_in_any_script_read_as_written() -> None:
    rows = read(HEADER + "tracing_request,TR-1,true,child,محمد عبد الله,9\r\n")
    assert rows[0].record is not None
    assert rows[0].record["subject"]["full_name"] == "محمد عبد الله"


def test_unknown_columns_are_listed_in_one_file_error() -> None:
    with pytest.raises(FormatError) as raised:
        read("kind,external_id,nickname,subject,subject.full_name\r\n")
    message = str(raised.value)
    assert "'nickname'" in message
    assert "'subject'" in message


def test_a_repeated_column_is_a_file_error() -> None:
    with pytest.raises(FormatError, match=r"more than once: subject\.full_name"):
        read("kind,external_id,subject.full_name,subject.full_name\r\n")


def test_without_external_id_column_the_file_is_refused() -> None:
    with pytest.raises(FormatError, match="no external_id column"):
        read("kind,subject.full_name\r\n")


def test_without_kind_column_a_default_kind_is_needed() -> None:
    with pytest.raises(FormatError, match="no kind column"):
        read("external_id,subject.full_name\r\nTR-1,x\r\n")
    rows = read("external_id,subject.full_name\r\nTR-1,x\r\n", default_kind="tracing_request")
    assert rows[0].record == {
        "external_id": "TR-1",
        "subject": {"full_name": "x"},
        "kind": "tracing_request",
    }


def test_an_empty_kind_cell_without_default_fails_that_row() -> None:
    rows = read(HEADER + ",TR-1,true,child,x,9\r\n")
    assert rows[0].error is not None
    assert rows[0].error.startswith("kind:")
    assert rows[0].external_id == "TR-1"


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(FormatError, match="empty"):
        read("")


def test_a_row_with_too_many_cells_fails_alone() -> None:
    rows = read(
        HEADER
        + "tracing_request,TR-1,true,child,A,9\r\n"
        + "tracing_request,TR-2,true,child,B,9,extra\r\n"
        + "tracing_request,TR-3,true,child,C\r\n"
    )
    assert [row.number for row in rows] == [2, 3, 4]
    assert rows[1].error == "the row has 7 cells but the header has 6 columns"
    assert rows[1].external_id == "TR-2"
    assert rows[2].record is not None  # fewer cells: the missing ones are empty
    assert "age" not in rows[2].record["subject"]


def test_a_bad_boolean_fails_its_row_and_the_others_go_on() -> None:
    rows = read(HEADER + "enquiry,E-1,perhaps,agency,x,9\r\nenquiry,E-2,true,agency,y,9\r\n")
    assert rows[0].error == "consent.tracing: must be true or false, not 'perhaps'"
    assert rows[1].record is not None


def test_an_unterminated_quote_is_a_file_error_naming_the_line() -> None:
    with pytest.raises(FormatError, match="opened on line 3 or after it is never closed"):
        read(HEADER + 'enquiry,E-1,true,agency,x,9\r\nenquiry,E-2,true,agency,"y,9\r\n')


def test_text_after_a_closing_quote_is_a_file_error() -> None:
    with pytest.raises(FormatError, match="malformed in the row starting on line 2"):
        read(HEADER + 'enquiry,E-1,true,agency,"x"y,9\r\n')


def test_quoted_cells_may_span_lines_and_rows_count_as_in_a_spreadsheet() -> None:
    header = "kind,external_id,subject.full_name,subject.distinguishing_marks\r\n"
    rows = read(
        header + 'tracing_request,A,x,"scar on\r\nthe left arm"\r\n,,,\r\ntracing_request,B,y,\r\n'
    )
    assert [row.number for row in rows] == [2, 4]
    assert rows[0].record is not None
    assert rows[0].record["subject"]["distinguishing_marks"] == "scar on\r\nthe left arm"


def test_relatives_and_lists_by_index() -> None:
    header = (
        "kind,external_id,subject.full_name,subject.other_names.0,subject.other_names.1,"
        "relatives.0.relationship,relatives.0.full_name,relatives.1.relationship,"
        "relatives.1.full_name\r\n"
    )
    rows = read(header + "tracing_request,A,Ali Rahimi,Alo,,father,Reza Rahimi,,\r\n")
    assert rows[0].record is not None
    assert rows[0].record["subject"]["other_names"] == ["Alo"]
    assert rows[0].record["relatives"] == [{"relationship": "father", "full_name": "Reza Rahimi"}]


def test_a_large_file_is_read_lazily() -> None:
    produced = 0

    def lines() -> Iterator[bytes]:
        nonlocal produced
        yield HEADER.encode()
        for index in range(200_000):
            produced += 1
            yield f"tracing_request,TR-{index},true,child,Child {index},9\r\n".encode()

    rows = iter_csv_rows(lines())
    first = next(rows)
    assert first.external_id == "TR-0"
    assert produced < 10


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_give_rows_or_a_format_error(data: bytes) -> None:
    try:
        rows = list(iter_csv_rows(HEADER.encode() + data))
    except FormatError:
        return
    assert all((row.record is None) != (row.error is None) for row in rows)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_rows_or_a_format_error(text: str) -> None:
    with contextlib.suppress(FormatError):
        list(iter_csv_rows(text.encode("utf-8", errors="surrogatepass")))


# -- export and round trips ----------------------------------------------------------------


def record_out(kind: str, external_id: str, **fields: Any) -> dict[str, Any]:
    """A record as the API returns it (RecordOut as JSON), with synthetic people."""
    return {
        "id": f"rec_{external_id}",
        "kind": kind,
        "external_id": external_id,
        "status": "open",
        "organisation": {"id": "org_1", "name": "Test Agency"},
        "consent": {
            "tracing": True,
            "share_with_partners": False,
            "given_by": "agency",
            "date": "2025-03-01",
        },
        "relatives": [],
        "separation": None,
        "created_at": "2025-03-01T10:00:00Z",
        "updated_at": "2025-03-02T11:30:00Z",
        **fields,
    }


def sample_records() -> list[dict[str, Any]]:
    return [
        record_out(
            "tracing_request",
            "TR-1",
            subject={
                "full_name": "Ahmad Shah Karimi",
                "given_name": "Ahmad Shah",
                "family_name": "Karimi",
                "native_name": "احمد شاه کریمی",
                "other_names": ["Shah", "=cmd"],
                "sex": "male",
                "date_of_birth": "2014",
                "age": "10-12",
                "age_as_of": "2025-01-15",
                "place_of_origin": {"country": "AF", "admin1": "Herat", "locality": "Guzara"},
                "languages": ["prs", "pus"],
                "identifiers": [{"type": "unhcr", "value": "AFG-123-456"}],
                "distinguishing_marks": 'burn mark on the right hand,\r\nsmall "star" tattoo',
            },
            relatives=[
                {"full_name": "Gul Bibi", "relationship": "mother", "sex": "female"},
                {"full_name": "Rahim", "relationship": "sibling", "age": "6"},
            ],
            separation={
                "date": "2023-09",
                "place": {"country": "TR", "locality": "Van"},
                "circumstances": "separated at the border crossing, at night",
            },
        ),
        record_out(
            "enquiry",
            "EN-1",
            status="closed",
            sought=[
                {"full_name": "Mariam Haddad", "sex": "female", "age": "7"},
                {"full_name": "Yusuf Haddad", "sex": "male", "date_of_birth": "2016-05-02"},
            ],
            enquirer={
                "full_name": "Rania Haddad",
                "relationship": "mother",
                "contact": {"phone": "+961 1 234 567", "email": "rania@example.org"},
            },
        ),
    ]


def body_fingerprint(record: dict[str, Any]) -> str:
    """What decides whether a re-import changes a record: the validated body's hash."""
    return body_hash(parse_row(record))


def test_export_writes_the_union_of_needed_columns_in_a_stable_order() -> None:
    columns = csv_columns(sample_records())
    assert columns[:5] == [
        "kind",
        "external_id",
        "status",
        "consent.tracing",
        "consent.share_with_partners",
    ]
    assert columns.index("subject.full_name") < columns.index("sought.0.full_name")
    assert columns.index("relatives.0.relationship") < columns.index("relatives.1.full_name")
    assert not [column for column in columns if "contact" in column]


def test_export_then_import_gives_the_same_record_bodies() -> None:
    records = sample_records()
    text = "".join(iter_csv_export(records))
    assert text.startswith("\ufeff")
    rows = list(iter_csv_rows(text.encode("utf-8")))
    assert [row.error for row in rows] == [None, None]
    for original, row in zip(records, rows, strict=True):
        assert row.record == export_body(original)
        assert body_fingerprint(row.record) == body_fingerprint(export_body(original))


def stored(record: dict[str, Any]) -> dict[str, Any]:
    """What the API returns for an imported record: the validated body and service fields."""
    body = parse_row(record).model_dump(mode="json", exclude_none=True)
    return record_out(record["kind"], body.pop("external_id"), **body)


def test_import_export_import_changes_nothing() -> None:
    partner_file = (
        "\ufeffkind,external_id,consent.tracing,consent.given_by,subject.full_name,"
        "subject.other_names.0,subject.age,subject.place_of_origin.country,"
        "relatives.0.relationship,relatives.0.full_name,sought.0.full_name,sought.1.full_name\r\n"
        "tracing_request,TR-7,true,child,Hamid Nazari,Hamo,9,af,father,Karim Nazari,,\r\n"
        "enquiry,EN-7,false,parent,,,,,,,Leila Nazari,Omid Nazari\r\n"
    ).encode()
    first = [row.record for row in iter_csv_rows(partner_file)]
    assert None not in first
    exported = "".join(iter_csv_export([stored(record) for record in first if record]))
    again = [row.record for row in iter_csv_rows(exported.encode())]
    assert [body_fingerprint(r) for r in again if r] == [body_fingerprint(r) for r in first if r]


def test_enquirer_contact_details_are_never_exported() -> None:
    text = "".join(iter_csv_export(sample_records()))
    assert "961" not in text
    assert "rania@example.org" not in text


def test_a_cell_a_spreadsheet_would_run_is_exported_protected() -> None:
    text = "".join(iter_csv_export(sample_records()))
    assert ",'=cmd," in text


def test_export_refuses_columns_that_would_lose_data() -> None:
    with pytest.raises(ValueError, match="columns missing"):
        list(iter_csv_export(sample_records(), columns=["kind", "external_id"]))


def test_a_numeric_age_comes_back_as_the_same_age_in_text() -> None:
    record = record_out("tracing_request", "TR-9", subject={"full_name": "Nour", "age": 9})
    rows = list(iter_csv_rows("".join(iter_csv_export([record])).encode()))
    assert rows[0].record is not None
    assert rows[0].record["subject"]["age"] == "9"


def test_export_streams_one_chunk_per_record() -> None:
    records = sample_records() * 3
    chunks = list(iter_csv_export(records, columns=csv_columns(records), byte_order_mark=False))
    assert len(chunks) == 1 + len(records)
    assert chunks[0].startswith("kind,external_id")


def test_export_does_not_change_the_records_it_is_given() -> None:
    records = sample_records()
    before = copy.deepcopy(records)
    list(iter_csv_export(records))
    assert records == before
