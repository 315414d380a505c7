from __future__ import annotations

from dataclasses import replace

import pytest

from strongroom.auth.github.model import Config, GitHubStore
from strongroom.conftest import run_at_once
from strongroom.sdk.storage import InMemoryStorage


def test_config_changes_from_two_processes_never_undo_each_other(racy_threads: None) -> None:
    # A base_url change and an organization_id fill, each from its own store (as an admin's write and a
    # login in two worker processes over one storage), many times over: both last values are kept.
    storage = InMemoryStorage()
    GitHubStore(storage).modify_config(lambda _: Config(organization="acme"))
    admins, logins = GitHubStore(storage), GitHubStore(storage)

    def change_urls() -> None:
        for n in range(1, 301):
            admins.modify_config(lambda c, n=n: replace(c, base_url=f"https://ghe{n}.example/api/v3"))  # type: ignore[arg-type]

    def fill_ids() -> None:
        for n in range(1, 301):
            logins.modify_config(lambda c, n=n: replace(c, organization_id=n))  # type: ignore[arg-type]

    run_at_once(change_urls, fill_ids)
    config = GitHubStore(storage).config()
    assert config == Config(organization="acme", organization_id=300, base_url="https://ghe300.example/api/v3")


def test_a_config_change_that_raises_writes_nothing() -> None:
    store = GitHubStore(InMemoryStorage())
    assert store.modify_config(lambda _: Config(organization="acme")) == Config(organization="acme")

    def refuse(config: Config | None) -> Config:
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        store.modify_config(refuse)
    assert store.config() == Config(organization="acme")
