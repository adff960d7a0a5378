"""JSON Lines import (`application/x-ndjson`): one record per line, each with its `kind`.

- A row's number is its line number (from 1); blank lines are skipped, but still counted,
  so that a number always points at the right line of the file.
- A line that is not a JSON object, or is not JSON at all (including `NaN`, which Python
  would read but JSON does not allow), is that row's error; the other rows go on.
- Invalid UTF-8 anywhere is a `FormatError` for the whole file, naming the line: it means
  the file was saved in another encoding, and the fix (save it as UTF-8) is for the file.
  Importing only the lines that happen to be ASCII would import half a file in silence.
- A UTF-8 byte order mark on line 1 is dropped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from service.formats.rows import ByteSource, ParsedRow, decode_line, iter_lines


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def iter_jsonl_rows(source: ByteSource, *, default_kind: str | None = None) -> Iterator[ParsedRow]:
    """The rows of a JSON Lines stream, lazily, one per non-blank line.

    `default_kind` is given to records without a `kind` (the caller's query parameter).
    """
    for number, raw in iter_lines(source):
        text = decode_line(number, raw)
        if not text.strip():
            continue
        try:
            value = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError:
            yield ParsedRow.failed(number, "the JSON is nested too deeply")
            continue
        except ValueError as error:
            # JSONDecodeError is a ValueError; so is an integer too long to convert.
            yield ParsedRow.failed(number, f"not valid JSON: {_short_reason(error)}")
            continue
        if not isinstance(value, dict):
            yield ParsedRow.failed(number, "each line must be one JSON object (a record)")
            continue
        if default_kind is not None and "kind" not in value:
            value["kind"] = default_kind
        yield ParsedRow.ok(number, value)


def _short_reason(error: ValueError) -> str:
    if isinstance(error, json.JSONDecodeError):
        # The message without the line number (always 1 here); the column helps.
        return f"{error.msg} (character {error.colno})"
    return str(error)[:200]
