"""`scan --rotate`: act at once on leaked secrets that Strongroom manages, through `strongroom.client`.

- KV version 2: a new version of the leaked secret is written (a copy of its current data, so that its
  consumers keep working until the owner sets a new value), and the secret's custom metadata marks it
  compromised: which versions leaked, where, when, and the version written. KV version 1 keeps no versions:
  the leak is reported for its owner to act on.
- Transit keys created exportable, whose exported material leaked: rotated (a new version encrypts from now
  on; the owner rewraps what the leaked versions encrypted and raises `min_decryption_version`).
- Strongroom tokens (`strongroom-token` findings, checksum verified): looked up by the server that issued
  them and revoked by accessor. A token goes only to its issuer, which holds it already.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from strongroom.scanner.managed import Leak
from strongroom.scanner.scan import Finding

if TYPE_CHECKING:
    from strongroom.client import Client

TOKEN_RULE = "strongroom-token"
MARK = "strongroom-compromised"  # prefix of the custom-metadata keys --rotate writes
_MAX_VALUE = 512  # Vault's limit on a custom-metadata value


@dataclass(frozen=True)
class Action:
    """What --rotate did (`done`) or could not do for one leaked secret or token."""

    target: str
    outcome: str
    done: bool


def rotate(leaks: Sequence[Leak], findings: Sequence[Finding], client: Client,
           now: datetime | None = None) -> list[Action]:
    """Act once on every leaked KV secret or transit key (whatever number of its versions leaked), then revoke
    the leaked tokens (last: the scan's own token may be among them)."""
    now = now or datetime.now(UTC)
    by_secret: dict[tuple[str, str], list[Leak]] = {}
    for leak in leaks:
        by_secret.setdefault((leak.match.mount, leak.match.path), []).append(leak)
    types = _mount_types(client) if by_secret else {}
    actions = [_rotate_transit(client, group) if types.get(mount) == "transit" else _rotate_kv(client, group, now)
               for (mount, _path), group in by_secret.items()]
    tokens = {f.secret: f for f in findings if f.rule_id == TOKEN_RULE}
    actions.extend(_revoke_token(client, finding) for finding in tokens.values())
    return actions


def _reason(exc: Exception) -> str:
    """The last line of a client error: the server's message (never a value) or the connection failure."""
    return str(exc).splitlines()[-1]


def _where(finding: Finding) -> str:
    place = f"{finding.file}:{finding.start_line}"
    return f"{place} in commit {finding.commit[:12]}" if finding.commit else place


def _rotate_kv(client: Client, leaks: list[Leak], now: datetime) -> Action:
    from strongroom.client import ClientError

    match = leaks[0].match
    kv = client.secrets.kv
    leaked = sorted({leak.match.version for leak in leaks})
    try:
        current = kv.get(match.path, mount=match.mount)
        if current is None:
            return Action(match.secret, "no longer on the server: nothing to rotate", False)
        if current.kv_version == 1:
            return Action(match.secret, "KV version 1 keeps no versions: replace the value by hand", False)
        written = None
        if current.data is not None:  # the latest version is live: copy it into the new one
            version = int((current.metadata or {}).get("version", 0))
            reply = kv.put(match.path, current.data, cas=version, mount=match.mount)
            written = int(((reply.data if reply else None) or {}).get("version", 0)) or None
        metadata = kv.metadata.get(match.path, mount=match.mount)
        custom = dict(((metadata.data if metadata else None) or {}).get("custom_metadata") or {})
        custom.update({
            MARK: "true",
            f"{MARK}-versions": ",".join(map(str, leaked)),
            f"{MARK}-at": now.isoformat(timespec="seconds"),
            f"{MARK}-in": _where(leaks[0].finding)[:_MAX_VALUE],
            **({f"{MARK}-marker-version": str(written)} if written else {}),
        })
        kv.metadata.put(match.path, custom_metadata=custom, mount=match.mount)
    except ClientError as exc:
        return Action(match.secret, f"rotation failed: {_reason(exc)}", False)
    versions = ", ".join(map(str, leaked))
    step = f"version {written} written, " if written else "latest version deleted, no version written; "
    return Action(match.secret, f"{step}marked compromised (leaked version {versions}): set a new value", True)


def _mount_types(client: Client) -> dict[str, str]:
    """Each secrets mount's engine type; none when the token may not list them (every leak is then taken
    for a KV one, which the KV calls verify)."""
    from strongroom.client import ClientError

    try:
        return {path.strip("/"): mount.type for path, mount in client.sys.mounts().items()}
    except ClientError:
        return {}


def _rotate_transit(client: Client, leaks: list[Leak]) -> Action:
    """A transit key whose exported material leaked gets a new version; what was encrypted under the leaked
    ones stays decryptable until its owner rewraps it and raises `min_decryption_version`."""
    from strongroom.client import ClientError

    match = leaks[0].match
    leaked = ", ".join(map(str, sorted({leak.match.version for leak in leaks})))
    try:
        client.write(f"{match.secret}/rotate")
        key = client.read(match.secret)
    except ClientError as exc:
        return Action(match.secret, f"rotation failed: {_reason(exc)}", False)
    latest = ((key.data if key else None) or {}).get("latest_version", "?")
    return Action(match.secret, f"rotated to version {latest} (leaked version {leaked}): rewrap what it "
                                f"encrypted, then raise min_decryption_version past {leaked.split(', ')[-1]}", True)


def _revoke_token(client: Client, finding: Finding) -> Action:
    from strongroom.client import ApiError, ClientError

    target = f"token at {_where(finding)}"
    try:
        accessor = str((client.token.lookup(finding.secret).data or {}).get("accessor", ""))
        if not accessor:
            return Action(target, "the server gave no accessor for it", False)
        client.token.revoke_accessor(accessor)
    except ApiError as exc:
        reason = exc.errors[0] if exc.errors else f"HTTP {exc.status}"
        return Action(target, f"not revoked: the server said {reason[:200]!r}", False)
    except ClientError as exc:
        return Action(target, f"not revoked: {_reason(exc)}", False)
    return Action(f"token accessor {accessor}", "revoked", True)
