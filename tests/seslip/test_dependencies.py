"""Dependencies run one way: contacts ← networks ← newsletters ← seslip."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["contacts", "networks", "newsletters", "seslip"]


def imported_apps(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        yield from (name.split(".")[0] for name in names if name.split(".")[0] in LAYERS)


@pytest.mark.parametrize("app", LAYERS[:-1])
def test_an_app_imports_only_the_apps_beneath_it(app):
    allowed = set(LAYERS[: LAYERS.index(app) + 1])
    offending = {
        f"{path.relative_to(ROOT)} imports {other}"
        for path in (ROOT / app).rglob("*.py")
        for other in imported_apps(path)
        if other not in allowed
    }
    assert not offending
