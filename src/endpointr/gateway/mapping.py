"""Binding mappings: the action's inputs, computed from the triggering event's data.

* ``"$.object.metadata.invoice_id"``: the value at that path (any JSON type; ``null`` when a
  step is missing). ``$`` alone is the whole event data.
* ``"Stripe payment $.object.id"``: a string with paths in it; each is replaced by its value.
* anything else passes through as is; objects and lists are mapped member by member.

Paths are ``$`` followed by ``.name`` and ``[index]`` steps.
"""

from __future__ import annotations

import json
import re
from typing import Any

_STEP = r"(?:\.[A-Za-z0-9_][A-Za-z0-9_-]*|\[\d+\])"
_EXACT = re.compile(rf"\${_STEP}*")
_EMBEDDED = re.compile(rf"\${_STEP}+")
_STEPS = re.compile(r"\.([A-Za-z0-9_][A-Za-z0-9_-]*)|\[(\d+)\]")


def check(mapping: dict[str, Any], where: str = "mapping") -> None:
    """Raise :class:`ValueError` naming the first value that looks like a path but is not one."""
    for key, value in mapping.items():
        _check(value, f"{where}.{key}")


def _check(value: Any, where: str) -> None:
    if isinstance(value, dict):
        check(value, where)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check(item, f"{where}[{i}]")
    elif isinstance(value, str) and value.startswith(("$.", "$[")) and not _EMBEDDED.match(value):
        raise ValueError(
            f"{where}: {value!r} is not a path; paths look like $.object.metadata.invoice_id "
            "or $.items[0].id"
        )


def resolve(path: str, data: Any) -> Any:
    """The value at ``path`` (``$.a.b[0]``) in ``data``; ``None`` where a step is missing."""
    current = data
    for name, index in _STEPS.findall(path[1:]):
        if name and isinstance(current, dict):
            current = current.get(name)
        elif index and isinstance(current, list) and int(index) < len(current):
            current = current[int(index)]
        else:
            return None
    return current


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def apply(template: Any, data: Any) -> Any:
    """The mapping (or any part of it) with every path replaced by what it points to."""
    if isinstance(template, dict):
        return {k: apply(v, data) for k, v in template.items()}
    if isinstance(template, list):
        return [apply(v, data) for v in template]
    if isinstance(template, str) and "$" in template:
        if _EXACT.fullmatch(template):
            return resolve(template, data)
        return _EMBEDDED.sub(lambda m: _text(resolve(m.group(0), data)), template)
    return template
