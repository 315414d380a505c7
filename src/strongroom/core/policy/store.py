"""Durable ACL policies and the ACL cache.

Contract:
- Names are normalised once, on the way in (`normalize_name`): "Dev", " dev " and a full-width spelling are
  one policy.
- `root` and `default` always exist. `root` has no text and can be neither written nor deleted. `default` starts
  as `DEFAULT_POLICY_TEXT`, may be rewritten, and cannot be deleted.
- `put` parses before it writes: an invalid text changes nothing. Deleting a missing policy is not an error.
- Each policy is stored under `acl/<escaped name>` in the given storage as JSON `{"name": ..., "text": ...}`.
- `acl_for(names)` merges the named policies into an ACL; names that do not exist are ignored (a token may
  outlive a policy), and "root" yields the root ACL. Results are cached per set of names and dropped on every
  `put`/`delete` of this instance. Another process writing the same storage must be announced with
  `invalidate()`; until then this instance serves its cached ACLs.
- `acl_for(names, identity)`: with the template values of the token's entity (`template.resolve`), templated
  paths are resolved for that entity; those ACLs are cached per (names, values), and only for sets of names
  that hold a templated policy. Without values, templated paths are skipped.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from urllib.parse import quote, unquote

from strongroom.core.policy.acl import ACL
from strongroom.core.policy.builtin import DEFAULT_POLICY, DEFAULT_POLICY_TEXT, ROOT_POLICY
from strongroom.core.policy.errors import PolicyError, PolicyParseError
from strongroom.core.policy.model import Policy, normalize_name
from strongroom.core.policy.parser import parse_policy
from strongroom.core.policy.template import resolve
from strongroom.sdk.errors import Fault
from strongroom.sdk.storage import Storage

__all__ = ["PolicyStore"]

_PREFIX = "acl/"
_ACL_CACHE_LIMIT = 1024


@cache
def _builtin_default() -> Policy:
    return parse_policy(DEFAULT_POLICY, DEFAULT_POLICY_TEXT)


@lru_cache(maxsize=1024)
def _parse_stored(name: str, text: str) -> Policy:
    # Why: HCL parsing costs milliseconds; after `invalidate` most texts are unchanged, so reuse their parse.
    return parse_policy(name, text)


def _key(name: str) -> str:
    # Why escape '.': a name such as ".." must not become a path segment the storage view refuses.
    return _PREFIX + quote(name, safe="").replace(".", "%2E")


class PolicyStore:
    """ACL policies kept in `storage` (already behind the barrier)."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self._lock = threading.Lock()
        self._generation = 0
        self._policies: dict[str, Policy | None] = {}
        self._acls: dict[frozenset[str], ACL] = {}
        self._templated_keys: set[frozenset[str]] = set()
        self._templated: dict[tuple[frozenset[str], frozenset[tuple[str, str]]], ACL] = {}

    def get(self, name: str) -> Policy | None:
        """The policy as stored now (read through, never from the cache); None if it does not exist."""
        name = normalize_name(name)
        if name == ROOT_POLICY:
            return Policy(ROOT_POLICY, "")
        return self._load(name)

    def put(self, name: str, text: str) -> Policy:
        """Parse and store `text` as policy `name`; returns the parsed policy."""
        name = self._writable(name, "update")
        policy = parse_policy(name, text)
        record = json.dumps({"name": policy.name, "text": policy.text}).encode()
        self._storage.put(_key(policy.name), record)
        self.invalidate()
        return policy

    def delete(self, name: str) -> None:
        name = self._writable(name, "delete")
        if name == DEFAULT_POLICY:
            raise PolicyError("cannot delete default policy")
        self._storage.delete(_key(name))
        self.invalidate()

    def list(self) -> list[str]:
        """Every policy name, sorted, including the built-ins."""
        stored = {unquote(child) for child in self._storage.list(_PREFIX) if not child.endswith("/")}
        return sorted(stored | {DEFAULT_POLICY, ROOT_POLICY})

    def acl_for(self, names: Iterable[str], identity: Mapping[str, str] | None = None) -> ACL:
        """The ACL of the named policies (cached until the next write or `invalidate`); `identity` holds the
        template values of the token's entity."""
        key = frozenset(normalize_name(name) for name in names)
        acl = self._acls.get(key)
        if acl is None:
            acl = self._build(key, None)
        if not identity or key not in self._templated_keys:
            return acl
        templated_key = (key, frozenset(identity.items()))
        templated = self._templated.get(templated_key)
        if templated is None:
            templated = self._build(key, identity)
        return templated

    def _build(self, key: frozenset[str], identity: Mapping[str, str] | None) -> ACL:
        with self._lock:
            generation = self._generation
        policies = [p for p in (self._cached_policy(n, generation) for n in sorted(key)) if p is not None]
        if identity is not None:
            policies = [resolve(p, identity) for p in policies]
        acl = ACL.from_policies(policies)
        with self._lock:
            # Why the generation check: a write that raced this build must not be masked by a stale ACL.
            if generation == self._generation:
                if identity is not None:
                    if len(self._templated) >= _ACL_CACHE_LIMIT:
                        self._templated.clear()
                    self._templated[(key, frozenset(identity.items()))] = acl
                else:
                    if len(self._acls) >= _ACL_CACHE_LIMIT:
                        self._acls.clear()
                    self._acls[key] = acl
                    if any(p.templated for p in policies):
                        self._templated_keys.add(key)
        return acl

    def invalidate(self) -> None:
        """Forget every cached policy and ACL (call when another process changed the policies)."""
        with self._lock:
            self._generation += 1
            self._policies = {}
            self._acls = {}
            self._templated_keys = set()
            self._templated = {}

    def _writable(self, name: str, verb: str) -> str:
        name = normalize_name(name)
        if not name:
            raise PolicyError("policy name missing")
        if name == ROOT_POLICY:
            raise PolicyError(f'cannot {verb} "root" policy')
        return name

    def _cached_policy(self, name: str, generation: int) -> Policy | None:
        if name == ROOT_POLICY:
            return Policy(ROOT_POLICY, "")
        if name in self._policies:
            return self._policies[name]
        policy = self._load(name)
        with self._lock:
            if generation == self._generation:
                self._policies[name] = policy
        return policy

    def _load(self, name: str) -> Policy | None:
        raw = self._storage.get(_key(name))
        if raw is None:
            return _builtin_default() if name == DEFAULT_POLICY else None
        try:
            record = json.loads(raw)
            return _parse_stored(record["name"], record["text"])
        except (ValueError, KeyError, TypeError) as exc:
            # A stored policy that no longer parses is our fault, not the caller's: never a 400.
            detail = exc.detail if isinstance(exc, PolicyParseError) else type(exc).__name__
            raise Fault(f"stored policy {name!r} is unreadable: {detail}") from None
