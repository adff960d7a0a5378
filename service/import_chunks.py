"""Cutting a large CSV or JSON Lines file into uploads the server accepts, and back again.

The server takes at most 100,000 rows and 64 MiB in one import. `plan_chunks` reads a file
once and cuts it at row boundaries into chunks of at most `max_rows` rows and `max_bytes`
bytes; each chunk is a byte range of the file (a CSV chunk is sent after the file's header
row), so a chunk can be streamed again from disk for a retry and nothing is held in memory but
the row numbers. Those row numbers are what maps each job's failed rows back to the row of
the original file (for CSV the spreadsheet row, header = 1; for JSON Lines the line), counted
the way the server counts them: blank rows are skipped but keep their numbers.

A file of failed rows that `ftr import` wrote (`FILE.failed.csv` with trailing `row` and
`reason` columns; `FILE.failed.jsonl` with `row` and `reason` keys) can be fixed and imported
as it is: those annotations are dropped on the way to the server. They are not fields of a
record, so nothing a record holds is ever dropped.

Only the standard library: this runs in the client.
"""

from __future__ import annotations

import csv
import io
import json
import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

ANNOTATIONS = ("row", "reason")
READ_BYTES = 64 * 1024
_CHUNK_ROW_PREFIX = re.compile(r"^row \d+: ")


class ChunkError(ValueError):
    """The file cannot be cut into rows (broken CSV quoting); the message says where."""


@dataclass(slots=True)
class Chunk:
    """Rows of the file from byte `start` to `end`; `rows[i]` is the file row of position i."""

    start: int
    end: int
    rows: array[int] = field(default_factory=lambda: array("q"))


@dataclass(slots=True)
class ChunkPlan:
    """How one file goes to the server: its format, header (CSV), chunks and row count."""

    path: Path
    format: str
    header: bytes
    chunks: list[Chunk]
    annotated: bool = False  # a file of failed rows: drop the row/reason annotations

    @property
    def total_rows(self) -> int:
        return sum(len(chunk.rows) for chunk in self.chunks)

    def body(self, chunk: Chunk) -> Iterator[bytes]:
        """The bytes of one upload, read lazily from the file."""
        if self.format == "csv":
            if self.annotated:
                yield from _csv_without_annotations(self, chunk)
                return
            yield self.header
            yield from _byte_range(self.path, chunk.start, chunk.end)
        elif self.annotated:
            yield from _jsonl_without_annotations(self.path, chunk)
        else:
            yield from _byte_range(self.path, chunk.start, chunk.end)


def plan_chunks(path: Path, file_format: str, *, max_rows: int, max_bytes: int) -> ChunkPlan:
    """Read `path` once and cut it into chunks; `ChunkError` if it cannot be cut."""
    if file_format == "csv":
        return _plan_csv(path, max_rows=max_rows, max_bytes=max_bytes)
    if file_format == "jsonl":
        return _plan_jsonl(path, max_rows=max_rows, max_bytes=max_bytes)
    raise ValueError(f"only CSV and JSON Lines files are cut into chunks, not {file_format}")


def chunk_reason(reason: str | None) -> str:
    """A row's reason without the server's `row N: ` prefix (N counts within one chunk)."""
    return _CHUNK_ROW_PREFIX.sub("", reason or "", count=1)


# -- planning -----------------------------------------------------------------------------


class _Cutter:
    def __init__(self, max_rows: int, max_bytes: int) -> None:
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self.chunks: list[Chunk] = []

    def add(self, start: int, end: int, row_number: int | None, fixed_bytes: int) -> None:
        """Add the row spanning [start, end) (None: a blank row, kept but not counted)."""
        current = self.chunks[-1] if self.chunks else None
        if current is None or (
            row_number is not None
            and (
                len(current.rows) >= self.max_rows
                or fixed_bytes + end - current.start > self.max_bytes
            )
            and len(current.rows) > 0
        ):
            current = Chunk(start=start, end=start)
            self.chunks.append(current)
        current.end = end
        if row_number is not None:
            current.rows.append(row_number)


def _lines(handle: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """Each line of a binary file with its byte offset."""
    offset = 0
    for raw in handle:
        yield offset, raw
        offset += len(raw)


def _plan_csv(path: Path, *, max_rows: int, max_bytes: int) -> ChunkPlan:
    with path.open("rb") as handle:
        lines = _lines(handle)
        consumed = [0]
        header_lines: list[bytes] = []

        def texts() -> Iterator[str]:
            for offset, raw in lines:
                consumed[0] = offset + len(raw)
                if not header_done:
                    header_lines.append(raw)
                yield raw.decode("utf-8", errors="surrogateescape")

        header_done = False
        reader = csv.reader(texts(), strict=True)
        try:
            header_cells = next(reader)
        except StopIteration:
            return ChunkPlan(path, "csv", b"", [])
        except csv.Error as error:
            raise ChunkError(f"the header row is not valid CSV ({error})") from None
        header_done = True
        header_end = consumed[0]
        header = b"".join(header_lines)
        names = [cell.strip() for cell in header_cells]
        annotated = names[-2:] == list(ANNOTATIONS)
        cutter = _Cutter(max_rows, max_bytes)
        row_number = 1
        start = header_end
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                raise ChunkError(
                    f"the CSV is malformed in the row after spreadsheet row {row_number} "
                    f"({error}); fix it, or send it in one piece with a larger --chunk-rows"
                ) from None
            row_number += 1
            end = consumed[0]
            blank = not any(cell.strip() for cell in cells)
            cutter.add(start, end, None if blank else row_number, len(header))
            start = end
    return ChunkPlan(path, "csv", header, cutter.chunks, annotated=annotated)


def _plan_jsonl(path: Path, *, max_rows: int, max_bytes: int) -> ChunkPlan:
    cutter = _Cutter(max_rows, max_bytes)
    annotated = False
    with path.open("rb") as handle:
        for number, (offset, raw) in enumerate(_lines(handle), start=1):
            blank = not raw.strip()
            if not annotated and not blank and b'"reason"' in raw:
                annotated = _is_annotated(raw)
            cutter.add(offset, offset + len(raw), None if blank else number, 0)
    return ChunkPlan(path, "jsonl", b"", cutter.chunks, annotated=annotated)


def _is_annotated(raw: bytes) -> bool:
    try:
        value = json.loads(raw)
    except ValueError:
        return False
    return isinstance(value, dict) and all(key in value for key in ANNOTATIONS)


# -- bodies -------------------------------------------------------------------------------


def _byte_range(path: Path, start: int, end: int) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(start)
        left = end - start
        while left > 0:
            block = handle.read(min(READ_BYTES, left))
            if not block:
                return
            left -= len(block)
            yield block


def _range_lines(path: Path, start: int, end: int) -> Iterator[bytes]:
    pending = b""
    for block in _byte_range(path, start, end):
        pending += block
        *complete, pending = pending.split(b"\n")
        for line in complete:
            yield line + b"\n"
    if pending:
        yield pending


def _csv_without_annotations(plan: ChunkPlan, chunk: Chunk) -> Iterator[bytes]:
    def texts(raw_lines: Iterable[bytes]) -> Iterator[str]:
        for raw in raw_lines:
            yield raw.decode("utf-8", errors="surrogateescape")

    def encoded(cells: list[str]) -> bytes:
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerow(cells)
        return out.getvalue().encode("utf-8", errors="surrogateescape")

    header_cells = next(csv.reader(texts([plan.header])))
    width = len(header_cells) - len(ANNOTATIONS)
    yield encoded(header_cells[:width])
    for cells in csv.reader(texts(_range_lines(plan.path, chunk.start, chunk.end))):
        yield encoded(cells[:width])


def _jsonl_without_annotations(path: Path, chunk: Chunk) -> Iterator[bytes]:
    for raw in _range_lines(path, chunk.start, chunk.end):
        if b'"reason"' not in raw:
            yield raw
            continue
        try:
            value: Any = json.loads(raw)
        except ValueError:
            yield raw
            continue
        if not (isinstance(value, dict) and all(key in value for key in ANNOTATIONS)):
            yield raw
            continue
        for key in ANNOTATIONS:
            value.pop(key)
        if set(value) == {"line"} and isinstance(value["line"], str):
            # A line that was not a JSON object at all, kept as text: send it back as it was.
            yield value["line"].encode("utf-8") + b"\n"
        else:
            yield json.dumps(value, ensure_ascii=False).encode("utf-8") + b"\n"
