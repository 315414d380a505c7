"""A KMS key as the KMS face sees it: a transit key (`GET <mount>/keys/<id>`) plus the KMS attributes kept in
the key's custom metadata.

Custom metadata entries (all strings): `kms:spec`, `kms:usage`, `kms:description`, `kms:created`, `kms:origin`,
`kms:tags` (JSON object), `kms:policy` (the key policy document), `kms:pending_days`, `kms:on_demand` (JSON list
of version numbers made by RotateKeyOnDemand). A key made through transit has none of them; its KMS attributes
are derived from its type. Key state: transit `disabled` with a `delete_after` time is PendingDeletion,
`disabled` alone is Disabled, otherwise Enabled; the transit key service refuses every use of a disabled key and
deletes it once `delete_after` has passed (the deadline is stored with the key, so it survives restarts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from strongroom.kms.errors import DisabledError, InvalidStateError
from strongroom.kms.identifiers import Arns
from strongroom.sdk.clock import parse_rfc3339

SYMMETRIC = "SYMMETRIC_DEFAULT"
ENCRYPT_DECRYPT = "ENCRYPT_DECRYPT"
SIGN_VERIFY = "SIGN_VERIFY"
GENERATE_VERIFY_MAC = "GENERATE_VERIFY_MAC"

# KMS key spec -> (transit type, hmac key size in bytes).
SPEC_TO_TRANSIT: Mapping[str, tuple[str, int]] = {
    SYMMETRIC: ("aes256-gcm96", 0),
    "RSA_2048": ("rsa-2048", 0), "RSA_3072": ("rsa-3072", 0), "RSA_4096": ("rsa-4096", 0),
    "ECC_NIST_P256": ("ecdsa-p256", 0), "ECC_NIST_P384": ("ecdsa-p384", 0), "ECC_NIST_P521": ("ecdsa-p521", 0),
    "ECC_SECG_P256K1": ("ecdsa-secp256k1", 0), "ECC_NIST_EDWARDS25519": ("ed25519", 0),
    "HMAC_224": ("hmac", 32), "HMAC_256": ("hmac", 32), "HMAC_384": ("hmac", 48), "HMAC_512": ("hmac", 64),
}
_TRANSIT_TO_SPEC = {
    "aes128-gcm96": SYMMETRIC, "aes256-gcm96": SYMMETRIC, "chacha20-poly1305": SYMMETRIC,
    "rsa-2048": "RSA_2048", "rsa-3072": "RSA_3072", "rsa-4096": "RSA_4096",
    "ecdsa-p256": "ECC_NIST_P256", "ecdsa-p384": "ECC_NIST_P384", "ecdsa-p521": "ECC_NIST_P521",
    "ecdsa-secp256k1": "ECC_SECG_P256K1", "ed25519": "ECC_NIST_EDWARDS25519",
}
USAGES: Mapping[str, tuple[str, ...]] = {
    SYMMETRIC: (ENCRYPT_DECRYPT,),
    "RSA_2048": (ENCRYPT_DECRYPT, SIGN_VERIFY), "RSA_3072": (ENCRYPT_DECRYPT, SIGN_VERIFY),
    "RSA_4096": (ENCRYPT_DECRYPT, SIGN_VERIFY),
    "ECC_NIST_P256": (SIGN_VERIFY,), "ECC_NIST_P384": (SIGN_VERIFY,), "ECC_NIST_P521": (SIGN_VERIFY,),
    "ECC_SECG_P256K1": (SIGN_VERIFY,), "ECC_NIST_EDWARDS25519": (SIGN_VERIFY,),
    "HMAC_224": (GENERATE_VERIFY_MAC,), "HMAC_256": (GENERATE_VERIFY_MAC,), "HMAC_384": (GENERATE_VERIFY_MAC,),
    "HMAC_512": (GENERATE_VERIFY_MAC,),
}
RSA_ENCRYPTION = ("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256")
RSA_SIGNING = ("RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512", "RSASSA_PKCS1_V1_5_SHA_256",
               "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512")
ECDSA_SIGNING = {"ECC_NIST_P256": "ECDSA_SHA_256", "ECC_NIST_P384": "ECDSA_SHA_384",
                 "ECC_NIST_P521": "ECDSA_SHA_512", "ECC_SECG_P256K1": "ECDSA_SHA_256",
                 "ECC_NIST_EDWARDS25519": "ED25519_SHA_512"}
MAC_ALGORITHM = {"HMAC_224": "HMAC_SHA_224", "HMAC_256": "HMAC_SHA_256", "HMAC_384": "HMAC_SHA_384",
                 "HMAC_512": "HMAC_SHA_512"}


@dataclass(frozen=True)
class KeyView:
    key_id: str
    transit_type: str
    spec: str
    usage: str
    state: str
    created: float
    latest_version: int
    versions: Mapping[int, float]
    auto_rotate_period: int
    deletion_date: float = 0.0
    metadata: Mapping[str, str] = field(default_factory=dict)
    public_key_pem: str = ""
    derived: bool = False
    origins: Mapping[int, str] = field(default_factory=dict)

    @classmethod
    def from_transit(cls, key_id: str, info: Mapping[str, Any]) -> KeyView:
        meta: dict[str, str] = dict(info.get("custom_metadata") or {})
        transit_type = str(info.get("type", ""))
        spec = meta.get("kms:spec") or _spec_for(transit_type, int(info.get("key_size") or 0))
        usage = meta.get("kms:usage") or USAGES.get(spec, (SIGN_VERIFY,))[-1]
        versions: dict[int, float] = {}
        public = ""
        for number, entry in (info.get("keys") or {}).items():
            if isinstance(entry, Mapping):
                versions[int(number)] = parse_rfc3339(str(entry.get("creation_time")))
                public = str(entry.get("public_key") or "") if int(number) == info.get("latest_version") else public
            else:
                versions[int(number)] = float(entry)
        origins = {int(number): str(entry.get("origin") or "") for number, entry in
                   (info.get("key_versions") or {}).items() if isinstance(entry, Mapping)}
        deletion = parse_rfc3339(str(info["delete_after"])) if info.get("delete_after") else 0.0
        state = ("PendingDeletion" if deletion else "Disabled") if info.get("disabled") else "Enabled"
        created = float(meta.get("kms:created") or (min(versions.values()) if versions else 0.0))
        return cls(key_id=key_id, transit_type=transit_type, spec=spec, usage=usage, state=state, created=created,
                   latest_version=int(info.get("latest_version") or 1), versions=versions,
                   auto_rotate_period=int(info.get("auto_rotate_period") or 0), deletion_date=deletion,
                   metadata=meta, public_key_pem=public, derived=bool(info.get("derived")), origins=origins)

    @property
    def symmetric(self) -> bool:
        return self.spec == SYMMETRIC

    @property
    def hmac(self) -> bool:
        return self.spec.startswith("HMAC_")

    @property
    def asymmetric(self) -> bool:
        return not self.symmetric and not self.hmac

    @property
    def description(self) -> str:
        return self.metadata.get("kms:description", "")

    @property
    def tags(self) -> dict[str, str]:
        raw = self.metadata.get("kms:tags")
        return dict(orjson.loads(raw)) if raw else {}

    @property
    def on_demand(self) -> list[int]:
        raw = self.metadata.get("kms:on_demand")
        return [int(v) for v in orjson.loads(raw)] if raw else []

    def live_versions(self) -> list[int]:
        """The versions that may still decrypt or verify, newest first. KMS asymmetric and HMAC keys never
        rotate, but the same key may have been rotated through transit: material made before that still works."""
        return sorted(self.versions, reverse=True) or [self.latest_version]

    def rotation_type(self, number: int) -> str:
        """How version `number` came to be, as ListKeyRotations names it: the server's own rotations (on
        schedule, or before the nonce bound) are AUTOMATIC; RotateKeyOnDemand and transit's rotate are ON_DEMAND.
        Without a recorded origin, the on-demand list and the current schedule decide."""
        origin = self.origins.get(number, "")
        if origin in ("auto-rotated", "usage-rotated"):
            return "AUTOMATIC"
        if origin or number in self.on_demand or not self.auto_rotate_period:
            return "ON_DEMAND"
        return "AUTOMATIC"

    def require_enabled(self, arns: Arns) -> None:
        """Disabled -> DisabledException; PendingDeletion -> KMSInvalidStateException."""
        if self.state == "Disabled":
            raise DisabledError(f"{arns.key(self.key_id)} is disabled.")
        if self.state == "PendingDeletion":
            raise InvalidStateError(f"{arns.key(self.key_id)} is pending deletion.")

    def require_not_pending(self, arns: Arns) -> None:
        if self.state == "PendingDeletion":
            raise InvalidStateError(f"{arns.key(self.key_id)} is pending deletion.")

    def encryption_algorithms(self) -> list[str]:
        if self.usage != ENCRYPT_DECRYPT:
            return []
        return [SYMMETRIC] if self.symmetric else list(RSA_ENCRYPTION)

    def signing_algorithms(self) -> list[str]:
        if self.usage != SIGN_VERIFY:
            return []
        if self.spec.startswith("RSA_"):
            return list(RSA_SIGNING)
        return [ECDSA_SIGNING[self.spec]] if self.spec in ECDSA_SIGNING else []

    def metadata_json(self, arns: Arns, account: str) -> dict[str, Any]:
        data: dict[str, Any] = {
            "AWSAccountId": account, "KeyId": self.key_id, "Arn": arns.key(self.key_id),
            "CreationDate": self.created, "Enabled": self.state == "Enabled", "Description": self.description,
            "KeyUsage": self.usage, "KeyState": self.state, "Origin": self.metadata.get("kms:origin", "AWS_KMS"),
            "KeyManager": "CUSTOMER", "CustomerMasterKeySpec": self.spec, "KeySpec": self.spec,
            "MultiRegion": False, "CurrentKeyMaterialId": f"{self.latest_version:064x}",
        }
        if self.deletion_date:
            data["DeletionDate"] = self.deletion_date
            data["PendingDeletionWindowInDays"] = int(self.metadata.get("kms:pending_days") or 30)
        if self.encryption_algorithms():
            data["EncryptionAlgorithms"] = self.encryption_algorithms()
        if self.signing_algorithms():
            data["SigningAlgorithms"] = self.signing_algorithms()
        if self.hmac:
            data["MacAlgorithms"] = [MAC_ALGORITHM[self.spec]]
        return data


def _spec_for(transit_type: str, key_size: int) -> str:
    if transit_type == "hmac":
        return {48: "HMAC_384", 64: "HMAC_512"}.get(key_size, "HMAC_256")
    return _TRANSIT_TO_SPEC.get(transit_type, SYMMETRIC)
