"""PFIF import and export: Person Finder's test documents, versions, attacks, round trips."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.formats.pfif import EXTENSION_NAMESPACE, PfifReader
from service.formats.pfif_export import PFIF_1_4_NAMESPACE, iter_pfif_export
from service.formats.rows import DuplicateLink, FormatError, ParsedRow, export_body
from service.imports import RowFailed, parse_row
from service.store.records import body_hash

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "pfif"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason="Person Finder's PFIF test documents are not beside the repo"
)
CONSENT = {"tracing": True, "share_with_partners": False, "given_by": "agency"}


def sample(name: str) -> bytes:
    return (SAMPLES / f"personfinder-{name}.xml").read_bytes()


def read(data: bytes, **options: Any) -> tuple[PfifReader, list[ParsedRow]]:
    reader = PfifReader(data, **options)
    return reader, list(reader.rows())


def pfif(version: str, *people: str, extra_namespaces: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<pfif:pfif '
        f'xmlns:pfif="http://zesty.ca/pfif/{version}"{extra_namespaces}>'
        + "".join(people)
        + "</pfif:pfif>"
    ).encode()


def person(**fields: str) -> str:
    return (
        "<pfif:person>"
        + "".join(f"<pfif:{name}>{value}</pfif:{name}>" for name, value in fields.items())
        + "</pfif:person>"
    )


def schema_problem(row: ParsedRow) -> str | None:
    assert row.record is not None
    try:
        parse_row(row.record)
    except RowFailed as failure:
        return str(failure)
    return None


# -- Person Finder's own test documents -----------------------------------------------------


@needs_samples
def test_every_person_finder_sample_reads_with_errors_one_by_one() -> None:
    files = sorted(SAMPLES.glob("personfinder-*.xml"))
    assert len(files) == 7
    for path in files:
        reader, rows = read(path.read_bytes(), consent=CONSENT)
        assert reader.version in ("1.1", "1.2", "1.4"), path.name
        for row in rows:
            assert (row.record is None) != (row.error is None)
            assert row.external_id, path.name
            if row.record is not None:
                # Person Finder's placeholder postcode, "_test_home_postal_code", is longer
                # than any real one and than our schema allows: that person fails alone.
                problem = schema_problem(row)
                assert problem in (
                    None,
                    "sought.0.last_known_address.postcode: is longer than 20 characters",
                ), (path.name, problem)


@needs_samples
def test_pfif_1_1_names_come_from_first_and_last_name() -> None:
    reader, rows = read(sample("test.pfif-1.1"), consent=CONSENT)
    assert reader.version == "1.1"
    assert rows[0].record == {
        "kind": "enquiry",
        "external_id": "test.google.com/person.21009",
        "sought": [
            {
                "full_name": "_test_first_name _test_last_name",
                "given_name": "_test_first_name",
                "family_name": "_test_last_name",
                "last_known_address": {
                    "street": "_test_home_street",
                    "admin2": "_test_home_neighborhood",
                    "locality": "_test_home_city",
                    "admin1": "_test_home_state",
                    "postcode": "_test_home_zip",
                },
            }
        ],
        "consent": CONSENT,
    }
    assert schema_problem(rows[0]) is None


@needs_samples
def test_pfif_1_2_adds_sex_birth_date_and_age_as_of_the_source_date() -> None:
    _, rows = read(sample("global-test.pfif-1.2-source"), consent=CONSENT)
    assert rows[0].record is not None
    child = rows[0].record["sought"][0]
    assert (child["sex"], child["date_of_birth"], child["age"], child["age_as_of"]) == (
        "female",
        "1970-01",
        "35-45",
        "2000-01-01",
    )
    assert schema_problem(rows[0]) is None


@needs_samples
def test_pfif_1_4_multi_line_names_become_other_names() -> None:
    reader, rows = read(sample("test.pfif-1.4"))
    assert reader.version == "1.4"
    assert rows[0].record is not None
    child = rows[0].record["sought"][0]
    assert child["full_name"] == "_test_full_name1"
    assert child["given_name"] == "_test_given_name"
    assert child["family_name"] == "_test_family_name"
    assert child["other_names"] == [
        "_test_full_name2",
        "_test_alternate_name1",
        "_test_alternate_name2",
    ]
    assert child["last_known_address"]["locality"] == "_test_home_city"  # whitespace trimmed


@needs_samples
def test_author_photo_description_and_note_content_are_not_kept() -> None:
    reader, rows = read(sample("test.pfif-1.4"))
    kept = repr(rows) + repr(reader.note_counts) + repr(reader.duplicate_links)
    for dropped in ("_test_author", "photo", "description", "profile_url", "inna", "_test_text"):
        assert dropped not in kept


@needs_samples
def test_without_consent_parameters_records_have_no_consent() -> None:
    _, rows = read(sample("test.pfif-1.2"))
    assert rows[0].record is not None
    assert "consent" not in rows[0].record


@needs_samples
def test_a_linked_person_record_id_becomes_a_duplicate_link_and_statuses_are_counted() -> None:
    reader, _ = read(sample("test.pfif-1.2"))
    assert reader.duplicate_links == [
        DuplicateLink("test.google.com/person.21009", "test.google.com/person.999")
    ]
    assert reader.note_counts.notes == 4
    assert reader.note_counts.author_made_contact == 1
    assert reader.note_counts.statuses == {"believed_missing": 2, "is_note_author": 1}


@needs_samples
def test_top_level_notes_give_links_and_counts_without_rows() -> None:
    reader, rows = read(sample("test.pfif-1.2-note"))
    assert rows == []
    assert reader.duplicate_links == [
        DuplicateLink("test.google.com/person.21009", "test.google.com/person.999")
    ]
    reader, rows = read(sample("test.pfif-1.2-believed-dead"))
    assert rows == []
    assert reader.note_counts.statuses == {"believed_dead": 1}


@needs_samples
def test_a_person_of_another_domain_fails_alone_when_a_domain_is_required() -> None:
    _, rows = read(sample("test.pfif-1.2-badrecord"), domain="test.google.com")
    assert rows[0].record is not None
    assert rows[1] == ParsedRow(
        2, None, "person_record_id: not of the domain test.google.com", "foo.google.com/person.666"
    )


@needs_samples
def test_persons_can_be_read_as_tracing_requests() -> None:
    _, rows = read(sample("test.pfif-1.4"), kind="tracing_request")
    assert rows[0].record is not None
    assert rows[0].record["kind"] == "tracing_request"
    assert rows[0].record["subject"]["full_name"] == "_test_full_name1"


@needs_samples
def test_reading_a_sample_twice_gives_the_same_records() -> None:
    assert read(sample("test.pfif-1.4"))[1] == read(sample("test.pfif-1.4"))[1]


# -- per-person errors -----------------------------------------------------------------------


def test_malformed_persons_fail_one_by_one_and_the_others_go_on() -> None:
    data = pfif(
        "1.4",
        person(full_name="No Id"),
        person(person_record_id="ngo.example/1"),
        person(person_record_id="ngo.example/2", full_name="Bad Date", date_of_birth="2015-02-30"),
        person(person_record_id="ngo.example/3", full_name="Bad Sex", sex="boy"),
        person(person_record_id="ngo.example/4", full_name="Bad Age", age="about 9"),
        person(
            person_record_id="ngo.example/5",
            full_name="Fine Person",
            age="9",
            source_date="2024-06-01T12:00:00Z",
        ),
        person(person_record_id="ngo.example/" + "x" * 200, full_name="Long Id"),
    )
    _, rows = read(data)
    assert [(row.number, row.external_id) for row in rows[:6]] == [
        (1, None),
        (2, "ngo.example/1"),
        (3, "ngo.example/2"),
        (4, "ngo.example/3"),
        (5, "ngo.example/4"),
        (6, "ngo.example/5"),
    ]
    errors = [row.error or "" for row in rows]
    assert errors[0].startswith("person_record_id: missing")
    assert errors[1].startswith("no name")
    assert errors[2].startswith("date_of_birth: is not a real date")
    assert errors[3].startswith("sex:")
    assert errors[4].startswith("age:")
    assert rows[5].record is not None
    assert rows[5].record["sought"][0]["age_as_of"] == "2024-06-01"
    assert errors[6].startswith("person_record_id: longer than 200")


def test_an_expired_person_fails_and_a_future_expiry_does_not() -> None:
    data = pfif(
        "1.4",
        person(person_record_id="a/1", full_name="Old", expiry_date="2001-01-01T00:00:00Z"),
        person(person_record_id="a/2", full_name="Current", expiry_date="2099-01-01T00:00:00Z"),
        person(person_record_id="a/3", full_name="Garbled", expiry_date="next week"),
    )
    _, rows = read(data, now=datetime(2026, 1, 1, tzinfo=UTC))
    assert rows[0].error is not None
    assert rows[0].error.startswith("expired on 2001-01-01")
    assert rows[1].record is not None
    assert rows[2].error is not None
    assert rows[2].error.startswith("expiry_date:")


def test_an_age_without_any_date_cannot_say_when_it_was_true() -> None:
    _, rows = read(pfif("1.2", person(person_record_id="a/1", first_name="A", age="9")))
    assert rows[0].error is not None
    assert "when it was estimated" in rows[0].error


def test_names_in_their_own_scripts_are_kept_as_written() -> None:
    data = pfif(
        "1.4",
        person(
            person_record_id="a/1", full_name="Мария Иванова\nMaria Ivanova", alternate_names="Маша"
        ),
    )
    _, rows = read(data)
    assert rows[0].record is not None
    assert rows[0].record["sought"][0]["full_name"] == "Мария Иванова"
    assert rows[0].record["sought"][0]["other_names"] == ["Maria Ivanova", "Маша"]


def test_an_unknown_kind_is_refused_up_front() -> None:
    with pytest.raises(ValueError, match="kind"):
        PfifReader(b"", kind="person")


# -- unsafe and malformed documents ------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4"><pfif:person>
<pfif:person_record_id>a/1</pfif:person_record_id><pfif:full_name>&lol9;</pfif:full_name>
</pfif:person></pfif:pfif>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE pfif [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4"><pfif:person>
<pfif:person_record_id>a/1</pfif:person_record_id><pfif:full_name>&secret;</pfif:full_name>
</pfif:person></pfif:pfif>"""


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "xxe"])
def test_entity_expansion_and_external_entities_are_refused(document: bytes) -> None:
    with pytest.raises(FormatError, match="refused: the document declares a DTD"):
        read(document)


def test_a_dtd_alone_is_refused() -> None:
    with pytest.raises(FormatError, match="refused"):
        read(b'<!DOCTYPE pfif SYSTEM "http://localhost/pfif.dtd">' + pfif("1.4")[39:])


def test_malformed_xml_names_the_line() -> None:
    with pytest.raises(FormatError, match="malformed at line 2"):
        read(b'<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4">\n<pfif:person></pfif:pfif>')


def test_a_document_that_is_not_pfif_is_refused() -> None:
    with pytest.raises(FormatError, match="not a PFIF document"):
        read(b'<feed xmlns="http://www.w3.org/2005/Atom"/>')


def test_latin1_declared_as_utf8_is_a_clear_error() -> None:
    data = pfif("1.4", person(person_record_id="a/1", full_name="Zoë")).decode()
    with pytest.raises(FormatError, match="not in the encoding its first line declares"):
        read(data.encode("latin-1"))


def test_latin1_declared_as_latin1_is_read() -> None:
    data = pfif("1.4", person(person_record_id="a/1", full_name="Zoë")).decode()
    data = data.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    _, rows = read(data.encode("latin-1"))
    assert rows[0].record is not None
    assert rows[0].record["sought"][0]["full_name"] == "Zoë"


def test_a_large_document_is_read_lazily() -> None:
    produced = 0

    def chunks() -> Iterator[bytes]:
        nonlocal produced
        yield b'<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4">'
        for index in range(200_000):
            produced += 1
            yield person(person_record_id=f"a/{index}", full_name=f"Child {index}").encode()
        yield b"</pfif:pfif>"

    first = next(PfifReader(chunks()).rows())
    assert first.external_id == "a/0"
    assert produced < 2_000


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=500))
def test_any_bytes_give_rows_or_a_format_error(data: bytes) -> None:
    with contextlib.suppress(FormatError):
        read(data)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_inside_a_person_gives_rows_or_a_format_error(text: str) -> None:
    data = pfif("1.2", "<pfif:person>" + text + "</pfif:person>")
    try:
        _, rows = read(data.decode("utf-8", errors="replace").encode())
    except FormatError:
        return
    assert all((row.record is None) != (row.error is None) for row in rows)


# -- export and round trips ------------------------------------------------------------------


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
            "share_with_partners": True,
            "given_by": "parent",
            "date": None,
        },
        "relatives": [],
        "separation": None,
        "created_at": "2025-03-01T10:00:00Z",
        "updated_at": "2025-03-02T11:30:00.123456+00:00",
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
                "other_names": ["Shah"],
                "sex": "male",
                "date_of_birth": "2014",
                "age": "10-12",
                "age_as_of": "2025-01-15",
                "last_known_address": {
                    "country": "AF",
                    "admin1": "Herat",
                    "admin2": "Injil",
                    "locality": "Guzara",
                    "street": "Street 4",
                    "postcode": "3001",
                },
                "place_of_origin": {"country": "AF", "admin1": "Herat"},
                "languages": ["prs"],
                "identifiers": [{"type": "unhcr", "value": "AFG-123"}],
                "distinguishing_marks": "burn mark <right hand> & scar\r\nsecond line",
            },
            relatives=[{"full_name": "Gul Bibi", "relationship": "mother", "sex": "female"}],
            separation={"date": "2023-09", "place": {"country": "TR", "locality": "Van"}},
        ),
        record_out(
            "enquiry",
            "EN-1",
            status="closed",
            sought=[
                {"full_name": "Mariam  Haddad", "sex": "unknown", "age": 7},
                {"full_name": "Yusuf Haddad", "sex": "male", "age": 8.5},
            ],
            enquirer={
                "full_name": "Rania Haddad",
                "relationship": "mother",
                "contact": {"phone": "+961 1 234 567", "email": "rania@example.org"},
            },
        ),
        record_out(
            "enquiry",
            "EN/2 with spaces",
            status="matched",
            sought=[{"full_name": "Li Wei 李伟", "other_names": ["Li Wei 李伟", "Wei"]}],
        ),
    ]


def fingerprint(record: dict[str, Any]) -> str:
    return body_hash(parse_row(record))


def export(records: list[dict[str, Any]], domain: str = "agency.example") -> bytes:
    return "".join(iter_pfif_export(records, domain=domain)).encode("utf-8")


def test_export_then_import_gives_the_same_record_bodies() -> None:
    records = sample_records()
    reader, rows = read(export(records))
    assert [row.error for row in rows] == [None, None, None]
    for original, row in zip(records, rows, strict=True):
        assert row.record is not None
        assert row.external_id == original["external_id"]
        assert fingerprint(row.record) == fingerprint(export_body(original))
    assert reader.duplicate_links == []


@needs_samples
def test_import_export_import_changes_nothing() -> None:
    _, first = read(sample("test.pfif-1.4"), consent=CONSENT)
    assert first[0].record is not None
    body = copy.deepcopy(first[0].record)
    body["sought"][0]["last_known_address"]["postcode"] = "_test_postcode"  # see above
    stored = record_out("enquiry", body["external_id"], sought=body["sought"], consent=CONSENT)
    _, again = read(export([stored]))
    assert again[0].record is not None
    assert fingerprint(again[0].record) == fingerprint(body)


def test_export_is_pfif_1_4_with_the_child_in_pfif_fields() -> None:
    root = ElementTree.fromstring(export(sample_records()))
    pfif_ns = "{" + PFIF_1_4_NAMESPACE + "}"
    people = root.findall(f"{pfif_ns}person")
    assert len(people) == 3
    first = {child.tag.removeprefix(pfif_ns): child.text for child in people[0]}
    assert first["person_record_id"] == "agency.example/TR-1"
    assert first["full_name"] == "Ahmad Shah Karimi"
    assert first["sex"] == "male"
    assert first["age"] == "10-12"
    assert first["home_city"] == "Guzara"
    assert first["home_neighborhood"] == "Injil"
    assert first["home_country"] == "AF"
    assert first["source_date"] == "2025-03-02T11:30:00Z"
    extension = people[0].find("{" + EXTENSION_NAMESPACE + "}record")
    assert extension is not None
    assert extension.get("kind") == "tracing_request"
    paths = {field.get("path") for field in extension}
    assert {
        "external_id",
        "consent.tracing",
        "relatives.0.relationship",
        "separation.date",
        "subject.native_name",
        "subject.age_as_of",
    } <= paths
    assert "subject.full_name" not in paths  # PFIF's own field carries it exactly


def test_export_leaves_out_contact_details_and_the_matched_status() -> None:
    text = export(sample_records()).decode()
    assert "961" not in text
    assert "rania@example.org" not in text
    assert "matched" not in text
    assert '<ftr:field path="status">closed</ftr:field>' in text


def test_export_leaves_out_characters_xml_cannot_carry() -> None:
    record = record_out("enquiry", "EN-9", sought=[{"full_name": "Odd\uffffName"}])
    _, rows = read(export([record]))
    assert rows[0].record is not None
    assert rows[0].record["sought"][0]["full_name"] == "OddName"


def test_export_needs_a_domain_without_a_slash() -> None:
    with pytest.raises(ValueError, match="domain"):
        list(iter_pfif_export([], domain="a/b"))


def test_export_streams_one_chunk_per_record() -> None:
    chunks = list(iter_pfif_export(sample_records(), domain="agency.example"))
    assert len(chunks) == 2 + 3
