"""JSON Lines import: one record per line, bad lines fail alone, bad encodings fail the file."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.formats.jsonl import iter_jsonl_rows
from service.formats.rows import FormatError
from service.imports import parse_row

RECORD = {
    "kind": "tracing_request",
    "external_id": "TR-1",
    "consent": {"tracing": True, "given_by": "child"},
    "subject": {"full_name": "Samira Osman", "age": 9},
}


def test_each_line_is_a_record_numbered_by_its_line() -> None:
    data = (json.dumps(RECORD) + "\n\n" + json.dumps({**RECORD, "external_id": "TR-2"})).encode()
    rows = list(iter_jsonl_rows(data))
    assert [(row.number, row.external_id) for row in rows] == [(1, "TR-1"), (3, "TR-2")]
    assert rows[0].record == RECORD
    parse_row(rows[0].record)


def test_bad_lines_fail_alone_with_their_reason() -> None:
    data = b'[1, 2]\n{"kind": \n' + json.dumps(RECORD).encode() + b"\nNaN\n"
    rows = list(iter_jsonl_rows(data))
    assert rows[0].error == "each line must be one JSON object (a record)"
    assert rows[1].error is not None
    assert rows[1].error.startswith("not valid JSON:")
    assert rows[2].record == RECORD
    assert rows[3].error == "not valid JSON: NaN is not a JSON value"


def test_deep_nesting_fails_its_line_without_crashing() -> None:
    rows = list(iter_jsonl_rows(b"[" * 100_000 + b"]" * 100_000 + b"\n"))
    assert rows[0].error is not None


def test_a_default_kind_fills_records_without_one() -> None:
    record = {key: value for key, value in RECORD.items() if key != "kind"}
    rows = list(iter_jsonl_rows(json.dumps(record).encode(), default_kind="enquiry"))
    assert rows[0].record is not None
    assert rows[0].record["kind"] == "enquiry"


def test_a_byte_order_mark_and_crlf_are_accepted() -> None:
    rows = list(iter_jsonl_rows(b"\xef\xbb\xbf" + json.dumps(RECORD).encode() + b"\r\n"))
    assert rows[0].record == RECORD


def test_latin1_is_a_file_error_naming_the_line() -> None:
    data = json.dumps(RECORD).encode() + b"\n" + '{"x": "Zoë"}\n'.encode("latin-1")
    with pytest.raises(FormatError, match="line 2 is not valid UTF-8"):
        list(iter_jsonl_rows(data))


def test_a_large_stream_is_read_lazily() -> None:
    produced = 0

    def lines() -> Iterator[bytes]:
        nonlocal produced
        for index in range(200_000):
            produced += 1
            yield (json.dumps({**RECORD, "external_id": f"TR-{index}"}) + "\n").encode()

    assert next(iter_jsonl_rows(lines())).external_id == "TR-0"
    assert produced < 10


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=500))
def test_any_bytes_give_rows_or_a_format_error(data: bytes) -> None:
    try:
        rows = list(iter_jsonl_rows(data))
    except FormatError:
        return
    assert all((row.record is None) != (row.error is None) for row in rows)
