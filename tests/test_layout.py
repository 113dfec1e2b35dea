"""The architecture holds: one-way layers, no circles, short modules, working public faces.

The layer rules live in pyproject.toml ([tool.importlinter]) so a reader finds them in one place;
these tests run them, and prove they would catch a broken rule.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

import qsrkit

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(qsrkit.__file__).resolve().parent
MAX_LINES = 400
WHY_LONGER = "Longer than 400 lines because"
SUBPACKAGES = ("answers", "plan", "crm", "scaffold", "document", "cli")


def lint_imports(folder: Path) -> subprocess.CompletedProcess[str]:
    """import-linter over the `qsrkit` package found in `folder`, with the project's contracts."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from importlinter.cli import lint_imports;"
        "sys.exit(lint_imports(config_filename=sys.argv[2], no_cache=True, no_logo=True))"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(folder), str(ROOT / "pyproject.toml")],
        capture_output=True, text=True, cwd=folder, check=False,
    )


def test_the_import_contracts_hold() -> None:
    result = lint_imports(PACKAGE.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


def test_the_contracts_catch_an_upward_or_heavy_import(tmp_path: Path) -> None:
    copy = tmp_path / "qsrkit"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "templates"))
    calculator = copy / "plan" / "calculator.py"
    calculator.write_text(calculator.read_text(encoding="utf-8") + "\nimport jinja2\n",
                          encoding="utf-8")
    parse = copy / "answers" / "parse.py"
    parse.write_text(parse.read_text(encoding="utf-8") + "\nfrom qsrkit.plan import fiscal\n",
                     encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "Each step imports only the steps below it BROKEN" in result.stdout
    assert "nothing that renders BROKEN" in result.stdout
    assert "qsrkit.answers.parse -> qsrkit.plan.fiscal" in result.stdout


def _cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), i.e. import circles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in sorted(graph.find_modules_directly_imported_by(module) & modules):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return found


def test_nothing_imports_in_a_circle() -> None:
    sys.path.insert(0, str(PACKAGE.parent))
    try:
        graph = grimp.build_graph("qsrkit", cache_dir=None)
    finally:
        sys.path.remove(str(PACKAGE.parent))
    # A package's public face imports its own modules only for type checkers (they load lazily),
    # so the faces are left out: what counts is module to module.
    faces = {f"qsrkit.{name}" for name in SUBPACKAGES} | {"qsrkit"}
    modules = {m for m in graph.modules if m not in faces}
    assert _cycles(graph, modules) == []


def test_no_module_is_over_400_lines_without_saying_why() -> None:
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_LINES and WHY_LONGER not in text[:2000]:
            long.append(f"{path.relative_to(PACKAGE)}: {text.count(chr(10))} lines")
    assert long == []


@pytest.mark.parametrize("package", SUBPACKAGES[:-1])
def test_every_public_name_of_a_step_can_be_imported(package: str) -> None:
    face = importlib.import_module(f"qsrkit.{package}")
    assert face.__all__
    for name in face.__all__:
        assert getattr(face, name) is not None, name
        assert not isinstance(getattr(face, name), type(sys)), f"{package}.{name} is a module"


def test_a_library_user_calls_the_calculator_without_the_cli() -> None:
    from decimal import Decimal

    from qsrkit.plan import CalculatorInputs, plan

    # $300,000 quota, nothing closed or open, 25% win rate, $20,000 deals, 10 weeks:
    # pipeline needed = 300,000 / 0.25 = 1,200,000; 60 opportunities; 6 a week.
    inputs = CalculatorInputs(quota=Decimal(300000), closed_won=Decimal(0),
                              win_rate=Decimal("0.25"), open_pipeline=Decimal(0),
                              avg_deal_size=Decimal(20000), weeks_to_work=Decimal(10))
    first = plan(inputs)[0]
    assert first.pipeline_needed == Decimal(1200000)
    assert first.opps_per_week == Decimal(6)
