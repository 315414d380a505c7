"""Token roles (auth/token/roles/<name>): templates for tokens created with auth/token/create/<name>."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

import orjson

from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Duration, arg

_SUFFIX = re.compile(r"\w[\w.\-]*\w")


@dataclass(frozen=True)
class RoleArgs:
    role_name: str = arg("Role name.")
    allowed_policies: list[str] = arg("Policies tokens of this role may have.", factory=list)
    disallowed_policies: list[str] = arg("Policies tokens of this role may never have.", factory=list)
    orphan: bool = arg("Create orphan tokens.", False)
    renewable: bool = arg("Tokens may be renewed.", True)
    path_suffix: str = arg("Suffix appended to the token path.", "")
    token_period: Duration = arg("Periodic token period.", Duration(0))
    period: Duration = arg("Legacy name of token_period.", Duration(0))
    token_explicit_max_ttl: Duration = arg("Hard maximum lifetime.", Duration(0))
    explicit_max_ttl: Duration = arg("Legacy name of token_explicit_max_ttl.", Duration(0))
    token_type: str = arg("service or batch.", "service")
    token_no_default_policy: bool = arg("Leave out the default policy.", False)
    allowed_entity_aliases: list[str] | None = arg("Accepted for compatibility.", None)


@dataclass(frozen=True)
class TokenRole:
    name: str
    allowed_policies: tuple[str, ...] = ()
    disallowed_policies: tuple[str, ...] = ()
    orphan: bool = False
    renewable: bool = True
    path_suffix: str = ""
    period: int = 0
    explicit_max_ttl: int = 0
    token_type: str = "service"
    no_default_policy: bool = False

    @classmethod
    def from_args(cls, args: RoleArgs) -> TokenRole:
        if args.path_suffix and not _SUFFIX.fullmatch(args.path_suffix):
            raise InvalidRequest("path_suffix must match \\w[\\w-.]+\\w")
        if args.token_type not in ("service", "batch", "default-service", "default-batch", "default"):
            raise InvalidRequest(f"invalid 'token_type' value {args.token_type[:16]!r}")
        return cls(
            name=args.role_name.lower(),
            allowed_policies=tuple(sorted({p.lower() for p in args.allowed_policies})),
            disallowed_policies=tuple(sorted({p.lower() for p in args.disallowed_policies})),
            orphan=args.orphan, renewable=args.renewable, path_suffix=args.path_suffix,
            period=args.token_period or args.period,
            explicit_max_ttl=args.token_explicit_max_ttl or args.explicit_max_ttl,
            token_type=args.token_type.replace("default-", "").replace("default", "service"),
            no_default_policy=args.token_no_default_policy,
        )

    def serialize(self) -> bytes:
        return orjson.dumps(asdict(self))

    @classmethod
    def deserialize(cls, data: bytes) -> TokenRole:
        raw = orjson.loads(data)
        raw["allowed_policies"] = tuple(raw["allowed_policies"])
        raw["disallowed_policies"] = tuple(raw["disallowed_policies"])
        return cls(**raw)

    def api(self) -> dict[str, Any]:
        return {
            "allowed_entity_aliases": None, "allowed_policies": list(self.allowed_policies),
            "allowed_policies_glob": [], "disallowed_policies": list(self.disallowed_policies),
            "disallowed_policies_glob": [], "explicit_max_ttl": self.explicit_max_ttl, "name": self.name,
            "orphan": self.orphan, "path_suffix": self.path_suffix, "period": self.period,
            "renewable": self.renewable, "token_explicit_max_ttl": self.explicit_max_ttl,
            "token_no_default_policy": self.no_default_policy, "token_period": self.period,
            "token_type": self.token_type,
        }

    def policies_for(self, requested: list[str]) -> tuple[str, ...]:
        wanted = {p.lower() for p in requested} if requested else set(self.allowed_policies)
        wanted.discard("default")
        if self.allowed_policies and not wanted <= set(self.allowed_policies):
            raise InvalidRequest(f"token policies ({sorted(wanted)}) must be subset of the role's allowed policies "
                                 f"({list(self.allowed_policies)})")
        if wanted & set(self.disallowed_policies):
            raise InvalidRequest("token policies include a policy the role disallows")
        return tuple(sorted(wanted))
