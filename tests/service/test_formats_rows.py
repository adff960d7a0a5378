"""Dotted paths, cell typing, columns from the schema, and reading bytes line by line."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.formats.rows import (
    FormatError,
    RowError,
    cells_of_record,
    column_problem,
    column_sort_key,
    decode_line,
    export_body,
    flatten,
    is_boolean_column,
    iter_lines,
    protect_formula,
    record_from_cells,
    unflatten,
    unprotect_formula,
    with_file_consent,
)


def test_flatten_names_each_leaf_by_its_dotted_path() -> None:
    record = {
        "subject": {"full_name": "Amina Yusuf", "other_names": ["Mina", "Ami"]},
        "relatives": [{"relationship": "mother", "full_name": "Hawa Yusuf"}],
    }
    assert flatten(record) == {
        "subject.full_name": "Amina Yusuf",
        "subject.other_names.0": "Mina",
        "subject.other_names.1": "Ami",
        "relatives.0.relationship": "mother",
        "relatives.0.full_name": "Hawa Yusuf",
    }


def test_flatten_leaves_out_none_and_empty_lists() -> None:
    assert flatten({"subject": {"full_name": "A", "given_name": None, "languages": []}}) == {
        "subject.full_name": "A"
    }


def test_unflatten_rebuilds_lists_in_index_order_closing_gaps() -> None:
    assert unflatten({"relatives.2.full_name": "B", "relatives.0.full_name": "A"}) == {
        "relatives": [{"full_name": "A"}, {"full_name": "B"}]
    }


def test_a_path_that_is_both_a_value_and_a_group_is_a_row_error() -> None:
    with pytest.raises(RowError, match="subject"):
        unflatten({"subject": "x", "subject.full_name": "y"})


_KEYS = st.text(alphabet="abcdefghij_", min_size=1, max_size=6)
_LEAVES = st.one_of(st.text(max_size=10), st.booleans(), st.integers(-5, 200))
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3),
        st.dictionaries(_KEYS, inner, min_size=1, max_size=3),
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_KEYS, _VALUES, min_size=1, max_size=4))
def test_unflatten_inverts_flatten(record: dict[str, Any]) -> None:
    assert unflatten(flatten(record)) == record


def test_columns_come_from_the_schema() -> None:
    for column in (
        "kind",
        "external_id",
        "consent.tracing",
        "subject.full_name",
        "subject.age",
        "subject.other_names.0",
        "subject.languages.3",
        "subject.identifiers.0.type",
        "subject.place_of_origin.country",
        "relatives.0.relationship",
        "sought.9.date_of_birth",
        "enquirer.contact.phone",
        "separation.place.locality",
    ):
        assert column_problem(column) is None, column


@pytest.mark.parametrize(
    ("column", "reason"),
    [
        ("nickname", "not a field"),
        ("subject", "group of fields"),
        ("subject.other_names", "number its items"),
        ("relatives.first.full_name", "number its items"),
        ("relatives.01.full_name", "number its items"),
        ("subject.full_name.latin", "no fields inside"),
    ],
)
def test_a_column_that_is_not_a_field_says_why(column: str, reason: str) -> None:
    problem = column_problem(column)
    assert problem is not None
    assert reason in problem


def test_only_consent_flags_are_boolean_columns() -> None:
    assert is_boolean_column("consent.tracing")
    assert is_boolean_column("consent.share_with_partners")
    assert not is_boolean_column("subject.age")
    assert not is_boolean_column("consent.given_by")


def test_columns_sort_in_schema_order_with_list_items_together() -> None:
    columns = [
        "relatives.1.full_name",
        "subject.full_name",
        "relatives.0.relationship",
        "kind",
        "relatives.0.full_name",
        "external_id",
        "consent.tracing",
    ]
    assert sorted(columns, key=column_sort_key) == [
        "kind",
        "external_id",
        "consent.tracing",
        "subject.full_name",
        "relatives.0.full_name",
        "relatives.0.relationship",
        "relatives.1.full_name",
    ]


def test_cells_are_text_except_consent_booleans_and_empty_means_absent() -> None:
    record = record_from_cells(
        {
            "consent.tracing": "TRUE",
            "consent.share_with_partners": "false",
            "subject.full_name": "Omar Haidari",
            "subject.age": "9",
            "subject.date_of_birth": "",
            "subject.given_name": "   ",
        }
    )
    assert record == {
        "consent": {"tracing": True, "share_with_partners": False},
        "subject": {"full_name": "Omar Haidari", "age": "9"},
    }


def test_a_boolean_cell_that_is_not_true_or_false_is_a_row_error() -> None:
    with pytest.raises(RowError, match=r"consent\.tracing: must be true or false"):
        record_from_cells({"consent.tracing": "yes"})


def test_cells_of_a_record_read_back_as_the_record() -> None:
    record = {
        "kind": "tracing_request",
        "consent": {"tracing": True, "given_by": "child"},
        "subject": {"full_name": "Leyla Karimi", "age": "8-10", "languages": ["prs", "fas"]},
    }
    assert record_from_cells(cells_of_record(record)) == record


@pytest.mark.parametrize("text", ["=SUM(A1)", "+1", "-x", "@cmd", "'quoted", "''", "'="])
def test_formula_protection_is_undone_on_import(text: str) -> None:
    protected = protect_formula(text)
    assert protected.startswith("'")
    assert unprotect_formula(protected) == text


def test_plain_text_is_not_protected_and_a_lone_apostrophe_stays() -> None:
    assert protect_formula("Amina") == "Amina"
    assert unprotect_formula("'Abd al-Rahman") == "'Abd al-Rahman"


def test_export_body_drops_service_fields_contact_and_status_but_closed() -> None:
    out = {
        "id": "rec_1",
        "kind": "enquiry",
        "external_id": "EN-1",
        "status": "matched",
        "organisation": {"id": "org", "name": "Agency"},
        "consent": {"tracing": True, "share_with_partners": False, "given_by": "parent"},
        "sought": [{"full_name": "Sara Haddad"}],
        "enquirer": {
            "full_name": "Rania Haddad",
            "relationship": "mother",
            "contact": {"phone": "+961 1 234 567"},
        },
        "relatives": [],
        "separation": None,
        "created_at": "2025-01-01T00:00:00Z",
        "updated_at": "2025-01-01T00:00:00Z",
    }
    body = export_body(out)
    assert set(body) == {"kind", "external_id", "consent", "sought", "enquirer"}
    assert "contact" not in body["enquirer"]
    assert export_body({**out, "status": "closed"})["status"] == "closed"


def test_file_consent_applies_only_to_records_without_their_own() -> None:
    file_consent = {"tracing": True, "given_by": "agency"}
    assert with_file_consent({"kind": "enquiry"}, file_consent)["consent"] == file_consent
    own = {"kind": "enquiry", "consent": {"tracing": False, "given_by": "parent"}}
    assert with_file_consent(own, file_consent) == own
    assert "consent" not in with_file_consent({"kind": "enquiry"}, None)


def test_lines_are_numbered_across_chunk_boundaries() -> None:
    chunks = [b"ab", b"c\nde", b"f\n", b"\n", b"last"]
    assert list(iter_lines(chunks)) == [(1, b"abc\n"), (2, b"def\n"), (3, b"\n"), (4, b"last")]


def test_a_line_longer_than_the_limit_is_a_format_error() -> None:
    with pytest.raises(FormatError, match="line 2 is longer than"):
        list(iter_lines([b"ok\n", b"x" * 100], max_line_bytes=50))


def test_a_utf8_byte_order_mark_on_line_one_is_dropped() -> None:
    assert decode_line(1, "\ufeffkind\n".encode()) == "kind\n"


def test_latin1_sent_as_utf8_names_the_line_and_the_encoding() -> None:
    with pytest.raises(FormatError) as raised:
        decode_line(7, "Zoë Müller\n".encode("latin-1"))
    message = str(raised.value)
    assert "line 7 is not valid UTF-8" in message
    assert "0xEB" in message
    assert "Latin-1 or Windows-1252" in message


def test_utf16_is_refused_with_its_name() -> None:
    with pytest.raises(FormatError, match="UTF-16"):
        decode_line(1, "kind\n".encode("utf-16"))
