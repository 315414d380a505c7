"""Mount-wide transit settings (`config/keys`), stored under `config/keys`."""

from __future__ import annotations

import orjson

from strongroom.sdk.storage import Storage

PATH = "config/keys"


class Settings:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    def read(self) -> dict[str, bool]:
        raw = self._storage.get(PATH)
        return {"disable_upsert": False} if raw is None else dict(orjson.loads(raw))

    def disable_upsert(self) -> bool:
        return bool(self.read().get("disable_upsert", False))

    def write(self, disable_upsert: bool) -> None:
        self._storage.put(PATH, orjson.dumps({"disable_upsert": disable_upsert}))
