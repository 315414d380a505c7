"""Longest-prefix routing from a request path to a mounted backend."""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.core.routing.mount_table import MountEntry
from strongroom.sdk.framework import Backend
from strongroom.sdk.storage import StorageView


@dataclass(frozen=True)
class Mounted:
    entry: MountEntry
    backend: Backend
    storage: StorageView


class Router:
    def __init__(self) -> None:
        self._mounts: dict[str, Mounted] = {}

    def mount(self, mounted: Mounted) -> None:
        self._mounts[mounted.entry.router_path] = mounted

    def unmount(self, router_path: str) -> Mounted | None:
        return self._mounts.pop(router_path, None)

    def clear(self) -> None:
        self._mounts.clear()

    def get(self, router_path: str) -> Mounted | None:
        return self._mounts.get(router_path)

    def all(self) -> list[Mounted]:
        return list(self._mounts.values())

    def match(self, path: str) -> tuple[Mounted, str] | None:
        """The mount with the longest prefix of `path` and the rest of the path below it.
        A path naming the mount without its slash ("secret") routes to the mount with an empty rest."""
        found: Mounted | None = None
        end = 0
        candidate = path if path.endswith("/") else path + "/"
        index = candidate.find("/")
        while index >= 0:
            mounted = self._mounts.get(candidate[: index + 1])
            if mounted is not None:
                found, end = mounted, index + 1
            index = candidate.find("/", index + 1)
        if found is None:
            return None
        return found, path[end:]
