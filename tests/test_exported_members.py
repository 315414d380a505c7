"""Every package that declares `__all__` exports exactly its public names (after httpx's test of the same name)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import strongroom


def _packages_with_all() -> list[str]:
    found = []
    for info in pkgutil.walk_packages(strongroom.__path__, "strongroom."):
        if info.ispkg and not info.name.split(".")[-1].startswith("test"):
            module = importlib.import_module(info.name)
            if hasattr(module, "__all__"):
                found.append(info.name)
    return found


PACKAGES = _packages_with_all()


def test_some_packages_declare_their_surface() -> None:
    assert "strongroom.sdk.framework" in PACKAGES and "strongroom.client" in PACKAGES


@pytest.mark.parametrize("name", PACKAGES)
def test_all_matches_the_public_names(name: str) -> None:
    """Every exported name exists, and every public class or function defined in the package itself is exported."""
    module = importlib.import_module(name)
    missing = [member for member in module.__all__ if not hasattr(module, member)]
    assert missing == []
    defined_here = {
        member for member, value in vars(module).items()
        if not member.startswith("_") and (inspect.isclass(value) or inspect.isfunction(value))
        and value.__module__ == name
    }
    undeclared = sorted(defined_here - set(module.__all__))
    assert undeclared == []
