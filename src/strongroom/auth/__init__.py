"""The catalogue of auth methods: mount type -> factory, one line each. (`token` lives in core.)"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from strongroom.sdk.framework import Backend, EngineEnv

AuthFactory = Callable[[EngineEnv], Backend]


def _catalog() -> Mapping[str, AuthFactory]:
    # Imported here so importing the catalogue type does not load every method.
    from strongroom.auth import approle, github, jwt, sigv4, userpass

    catalog: dict[str, AuthFactory] = {}
    catalog["approle"] = approle.factory
    catalog["userpass"] = userpass.factory
    catalog["sigv4"] = sigv4.factory
    catalog["jwt"] = jwt.factory
    catalog["oidc"] = jwt.factory
    catalog["github"] = github.factory
    return catalog


CATALOG: Mapping[str, AuthFactory] = _catalog()
