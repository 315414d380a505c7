"""Helpers the actions share: base64, the `vault:v<N>:` envelope, sealing and opening blobs through transit,
DryRun, pagination and key metadata updates."""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import orjson

from strongroom.kms import blob
from strongroom.kms.context import Context, require_usage
from strongroom.kms.errors import (
    AccessDeniedError,
    DryRunError,
    InvalidCiphertextError,
    InvalidKeyUsageError,
    InvalidMarkerError,
    KmsError,
    NotFoundError,
    from_strongroom,
)
from strongroom.kms.keyview import ENCRYPT_DECRYPT, SYMMETRIC, KeyView
from strongroom.sdk.clock import rfc3339
from strongroom.sdk.errors import StrongroomError
from strongroom.sdk.request import Operation

T = TypeVar("T")
_MARKER = re.compile(r"[A-Za-z0-9_-]+={0,2}")
Result = dict[str, Any]


def b64(data: bytes) -> str:
    return binascii.b2a_base64(data, newline=False).decode()


def vault_split(text: str) -> tuple[int, bytes]:
    """`vault:v<N>:<base64>` -> (N, bytes)."""
    head, _, payload = text.rpartition(":")
    return int(head[len("vault:v"):]), binascii.a2b_base64(payload)


def symmetric_usage(ctx: Context, view: KeyView) -> None:
    require_usage(ctx, view, ENCRYPT_DECRYPT)
    if not view.symmetric:
        raise InvalidKeyUsageError(f"{ctx.key_arn(view.key_id)} is not a symmetric key; use "
                                   f"{'/'.join(view.encryption_algorithms())}.")


def explain(ctx: Context, key_id: str, exc: StrongroomError, fallback: KmsError,
            check: Callable[[KeyView], None] | None = None) -> KmsError:
    """Why transit refused an operation on `key_id`, in AWS terms (state, usage, permission), else `fallback`."""
    try:
        view = ctx.find(key_id)
    except KmsError as found:
        return found
    if view is None:
        return NotFoundError(f"Key '{ctx.key_arn(key_id)}' does not exist")
    try:
        view.require_enabled(ctx.arns)
        (check or (lambda v: symmetric_usage(ctx, v)))(view)
    except KmsError as found:
        return found
    converted = from_strongroom(exc)
    return converted if isinstance(converted, AccessDeniedError) else fallback


def seal(ctx: Context, key_id: str, plaintext: bytes, context: Mapping[str, str]) -> bytes:
    """Encrypt under a symmetric key through transit `encrypt/<id>`; returns our blob."""
    try:
        field = blob.key_field(key_id)
    except blob.BlobError:
        raise NotFoundError(f"Key '{ctx.key_arn(key_id)}' does not exist") from None
    aad = blob.associated_data(field, context)
    try:
        data = ctx.gateway.transit(Operation.UPDATE, f"encrypt/{key_id}",
                                   {"plaintext": b64(plaintext), "associated_data": b64(aad)})
    except StrongroomError as exc:
        raise explain(ctx, key_id, exc, from_strongroom(exc)) from None
    version, payload = vault_split(str(data["ciphertext"]))
    return blob.build(field, version, payload)


def datakey(ctx: Context, key_id: str, size: int, context: Mapping[str, str], plaintext: bool) -> tuple[bytes,
                                                                                                      bytes | None]:
    """A fresh data key of `size` bytes and its blob. Sizes transit's datakey offers (16, 32, 64) take one call;
    others are drawn from the OS CSPRNG here and sealed."""
    if size not in (16, 32, 64):
        import secrets

        key = secrets.token_bytes(size)
        return seal(ctx, key_id, key, context), key
    try:
        field = blob.key_field(key_id)
    except blob.BlobError:
        raise NotFoundError(f"Key '{ctx.key_arn(key_id)}' does not exist") from None
    aad = blob.associated_data(field, context)
    kind = "plaintext" if plaintext else "wrapped"
    try:
        data = ctx.gateway.transit(Operation.UPDATE, f"datakey/{kind}/{key_id}",
                                   {"bits": size * 8, "associated_data": b64(aad)})
    except StrongroomError as exc:
        raise explain(ctx, key_id, exc, from_strongroom(exc)) from None
    version, payload = vault_split(str(data["ciphertext"]))
    key_bytes = binascii.a2b_base64(str(data["plaintext"])) if plaintext else None
    return blob.build(field, version, payload), key_bytes


def open_blob(ctx: Context, parsed: blob.Blob, context: Mapping[str, str], *, named: bool) -> bytes:
    """Decrypt our blob through transit `decrypt/<id>`. `named`: the caller gave a KeyId (a missing key is then
    NotFound rather than InvalidCiphertext)."""
    aad = blob.associated_data(parsed.key_field, context)
    text = f"vault:v{parsed.version}:{b64(parsed.payload)}"
    try:
        data = ctx.gateway.transit(Operation.UPDATE, f"decrypt/{parsed.key_id}",
                                   {"ciphertext": text, "associated_data": b64(aad)})
    except StrongroomError as exc:
        found = explain(ctx, parsed.key_id, exc, InvalidCiphertextError())
        if isinstance(found, NotFoundError) and not named:
            found = InvalidCiphertextError()
        raise found from None
    return binascii.a2b_base64(str(data["plaintext"]))


def dry_run(ctx: Context, transit_path: str, check: Callable[[], object] | None = None) -> None:
    """DryRun: run `check` (key state and usage; skipped when the caller may not read the key) and ask the ACL
    whether the real call would be allowed, then answer DryRunOperationException."""
    if check is not None:
        with contextlib.suppress(AccessDeniedError):
            check()
    path = ctx.gateway.settings.transit_mount + transit_path
    try:
        data = ctx.gateway.call(Operation.UPDATE, "sys/capabilities-self", {"paths": [path]}).data or {}
    except StrongroomError as exc:
        raise from_strongroom(exc) from None
    capabilities = data.get(path) or []
    if not {"root", "update", "create"} & set(capabilities):
        raise AccessDeniedError("The caller is not authorized to perform this operation.")
    raise DryRunError()


def page(items: Sequence[T], limit: int | None, marker: str | None, sort_key: Callable[[T], str],
         default: int = 100) -> tuple[list[T], str | None]:
    """Items after `marker` (an opaque token naming the last item returned), at most `limit`."""
    start = 0
    if marker:
        if not _MARKER.fullmatch(marker):
            raise InvalidMarkerError()
        try:
            after = base64.urlsafe_b64decode(marker.encode()).decode()
        except (ValueError, UnicodeDecodeError):
            raise InvalidMarkerError() from None
        start = next((i for i, item in enumerate(items) if sort_key(item) > after), len(items))
    count = limit or default
    chunk = list(items[start:start + count])
    more = start + count < len(items)
    return chunk, base64.urlsafe_b64encode(sort_key(chunk[-1]).encode()).decode() if more and chunk else None


def paged(result: Result, marker: str | None) -> Result:
    result["Truncated"] = marker is not None
    if marker is not None:
        result["NextMarker"] = marker
    return result


def update_metadata(ctx: Context, view: KeyView, changes: Mapping[str, str | None],
                    extra: Mapping[str, Any] | None = None) -> None:
    """Write the key's custom metadata with `changes` applied (None removes an entry)."""
    metadata = dict(view.metadata)
    for name, value in changes.items():
        if value is None:
            metadata.pop(name, None)
        else:
            metadata[name] = value
    try:
        ctx.gateway.transit(Operation.UPDATE, f"keys/{view.key_id}/config",
                            {"custom_metadata": metadata, **(extra or {})})
    except StrongroomError as exc:
        raise from_strongroom(exc) from None


def dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def rfc(timestamp: float) -> str:
    return rfc3339(timestamp)


__all__ = ["SYMMETRIC", "Result", "b64", "datakey", "dry_run", "dumps", "explain", "open_blob", "page", "paged",
           "rfc", "seal", "symmetric_usage", "update_metadata", "vault_split"]
