"""`qsrkit --help` and `qsrkit calc` stay light: no document libraries at start-up."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

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
        # `python -c` puts the working folder first on sys.path: from the checkout it would
        # import the source tree instead of the installed package (which has qsrkit.templates)
        cwd=tempfile.gettempdir(),
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


def test_the_defaults_without_a_config_file_are_the_validated_defaults(tmp_path: Path) -> None:
    # Without qsrkit.yaml the defaults are built unvalidated (model_construct, so no validator
    # is built); they must be exactly what validating an empty qsrkit.yaml gives.
    from qsrkit.config import OrgConfig, load_config

    loaded = load_config(folder=tmp_path)
    assert loaded.path is None
    validated = OrgConfig.model_validate({})
    assert loaded.config == validated
    assert loaded.config.model_dump() == validated.model_dump()
    assert [(t.name, t.below) for t in loaded.config.tiers] == [
        ("Small", Decimal("10000")), ("Mid-size", Decimal("50000")), ("Large", None)]
    assert loaded.config.model_fields_set == set()
    assert loaded.config.thresholds.sandbagger.model_fields_set == set()


def test_a_cold_render_with_the_bundled_template_imports_no_word_library(tmp_path: Path) -> None:
    # The fast Markdown parser and the zip-splicing writer cover the bundled template.
    code, modules = loaded_modules("render", str(EXAMPLE), "-o", str(tmp_path / "qsr.docx"))
    assert code == 0
    assert (tmp_path / "qsr.docx").stat().st_size > 10_000
    assert not modules.intersection({"docx", "lxml", "markdown_it"}), sorted(
        modules.intersection({"docx", "lxml", "markdown_it"}))
    assert "jinja2" in modules  # the check above would pass for a command that rendered nothing
