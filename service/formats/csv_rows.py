"""CSV import (`text/csv`): a header row of dotted paths, then one record per row.

The file is UTF-8, with or without a byte order mark (Excel's "CSV UTF-8" writes one). The
header names the JSON fields of a record by their dotted paths (`kind`, `external_id`,
`consent.tracing`, `subject.full_name`, `relatives.0.relationship`, `sought.1.full_name`,
...): see `service.formats.rows` for paths and for how a cell is typed (booleans for
`consent.*`, text everywhere else, an empty cell is an absent field).

What fails the whole file (`FormatError`, nothing should be stored):
- bytes that are not UTF-8 (typically Latin-1 or Windows-1252 saved by a spreadsheet and
  sent as UTF-8): the error names the line and the byte;
- a header with unknown or repeated columns (all of them are listed), without `external_id`,
  or without `kind` when the caller gave no kind for the whole file;
- broken CSV quoting (an unterminated quote, text after a closing quote): past that point
  the row boundaries cannot be trusted, so no row after it could be.

What fails one row (`ParsedRow.failed`, the other rows go on):
- more cells than the header has columns (fewer are fine: the missing ones are empty, as
  spreadsheets drop trailing empty cells);
- a boolean cell that is not true or false, no kind, a cell under an unnamed column.

Rows are numbered as a spreadsheet numbers them: the header is row 1, so the first record is
row 2, and a quoted cell spanning several lines still makes one row. Rows whose cells are all
empty are skipped (spreadsheets leave them at the end), but counted.

Lines are decoded one by one from the byte stream and fed to `csv.reader` (rather than one
`io.TextIOWrapper` over the stream) so that an encoding error names its line exactly.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator

from service.formats.rows import (
    ByteSource,
    FormatError,
    ParsedRow,
    RowError,
    column_problem,
    decode_line,
    iter_lines,
    record_from_cells,
)

_LISTED_AT_MOST = 20


def _decoded_lines(source: ByteSource) -> Iterator[str]:
    for number, raw in iter_lines(source):
        yield decode_line(number, raw)


def iter_csv_rows(source: ByteSource, *, default_kind: str | None = None) -> Iterator[ParsedRow]:
    """The rows of a CSV stream, lazily; `FormatError` for a problem with the whole file.

    `default_kind` is the kind of rows whose file has no `kind` column or whose `kind` cell
    is empty (the caller's query parameter).
    """
    reader = csv.reader(_decoded_lines(source), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise FormatError("the file is empty: it needs a header row of column names") from None
    except csv.Error as error:
        raise FormatError(f"the header row is not valid CSV ({error})") from None
    columns = _checked_columns(header, default_kind=default_kind)
    row_number = 1
    while True:
        first_line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FormatError(_malformed(error, first_line)) from None
        row_number += 1
        if not any(cell.strip() for cell in cells):
            continue
        yield _row(row_number, columns, cells, default_kind)


def _malformed(error: csv.Error, first_line: int) -> str:
    if "unexpected end of data" in str(error):
        return (
            f"the CSV is malformed: a quoted cell opened on line {first_line} or after it "
            "is never closed"
        )
    return f"the CSV is malformed in the row starting on line {first_line} ({error})"


def _row(
    row_number: int, columns: list[str | None], cells: list[str], default_kind: str | None
) -> ParsedRow:
    named = {column: cell for column, cell in zip(columns, cells, strict=False) if column}
    external_id = named.get("external_id", "").strip() or None
    if len(cells) > len(columns):
        return ParsedRow.failed(
            row_number,
            f"the row has {len(cells)} cells but the header has {len(columns)} columns",
            external_id,
        )
    if any(cell.strip() for column, cell in zip(columns, cells, strict=False) if not column):
        return ParsedRow.failed(row_number, "a cell under a column without a name", external_id)
    try:
        record = record_from_cells(named)
    except RowError as error:
        return ParsedRow.failed(row_number, str(error), external_id)
    if "kind" not in record:
        if default_kind is None:
            return ParsedRow.failed(
                row_number, "kind: empty; must be tracing_request or enquiry", external_id
            )
        record["kind"] = default_kind
    return ParsedRow.ok(row_number, record)


def _checked_columns(header: list[str], *, default_kind: str | None) -> list[str | None]:
    """The header's columns (None for an unnamed one), or a `FormatError` listing problems."""
    columns: list[str | None] = [name.strip() or None for name in header]
    named = [column for column in columns if column]
    if not named:
        raise FormatError("the header row names no column")
    unknown = [
        f"{column!r} ({problem})"
        for column in dict.fromkeys(named)
        if (problem := column_problem(column)) is not None
    ]
    if unknown:
        raise FormatError("unknown columns: " + _listed(unknown))
    repeated = [column for column, count in Counter(named).items() if count > 1]
    if repeated:
        raise FormatError("columns given more than once: " + _listed(repeated))
    if "external_id" not in named:
        raise FormatError(
            "no external_id column: every record needs your own id for it, which also makes "
            "importing the same file again safe"
        )
    if "kind" not in named and default_kind is None:
        raise FormatError(
            "no kind column: add one (tracing_request or enquiry on each row), or give the "
            "kind of every row of the file as a parameter"
        )
    return columns


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:_LISTED_AT_MOST])
    more = len(items) - _LISTED_AT_MOST
    return f"{shown} and {more} more" if more > 0 else shown
