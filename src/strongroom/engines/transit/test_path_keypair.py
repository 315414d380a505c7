from __future__ import annotations

import base64

import pytest

from strongroom.crypto.asymmetric import PrivateKey
from strongroom.engines.transit.path_keypair import TYPES
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework.testing import EngineHarness


@pytest.mark.parametrize("kind", [t for t in TYPES if t != "rsa-4096"])
def test_keypair_is_a_matching_der_pair_and_is_not_stored(transit: EngineHarness, kind: str) -> None:
    data = transit.write(f"keypair/{kind}").data
    assert data is not None
    private = PrivateKey.load(kind, base64.b64decode(data["private_key"]))
    assert private.public.der() == base64.b64decode(data["public_key"])
    assert transit.storage.list("policy/") == []


def test_unknown_type(transit: EngineHarness) -> None:
    with pytest.raises(InvalidRequest):
        transit.write("keypair/aes256-gcm96")
