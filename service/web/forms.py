"""Plain HTML forms to the API's request bodies, and validation errors back to the inputs.

A form field is named by the path of the JSON field it fills (`subject.place_of_origin.country`,
`relatives.0.full_name`), so the very schemas that validate API requests validate the forms,
and an error's field path names the input to show it beside. Empty inputs are left out, and
so are rows of a repeated group left blank.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from service.problems import validation_errors

# Inputs that hold a list: other names one per line, languages separated by commas or spaces.
LINE_LISTS = frozenset({"other_names"})
WORD_LISTS = frozenset({"languages"})
NOT_FIELDS = frozenset({"csrf_token", "version", "decision"})

FRIENDLIER = {
    "Field required": "is required",
    "List should have at least 1 item after validation, not 0": "needs at least one entry",
}


@dataclass
class FormBody:
    """A form as a request body, with the way back from the body's paths to the inputs."""

    body: dict[str, Any]
    # Path of a list item in the body -> its path in the form (rows left blank close up).
    renames: dict[str, str] = field(default_factory=dict)

    def input_name(self, path: str) -> str:
        parts = path.split(".")
        for length in range(len(parts), 0, -1):
            prefix = ".".join(parts[:length])
            if prefix in self.renames:
                return ".".join([self.renames[prefix], *parts[length:]])
        return path


def _value(name: str, raw: str) -> object:
    text = raw.strip()
    if name in LINE_LISTS:
        return [line.strip() for line in text.splitlines() if line.strip()]
    if name in WORD_LISTS:
        return [word for word in re.split(r"[\s,;]+", text) if word]
    return text


def _join(base: str, key: str | int) -> str:
    return f"{base}.{key}" if base else str(key)


def _compact(node: object, new_path: str, old_path: str, renames: dict[str, str]) -> object:
    """Nested dicts to the body: dicts keyed 0, 1, 2… become lists; empties are dropped."""
    if not isinstance(node, dict):
        return node if node not in ("", []) else None
    if node and all(key.isdigit() for key in node):
        items: list[object] = []
        for key in sorted(node, key=int):
            index = len(items)
            child = _compact(node[key], _join(new_path, index), _join(old_path, key), renames)
            if child is not None:
                renames[_join(new_path, index)] = _join(old_path, key)
                items.append(child)
        return items or None
    compacted = {}
    for key, child in node.items():
        value = _compact(child, _join(new_path, key), _join(old_path, key), renames)
        if value is not None:
            compacted[key] = value
    return compacted or None


def form_body(fields: Mapping[str, str], *, skip: frozenset[str] = frozenset()) -> FormBody:
    """The posted fields as the nested body the API takes."""
    tree: dict[str, Any] = {}
    for name, raw in fields.items():
        if name in NOT_FIELDS or name in skip or len(name) > 200:
            continue
        parts = name.split(".")
        node = tree
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                break
            node = child
        else:
            node[parts[-1]] = _value(parts[-1], raw)
    result = FormBody(body={})
    compacted = _compact(tree, "", "", result.renames)
    result.body = compacted if isinstance(compacted, dict) else {}
    return result


def errors_by_input(error: ValidationError, form: FormBody, prefix: str = "") -> dict[str, str]:
    """Each message under the name of the input (or group of inputs) it is about."""
    found: dict[str, str] = {}
    for item in validation_errors(list(error.errors())):
        path = item["field"].removeprefix(prefix) if prefix else item["field"]
        name = form.input_name(path) if path != "body" else "form"
        message = FRIENDLIER.get(item["message"], item["message"])
        found[name] = f"{found[name]}; {message}" if name in found else message
    return found
