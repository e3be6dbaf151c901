"""The house's floors: imports between our apps run one way, downwards.

Read from the source with `ast`, nothing is imported. The layers (README,
"Architecture"), lowest first; an app may import its own floor's modules only
if it is the same app, and any app on a lower floor:

    core → users → accounts → profiles, actions → raci, touchpoints, coaching,
    whitespace → opportunities → portfolio → workspace → kamteam (settings and URLs)

Modules and functions stay small: in the apps, and in the deployment and
benchmark scripts (SCRIPT_FOLDERS), which have no floor.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Each app's floor; apps on one floor do not import each other.
FLOORS: dict[str, int] = {
    "core": 0,
    "users": 1,
    "sso": 2,
    "accounts": 2,
    "profiles": 3,
    "notifications": 3,
    "actions": 3,
    "raci": 4,
    "touchpoints": 4,
    "coaching": 4,
    "whitespace": 4,
    "news": 4,
    "documents": 4,
    "imports": 3,
    "opportunities": 5,
    "activities": 5,
    "portfolio": 6,
    "comments": 7,
    "workspace": 8,
    "search": 8,
    "api": 7,
    "kamteam": 9,
}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# Scripts run as programs (deploy/backup.py, bench/*.py): sizes only, no floors.
SCRIPT_FOLDERS = ("deploy", "bench")


def _modules() -> list[Path]:
    found = []
    for app in FLOORS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts and "tests" not in path.parts:
                found.append(path)
    return found


def _scripts() -> list[Path]:
    found = []
    for folder in SCRIPT_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "tests" not in path.relative_to(ROOT).parts:
                found.append(path)
    return found


def _imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module, imported names, line) for every import in `path`, at any depth."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [a.name for a in node.names], node.lineno))
    return found


def _where(path: Path) -> str:
    return f"{path.relative_to(ROOT)}"


def test_every_app_has_a_floor() -> None:
    ours = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert ours <= set(FLOORS), f"give these apps a floor: {sorted(ours - set(FLOORS))}"


@pytest.mark.parametrize("path", _modules(), ids=_where)
def test_imports_run_downwards(path: Path) -> None:
    app = path.relative_to(ROOT).parts[0]
    wrong = []
    for module, names, line in _imports(path):
        target = module.split(".")[0]
        if target not in FLOORS or target == app:
            continue
        if FLOORS[target] >= FLOORS[app]:
            wrong.append(f"line {line}: {app} (floor {FLOORS[app]}) imports {module}")
        private = [n for n in names if n.startswith("_")]
        if private or any(part.startswith("_") for part in module.split(".")[1:]):
            wrong.append(f"line {line}: private name {module} {private} of another app")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", _modules() + _scripts(), ids=_where)
def test_modules_and_functions_stay_small(path: Path) -> None:
    source = path.read_text()
    assert source.count("\n") <= MAX_MODULE_LINES, f"{_where(path)}: split this module"
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{_where(path)}: split {', '.join(long)}"


def test_every_apps_tests_run() -> None:
    """pytest collects only `testpaths`: an app whose tests are not listed there
    would have them pass locally, named on the command line, and never run in CI."""
    import tomllib

    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]
    listed = set(options["ini_options"]["testpaths"])
    with_tests = {p.parent.name for p in ROOT.glob("*/tests") if p.is_dir()}
    assert with_tests <= listed, f"add to testpaths in pyproject.toml: {with_tests - listed}"
