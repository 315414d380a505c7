"""`keypair/<type>`: a fresh asymmetric key pair that is returned and not stored (Strongroom extension).

The KMS face's GenerateDataKeyPair uses it: the private key is then encrypted under a KMS key by `encrypt/`.
Keys are PKCS#8 (private) and SubjectPublicKeyInfo (public), DER, base64.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from strongroom.crypto.asymmetric import PrivateKey
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

TYPES = ("rsa-2048", "rsa-3072", "rsa-4096", "ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "ecdsa-secp256k1", "ed25519")


@dataclass(frozen=True)
class KeypairArgs:
    type: str = arg("Key type: rsa-2048/3072/4096, ecdsa-p256/p384/p521, ecdsa-secp256k1 or ed25519.")


def path_keypair() -> Path[KeypairArgs]:
    def generate(request: Request, args: KeypairArgs) -> Response:
        if args.type not in TYPES:
            raise InvalidRequest(f"unsupported key pair type {args.type}")
        key = PrivateKey.generate(args.type)
        return Response(data={"type": args.type, "private_key": base64.b64encode(key.pkcs8()).decode(),
                               "public_key": base64.b64encode(key.public.der()).decode()})

    return Path(r"keypair/(?P<type>[\w-]+)", KeypairArgs, operations={Operation.UPDATE: generate},
                synopsis="Generate an asymmetric key pair without storing it (DER, base64).")
