"""The `token_*` fields every auth method's user or role carries (Vault's sdk/helper/tokenutil), and the CIDR
helpers they need.

A method's args dataclass inherits `TokenFieldArgs`; every field defaults to None so an update changes only what
the caller sent. `apply_token_fields` folds the args into the stored `TokenParams`, `TokenParams.to_data` renders a
read, and `TokenParams.grant` builds the `AuthGrant` a login returns.

Deprecated aliases (`policies`, `ttl`, `max_ttl`, `period`, `bound_cidrs`) are honoured when a method's args
declare them: the `token_*` field wins when both are sent, and a read echoes an alias only while it is in use.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Duration, arg
from strongroom.sdk.response import AuthGrant

IPNetwork = ipaddress.IPv4Interface | ipaddress.IPv6Interface

# Deprecated field -> the token_* field it stands for.
LEGACY_ALIASES: Mapping[str, str] = {
    "policies": "token_policies",
    "ttl": "token_ttl",
    "max_ttl": "token_max_ttl",
    "period": "token_period",
    "bound_cidrs": "token_bound_cidrs",
}

_TOKEN_TYPES = {"": "default", "default": "default", "service": "service", "batch": "batch"}
# Vault accepts these on roles with a warning and stores the concrete type.
_LEGACY_TOKEN_TYPES = {"default-service": "service", "default-batch": "batch"}


@dataclass(frozen=True, kw_only=True)
class TokenFieldArgs:
    token_policies: list[str] | None = arg("Policies attached to tokens issued through this entry.", None)
    policies: list[str] | None = arg('Deprecated: use "token_policies".', None)
    token_ttl: Duration | None = arg("Initial TTL of issued tokens (seconds or a duration string).", None)
    token_max_ttl: Duration | None = arg("Maximum lifetime of issued tokens.", None)
    token_explicit_max_ttl: Duration | None = arg(
        "Hard cap on issued tokens' lifetime that renewal never extends.", None
    )
    token_period: Duration | None = arg("If set, issued tokens are periodic with this renewal period.", None)
    token_num_uses: int | None = arg("Maximum uses of an issued token; 0 means unlimited.", None)
    token_bound_cidrs: list[str] | None = arg("CIDR blocks from which issued tokens may be used.", None)
    token_no_default_policy: bool | None = arg("Do not attach the 'default' policy to issued tokens.", None)
    token_type: str | None = arg("Type of issued tokens: service, batch or default.", None)
    token_strictly_bind_ip: bool | None = arg("Bind issued tokens to the login's source address.", None)


@dataclass(frozen=True)
class TokenParams:
    """The stored token settings of one user or role."""

    policies: tuple[str, ...] = ()
    ttl: int = 0
    max_ttl: int = 0
    explicit_max_ttl: int = 0
    period: int = 0
    num_uses: int = 0
    bound_cidrs: tuple[str, ...] = ()
    no_default_policy: bool = False
    token_type: str = "default"
    strictly_bind_ip: bool = False
    legacy: frozenset[str] = field(default_factory=frozenset)

    def to_data(self) -> dict[str, Any]:
        """The fields a read of the user or role shows."""
        data: dict[str, Any] = {
            "token_bound_cidrs": list(self.bound_cidrs),
            "token_explicit_max_ttl": self.explicit_max_ttl,
            "token_max_ttl": self.max_ttl,
            "token_no_default_policy": self.no_default_policy,
            "token_num_uses": self.num_uses,
            "token_period": self.period,
            "token_policies": list(self.policies),
            "token_strictly_bind_ip": self.strictly_bind_ip,
            "token_ttl": self.ttl,
            "token_type": self.token_type,
        }
        for old in sorted(self.legacy):
            data[old] = data[LEGACY_ALIASES[old]]
        return data

    def grant(
        self,
        *,
        display_name: str,
        alias_name: str,
        metadata: Mapping[str, str],
        bound_cidrs: tuple[str, ...] | None = None,
        internal: Mapping[str, Any] | None = None,
    ) -> AuthGrant:
        """The AuthGrant a successful login returns; `bound_cidrs` overrides the stored ones."""
        return AuthGrant(
            policies=self.policies,
            display_name=display_name,
            metadata=dict(metadata),
            ttl=self.ttl,
            max_ttl=self.max_ttl,
            explicit_max_ttl=self.explicit_max_ttl,
            period=self.period,
            num_uses=self.num_uses,
            renewable=True,
            no_default_policy=self.no_default_policy,
            # "default" leaves the choice to the mount; the mount default is a service token.
            token_type="batch" if self.token_type == "batch" else "service",
            alias_name=alias_name,
            bound_cidrs=self.bound_cidrs if bound_cidrs is None else bound_cidrs,
            internal=dict(internal or {}),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "policies": list(self.policies),
            "ttl": self.ttl,
            "max_ttl": self.max_ttl,
            "explicit_max_ttl": self.explicit_max_ttl,
            "period": self.period,
            "num_uses": self.num_uses,
            "bound_cidrs": list(self.bound_cidrs),
            "no_default_policy": self.no_default_policy,
            "token_type": self.token_type,
            "strictly_bind_ip": self.strictly_bind_ip,
            "legacy": sorted(self.legacy),
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> TokenParams:
        return cls(
            policies=tuple(raw.get("policies", ())),
            ttl=int(raw.get("ttl", 0)),
            max_ttl=int(raw.get("max_ttl", 0)),
            explicit_max_ttl=int(raw.get("explicit_max_ttl", 0)),
            period=int(raw.get("period", 0)),
            num_uses=int(raw.get("num_uses", 0)),
            bound_cidrs=tuple(raw.get("bound_cidrs", ())),
            no_default_policy=bool(raw.get("no_default_policy", False)),
            token_type=str(raw.get("token_type", "default")),
            strictly_bind_ip=bool(raw.get("strictly_bind_ip", False)),
            legacy=frozenset(raw.get("legacy", ())),
        )


def apply_token_fields(current: TokenParams, args: TokenFieldArgs) -> tuple[TokenParams, list[str]]:
    """Fold the fields the caller sent into `current`; returns the new params and any warnings.
    Raises InvalidRequest for values Vault rejects."""
    warnings: list[str] = []
    changes: dict[str, Any] = {}
    legacy = set(current.legacy)
    from_alias: set[str] = set()
    for old, new in LEGACY_ALIASES.items():
        old_value, new_value = getattr(args, old, None), getattr(args, new)
        if new_value is None and old_value is not None:
            from_alias.add(old)
            args = replace(args, **{new: old_value})
        if new_value is not None or old_value is not None:
            # Vault keeps echoing an alias the caller still sends, and drops it once only token_* is sent.
            (legacy.add if old_value is not None else legacy.discard)(old)
    if args.token_policies is not None:
        changes["policies"] = parse_policies(args.token_policies, legacy_form="policies" in from_alias)
    for name in ("ttl", "max_ttl", "explicit_max_ttl", "period", "num_uses"):
        value = getattr(args, f"token_{name}")
        if value is not None:
            if value < 0:
                raise InvalidRequest(f"'token_{name}' cannot be negative")
            changes[name] = int(value)
    if args.token_bound_cidrs is not None:
        networks = parse_cidrs(args.token_bound_cidrs, "token_bound_cidrs")
        changes["bound_cidrs"] = tuple(format_network(n) for n in networks)
    if args.token_no_default_policy is not None:
        changes["no_default_policy"] = args.token_no_default_policy
    if args.token_strictly_bind_ip is not None:
        changes["strictly_bind_ip"] = args.token_strictly_bind_ip
    if args.token_type is not None:
        changes["token_type"] = _token_type(args.token_type, warnings)
    params = replace(current, legacy=frozenset(legacy), **changes)
    _validate(params)
    return params, warnings


def _token_type(value: str, warnings: list[str]) -> str:
    text = value.strip().lower()
    if text in _LEGACY_TOKEN_TYPES:
        warnings.append(f"{text} has no useful meaning; adjusting to {_LEGACY_TOKEN_TYPES[text]}")
        return _LEGACY_TOKEN_TYPES[text]
    if text not in _TOKEN_TYPES:
        raise InvalidRequest(f"invalid 'token_type' value {value[:32]!r}")
    return _TOKEN_TYPES[text]


def _validate(params: TokenParams) -> None:
    if params.token_type == "batch":
        if params.period:
            raise InvalidRequest("'token_type' cannot be 'batch' when set to generate periodic tokens")
        if params.num_uses:
            raise InvalidRequest(
                "'token_type' cannot be 'batch' when set to generate tokens with limited use count"
            )
    if params.ttl and params.max_ttl and params.ttl > params.max_ttl:
        raise InvalidRequest("'token_ttl' cannot be greater than 'token_max_ttl'")


def parse_policies(values: Iterable[str], *, legacy_form: bool = False) -> tuple[str, ...]:
    """Trimmed, without blanks or duplicates. The deprecated `policies` field is also lower-cased and sorted,
    as Vault's policyutil does."""
    cleaned = [v.strip() for v in values if v.strip()]
    if legacy_form:
        return tuple(sorted({v.lower() for v in cleaned}))
    return tuple(dict.fromkeys(cleaned))


def parse_cidrs(values: Iterable[str], field_name: str) -> list[IPNetwork]:
    """Addresses or CIDR blocks (host bits kept, as Vault's sockaddr does). The error names the field only."""
    networks: list[IPNetwork] = []
    for value in values:
        try:
            networks.append(ipaddress.ip_interface(value.strip()))
        except ValueError:
            raise InvalidRequest(f"invalid CIDR block in {field_name!r}") from None
    return networks


def format_network(network: IPNetwork) -> str:
    """A single host prints without its mask: "127.0.0.1/32" -> "127.0.0.1"."""
    if network.network.prefixlen == network.max_prefixlen:
        return str(network.ip)
    return str(network.with_prefixlen)


def is_subset(inner: Iterable[str], outer: Iterable[str]) -> bool:
    """Every block of `inner` lies within some block of `outer` (an empty `outer` allows anything)."""
    outer_nets = [n.network for n in parse_cidrs(outer, "cidr")]
    if not outer_nets:
        return True
    return all(
        any(i.network.version == o.version and i.network.subnet_of(o) for o in outer_nets)  # type: ignore[arg-type]
        for i in parse_cidrs(inner, "cidr")
    )


def remote_addr_allowed(remote_addr: str, cidrs: Iterable[str]) -> bool:
    """Whether the client address lies in one of `cidrs`. An unknown or unparsable address is refused."""
    address = _parse_address(remote_addr)
    if address is None:
        return False
    return any(address in n.network for n in parse_cidrs(cidrs, "cidr"))


def _parse_address(remote_addr: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = remote_addr.strip()
    candidates = [text]
    if text.startswith("[") and "]" in text:  # "[::1]:8200"
        candidates.append(text[1 : text.index("]")])
    elif text.count(":") == 1:  # "10.0.0.1:8200"
        candidates.append(text.split(":", 1)[0])
    for candidate in candidates:
        try:
            return ipaddress.ip_address(candidate)
        except ValueError:
            continue
    return None
