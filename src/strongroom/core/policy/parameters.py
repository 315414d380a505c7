"""Parameter constraints of a path rule: Vault's allowed/denied/required_parameters semantics.

Contract (`parameters_permitted`), applied only to read, create, update and patch, in this order:
1. every required parameter (matched lower-cased against the request keys) must be present;
2. a request with no data is then permitted;
3. denied: a `"*"` key denies any data at all; a listed parameter is denied when its value is in the list
   (an empty list means every value);
4. allowed: no constraint, or only `"*"`, permits everything; otherwise every request parameter must be listed
   (or `"*"` present), and a listed one must have a value in its list (an empty list means every value).
Values match when both are strings and the policy value, used as a glob (`*` at the start, the end or both),
matches; otherwise by deep equality, where a bool only equals a bool (unlike Python's `True == 1`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from strongroom.core.policy.model import Parameters

__all__ = ["glob_match", "parameters_permitted", "value_in_list"]

_CHECKED_OPERATIONS = frozenset({"read", "create", "update", "patch"})


def parameters_permitted(
    operation: str,
    data: Mapping[str, Any],
    allowed: Parameters | None,
    denied: Parameters | None,
    required: Sequence[str],
) -> bool:
    """Whether `data` satisfies the constraints, as Vault's ACL decides it (see the module docstring)."""
    if operation not in _CHECKED_OPERATIONS:
        return True
    if any(name.lower() not in data for name in required):
        return False
    if not data:
        return True
    if denied and _any_denied(data, denied):
        return False
    return not allowed or _all_allowed(data, allowed)


def _any_denied(data: Mapping[str, Any], denied: Parameters) -> bool:
    if "*" in denied:
        return True
    for name, value in data.items():
        values = denied.get(name.lower())
        if values is not None and value_in_list(value, values):
            return True
    return False


def _all_allowed(data: Mapping[str, Any], allowed: Parameters) -> bool:
    allow_any_name = "*" in allowed
    if allow_any_name and len(allowed) == 1:
        return True
    for name, value in data.items():
        values = allowed.get(name.lower())
        if values is None:
            if not allow_any_name:
                return False
        elif not value_in_list(value, values):
            return False
    return True


def value_in_list(value: Any, values: Sequence[Any]) -> bool:
    """Vault's valueInParameterList: an empty list holds every value."""
    if not values:
        return True
    for item in values:
        if isinstance(item, str) and isinstance(value, str):
            if glob_match(item, value):
                return True
        elif _deep_equal(item, value):
            return True
    return False


def glob_match(pattern: str, value: str) -> bool:
    """go-secure-stdlib's GlobbedStringsMatch: `*` only as a leading and/or trailing wildcard."""
    if len(pattern) < 2:
        return value == pattern
    starts, ends = pattern.startswith("*"), pattern.endswith("*")
    if starts and ends:
        return pattern[1:-1] in value
    if starts:
        return value.endswith(pattern[1:])
    if ends:
        return value.startswith(pattern[:-1])
    return value == pattern


def _deep_equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    if isinstance(a, Mapping) or isinstance(b, Mapping):
        return _mapping_equal(a, b)
    if isinstance(a, Sequence) or isinstance(b, Sequence):
        return _sequence_equal(a, b)
    return bool(a == b)


def _mapping_equal(a: Any, b: Any) -> bool:
    if not (isinstance(a, Mapping) and isinstance(b, Mapping)) or a.keys() != b.keys():
        return False
    return all(_deep_equal(a[key], b[key]) for key in a)


def _sequence_equal(a: Any, b: Any) -> bool:
    if not (isinstance(a, Sequence) and isinstance(b, Sequence)) or len(a) != len(b):
        return False
    return all(_deep_equal(x, y) for x, y in zip(a, b, strict=True))
