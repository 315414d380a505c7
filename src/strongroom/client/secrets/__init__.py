"""`client.secrets`: one attribute per secrets engine with a typed helper."""

from __future__ import annotations

from strongroom.client._http import Transport
from strongroom.client.secrets.kv import KvApi


class SecretsEngines:
    def __init__(self, transport: Transport) -> None:
        self.kv = KvApi(transport)


__all__ = ["SecretsEngines"]
