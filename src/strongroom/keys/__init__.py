"""The key service: named, versioned keys and the cryptographic operations on them.

`KeyService` (operations.py) is the one entry point: engines (transit, and through transit the KMS face) ask it
to create, rotate, configure and use keys. Key material lives in immutable values (`Key`, `KeyVersion` in
key.py); `Keyring` (keyring.py) is a key's ready-to-use form with its cipher objects built once.
"""

from strongroom.keys.errors import DECRYPTION_FAILED, DecryptionFailed, KeyDisabled
from strongroom.keys.key import KEY_TYPES, Key, KeyType, KeyVersion
from strongroom.keys.keyring import Keyring
from strongroom.keys.operations import ConfigChange, Encryptor, KeyService, NewKey

__all__ = [
    "DECRYPTION_FAILED",
    "KEY_TYPES",
    "ConfigChange",
    "DecryptionFailed",
    "Encryptor",
    "Key",
    "KeyDisabled",
    "KeyService",
    "KeyType",
    "KeyVersion",
    "Keyring",
    "NewKey",
]
