"""PFIF 1.4 export of records, streamed, readable back by `service.formats.pfif`.

One `<pfif:person>` per record: the child (a tracing request's `subject`, an enquiry's first
sought child) in PFIF's own fields, for any PFIF reader; the rest of the record in the
extension namespace `EXTENSION_NAMESPACE` (prefix `ftr`), for this service.

PFIF's own fields, filled from our model (names in their own scripts, as written):
- `person_record_id`: `<domain>/<external_id>`, with the domain the caller configures;
- `entry_date` and `source_date`: when the record was last updated here; `author_name` and
  `source_name`: the organisation that holds it (not a person);
- `full_name`, `given_name`, `family_name`, `alternate_names` (other names, one per line),
  `sex` (female, male, other; absent when unknown), `date_of_birth`, `age` (when it is a
  PFIF age: "N" or "N-M");
- `home_street`, `home_neighborhood`, `home_city`, `home_state`, `home_postal_code`,
  `home_country` from `last_known_address` (street, admin2, locality, admin1, postcode,
  country): the home before separation, as the importer reads it.

The extension, inside each person, after PFIF's fields::

    <ftr:record kind="enquiry">
      <ftr:field path="external_id">EN-17</ftr:field>
      <ftr:field path="consent.tracing">true</ftr:field>
      <ftr:field path="sought.0.age" type="number">9</ftr:field>
      <ftr:field path="sought.1.full_name">…</ftr:field>
      <ftr:field path="relatives.0.relationship">mother</ftr:field>
      <ftr:field path="separation.date">2023-02</ftr:field>
    </ftr:record>

`kind` says which person PFIF's fields describe (`subject` or `sought.0`). Each field is one
dotted path of the record with the cell rules of `service.formats.rows` (booleans `true` or
`false`; `type="number"` marks a number). It holds every field of the record that PFIF's
fields do not carry exactly: external_id, consent, status `closed`, the other sought
children, relatives, the enquirer, separation, and the child's native name, age_as_of,
nationality, languages, identifiers, distinguishing marks and place of origin. Of the
child's names, sex, date of birth, age and address, a group goes into the extension only
when PFIF's field would not read back the same (a numeric age, two spaces in a name).

Not exported: the enquirer's contact details (the most dangerous data the service holds,
and an export leaves the service); the status `matched` and any match or duplicate link
(review outcomes, disclosed only by a reviewer's decision); the service's own ids.
Characters that XML 1.0 cannot carry at all (such as U+FFFF) are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from service.formats.pfif import (
    CORE_GROUP_OF,
    EXTENSION_NAMESPACE,
    core_person_path,
    person_from_pfif,
)
from service.formats.rows import RowError, cell_text, export_body, flatten

PFIF_1_4_NAMESPACE = "http://zesty.ca/pfif/1.4"
_PFIF_AGE = re.compile(r"\d{1,3}(-\d{1,3})?")
_NOT_IN_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_HOME_FIELDS = (
    ("home_street", "street"),
    ("home_neighborhood", "admin2"),
    ("home_city", "locality"),
    ("home_state", "admin1"),
    ("home_postal_code", "postcode"),
    ("home_country", "country"),
)


def iter_pfif_export(records: Iterable[Mapping[str, Any]], *, domain: str) -> Iterator[str]:
    """PFIF 1.4 text of `records` (RecordOut as JSON), in chunks: one per record.

    `domain` prefixes person_record_ids (`<domain>/<external_id>`): the exporting
    organisation's own domain, so that ids stay unique among PFIF repositories.
    """
    if not domain or "/" in domain:
        raise ValueError("domain must be a non-empty name without '/', such as ngo.example")
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<pfif:pfif xmlns:pfif="{PFIF_1_4_NAMESPACE}" xmlns:ftr="{EXTENSION_NAMESPACE}">\n'
    )
    for record in records:
        yield _person_xml(record, domain)
    yield "</pfif:pfif>\n"


def _person_xml(record: Mapping[str, Any], domain: str) -> str:
    body = export_body(record)
    kind = body["kind"]
    core_path = core_person_path(kind)
    person = body["subject"] if kind == "tracing_request" else body["sought"][0]
    core = _core_fields(person)
    carried_groups = _groups_pfif_cannot_carry(person, core)
    updated = _pfif_datetime(record.get("updated_at"))
    organisation = record.get("organisation")
    organisation_name = organisation.get("name") if isinstance(organisation, Mapping) else None
    header = {
        "person_record_id": f"{domain}/{body['external_id']}",
        "entry_date": updated,
        "author_name": organisation_name,
        "source_name": organisation_name,
        "source_date": updated,
    }
    lines = ["  <pfif:person>\n"]
    for name, value in [*header.items(), *core.items()]:
        if value:
            lines.append(f"    <pfif:{name}>{_xml_text(value)}</pfif:{name}>\n")
    lines.append(f"    <ftr:record kind={quoteattr(kind)}>\n")
    prefix = core_path + "."
    for path, value in flatten(body).items():
        if path == "kind":
            continue
        if path.startswith(prefix):
            group = CORE_GROUP_OF.get(path[len(prefix) :].split(".")[0])
            if group is not None and group not in carried_groups:
                continue
        number = isinstance(value, int | float) and not isinstance(value, bool)
        type_attribute = ' type="number"' if number else ""
        lines.append(
            f"      <ftr:field path={quoteattr(path)}{type_attribute}>"
            f"{_xml_text(cell_text(value))}</ftr:field>\n"
        )
    lines.append("    </ftr:record>\n  </pfif:person>\n")
    return "".join(lines)


def _core_fields(person: Mapping[str, Any]) -> dict[str, str]:
    """PFIF's own fields for our person, as text, in PFIF 1.4's order."""
    fields: dict[str, str] = {}
    for name in ("full_name", "given_name", "family_name"):
        if person.get(name):
            fields[name] = str(person[name])
    if person.get("other_names"):
        fields["alternate_names"] = "\n".join(str(name) for name in person["other_names"])
    if person.get("sex") in ("female", "male", "other"):
        fields["sex"] = str(person["sex"])
    if person.get("date_of_birth"):
        fields["date_of_birth"] = str(person["date_of_birth"])
    age = person.get("age")
    if age is not None and not isinstance(age, bool) and _PFIF_AGE.fullmatch(str(age)):
        fields["age"] = str(age)
    address = person.get("last_known_address") or {}
    for pfif_name, our_name in _HOME_FIELDS:
        if address.get(our_name):
            fields[pfif_name] = str(address[our_name])
    return fields


def _groups_pfif_cannot_carry(person: Mapping[str, Any], core: Mapping[str, str]) -> set[str]:
    """The groups of the person that PFIF's fields would not read back exactly."""
    groups = set(CORE_GROUP_OF.values())
    try:
        read_back = person_from_pfif({name: _NOT_IN_XML.sub("", v) for name, v in core.items()})
    except RowError:
        return groups
    return {
        group for group in groups if _group_values(person, group) != _group_values(read_back, group)
    }


def _group_values(person: Mapping[str, Any], group: str) -> dict[str, Any]:
    values = {key: value for key, value in person.items() if CORE_GROUP_OF.get(key) == group}
    if values.get("sex") == "unknown":
        del values["sex"]  # what an absent sex means
    return flatten(values)


def _xml_text(text: str) -> str:
    # A carriage return written as is would be read back as a newline (XML normalises line
    # ends); a character reference survives.
    return escape(_NOT_IN_XML.sub("", text)).replace("\r", "&#13;")


def _pfif_datetime(value: Any) -> str | None:
    """PFIF's `YYYY-MM-DDThh:mm:ssZ` (UTC) of a datetime or its ISO text."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
