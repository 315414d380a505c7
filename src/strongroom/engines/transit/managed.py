"""The transit key material a leak scanner may report as managed (sys/scan/fingerprints): the exported forms
of every version of the keys created exportable. Other keys never leave the server, so cannot leak."""

from __future__ import annotations

from collections.abc import Iterator

from strongroom.keys import KeyService
from strongroom.keys.export import export_keys
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import ManagedValue

EXPORTED = ("encryption-key", "signing-key", "hmac-key")


def exported_values(service: KeyService) -> Iterator[ManagedValue]:
    """(keys/<name>, version, export type, the key as `export/<type>/<name>` gives it)."""
    for name in service.names():
        ring = service.get(name)
        if ring is None or not ring.key.exportable:
            continue
        for export_type in EXPORTED:
            try:
                exported = export_keys(ring, export_type)
            except InvalidRequest:  # not a form this key's type has
                continue
            for version, value in exported.items():
                yield ManagedValue(f"keys/{name}", int(version), export_type, value)
