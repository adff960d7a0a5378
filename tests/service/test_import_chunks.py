"""Cutting CSV and JSON Lines files into uploads at row boundaries, rows counted as the server
counts them."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.formats.csv_rows import iter_csv_rows
from service.formats.jsonl import iter_jsonl_rows
from service.import_chunks import ChunkError, chunk_reason, plan_chunks

HEADER = "kind,external_id,subject.full_name\n"


def _bodies(path: Path, file_format: str, **limits: int) -> list[bytes]:
    plan = plan_chunks(path, file_format, **limits)
    return [b"".join(plan.body(chunk)) for chunk in plan.chunks]


def test_a_csv_file_is_cut_into_chunks_each_with_the_header(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        HEADER + "".join(f"tracing_request,T-{n},Name {n}\n" for n in range(5)), encoding="utf-8"
    )
    plan = plan_chunks(path, "csv", max_rows=2, max_bytes=1_000_000)
    assert [list(chunk.rows) for chunk in plan.chunks] == [[2, 3], [4, 5], [6]]
    bodies = [b"".join(plan.body(chunk)) for chunk in plan.chunks]
    assert all(body.startswith(HEADER.encode()) for body in bodies)
    assert bodies[2] == (HEADER + "tracing_request,T-4,Name 4\n").encode()


def test_a_quoted_cell_across_lines_stays_in_one_row_and_the_server_reads_the_same_rows(
    tmp_path: Path,
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        HEADER
        + 'tracing_request,T-1,"Amina\nYusuf"\n'
        + ",,\n"  # blank: skipped, still numbered
        + "tracing_request,T-2,Layla Omar\n"
        + "tracing_request,T-3,Nadia Ali\n",
        encoding="utf-8",
    )
    plan = plan_chunks(path, "csv", max_rows=2, max_bytes=1_000_000)
    assert [list(chunk.rows) for chunk in plan.chunks] == [[2, 4], [5]]
    first = b"".join(plan.body(plan.chunks[0]))
    server_rows = [row.record for row in iter_csv_rows(first)]
    assert [r["external_id"] for r in server_rows if r] == ["T-1", "T-2"]
    assert server_rows[0] is not None
    assert server_rows[0]["subject"]["full_name"] == "Amina\nYusuf"


def test_a_chunk_stays_under_the_byte_limit(tmp_path: Path) -> None:
    path = tmp_path / "people.jsonl"
    line = '{"kind": "tracing_request", "external_id": "X", "subject": {"full_name": "A"}}\n'
    path.write_text(line * 10, encoding="utf-8")
    bodies = _bodies(path, "jsonl", max_rows=100, max_bytes=len(line) * 3)
    assert [len(body) // len(line) for body in bodies] == [3, 3, 3, 1]
    assert [len(list(iter_jsonl_rows(body))) for body in bodies] == [3, 3, 3, 1]


def test_json_lines_rows_are_numbered_by_line(tmp_path: Path) -> None:
    path = tmp_path / "people.jsonl"
    path.write_text('{"a": 1}\n\n{"b": 2}\nnot json\n', encoding="utf-8")
    plan = plan_chunks(path, "jsonl", max_rows=10, max_bytes=1_000_000)
    assert [list(chunk.rows) for chunk in plan.chunks] == [[1, 3, 4]]


def test_broken_quoting_cannot_be_cut(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(HEADER + 'tracing_request,T-1,"never closed\n', encoding="utf-8")
    with pytest.raises(ChunkError):
        plan_chunks(path, "csv", max_rows=10, max_bytes=1_000_000)


def test_the_chunk_local_row_prefix_is_dropped_from_a_reason() -> None:
    assert chunk_reason("row 3: subject.age: must be a number") == "subject.age: must be a number"
    assert chunk_reason("kind: must be tracing_request") == "kind: must be tracing_request"
