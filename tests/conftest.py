"""Shared fixtures: run the real CLI through Typer's runner, in a temporary folder."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qsrkit.cli import app

# Compiled templates go to a folder of this test run, not the user's cache (template_cache).
if "QSRKIT_CACHE_DIR" not in os.environ:
    os.environ["QSRKIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="qsrkit-test-cache-")
    atexit.register(shutil.rmtree, os.environ["QSRKIT_CACHE_DIR"], True)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXAMPLE = EXAMPLES / "avery-quinn-2026-Q4.yaml"


class Result:
    """What a user sees: exit code, standard output and standard error."""

    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr
        self.output = stdout + stderr

    def __repr__(self) -> str:
        return f"<Result exit={self.exit_code}\nstdout={self.stdout}\nstderr={self.stderr}>"


@pytest.fixture
def run() -> Iterator[object]:
    """`run("check", "file.yaml")` runs `qsrkit check file.yaml` and returns a Result."""
    runner = CliRunner()

    def invoke(*args: str | os.PathLike[str], input: str | None = None) -> Result:
        result = runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    yield invoke


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test with a fresh temporary folder as the current folder."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")
