"""Where the KMS face keeps its keys and aliases, and how it names them in ARNs."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_ACCOUNT = "123456789012"


@dataclass(frozen=True)
class KmsSettings:
    """`transit_mount` holds the keys (one transit key per KMS key, named by its key id); `alias_mount` is a
    KV v1 mount holding aliases; `sigv4_mount` is the auth method that checks signatures. With `auto_mount`
    the three are created (and upsert disabled on the transit mount) when the KMS face first finds them missing.
    ARNs use `partition`, `account_id` and the region of each request's SigV4 scope."""

    account_id: str = DEFAULT_ACCOUNT
    partition: str = "aws"
    transit_mount: str = "kms/"
    alias_mount: str = "kms-aliases/"
    sigv4_mount: str = "auth/sigv4/"
    auto_mount: bool = True
    max_body: int = 512 * 1024
