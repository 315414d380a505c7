"""Secret managers: Strongroom, Vault/OpenBao, Doppler, 1Password, Infisical, age."""

from __future__ import annotations

from strongroom.scanner.checksums import verify_strongroom_token
from strongroom.scanner.rule import Rule, keyed, token

F = "secret-managers"

RULES: tuple[Rule, ...] = (
    token("strongroom-token", "Strongroom token (checksum verified)", F, r"sr\.[a-z]\.[0-9A-Za-z]{38}",
          keywords=("sr.",), validator=verify_strongroom_token),
    token("vault-service-token", "Vault/OpenBao service token", F, r"hvs\.[A-Za-z0-9_\-]{90,120}", entropy=3.5),
    token("vault-batch-token", "Vault/OpenBao batch token", F, r"hvb\.[A-Za-z0-9_\-]{138,300}", entropy=3.5),
    token("vault-recovery-token", "Vault/OpenBao recovery token", F, r"hvr\.[A-Za-z0-9_\-]{90,120}", entropy=3.5),
    keyed("vault-legacy-token", "Vault/OpenBao legacy service token", F,
          ("vault_token", "bao_token", "x-vault-token", "vault-token"), r"[sbr]\.[A-Za-z0-9]{24}"),
    keyed("vault-unseal-key", "Vault/OpenBao unseal key", F, ("unseal_key", "unseal-key", "unseal key"),
          r"[A-Za-z0-9+/]{43}=", entropy=3.5),
    token("doppler-personal-token", "Doppler personal token", F, r"dp\.pt\.[a-zA-Z0-9]{43}"),
    token("doppler-service-token", "Doppler service token", F, r"dp\.st\.(?:[a-z0-9\-_]{2,35}\.)?[a-zA-Z0-9]{40,44}"),
    token("doppler-cli-token", "Doppler CLI token", F, r"dp\.ct\.[a-zA-Z0-9]{40,44}"),
    token("doppler-service-account-token", "Doppler service account token", F, r"dp\.sa\.[a-zA-Z0-9]{40,44}"),
    token("doppler-scim-token", "Doppler SCIM token", F, r"dp\.scim\.[a-zA-Z0-9]{40,44}"),
    token("onepassword-service-account-token", "1Password service account token", F,
          r"ops_eyJ[a-zA-Z0-9+/]{250,}={0,3}"),
    token("onepassword-secret-key", "1Password account secret key", F,
          r"A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}",
          keywords=("a3-",)),
    token("infisical-token", "Infisical service token", F, r"st\.[a-f0-9]{24}\.[a-f0-9]{32}\.[a-f0-9]{32}"),
    token("age-secret-key", "age encryption secret key", F, r"AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}"),
    keyed("akeyless-access-id", "Akeyless access ID", F, ("akeyless",), r"p-[a-z0-9]{12,14}", entropy=2.5),
    keyed("conjur-api-key", "CyberArk Conjur API key", F, ("conjur",), r"[a-z0-9]{51,53}", entropy=3.5),
)
