"""CSV export of records, streamed, with the columns the CSV import reads.

Each record (RecordOut as JSON) becomes the import-shaped body of
`service.formats.rows.export_body` (no service ids, no enquirer contact details, no status
but `closed`), one row of dotted-path cells by the cell rules of `service.formats.rows`.
Importing the file gives back the same record bodies, exactly.

The header is the union of the columns the records need, in a stable order (schema order,
list items by index). Knowing it takes a pass over the records before the first row is
written, so a caller streaming from the database runs `csv_columns` over one query and
`iter_csv_export` over a second; given no columns, `iter_csv_export` holds the records in
memory to find them.

The file starts with a UTF-8 byte order mark unless asked not to: without it, Excel opens a
UTF-8 CSV in the local ANSI code page and garbles every name in a non-Latin script, which is
most names this service holds. Cells a spreadsheet would run as a formula are protected by
a leading apostrophe, which the importer removes again.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from service.formats.rows import cells_of_record, column_sort_key, export_body, protect_formula


def csv_columns(records: Iterable[Mapping[str, Any]]) -> list[str]:
    """The columns needed to export `records`, in export order; reads them lazily."""
    columns: set[str] = {"kind", "external_id"}
    for record in records:
        columns.update(cells_of_record(export_body(record)))
    return sorted(columns, key=column_sort_key)


def iter_csv_export(
    records: Iterable[Mapping[str, Any]],
    *,
    columns: Sequence[str] | None = None,
    byte_order_mark: bool = True,
) -> Iterator[str]:
    """CSV text of `records` (RecordOut as JSON), in chunks: the header, then one per row.

    A record with a value in a column not in `columns` is a `ValueError`: data would
    otherwise be lost in silence.
    """
    if columns is None:
        records = list(records)
        columns = csv_columns(records)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flushed() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(columns)
    yield (codecs.BOM_UTF8.decode("utf-8") if byte_order_mark else "") + flushed()
    known = set(columns)
    for record in records:
        cells = cells_of_record(export_body(record))
        missing = set(cells) - known
        if missing:
            raise ValueError(f"columns missing from the export: {', '.join(sorted(missing))}")
        writer.writerow([protect_formula(cells.get(column, "")) for column in columns])
        yield flushed()
