"""Identity through the CLI's generic commands (as with `vault`/`bao`, identity has no subcommand of its own):
entities, entity aliases and groups written, read and listed, and a userpass login picking up its entity's and
group's policies. Runs against OpenBao and Strongroom alike; the refusal of `root` is Strongroom's own rule."""

from __future__ import annotations

import json
import uuid
from typing import Any

from strongroom.client import Client

from .conftest import DevServer, Runner


def _json(result_out: str) -> dict[str, Any]:
    data = json.loads(result_out)["data"]
    assert isinstance(data, dict)
    return data


def test_entities_aliases_groups_and_a_login_that_inherits_their_policies(
    as_root: Runner, cli: Runner, root: Client, server: DevServer
) -> None:
    tag = uuid.uuid4().hex[:8]
    name, mount = f"ann-{tag}", f"up-{tag}"
    root.sys.enable_auth(mount, "userpass")
    accessor = root.sys.auth_methods()[f"{mount}/"].accessor

    made = as_root("write", "-format=json", "identity/entity", f"name={name}", "policies=dev")
    assert made.code == 0, made.err
    entity_id = _json(made.out)["id"]
    alias = as_root("write", "-format=json", "identity/entity-alias", f"name={name}", f"canonical_id={entity_id}",
                    f"mount_accessor={accessor}")
    assert alias.code == 0, alias.err
    group = as_root("write", "-format=json", "identity/group", f"name=team-{tag}", "policies=ops",
                    f"member_entity_ids={entity_id}")
    assert group.code == 0, group.err

    read = _json(as_root("read", "-format=json", f"identity/entity/name/{name}").out)
    assert read["id"] == entity_id and read["policies"] == ["dev"]
    aliases = read["aliases"]
    assert isinstance(aliases, list) and [a["mount_accessor"] for a in aliases] == [accessor]
    assert entity_id in as_root("list", "identity/entity/id").out
    assert f"team-{tag}" in as_root("list", "identity/group/name").out

    assert as_root("write", f"auth/{mount}/users/{name}", "password=pw-123456").code == 0
    env = {"STRONGROOM_ADDR": server.address}
    logged_in = cli("login", "-method=userpass", f"-path={mount}", f"username={name}", "password=pw-123456",
                    env=env)
    assert logged_in.code == 0, logged_in.err
    info = _json(cli("token", "lookup", "-format=json", env=env).out)
    assert info["entity_id"] == entity_id
    assert sorted(info["identity_policies"]) == ["dev", "ops"]

    assert as_root("delete", f"identity/entity/id/{entity_id}").code == 0
    gone = as_root("read", f"identity/entity/id/{entity_id}")
    assert gone.code != 0


def test_root_cannot_be_given_through_identity_commands(as_root: Runner, server: DevServer) -> None:
    if server.kind != "strongroom":
        return  # OpenBao accepts it; refusing every spelling of root is Strongroom's rule (issue 4)
    tag = uuid.uuid4().hex[:8]
    for spelling in ("root", "ROOT", " Root", "r\u043e\u043et"):
        refused = as_root("write", "identity/group", f"name=g-{tag}", f"policies=dev,{spelling}")
        assert refused.code == 2 and "root" in refused.err, refused.err
    assert as_root("read", f"identity/group/name/g-{tag}").code != 0  # nothing was created
    made = as_root("write", "-format=json", "identity/entity", f"name=e-{tag}")
    entity_id = _json(made.out)["id"]
    refused = as_root("write", f"identity/entity/id/{entity_id}", "policies=root")
    assert refused.code == 2 and "root" in refused.err
    assert _json(as_root("read", "-format=json", f"identity/entity/id/{entity_id}").out)["policies"] == []
