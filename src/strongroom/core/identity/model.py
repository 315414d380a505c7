"""Identity records as immutable values: entities with their aliases, groups with their (one) alias.

Entity aliases live inside their entity, as in Vault; an external group's alias lives inside its group.
Policy names are kept normalised (`normalize_name`), and `root` can never be among them (`check_policies`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import orjson

from strongroom.core.policy.model import normalize_name
from strongroom.sdk.clock import rfc3339
from strongroom.sdk.errors import InvalidRequest

INTERNAL = "internal"
EXTERNAL = "external"

# Letters other scripts draw like the ASCII ones in "root" (Cyrillic, Greek, small capitals, modifier letters).
_CONFUSABLES = str.maketrans({
    "\u043e": "o", "\u03bf": "o", "\u1d0f": "o", "\u00f8": "o", "\u0585": "o", "\u2134": "o",
    "\u0433": "r", "\u0280": "r", "\u1d3f": "r", "\u027e": "r",
    "\u0442": "t", "\u03c4": "t", "\u1d1b": "t", "\u0167": "t",
})


def _skeleton(name: str) -> str:
    """What a name looks like: NFKC, format characters (zero-width and the like) and whitespace removed,
    case folded, lookalike letters mapped to ASCII."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Zs", "Cc") and not ch.isspace())
    return text.casefold().translate(_CONFUSABLES)


def is_root_spelling(name: str) -> bool:
    """Whether a policy name is "root" in any case, padding, Unicode form or lookalike letters."""
    return normalize_name(name) == "root" or _skeleton(name) == "root"


def check_policies(policies: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Normalised, de-duplicated policy names; any spelling of "root" is refused (400)."""
    names: list[str] = []
    for policy in policies:
        if is_root_spelling(policy):
            raise InvalidRequest('the "root" policy cannot be assigned through identity')
        name = normalize_name(policy)
        if name and name not in names:
            names.append(name)
    return tuple(names)


def _time(value: float) -> str:
    return rfc3339(value)


@dataclass(frozen=True)
class EntityAlias:
    id: str
    canonical_id: str
    mount_accessor: str
    name: str
    creation_time: float
    last_update_time: float
    metadata: dict[str, str] = field(default_factory=dict)
    custom_metadata: dict[str, str] = field(default_factory=dict)
    merged_from_canonical_ids: tuple[str, ...] = ()

    def api(self, mount_path: str, mount_type: str) -> dict[str, Any]:
        return {
            "canonical_id": self.canonical_id, "creation_time": _time(self.creation_time),
            "custom_metadata": dict(self.custom_metadata) or None, "id": self.id,
            "last_update_time": _time(self.last_update_time), "local": False,
            "merged_from_canonical_ids": list(self.merged_from_canonical_ids) or None,
            "metadata": dict(self.metadata) or None, "mount_accessor": self.mount_accessor,
            "mount_path": mount_path, "mount_type": mount_type, "name": self.name, "namespace_id": "root",
        }


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    creation_time: float
    last_update_time: float
    policies: tuple[str, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    disabled: bool = False
    aliases: tuple[EntityAlias, ...] = ()
    merged_entity_ids: tuple[str, ...] = ()

    def serialize(self) -> bytes:
        return orjson.dumps(asdict(self))

    @classmethod
    def deserialize(cls, data: bytes) -> Entity:
        raw = orjson.loads(data)
        raw["policies"] = tuple(raw["policies"])
        raw["merged_entity_ids"] = tuple(raw.get("merged_entity_ids", ()))
        raw["aliases"] = tuple(
            EntityAlias(**{**a, "merged_from_canonical_ids": tuple(a.get("merged_from_canonical_ids", ()))})
            for a in raw["aliases"]
        )
        return cls(**raw)

    def with_(self, **changes: Any) -> Entity:
        return replace(self, **changes)

    def alias_on(self, mount_accessor: str) -> EntityAlias | None:
        return next((a for a in self.aliases if a.mount_accessor == mount_accessor), None)


@dataclass(frozen=True)
class GroupAlias:
    id: str
    canonical_id: str
    mount_accessor: str
    name: str
    creation_time: float
    last_update_time: float

    def api(self, mount_path: str, mount_type: str) -> dict[str, Any]:
        return {
            "canonical_id": self.canonical_id, "creation_time": _time(self.creation_time), "id": self.id,
            "last_update_time": _time(self.last_update_time), "merged_from_canonical_ids": None,
            "metadata": None, "mount_accessor": self.mount_accessor, "mount_path": mount_path,
            "mount_type": mount_type, "name": self.name, "namespace_id": "root",
        }


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    type: str
    creation_time: float
    last_update_time: float
    policies: tuple[str, ...] = ()
    member_entity_ids: tuple[str, ...] = ()
    member_group_ids: tuple[str, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    alias: GroupAlias | None = None
    modify_index: int = 1

    def serialize(self) -> bytes:
        return orjson.dumps(asdict(self))

    @classmethod
    def deserialize(cls, data: bytes) -> Group:
        raw = orjson.loads(data)
        for key in ("policies", "member_entity_ids", "member_group_ids"):
            raw[key] = tuple(raw[key])
        raw["alias"] = GroupAlias(**raw["alias"]) if raw.get("alias") else None
        return cls(**raw)

    def with_(self, **changes: Any) -> Group:
        return replace(self, **changes, modify_index=self.modify_index + 1)
