"""The CLI's client commands talk HTTP through `strongroom.client` only (design.md, "Layering").

import-linter's layer contract allows `strongroom.cli` to import anything below it, so this test pins the
stricter rule: apart from `serve` (which starts the server) and `scan` (the standalone scanner), command
modules import nothing from strongroom but `strongroom.client` and `strongroom.cli`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import strongroom.cli.commands

EXEMPT = {"serve.py", "scan.py", "__init__.py"}
ALLOWED = ("strongroom.client", "strongroom.cli")


def _strongroom_imports(source: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(), str(source))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return {name for name in found if name == "strongroom" or name.startswith("strongroom.")}


def test_client_commands_import_only_the_client() -> None:
    folder = Path(strongroom.cli.commands.__file__).parent
    offenders = {
        path.name: sorted(n for n in _strongroom_imports(path) if not n.startswith(ALLOWED))
        for path in sorted(folder.glob("*.py"))
        if path.name not in EXEMPT
    }
    assert {name: bad for name, bad in offenders.items() if bad} == {}
