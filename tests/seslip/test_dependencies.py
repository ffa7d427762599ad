"""Dependencies run one way: seslip.lib ← contacts ← networks ← newsletters ← seslip.

seslip.lib is the bottom layer (shared code every app may import); it imports no app. The apps
never import the rest of seslip (its settings, URLs and views).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["seslip.lib", "contacts", "networks", "newsletters", "seslip"]
FOLDERS = {"seslip.lib": ROOT / "seslip" / "lib"}


def layer_of(module):
    if module == "seslip.lib" or module.startswith("seslip.lib."):
        return "seslip.lib"
    top = module.split(".")[0]
    return top if top in LAYERS else None


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path):
    """Every module `path` imports, relative imports made absolute."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def files_of(layer):
    folder = FOLDERS.get(layer, ROOT / layer)
    return [path for path in folder.rglob("*.py") if layer != "seslip" or "lib" not in path.parts]


@pytest.mark.parametrize("layer", LAYERS[:-1])
def test_a_layer_imports_only_the_layers_beneath_it(layer):
    allowed = set(LAYERS[: LAYERS.index(layer) + 1])
    offending = {
        f"{path.relative_to(ROOT)} imports {module}"
        for path in files_of(layer)
        for module in imported_modules(path)
        if layer_of(module) not in allowed | {None}
    }
    assert not offending


def test_the_shared_layer_holds_what_every_app_shares():
    shared = {path.stem for path in files_of("seslip.lib")}
    assert {"generations", "paging", "slugs", "roles", "admin"} <= shared
    assert not {"content", "paging", "slugs", "roles", "admin_autocomplete"} & {
        path.stem for path in (ROOT / "contacts").glob("*.py")
    }


def test_the_site_never_imports_the_benchmarks_tools_when_it_starts():
    """bench/ (the synthetic archive generator among them) is for development: only the
    generate_archive command imports it, when it runs."""
    offending = {
        f"{path.relative_to(ROOT)} imports {module}"
        for layer in LAYERS
        for path in files_of(layer)
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for module in [getattr(node, "module", None) or node.names[0].name]
        if module and module.split(".")[0] == "bench"
    }
    assert not offending


def test_no_app_module_is_over_500_lines():
    """A module a maintainer reads whole; migrations are Django's to write."""
    too_long = {
        f"{path.relative_to(ROOT)}: {lines} lines"
        for layer in LAYERS
        for path in files_of(layer)
        if "migrations" not in path.parts
        for lines in [len(path.read_text(encoding="utf-8").splitlines())]
        if lines > 500
    }
    assert not too_long
