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


def test_render_and_check_leave_out_the_weekly_logs_a_glob_matches(run, folder: Path) -> None:
    """The 1:1 log sits beside the QSR, so `qsrkit render team/*.yaml` names it too: it is left
    out with a note, and given alone it is refused with what to do instead."""
    assert run("one-on-one", EXAMPLE.name, "--crm", "export.csv", "--date", "2026-10-12").exit_code == 0
    both = sorted(str(p.name) for p in folder.glob("*.yaml"))
    assert both == ["avery-quinn-2026-Q4-1on1.yaml", EXAMPLE.name]
    rendered = run("render", *both, "--out-dir", "out")
    assert rendered.exit_code == 0, rendered
    assert "left out avery-quinn-2026-Q4-1on1.yaml: it is a weekly 1:1 log" in rendered.output
    assert sorted(p.name for p in (folder / "out").iterdir()) == ["avery-quinn-2026-Q4-qsr.docx"]
    checked = run("check", *both)
    assert checked.exit_code == 0, checked
    assert "left out avery-quinn-2026-Q4-1on1.yaml" in checked.output
    alone = run("render", "avery-quinn-2026-Q4-1on1.yaml")
    assert alone.exit_code == 2, alone
    assert "one-on-one QSR --render" in alone.output
    assert "answers file (the QSR) instead" in alone.output
