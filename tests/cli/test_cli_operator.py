"""`strongroom operator init|unseal|seal` and `status` on a fresh, uninitialised server."""

from __future__ import annotations

import json

from .conftest import Runner


def test_init_unseal_seal_cycle(cli: Runner, sealed_server: str) -> None:
    env = {"STRONGROOM_ADDR": sealed_server}
    assert cli("operator", "init", "-status", env=env).code == 2
    init = cli("operator", "init", "-key-shares=3", "-key-threshold=2", "-format=json", env=env)
    assert init.code == 0
    keys = json.loads(init.out)
    shares, root_token = keys["keys"], keys["root_token"]
    assert len(shares) == 3
    assert cli("operator", "init", env=env).code == 2  # already initialised

    sealed = cli("status", env=env)
    assert sealed.code == 2 and "Unseal Progress    0/2" in sealed.out
    first = cli("operator", "unseal", "-format=json", shares[0], env=env)
    assert json.loads(first.out)["progress"] == 1
    assert json.loads(cli("operator", "unseal", "-reset", "-format=json", env=env).out)["progress"] == 0
    cli("operator", "unseal", shares[0], env=env)
    unsealed = cli("operator", "unseal", shares[2], env=env)
    assert unsealed.code == 0 and "Sealed          false" in unsealed.out
    assert cli("status", env=env).code == 0

    with_token = {**env, "STRONGROOM_TOKEN": root_token}
    assert cli("operator", "unseal", "  ", env=env).code == 1
    sealed_again = cli("operator", "seal", env=with_token)
    assert sealed_again.code == 0 and "sealed" in sealed_again.out
    assert cli("status", env=env).code == 2
    blocked = cli("kv", "list", "secret/", env=with_token)
    assert blocked.code == 2 and "operator unseal" in blocked.err
