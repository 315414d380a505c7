from __future__ import annotations

from strongroom.sdk.framework.testing import EngineHarness


def _values(transit: EngineHarness) -> dict[tuple[str, int, str], str]:
    return {(v.path, v.version, v.field): v.value for v in transit.backend.managed_values()}


def test_only_exportable_keys_offer_their_exported_forms(transit: EngineHarness) -> None:
    transit.write("keys/sealed")
    transit.write("keys/aes", exportable=True)
    transit.write("keys/aes/rotate")
    transit.write("keys/ed", type="ed25519", exportable=True)
    transit.write("keys/mac", type="hmac", key_size=32, exportable=True)
    values = _values(transit)
    assert {path for path, _v, _f in values} == {"keys/aes", "keys/ed", "keys/mac"}  # "sealed" never leaves
    for (path, version, field), value in values.items():
        name = path.removeprefix("keys/")
        exported = transit.read(f"export/{field}/{name}/{version}").data
        assert exported is not None and exported["keys"] == {str(version): value}
    assert {(v, f) for p, v, f in values if p == "keys/aes"} == {
        (1, "encryption-key"), (2, "encryption-key"), (1, "hmac-key"), (2, "hmac-key")}
    assert {f for p, _v, f in values if p == "keys/ed"} == {"signing-key", "hmac-key"}
    assert {f for p, _v, f in values if p == "keys/mac"} == {"hmac-key"}
