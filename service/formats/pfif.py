"""PFIF import (`application/xml`): People Finder Interchange Format 1.1 to 1.4.

PFIF is what Google Person Finder and disaster registries exchange. A PFIF `<person>` is one
person someone is looking for or has found; it becomes one record of ours.

Safety. The document is parsed with defusedxml, element by element (the tree is freed after
each `<person>`), and any DTD is refused: PFIF needs none, and a DTD is how entity expansion
("billion laughs") and external entities (reading local files, reaching internal hosts) get
in. Such a file is a `FormatError`, as is malformed XML or a root that is not PFIF's.

How a person maps (all versions; fields a version lacks are simply absent):
- kind: `enquiry` by default, the PFIF person being the child sought (`sought.0`), since a
  PFIF registry lists people someone is looking for; `tracing_request` on request (the
  person is then the `subject`).
- `person_record_id` -> `external_id`, whole (`domain/id`): PFIF record ids are globally
  unique, so importing the same file again finds the same records. At most 200 characters;
  a longer one fails its person rather than being cut (two cut ids could collide). With
  `domain` given, an id of another domain fails its person, as Person Finder does.
- `full_name` -> `full_name`; its further lines (PFIF allows a name per line, such as the
  name in another script) and the lines of `alternate_names` -> `other_names`. Without a
  `full_name`: `given_name family_name` (1.4), or `first_name last_name` (1.1 and 1.2).
  `given_name`/`first_name` -> `given_name`, `family_name`/`last_name` -> `family_name`.
- `sex` (female, male, other), `date_of_birth` (YYYY, YYYY-MM, YYYY-MM-DD) as they are;
  `age` ("N" or "N-M") as text, with `age_as_of` the day of `source_date` (when the
  information was written down), else of `entry_date`.
- `home_street`, `home_neighborhood`, `home_city`, `home_state`, `home_postal_code` (1.1:
  `home_zip`), `home_country` -> `last_known_address` as street, admin2, locality, admin1,
  postcode, country. PFIF's home is where the person lived, which for a separated child is
  the last known address before separation; it is never read as a current location. A
  neighbourhood is not quite a second-level division, but it is the place name PFIF has
  between street and city, and the matcher compares it as a place name all the same.
- Dropped, as outside our model or not ours to hold: `photo_url`, `profile_urls`,
  `description` and `other` (free text that often carries contact details), `source_*`,
  and the `author_*` fields (who wrote the record: their relationship to the child is
  unknown, and contact details are the most dangerous data we could hold).
- Consent is not in PFIF: the caller passes the consent given for the whole file, or None,
  and then records have no consent at all (the API refuses them, which is right: nobody
  said this child may be traced). Nothing here invents consent.

Per-person errors (the person's position in the file and its record id when known): no
`person_record_id`, no name, an `expiry_date` in the past ("expired": PFIF says such data
must no longer be shared), a malformed `expiry_date`, `sex`, `date_of_birth` or `age`.

Notes (`<note>`, inside a person or at the top level) carry no record data. A note with a
`linked_person_record_id` becomes a `DuplicateLink` (its author says the two are the same
person): a hint for reviewers. Of the others only counts are kept (how many notes, which
`status` values, how many say the author made contact): their text, authors, contact
details and locations are personal data that has no place here.

The extension. A document this service wrote (see `pfif_export`) carries, inside each
person, a `<ftr:record kind="...">` element in the namespace `EXTENSION_NAMESPACE`, holding
`<ftr:field path="...">value</ftr:field>` elements: the dotted paths and cell rules of
`service.formats.rows` (`type="number"` marks a number). Such a person reads back exactly:
kind and external_id come from the extension, and nothing is inferred (no age_as_of from
source_date). Of the child's fields that PFIF's own fields give, a group (all names; sex;
date_of_birth; age; last_known_address) present in the extension replaces what PFIF's
fields say: the exporter writes a group there only when PFIF's fields cannot carry it
exactly (a numeric age, two spaces in a name).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml
from defusedxml import ElementTree as SafeElementTree

from service import schemas
from service.formats.rows import (
    ByteSource,
    DuplicateLink,
    FormatError,
    ParsedRow,
    RowError,
    column_problem,
    flatten,
    is_boolean_column,
    iter_chunks,
    parse_boolean,
    unflatten,
    with_file_consent,
)

PFIF_VERSIONS = {
    "http://zesty.ca/pfif/1.1": "1.1",
    "http://zesty.ca/pfif/1.2": "1.2",
    "http://zesty.ca/pfif/1.3": "1.3",
    "http://zesty.ca/pfif/1.4": "1.4",
}
EXTENSION_NAMESPACE = "urn:ftr-matching:pfif-extension:1"
KINDS = ("enquiry", "tracing_request")
MAX_EXTERNAL_ID = 200
# Elements one top-level <person> or <note> may hold: a real one has a few dozen.
MAX_ELEMENTS_PER_RECORD = 10_000

_PFIF_AGE = re.compile(r"\d{1,3}(-\d{1,3})?")


@dataclass(slots=True)
class NoteCounts:
    """What the notes of a file said, as counts only (no note content is kept)."""

    notes: int = 0
    duplicate_links: int = 0
    author_made_contact: int = 0
    statuses: Counter[str] = field(default_factory=Counter)


class PfifReader:
    """Reads a PFIF document: `rows()` yields a row per `<person>`; then see the links.

    After `rows()` is exhausted, `version` is the PFIF version read, `duplicate_links` the
    pairs the notes linked (in order, without repeats) and `note_counts` what notes said.
    """

    def __init__(
        self,
        source: ByteSource,
        *,
        kind: str = "enquiry",
        consent: Mapping[str, Any] | None = None,
        domain: str | None = None,
        now: datetime | None = None,
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        self._source = source
        self._kind = kind
        self._consent = consent
        self._domain = domain
        self._now = now or datetime.now(UTC)
        self._namespace = ""
        self.version: str | None = None
        self.duplicate_links: list[DuplicateLink] = []
        self.note_counts = NoteCounts()

    def rows(self) -> Iterator[ParsedRow]:
        """A row per `<person>`, lazily; `FormatError` for a file that is not safe PFIF."""
        stream = io.BufferedReader(_ChunkStream(iter_chunks(self._source)))
        events = SafeElementTree.iterparse(stream, ("start", "end"), forbid_dtd=True)
        try:
            yield from self._rows(events)
        except defusedxml.DefusedXmlException as error:
            raise FormatError(
                "refused: the document declares a DTD or entities "
                f"({type(error).__name__}). PFIF needs neither, and they are how entity "
                "expansion (billion laughs) and external entity attacks work"
            ) from None
        except ParseError as error:
            raise FormatError(_parse_error(error)) from None
        except FormatError:
            raise
        except (LookupError, UnicodeError, ValueError) as error:
            # expat's complaints about the declared encoding, such as an unknown one.
            raise FormatError(f"the XML cannot be read: {str(error)[:200]}") from None

    def _rows(self, events: Iterator[tuple[str, Element]]) -> Iterator[ParsedRow]:
        root: Element | None = None
        depth = 0
        elements_in_record = 0
        people = 0
        for event, element in events:
            if event == "start":
                depth += 1
                if root is None:
                    root = element
                    self._read_root(element)
                elif depth > 2:
                    elements_in_record += 1
                    if elements_in_record > MAX_ELEMENTS_PER_RECORD:
                        raise FormatError(
                            f"record {people + 1} holds more than "
                            f"{MAX_ELEMENTS_PER_RECORD:,} elements"
                        )
                continue
            depth -= 1
            if depth != 1 or root is None:
                continue
            namespace, name = _split(element.tag)
            if namespace == self._namespace and name == "person":
                people += 1
                yield self._person(people, element)
            elif namespace == self._namespace and name == "note":
                self._note(element, enclosing_external_id=None)
            # Done with this child of the root: let it go, so that memory stays flat.
            root.remove(element)
            elements_in_record = 0

    def _read_root(self, element: Element) -> None:
        namespace, name = _split(element.tag)
        version = PFIF_VERSIONS.get(namespace)
        if name != "pfif" or version is None:
            raise FormatError(
                f"not a PFIF document: the root element is {name!r} in the namespace "
                f"{namespace or '(none)'!r}; PFIF's is 'pfif' in http://zesty.ca/pfif/1.4 "
                "(or 1.1 to 1.3)"
            )
        self._namespace = namespace
        self.version = version

    # -- persons ----------------------------------------------------------------------------

    def _person(self, number: int, element: Element) -> ParsedRow:
        fields: dict[str, str] = {}
        notes: list[Element] = []
        extension: Element | None = None
        for child in element:
            namespace, name = _split(child.tag)
            if namespace == self._namespace:
                if name == "note":
                    notes.append(child)
                else:
                    fields.setdefault(name, child.text or "")
            elif namespace == EXTENSION_NAMESPACE and name == "record":
                extension = child
        record_id = _one_line(fields.get("person_record_id"))
        try:
            record = self._record(record_id, fields, extension)
        except RowError as error:
            return ParsedRow.failed(number, str(error), record_id)
        row = ParsedRow.ok(number, with_file_consent(record, self._consent))
        for note in notes:
            self._note(note, enclosing_external_id=row.external_id)
        return row

    def _record(
        self, record_id: str | None, fields: Mapping[str, str], extension: Element | None
    ) -> dict[str, Any]:
        if not record_id:
            raise RowError("person_record_id: missing; PFIF requires one for every person")
        if len(record_id) > MAX_EXTERNAL_ID:
            raise RowError(f"person_record_id: longer than {MAX_EXTERNAL_ID} characters")
        if self._domain is not None and not record_id.startswith(f"{self._domain}/"):
            raise RowError(f"person_record_id: not of the domain {self._domain}")
        self._check_not_expired(fields.get("expiry_date"))
        person = person_from_pfif(fields)
        if extension is None:
            kind = self._kind
            age_as_of = _day_of(fields.get("source_date")) or _day_of(fields.get("entry_date"))
            if "age" in person:
                if age_as_of is None:
                    raise RowError(
                        "age: neither source_date nor entry_date says when it was estimated"
                    )
                person["age_as_of"] = age_as_of
            return {"kind": kind, "external_id": record_id, **_placed(kind, person)}
        kind = extension.get("kind", "")
        if kind not in KINDS:
            raise RowError(f"extension record: kind must be one of {', '.join(KINDS)}")
        carried = _extension_fields(extension)
        prefix = core_person_path(kind) + "."
        replaced = {
            CORE_GROUP_OF.get(path[len(prefix) :].split(".")[0])
            for path in carried
            if path.startswith(prefix)
        }
        person = {key: value for key, value in person.items() if CORE_GROUP_OF[key] not in replaced}
        flat = flatten({"kind": kind, "external_id": record_id, **_placed(kind, person)})
        flat.update(carried)
        return unflatten(flat)

    def _check_not_expired(self, expiry_date: str | None) -> None:
        if not expiry_date or not expiry_date.strip():
            return
        expiry = _pfif_datetime(expiry_date)
        if expiry is None:
            raise RowError("expiry_date: not a PFIF date and time (YYYY-MM-DDThh:mm:ssZ)")
        if expiry <= self._now:
            raise RowError(
                f"expired on {expiry.date().isoformat()}: PFIF says an expired record "
                "must no longer be shared"
            )

    # -- notes ------------------------------------------------------------------------------

    def _note(self, element: Element, *, enclosing_external_id: str | None) -> None:
        fields: dict[str, str] = {}
        for child in element:
            namespace, name = _split(child.tag)
            if namespace == self._namespace:
                fields.setdefault(name, child.text or "")
        counts = self.note_counts
        counts.notes += 1
        status = _one_line(fields.get("status"))
        if status:
            counts.statuses[status[:40]] += 1
        contact = fields.get("author_made_contact") or fields.get("found") or ""
        if contact.strip().lower() == "true":
            counts.author_made_contact += 1
        person_id = enclosing_external_id or _one_line(fields.get("person_record_id"))
        linked_id = _one_line(fields.get("linked_person_record_id"))
        if person_id and linked_id and person_id != linked_id:
            link = DuplicateLink(person_id, linked_id[:MAX_EXTERNAL_ID])
            if link not in self.duplicate_links:
                self.duplicate_links.append(link)
                counts.duplicate_links += 1


def core_person_path(kind: str) -> str:
    """The person of a record that PFIF's own fields describe: the child."""
    return "subject" if kind == "tracing_request" else "sought.0"


def _placed(kind: str, person: dict[str, Any]) -> dict[str, Any]:
    return {"subject": person} if kind == "tracing_request" else {"sought": [person]}


# The fields of our person that PFIF's own fields give, in groups that are read together:
# the extension replaces a group whole (all names, say), never a part of it.
CORE_GROUP_OF = {
    "full_name": "names",
    "given_name": "names",
    "family_name": "names",
    "other_names": "names",
    "sex": "sex",
    "date_of_birth": "date_of_birth",
    "age": "age",
    "last_known_address": "last_known_address",
}


def person_from_pfif(fields: Mapping[str, str]) -> dict[str, Any]:
    """Our person from the text of a PFIF person's fields (by local name), as mapped above.

    `RowError` for a person PFIF's rules make malformed (no name, a bad sex, date or age).
    """
    full_lines = _lines(fields.get("full_name"))
    given_name = _one_line(fields.get("given_name") or fields.get("first_name"))
    family_name = _one_line(fields.get("family_name") or fields.get("last_name"))
    if full_lines:
        full_name, other_names = full_lines[0], full_lines[1:]
    elif given_name or family_name:
        full_name = " ".join(part for part in (given_name, family_name) if part)
        other_names = []
    else:
        raise RowError(
            "no name: PFIF needs full_name (or given_name and family_name; "
            "first_name and last_name before 1.3)"
        )
    person: dict[str, Any] = {"full_name": full_name}
    if given_name:
        person["given_name"] = given_name
    if family_name:
        person["family_name"] = family_name
    other_names += _lines(fields.get("alternate_names"))
    distinct = [name for name in dict.fromkeys(other_names) if name != full_name]
    if distinct:
        person["other_names"] = distinct
    sex = _one_line(fields.get("sex"))
    if sex:
        if sex.lower() not in ("female", "male", "other"):
            raise RowError("sex: must be female, male or other in PFIF")
        person["sex"] = sex.lower()
    date_of_birth = _one_line(fields.get("date_of_birth"))
    if date_of_birth:
        try:
            person["date_of_birth"] = schemas.check_partial_date(date_of_birth)
        except ValueError as error:
            raise RowError(f"date_of_birth: {error}") from None
    age = _one_line(fields.get("age"))
    if age:
        if not _PFIF_AGE.fullmatch(age):
            raise RowError("age: must be a number of years or a range such as 8-10 in PFIF")
        try:
            schemas.parse_age(age)
        except ValueError as error:
            raise RowError(f"age: {error}") from None
        person["age"] = age
    address = {
        "street": _one_line(fields.get("home_street")),
        "admin2": _one_line(fields.get("home_neighborhood")),
        "locality": _one_line(fields.get("home_city")),
        "admin1": _one_line(fields.get("home_state")),
        "postcode": _one_line(fields.get("home_postal_code") or fields.get("home_zip")),
        "country": _one_line(fields.get("home_country")),
    }
    if any(address.values()):
        person["last_known_address"] = {k: v for k, v in address.items() if v}
    return person


def _extension_fields(extension: Element) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for child in extension:
        namespace, name = _split(child.tag)
        if namespace != EXTENSION_NAMESPACE or name != "field":
            continue
        path = child.get("path", "")
        problem = column_problem(path)
        if problem is not None:
            raise RowError(f"extension field {path[:100]!r}: {problem}")
        text = child.text or ""
        if is_boolean_column(path):
            values[path] = parse_boolean(path, text)
        elif child.get("type") == "number":
            values[path] = _number(path, text)
        else:
            values[path] = text
    return values


def _number(path: str, text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        raise RowError(f"{path}: not a number") from None


# -- text ---------------------------------------------------------------------------------


def _split(tag: Any) -> tuple[str, str]:
    """(namespace, local name) of an element's tag; comments and the like have neither."""
    if not isinstance(tag, str):
        return "", ""
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _one_line(text: str | None) -> str | None:
    """A single-line value: whitespace runs, newlines included, become one space."""
    if text is None:
        return None
    return " ".join(text.split()) or None


def _lines(text: str | None) -> list[str]:
    """A multi-line value (names, alternate names): one entry per non-blank line."""
    if text is None:
        return []
    return [line for raw in text.splitlines() if (line := " ".join(raw.split()))]


def _pfif_datetime(text: str) -> datetime | None:
    """A PFIF date and time (`YYYY-MM-DDThh:mm:ssZ`, UTC), or None when malformed."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _day_of(text: str | None) -> str | None:
    moment = _pfif_datetime(text) if text else None
    return moment.date().isoformat() if moment else None


def _parse_error(error: ParseError) -> str:
    line, column = getattr(error, "position", (0, 0))
    reason = str(error).split(":")[0]
    message = f"the XML is malformed at line {line}, column {column + 1}: {reason}"
    if "invalid token" in reason:
        message += (
            " (if that spot has an accented or non-Latin letter, the file is probably not in "
            "the encoding its first line declares, such as Latin-1 saved as UTF-8)"
        )
    return message


class _ChunkStream(io.RawIOBase):
    """A readable binary stream over byte chunks, for a parser that wants a file."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = chunk
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size
