"""Key ids, key ARNs, alias names and alias ARNs.

A `KeyId` input may be a key id, a key ARN, an alias name (`alias/x`) or an alias ARN. A key id is the name of
the transit key, so keys created through transit are addressable too. ARNs name our partition, our account and
the region the request was signed for; an ARN for another account or region names no key here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from strongroom.kms.errors import InvalidAliasNameError, InvalidArnError, NotFoundError

KEY_NAME = re.compile(r"\w(?:[\w.-]*\w)?")
ALIAS_NAME = re.compile(r"alias/[a-zA-Z0-9:/_-]+")
_ARN = re.compile(r"arn:([a-z-]+):kms:([a-z0-9-]*):(\d*):(key|alias)/(.+)", re.ASCII)


@dataclass(frozen=True, slots=True)
class Arns:
    partition: str
    region: str
    account: str

    @property
    def prefix(self) -> str:
        return f"arn:{self.partition}:kms:{self.region}:{self.account}:"

    def key(self, key_id: str) -> str:
        return f"{self.prefix}key/{key_id}"

    def alias(self, alias_name: str) -> str:
        return f"{self.prefix}{alias_name}"


@dataclass(frozen=True, slots=True)
class KeyRef:
    """A parsed KeyId: exactly one of `key_id` and `alias` is set; `text` is what the caller sent."""

    text: str
    key_id: str = ""
    alias: str = ""


def parse(text: str, arns: Arns, *, aliases: bool = True) -> KeyRef:
    if text.startswith("arn:"):
        found = _ARN.fullmatch(text)
        if found is None:
            raise InvalidArnError(f"ARN {text[:256]} is not a valid KMS key or alias ARN.")
        partition, region, account, kind, rest = found.groups()
        if (partition, region, account) != (arns.partition, arns.region, arns.account):
            raise NotFoundError(f"Key '{text[:256]}' does not exist")
        if kind == "alias":
            return _alias(text, f"alias/{rest}", aliases)
        return _key(text, rest)
    if text.startswith("alias/"):
        return _alias(text, text, aliases)
    return _key(text, text)


def _alias(text: str, name: str, allowed: bool) -> KeyRef:
    if not allowed:
        raise NotFoundError(f"Invalid keyId {text[:256]}")
    if not ALIAS_NAME.fullmatch(name) or len(name) > 256:
        raise NotFoundError(f"Alias {text[:256]} is not found.")
    return KeyRef(text, alias=name)


def _key(text: str, key_id: str) -> KeyRef:
    if not KEY_NAME.fullmatch(key_id) or len(key_id) > 256:
        raise NotFoundError(f"Invalid keyId {text[:256]}")
    return KeyRef(text, key_id=key_id)


def check_alias_name(name: str) -> None:
    """Rules for a new alias: `alias/` + allowed characters, not under the reserved `alias/aws/`."""
    if not name.startswith("alias/") or not ALIAS_NAME.fullmatch(name) or name == "alias/":
        raise InvalidAliasNameError(f"Alias name {name[:256]} must begin with 'alias/' and contain only "
                                    "alphanumeric characters, '/', '_', '-' and ':'.")
    if name.startswith("alias/aws/") or name == "alias/aws":
        raise InvalidAliasNameError(f"Alias name {name[:256]} must not begin with the reserved prefix 'alias/aws/'.")


def alias_storage_name(alias: str) -> str:
    """Aliases are stored flat in the alias mount: `alias/a/b` -> `a~b` ('~' never occurs in alias names)."""
    return alias[len("alias/"):].replace("/", "~")


def alias_from_storage(name: str) -> str:
    return "alias/" + name.replace("~", "/")
