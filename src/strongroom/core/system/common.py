"""Small helpers shared by the sys/ path groups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strongroom.sdk.response import Response


@dataclass(frozen=True)
class NoArgs:
    pass


def legacy(data: dict[str, Any]) -> Response:
    """A sys/ read whose data Vault repeats at the top level of the envelope."""
    return Response(data=data, top_level=True)
