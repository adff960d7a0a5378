"""One entry point for reading an import file of any format, chosen by its media type.

For `POST /api/v1/imports` and the command line alike: the caller passes the request's
Content-Type, the body as a byte stream, and the file-wide options (the kind of rows that do
not say theirs, the consent given for the whole file). The rows come lazily; a
`FormatError` while reading them refuses the whole file.

- `application/x-ndjson` (or `application/jsonl`): JSON Lines; a row without `kind` takes
  the given kind, else fails;
- `text/csv`: CSV; without a kind column (or in an empty cell) the given kind, else the file
  needs a kind column;
- `application/xml` or `text/xml` (or `application/pfif+xml`): PFIF 1.1 to 1.4; every
  person is of the given kind, by default an enquiry.

`application/json` is not here: the `{"records": [...]}` body is the API's own schema.
A `charset` parameter other than UTF-8 is refused for the text formats (the file must be
UTF-8); XML says its encoding in its own declaration.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from service.formats.csv_rows import iter_csv_rows
from service.formats.jsonl import iter_jsonl_rows
from service.formats.pfif import NoteCounts, PfifReader
from service.formats.rows import (
    ByteSource,
    DuplicateLink,
    FormatError,
    ParsedRow,
    with_file_consent,
)

FORMAT_OF_MEDIA_TYPE = {
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/json-lines": "jsonl",
    "text/csv": "csv",
    "application/xml": "pfif",
    "text/xml": "pfif",
    "application/pfif+xml": "pfif",
}


@dataclass(slots=True)
class ImportFile:
    """An import file being read: its rows, and what PFIF notes said once they are read."""

    format: str
    rows: Iterator[ParsedRow]
    # Filled while `rows` is read (PFIF only); complete once it is exhausted.
    duplicate_links: list[DuplicateLink] = field(default_factory=list)
    note_counts: NoteCounts = field(default_factory=NoteCounts)


def format_of(content_type: str) -> str | None:
    """The import format of a Content-Type header, or None if it is not a file format.

    `FormatError` for a CSV or JSON Lines body declared in a charset other than UTF-8.
    """
    media_type, *parameters = (part.strip() for part in content_type.split(";"))
    found = FORMAT_OF_MEDIA_TYPE.get(media_type.lower())
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        charset = value.strip().strip('"').lower()
        is_charset = name.strip().lower() == "charset"
        if found in ("csv", "jsonl") and is_charset and charset not in ("utf-8", "utf8"):
            raise FormatError(f"the file is declared as {charset}; send it in UTF-8")
    return found


def read_import_file(
    content_type: str,
    source: ByteSource,
    *,
    kind: str | None = None,
    consent: Mapping[str, Any] | None = None,
    pfif_domain: str | None = None,
) -> ImportFile:
    """The rows of an import file, by its Content-Type, with file-wide kind and consent.

    `ValueError` for a content type that is not an import file format (answer 415).
    Consent given for the whole file applies to rows that state none of their own.
    """
    found = format_of(content_type)
    if found == "pfif":
        reader = PfifReader(source, kind=kind or "enquiry", consent=consent, domain=pfif_domain)
        return ImportFile("pfif", reader.rows(), reader.duplicate_links, reader.note_counts)
    if found == "csv":
        rows = iter_csv_rows(source, default_kind=kind)
    elif found == "jsonl":
        rows = iter_jsonl_rows(source, default_kind=kind)
    else:
        raise ValueError(f"{content_type!r} is not an import file format")
    return ImportFile(found, _with_consent(rows, consent))


def _with_consent(
    rows: Iterator[ParsedRow], consent: Mapping[str, Any] | None
) -> Iterator[ParsedRow]:
    for row in rows:
        if row.record is not None and consent is not None:
            yield ParsedRow(
                row.number, with_file_consent(row.record, consent), None, row.external_id
            )
        else:
            yield row
