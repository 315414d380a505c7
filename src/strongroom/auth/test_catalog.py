from __future__ import annotations

from strongroom.auth import CATALOG
from strongroom.auth.approle import factory as approle_factory
from strongroom.auth.userpass import factory as userpass_factory


def test_catalogue_lists_the_methods() -> None:
    assert CATALOG["userpass"] is userpass_factory
    assert CATALOG["approle"] is approle_factory
