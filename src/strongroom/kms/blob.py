"""The symmetric ciphertext blob, our own format (clients treat it as opaque):

    "SRK" | format 0x01 | key field | key version (u32, big-endian) | nonce | ciphertext | GCM tag

The key field is 0x00 + 16 raw bytes for a UUID key id, or 0x01 + length (u8) + UTF-8 name for any other
transit key name. The associated data handed to transit is the header up to the key field (magic, format, key)
followed by the canonical encoding of the encryption context, so a blob cannot be moved to another key and
decrypts only with the exact context it was made with. The version needs no place in the associated data:
each version has its own key, so a blob whose version was changed fails authentication like any other
tampering. Any parse failure is reported as InvalidCiphertextException by the caller.
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

MAGIC = b"SRK\x01"
_UUID = 0
_NAME = 1
_VERSION = struct.Struct(">I")
MIN_PAYLOAD = 12 + 16


class BlobError(ValueError):
    """The bytes are not a blob of ours."""


@dataclass(frozen=True, slots=True)
class Blob:
    key_id: str
    version: int
    payload: bytes
    key_field: bytes


def key_field(key_id: str) -> bytes:
    if len(key_id) == 36 and key_id == key_id.lower():
        try:
            parsed = uuid.UUID(key_id)
        except ValueError:
            parsed = None
        if parsed is not None and str(parsed) == key_id:
            return bytes([_UUID]) + parsed.bytes
    name = key_id.encode()
    if not 0 < len(name) < 256:
        raise BlobError("key name length")
    return bytes([_NAME, len(name)]) + name


def encode_context(context: Mapping[str, str]) -> bytes:
    """Canonical: entries sorted by key bytes, each length-prefixed (u16), after an entry count (u16)."""
    items = sorted((k.encode(), v.encode()) for k, v in context.items())
    parts = [struct.pack(">H", len(items))]
    for key, value in items:
        parts.append(struct.pack(">H", len(key)) + key + struct.pack(">H", len(value)) + value)
    return b"".join(parts)


def associated_data(field: bytes, context: Mapping[str, str]) -> bytes:
    return MAGIC + field + encode_context(context)


def build(field: bytes, version: int, payload: bytes) -> bytes:
    return MAGIC + field + _VERSION.pack(version) + payload


def parse(data: bytes) -> Blob:
    if data[:4] != MAGIC or len(data) < 5:
        raise BlobError("magic")
    kind = data[4]
    if kind == _UUID:
        end = 5 + 16
        if len(data) < end:
            raise BlobError("short")
        key_id = str(uuid.UUID(bytes=data[5:end]))
    elif kind == _NAME:
        if len(data) < 6:
            raise BlobError("short")
        end = 6 + data[5]
        try:
            key_id = data[6:end].decode()
        except UnicodeDecodeError:
            raise BlobError("name") from None
    else:
        raise BlobError("kind")
    if len(data) < end + 4 + MIN_PAYLOAD or not key_id:
        raise BlobError("short")
    (version,) = _VERSION.unpack_from(data, end)
    if version < 1:
        raise BlobError("version")
    return Blob(key_id, version, data[end + 4:], data[4:end])
