"""What every import format produces, and the dotted-path form of a record shared by CSV and
the PFIF extension.

A parsed row is a record in the JSON import shape (with its `kind`) or that row's error. The
readers stream: they take a byte stream, or any iterable of byte chunks, and never hold more
than one line (CSV, JSON Lines) or one `<person>` (PFIF) in memory.

Dotted paths
------------
A record flattens to one value per leaf, named by the path of JSON keys joined by dots, list
items by their index: ``{"subject": {"full_name": "x"}, "relatives": [{"relationship":
"mother"}]}`` is ``{"subject.full_name": "x", "relatives.0.relationship": "mother"}``. Lists
of plain values are indexed the same way (``subject.other_names.0``,
``subject.languages.1``, ``subject.identifiers.0.type``). Reading back, the indexes of a list
only order its items: ``relatives.0`` and ``relatives.2`` without ``relatives.1`` make a list
of two, so a spreadsheet row that leaves a middle relative's cells empty still reads.

Cell typing rules (CSV, and the PFIF extension fields)
------------------------------------------------------
- Every cell is text, except where the schema wants a boolean (``consent.tracing``,
  ``consent.share_with_partners``): ``true`` or ``false``, in any letter case.
- Nothing is read as a number: ``subject.age`` stays text such as ``"9"`` or ``"8-10"``,
  which the API accepts and compares exactly as the number 9. (A record registered through
  JSON with the number 9 comes back from a CSV round trip as the text "9".)
- An empty cell, or one of spaces only, means the field is absent.
- A cell that begins with an apostrophe followed by ``= + - @``, a tab, a carriage return or
  another apostrophe loses that first apostrophe. The CSV export adds it, so that a
  spreadsheet opening the file shows a name such as ``=HYPERLINK(...)`` as text instead of
  running it as a formula (CSV injection); spreadsheets themselves hide it the same way.
"""

from __future__ import annotations

import codecs
import functools
import re
import types
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Protocol, Union, get_args, get_origin, runtime_checkable

from pydantic import BaseModel

from service import schemas

CHUNK_BYTES = 64 * 1024
# One line (a CSV row, a JSON Lines record) may not exceed this: a file without newlines must
# not make the reader hold all of it in memory.
MAX_LINE_BYTES = 1024 * 1024


class FormatError(ValueError):
    """The file as a whole cannot be read; the message says why and where, in plain words.

    Raised at the point of the stream where the problem is found, possibly after some rows
    were yielded: a caller stores nothing of a file whose reading raised this.
    """


class RowError(ValueError):
    """One row cannot be read; the message is the reason reported for that row."""


@dataclass(frozen=True, slots=True)
class ParsedRow:
    """One row of a file: a record in the JSON import shape (with "kind"), or its error.

    `number` says where the row is, for the person fixing the file: the line of a JSON Lines
    file, the spreadsheet row of a CSV file (the header is row 1), the position of the
    `<person>` in a PFIF file (1 for the first). `external_id` is given whenever it is known,
    also for a row that failed.
    """

    number: int
    record: dict[str, Any] | None
    error: str | None
    external_id: str | None

    @classmethod
    def ok(cls, number: int, record: dict[str, Any]) -> ParsedRow:
        """A row that was read, its external_id taken from the record."""
        external_id = record.get("external_id")
        return cls(number, record, None, external_id if isinstance(external_id, str) else None)

    @classmethod
    def failed(cls, number: int, error: str, external_id: str | None = None) -> ParsedRow:
        """A row that could not be read, with the reason reported for it."""
        return cls(number, None, error, external_id)


@dataclass(frozen=True, slots=True)
class DuplicateLink:
    """Two records of one file that their author says describe the same person.

    From PFIF notes with a `linked_person_record_id`; a hint for reviewers, never a merge.
    """

    from_external_id: str
    to_external_id: str


# -- byte streams -------------------------------------------------------------------------


@runtime_checkable
class ReadableBytes(Protocol):
    """A binary file or anything with its `read` (an upload's spooled file, a socket)."""

    def read(self, size: int = ..., /) -> bytes: ...


ByteSource = bytes | ReadableBytes | Iterable[bytes]


def iter_chunks(source: ByteSource) -> Iterator[bytes]:
    """The bytes of `source` in chunks, read lazily."""
    if isinstance(source, bytes | bytearray | memoryview):
        yield bytes(source)
    elif isinstance(source, ReadableBytes):
        while chunk := source.read(CHUNK_BYTES):
            yield chunk
    else:
        for chunk in source:
            if chunk:
                yield bytes(chunk)


def iter_lines(
    source: ByteSource, *, max_line_bytes: int = MAX_LINE_BYTES
) -> Iterator[tuple[int, bytes]]:
    """Each line of `source` with its number (from 1), ending newline included.

    Splitting bytes at b"\\n" is safe in UTF-8, where that byte never occurs inside a
    character; decoding line by line is what lets an encoding error name its line exactly.
    """
    pending = bytearray()
    number = 0
    for chunk in iter_chunks(source):
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            number += 1
            if pending:
                pending += chunk[start : end + 1]
                line = bytes(pending)
                pending.clear()
            else:
                line = chunk[start : end + 1]
            _check_line_length(number, len(line), max_line_bytes)
            yield number, line
            start = end + 1
        pending += chunk[start:]
        _check_line_length(number + 1, len(pending), max_line_bytes)
    if pending:
        yield number + 1, bytes(pending)


def _check_line_length(number: int, length: int, max_line_bytes: int) -> None:
    if length > max_line_bytes:
        raise FormatError(
            f"line {number} is longer than {max_line_bytes:,} bytes; "
            "is this really a CSV or JSON Lines file?"
        )


def decode_line(number: int, raw: bytes) -> str:
    """One line as text: strict UTF-8, a byte order mark on line 1 allowed and dropped.

    Anything else is a `FormatError` naming the line, and, for the usual culprit, the
    encoding: a spreadsheet that saved Latin-1 or Windows-1252 while the file claims UTF-8.
    """
    if number == 1:
        if raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise FormatError(
                "the file is UTF-16 or UTF-32 (it starts with such a byte order mark), "
                "not UTF-8: save it as UTF-8 and send it again"
            )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        bad_byte = raw[error.start]
        character = len(raw[: error.start].decode("utf-8", errors="replace")) + 1
        if _decodes_as_windows_1252(raw):
            guess = (
                "it looks like Latin-1 or Windows-1252 (what many spreadsheet programs "
                "save by default) sent as UTF-8"
            )
        else:
            guess = "it is in another encoding or damaged"
        raise FormatError(
            f"line {number} is not valid UTF-8 (byte 0x{bad_byte:02X} at character "
            f"{character}): {guess}; save the file as UTF-8 and send it again"
        ) from None


def _decodes_as_windows_1252(raw: bytes) -> bool:
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


# -- the columns of a record, from the API schema -----------------------------------------


@dataclass(frozen=True, slots=True)
class _Field:
    rank: int
    is_list: bool
    is_boolean: bool
    children: Mapping[str, _Field] | None  # None for a leaf


def _unwrap(annotation: Any) -> Any:
    """The type inside Optional[...] and Annotated[...]."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(members) != 1:
                return annotation  # such as int | float | str: a leaf
            annotation = members[0]
        else:
            return annotation


def _field(rank: int, annotation: Any) -> _Field:
    annotation = _unwrap(annotation)
    is_list = get_origin(annotation) is list
    if is_list:
        annotation = _unwrap(get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _Field(rank, is_list, False, _fields_of(annotation))
    return _Field(rank, is_list, annotation is bool, None)


def _fields_of(model: type[BaseModel]) -> dict[str, _Field]:
    return {
        name: _field(rank, info.annotation)
        for rank, (name, info) in enumerate(model.model_fields.items())
    }


# The order of a CSV export's columns: who the record is, then its people, then the rest.
_TOP_ORDER = (
    "kind",
    "external_id",
    "status",
    "consent",
    "subject",
    "sought",
    "enquirer",
    "relatives",
    "separation",
)


def _record_fields() -> dict[str, _Field]:
    merged = {
        "kind": _Field(0, False, False, None),
        **_fields_of(schemas.TracingRequestIn),
        **_fields_of(schemas.EnquiryIn),
    }
    # Fields added to the schema later come after the known ones, in schema order.
    order = list(_TOP_ORDER) + [name for name in merged if name not in _TOP_ORDER]
    return {
        name: _Field(rank, merged[name].is_list, merged[name].is_boolean, merged[name].children)
        for rank, name in enumerate(order)
        if name in merged
    }


RECORD_FIELDS: Mapping[str, _Field] = _record_fields()
_INDEX = re.compile(r"0|[1-9][0-9]{0,3}")


def _is_index(segment: str) -> bool:
    return _INDEX.fullmatch(segment) is not None


# Cached: a file repeats its few dozen columns on every row.
@functools.lru_cache(maxsize=4096)
def _walk(path: str) -> tuple[_Field | None, tuple[int, ...], str | None]:
    """The leaf a column names, its sort key, and why it is not a column (or None)."""
    segments = path.split(".")
    fields: Mapping[str, _Field] = RECORD_FIELDS
    key: list[int] = []
    position = 0
    while True:
        name = segments[position]
        found = fields.get(name)
        if found is None:
            return None, (), "not a field of a record"
        key.append(found.rank)
        position += 1
        prefix = ".".join(segments[:position])
        if found.is_list:
            if position == len(segments) or not _is_index(segments[position]):
                return None, (), f"{prefix} is a list: number its items, as in {prefix}.0"
            key.append(int(segments[position]))
            position += 1
            prefix = ".".join(segments[:position])
        if found.children is None:
            if position != len(segments):
                return None, (), f"{prefix} has no fields inside it"
            return found, tuple(key), None
        if position == len(segments):
            example = next(iter(found.children))
            return None, (), f"{prefix} is a group of fields: name one, as in {prefix}.{example}"
        fields = found.children


def column_problem(path: str) -> str | None:
    """Why `path` is not a column of a record (a reason for a person), or None if it is one."""
    return _walk(path)[2]


def column_sort_key(path: str) -> tuple[int, ...]:
    """Where a column goes in an export: schema order, items of a list by their index."""
    field, key, problem = _walk(path)
    if problem is not None or field is None:
        raise ValueError(f"{path!r} is not a column of a record: {problem}")
    return key


def is_boolean_column(path: str) -> bool:
    """Whether the schema wants true or false in this column."""
    field, _, _ = _walk(path)
    return field is not None and field.is_boolean


# -- dotted paths -------------------------------------------------------------------------


def flatten(record: Mapping[str, Any]) -> dict[str, Any]:
    """One value per leaf, named by its dotted path; None, empty lists and objects vanish."""
    flat: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for key, inner in value.items():
                if not isinstance(key, str) or not key or "." in key:
                    raise ValueError(f"key {key!r} under {prefix or 'the record'} has no path")
                walk(f"{prefix}.{key}" if prefix else key, inner)
        elif isinstance(value, list | tuple):
            for index, inner in enumerate(value):
                walk(f"{prefix}.{index}", inner)
        elif value is not None:
            flat[prefix] = value

    walk("", record)
    return flat


class _Branch(dict[str, Any]):
    """An object or list being rebuilt, as opposed to a leaf value."""


def unflatten(flat: Mapping[str, Any]) -> dict[str, Any]:
    """The nested record of dotted paths: the inverse of `flatten`.

    An object whose keys are all list indexes becomes a list, its items in index order.
    A path given twice, or both as a value and as a group (`subject` and
    `subject.full_name`), is a `RowError`.
    """
    root = _Branch()
    for path, value in flat.items():
        segments = path.split(".")
        node = root
        for depth, segment in enumerate(segments[:-1]):
            child = node.get(segment)
            if child is None:
                child = node[segment] = _Branch()
            elif not isinstance(child, _Branch):
                taken = ".".join(segments[: depth + 1])
                raise RowError(f"{path}: {taken} already has a value")
            node = child
        if segments[-1] in node:
            raise RowError(f"{path}: given twice, or also as a group of fields")
        node[segments[-1]] = value
    rebuilt = _rebuild(root)
    assert isinstance(rebuilt, dict)
    return rebuilt


def _rebuild(node: Any) -> Any:
    if not isinstance(node, _Branch):
        return node
    if node and all(_is_index(key) for key in node):
        return [_rebuild(node[key]) for key in sorted(node, key=int)]
    return {key: _rebuild(value) for key, value in node.items()}


# -- cells --------------------------------------------------------------------------------

_FORMULA_STARTS = frozenset("=+-@\t\r'")


def cell_text(value: Any) -> str:
    """A leaf value as the text of a cell (before CSV's own escaping)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    raise ValueError(f"{value!r} is not a value a cell can hold")


def protect_formula(text: str) -> str:
    """Text a spreadsheet will show as text, never run as a formula (see the module doc)."""
    return "'" + text if text and text[0] in _FORMULA_STARTS else text


def unprotect_formula(text: str) -> str:
    """The inverse of `protect_formula`."""
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_STARTS:
        return text[1:]
    return text


def parse_boolean(path: str, text: str) -> bool:
    """`true` or `false` in a boolean column; anything else is that row's error."""
    word = text.strip().lower()
    if word not in ("true", "false"):
        raise RowError(f"{path}: must be true or false, not {text.strip()[:20]!r}")
    return word == "true"


def record_from_cells(cells: Mapping[str, str]) -> dict[str, Any]:
    """A record from cells keyed by column, by the typing rules of the module doc."""
    typed: dict[str, Any] = {}
    for path, cell in cells.items():
        if not cell.strip():
            continue
        text = unprotect_formula(cell)
        typed[path] = parse_boolean(path, text) if is_boolean_column(path) else text
    return unflatten(typed)


def cells_of_record(record: Mapping[str, Any]) -> dict[str, str]:
    """The cells of a record keyed by column: the inverse of `record_from_cells`."""
    return {path: cell_text(value) for path, value in flatten(record).items()}


# -- records leaving the service ----------------------------------------------------------

_EXPORTED_FIELDS = (
    "kind",
    "external_id",
    "consent",
    "subject",
    "sought",
    "enquirer",
    "relatives",
    "separation",
)


def export_body(record: Mapping[str, Any]) -> dict[str, Any]:
    """The import-shaped body of a record in the API output shape (RecordOut as JSON).

    Dropped: the service's own fields (id, organisation, timestamps), which an import
    cannot set; the enquirer's contact details, the most dangerous data the service holds
    (a trafficker posing as a relative would want them), which must not leave it in a file;
    and the status, except `closed`: `matched` is a review outcome, and telling whoever
    receives the file that a child was matched is a disclosure decision, not an export.
    """
    body: dict[str, Any] = {
        name: record[name] for name in _EXPORTED_FIELDS if record.get(name) not in (None, [])
    }
    if isinstance(body.get("enquirer"), Mapping):
        body["enquirer"] = {k: v for k, v in body["enquirer"].items() if k != "contact"}
    if record.get("status") == "closed":
        body["status"] = "closed"
    return body


def with_file_consent(record: dict[str, Any], consent: Mapping[str, Any] | None) -> dict[str, Any]:
    """The record with the consent stated for the whole file, unless it states its own.

    A record's own consent is the more specific statement and wins. Without either, the
    record has no consent: the API then refuses it (consent is required), which is the point.
    """
    if consent is None or "consent" in record:
        return record
    return {**record, "consent": dict(consent)}
