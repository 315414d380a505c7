"""Request members, checked on the server against the bounds of the KMS API model (botocore checks only some
of them on the client, and never blob lengths).

A member of the wrong JSON type or bad base64 is a SerializationException at once; out-of-range values are
collected and reported together as AWS does: `2 validation errors detected: Value at 'plaintext' failed to
satisfy constraint: ...; ...`. Member names appear in lower camel case, as in AWS messages. Values of blobs
are never echoed.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Iterable, Mapping
from typing import Any

from strongroom.kms.errors import SerializationError, TagError, ValidationError

MAX_CONTEXT_BYTES = 8192


def _member(name: str) -> str:
    return name[:1].lower() + name[1:]


class Params:
    def __init__(self, body: Mapping[str, Any]) -> None:
        self.body = body
        self.errors: list[str] = []

    def _fail(self, name: str, constraint: str, value: Any = None) -> None:
        shown = "" if value is None else f" '{value}'"
        self.errors.append(f"Value{shown} at '{_member(name)}' failed to satisfy constraint: {constraint}")

    def _get(self, name: str, kind: type | tuple[type, ...], label: str, required: bool) -> Any:
        value = self.body.get(name)
        if value is None:
            if required:
                self.errors.append(f"Value null at '{_member(name)}' failed to satisfy constraint: Member must not "
                                   "be null")
            return None
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise SerializationError(f"Expected {label} for member '{name}'")
        return value

    def string(self, name: str, *, required: bool = False, low: int = 0, high: int = 2048,
               pattern: str | None = None) -> str | None:
        value: str | None = self._get(name, str, "a string", required)
        if value is None:
            return None
        if len(value) < low:
            self._fail(name, f"Member must have length greater than or equal to {low}")
        elif len(value) > high:
            self._fail(name, f"Member must have length less than or equal to {high}")
        elif pattern is not None and not re.fullmatch(pattern, value):
            self._fail(name, f"Member must satisfy regular expression pattern: {pattern}")
        return value

    def key_id(self, name: str = "KeyId", *, required: bool = True) -> str | None:
        return self.string(name, required=required, low=1, high=2048)

    def enum(self, name: str, values: Iterable[str], *, required: bool = False) -> str | None:
        value = self.string(name, required=required, low=1, high=256)
        allowed = list(values)
        if value is not None and value not in allowed:
            self._fail(name, f"Member must satisfy enum value set: [{', '.join(allowed)}]", value[:64])
            return None
        return value

    def blob(self, name: str, *, required: bool = False, low: int = 1, high: int = 4096) -> bytes | None:
        text = self._get(name, str, "a base64 string", required)
        if text is None:
            return None
        try:
            data = binascii.a2b_base64(text, strict_mode=True)
        except ValueError:
            raise SerializationError(f"Invalid base64 for member '{name}'") from None
        if len(data) < low:
            self._fail(name, f"Member must have length greater than or equal to {low}")
        elif len(data) > high:
            self._fail(name, f"Member must have length less than or equal to {high}")
        return data

    def integer(self, name: str, *, required: bool = False, low: int = 1, high: int = 2**31 - 1) -> int | None:
        value: int | None = self._get(name, int, "an integer", required)
        if value is None:
            return None
        if value < low:
            self._fail(name, f"Member must have value greater than or equal to {low}", value)
        elif value > high:
            self._fail(name, f"Member must have value less than or equal to {high}", value)
        return value

    def boolean(self, name: str) -> bool:
        return bool(self._get(name, bool, "a boolean", False))

    def context(self, name: str = "EncryptionContext") -> dict[str, str]:
        value = self._get(name, dict, "a map", False)
        if value is None:
            return {}
        size = 0
        for key, item in value.items():
            if not isinstance(item, str):
                raise SerializationError(f"Expected string values in member '{name}'")
            size += len(key.encode()) + len(item.encode()) + 4
        if size > MAX_CONTEXT_BYTES:
            self._fail(name, f"Member must be at most {MAX_CONTEXT_BYTES} bytes when encoded")
        return dict(value)

    def strings(self, name: str, *, high_items: int = 10, low: int = 1, high: int = 8192,
                required: bool = False) -> list[str]:
        value = self._get(name, list, "a list", required)
        if value is None:
            return []
        if len(value) > high_items:
            self._fail(name, f"Member must have length less than or equal to {high_items}")
        for item in value:
            if not isinstance(item, str):
                raise SerializationError(f"Expected strings in member '{name}'")
            if not low <= len(item) <= high:
                self._fail(name, f"Member must have length between {low} and {high}")
        return list(value)

    def grant_tokens(self) -> None:
        """Accepted and bounded (0-10 tokens); grants are not implemented, so tokens grant nothing."""
        self.strings("GrantTokens")

    def tags(self, name: str = "Tags", *, required: bool = False) -> dict[str, str]:
        value = self._get(name, list, "a list", required)
        if value is None:
            return {}
        tags: dict[str, str] = {}
        for item in value:
            if not isinstance(item, dict):
                raise SerializationError(f"Expected structures in member '{name}'")
            key, text = item.get("TagKey"), item.get("TagValue")
            if not isinstance(key, str) or not isinstance(text, str):
                raise SerializationError("Tags need a string TagKey and TagValue")
            if not 1 <= len(key) <= 128 or len(text) > 256:
                self._fail(name, "TagKey must be 1-128 and TagValue 0-256 characters")
                continue
            if key.startswith("aws:"):
                raise TagError("Tag keys beginning with 'aws:' are reserved")
            tags[key] = text
        return tags

    def done(self) -> None:
        if self.errors:
            count = len(self.errors)
            noun = "error" if count == 1 else "errors"
            raise ValidationError(f"{count} validation {noun} detected: {'; '.join(self.errors)}")
