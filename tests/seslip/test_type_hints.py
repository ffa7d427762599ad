"""The typed layers stay typed: every public function of the modules mypy checks (pyproject.toml's
[tool.mypy] files: seslip/lib, the models, the services, the exporter and the importer) says what it takes and
what it returns. mypy checks the annotations; this test sees that none is left out, since mypy
passes a function without them."""

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def typed_modules():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for name in config["tool"]["mypy"]["files"]:
        path = ROOT / name
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def public_functions(tree):
    """(qualified name, node) of each function a module, or a class in it, defines, except those
    whose name starts with an underscore (__init__ included: it says what a class takes)."""
    todo = [("", node) for node in tree.body]
    while todo:
        prefix, node = todo.pop()
        if isinstance(node, ast.ClassDef):
            todo.extend((f"{prefix}{node.name}.", child) for child in node.body)
        elif isinstance(node, ast.If):  # `if TYPE_CHECKING:` declarations
            todo.extend((prefix, child) for child in node.body + node.orelse)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and (
            not node.name.startswith("_") or node.name == "__init__"
        ):
            yield f"{prefix}{node.name}", node


def missing_annotations(function):
    args = function.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    missing = [p.arg for p in params if p and p.annotation is None and p.arg not in ("self", "cls")]
    if function.returns is None:
        missing.append("the return")
    return missing


def modules_named(name):
    return {
        path.relative_to(ROOT).as_posix()
        for app in ("seslip", "contacts", "networks", "newsletters")
        for path in (ROOT / app).rglob(name)
        if "migrations" not in path.parts
    }


def test_the_typed_modules_are_the_shared_code_the_models_the_services_and_the_importer():
    typed = {path.relative_to(ROOT).as_posix() for path in typed_modules()}
    models = modules_named("models.py") | modules_named("models/*.py")
    assert "newsletters/models/issues.py" in models
    assert {"seslip/lib/admin.py", "newsletters/importer/load.py"} <= typed
    assert modules_named("services.py") <= typed
    assert models <= typed


def test_every_public_function_of_the_typed_modules_is_annotated():
    unannotated = [
        f"{path.relative_to(ROOT)}:{function.lineno} {name}: {', '.join(missing)}"
        for path in typed_modules()
        for name, function in public_functions(ast.parse(path.read_text(encoding="utf-8")))
        for missing in [missing_annotations(function)]
        if missing
    ]
    assert not unannotated
