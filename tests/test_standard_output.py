"""`-o -` where a command writes only files: refused, and no file called `-` appears."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, EXAMPLES


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    shutil.copy(EXAMPLES / "crm" / "opportunities.csv", tmp_path / "export.csv")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_team_refuses_standard_output(run, folder: Path) -> None:
    result = run("team", str(folder), "-o", "-")
    assert result.exit_code == 2, result
    assert "-o - (standard output) is not supported by team" in result.output
    assert "--json" in result.output
    assert not (folder / "-").exists()


def test_one_on_one_render_refuses_standard_output(run, folder: Path) -> None:
    added = run("one-on-one", EXAMPLE.name, "--crm", "export.csv", "--date", "2026-10-12")
    assert added.exit_code == 0, added
    result = run("one-on-one", EXAMPLE.name, "--render", "-f", "md", "-o", "-")
    assert result.exit_code == 2, result
    assert "not supported by one-on-one --render" in result.output
    assert not (folder / "-").exists()


def test_diagnose_refuses_standard_output(run, folder: Path) -> None:
    result = run("diagnose", "export.csv", "--as-of", "2026-10-05", "-f", "md", "-o", "-")
    assert result.exit_code == 2, result
    assert "not supported by diagnose" in result.output
    assert not (folder / "-").exists()
