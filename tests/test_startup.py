"""`qsrkit --help` and `qsrkit calc` stay light: no document libraries at start-up."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import EXAMPLE

HEAVY = ("docx", "lxml", "jinja2", "markdown_it")

DRIVER = """
import atexit, json, sys
atexit.register(lambda: sys.__stderr__.write("MODULES=" + json.dumps(sorted(sys.modules)) + "\\n"))
sys.argv = ["qsrkit", *json.loads(sys.argv[1])]
from qsrkit.cli import main
main()
"""


def loaded_modules(*args: str) -> tuple[int, set[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(list(args))],
        capture_output=True, text=True, check=False,
    )
    line = next(x for x in proc.stderr.splitlines() if x.startswith("MODULES="))
    return proc.returncode, {m.split(".")[0] for m in json.loads(line[len("MODULES="):])}


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("calc", "--help"),
        ("calc", "--quota", "300000", "--closed", "0", "--win-rate", "25", "--open-pipeline", "0",
         "--avg-deal-size", "20000", "--weeks", "10"),
        ("calc", str(EXAMPLE), "--json"),
        ("check", str(EXAMPLE)),
    ],
)
def test_no_document_libraries_at_start_up(args: tuple[str, ...]) -> None:
    code, modules = loaded_modules(*args)
    assert code == 0
    assert not modules.intersection(HEAVY), sorted(modules.intersection(HEAVY))


def test_calc_from_flags_does_not_build_the_answers_models() -> None:
    _, modules = loaded_modules("calc", "--quota", "1", "--closed", "0", "--win-rate", "25",
                                "--open-pipeline", "0", "--avg-deal-size", "1", "--weeks", "1")
    assert "yaml" not in modules
