"""What a hostile user found in the during-the-quarter commands, charts and PDF output.

Each test is one defect seen through the real CLI: the command and input that broke, and what
the user sees now.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, EXAMPLES

EXPORT = EXAMPLES / "crm" / "opportunities.csv"
LOG = "avery-quinn-2026-Q4-1on1.yaml"


def _qsr(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "avery-quinn-2026-Q4.yaml"
    path.write_bytes(EXAMPLE.read_bytes())
    return path


# -- in-place edits through a symbolic link ------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_check_in_refresh_and_one_on_one_edit_the_file_a_link_leads_to(run: Any,
                                                                       tmp_path: Path) -> None:
    """A QSR kept in a synced folder and linked into a working folder: the three commands that
    edit a file in place must add to the real file and leave the link a link (they replaced the
    link with a copy, so the real file never got the check-in or the week)."""
    real = _qsr(tmp_path / "synced")
    work = tmp_path / "work"
    work.mkdir()
    link = work / real.name
    link.symlink_to(real)

    added = run("check-in", link, "--as-of", "2026-11-16")
    assert added.exit_code == 0, added.output
    assert link.is_symlink()
    assert "- date: 2026-11-16" in real.read_text(encoding="utf-8")

    refreshed = run("refresh", link, "--crm", EXPORT, "--as-of", "2026-11-16")
    assert refreshed.exit_code == 0, refreshed.output
    assert link.is_symlink()
    assert "as_of: 2026-11-16" in real.read_text(encoding="utf-8")

    first = run("one-on-one", link, "--date", "2026-10-19")
    assert first.exit_code == 0, first.output
    (work / LOG).rename(real.parent / LOG)  # the log lives beside the real QSR too
    (work / LOG).symlink_to(real.parent / LOG)
    second = run("one-on-one", link, "--date", "2026-10-26")
    assert second.exit_code == 0, second.output
    assert (work / LOG).is_symlink()
    assert "- week: 2026-10-26" in (real.parent / LOG).read_text(encoding="utf-8")


def test_in_place_edits_refuse_a_read_only_file(run: Any, tmp_path: Path) -> None:
    """A rep who made the finished QSR read-only to protect it: check-in and refresh replaced it
    anyway (the atomic rename needs only the folder to be writable), and kept it read-only, so
    the protection looked intact. Now they refuse, say how to allow the edit, and leave the
    file's bytes and mode alone; the same for a read-only 1:1 log."""
    path = _qsr(tmp_path / "qsr")
    before = path.read_bytes()
    path.chmod(0o444)

    for args in (("check-in", path, "--as-of", "2026-11-16"),
                 ("refresh", path, "--crm", EXPORT, "--as-of", "2026-11-16")):
        result = run(*args)
        assert result.exit_code == 4, result.output
        assert f"{path} is read-only; nothing was changed" in result.output
        assert "chmod u+w" in result.output
        assert path.read_bytes() == before
        assert path.stat().st_mode & 0o777 == 0o444
    # A dry run writes nothing, so it still shows what would be added.
    assert run("check-in", path, "--as-of", "2026-11-16", "--dry-run").exit_code == 0

    path.chmod(0o644)
    assert run("one-on-one", path, "--date", "2026-10-19").exit_code == 0
    log = path.parent / LOG
    logged = log.read_bytes()
    log.chmod(0o444)
    again = run("one-on-one", path, "--date", "2026-10-26")
    assert again.exit_code == 4, again.output
    assert "is read-only" in again.output
    assert log.read_bytes() == logged


# -- check-in: where the entry goes ------------------------------------------------------------

ENTRY = "  - date: 2026-10-20\n    closed_won: 1000\n    open_pipeline: 2000\n"


@pytest.mark.parametrize("key", ["check_ins: &months", "check_ins: !!seq"])
def test_check_in_lines_up_with_a_list_that_has_an_anchor_or_a_tag(run: Any, tmp_path: Path,
                                                                   key: str) -> None:
    """`check_ins: &months` puts the list's start at the anchor, column 11: the entry was written
    there, the result did not parse, and the error named line 124 of a 123-line file."""
    path = _qsr(tmp_path)
    text = path.read_text(encoding="utf-8") + f"{key}\n{ENTRY}"
    path.write_text(text, encoding="utf-8")
    assert run("check", path).exit_code == 0

    result = run("check-in", path, "--as-of", "2026-11-16")

    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    assert after.startswith(text)
    assert after[len(text):].startswith("  - date: 2026-11-16\n    closed_won: 48000")
    assert run("check", path).exit_code == 0


# -- charts in a custom template ---------------------------------------------------------------

def test_a_misspelt_chart_name_is_an_error_like_any_misspelt_name(run: Any, tmp_path: Path) -> None:
    """`{{ charts.pacnig }}` is a located error, but `{{ charts.pacnig | chart }}` drew nothing
    and said nothing: the chart a template author meant was silently gone from every QSR."""
    path = _qsr(tmp_path)
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "qsr.md.j2").write_text("# QSR\n\n{{ charts.pacing | chart }}\n\n"
                                         "{{ charts.pacnig | chart }}\n", encoding="utf-8")

    result = run("render", path, "--templates", templates, "-o", tmp_path / "out.docx")

    assert result.exit_code == 3, result.output
    assert "qsr.md.j2:5" in result.output and "pacnig" in result.output
    assert not (tmp_path / "out.docx").exists()


# -- render -f pdf: what is known before LibreOffice starts --------------------------------------

@pytest.mark.skipif(os.name == "nt", reason="the fake soffice is a shell script")
def test_pdf_targets_that_cannot_be_written_are_refused_before_libreoffice_runs(
        run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A missing folder, an output that is the answers file, or two files for one PDF were found
    only after LibreOffice had converted every document: minutes on a batch, then nothing."""
    started = tmp_path / "started.log"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "soffice"
    fake.write_text(f'#!/bin/sh\necho started >> "{started}"\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    path = _qsr(tmp_path / "a")
    twin = _qsr(tmp_path / "b")

    cases = [
        (["-o", tmp_path / "no-such-folder" / "qsr.pdf"], "does not exist"),
        (["-o", path, "--force"], "is the answers file"),
    ]
    for options, message in cases:
        result = run("render", path, "-f", "pdf", *options)
        assert result.exit_code == 4, result.output
        assert message in result.output
    both = run("render", path, twin, "-f", "pdf", "--out-dir", tmp_path / "out")
    assert both.exit_code == 4, both.output
    assert "would be written for both" in both.output

    assert not started.exists()  # LibreOffice was never started
    assert path.read_bytes() == EXAMPLE.read_bytes()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_log_that_is_a_broken_link_is_explained(run: Any, tmp_path: Path) -> None:
    """The log a link leads to was moved away: the run said the log exists and to pass
    --force, an option `one-on-one` does not have when adding a week."""
    path = _qsr(tmp_path)
    (tmp_path / LOG).symlink_to(tmp_path / "moved" / LOG)

    result = run("one-on-one", path, "--date", "2026-10-19")

    assert result.exit_code == 3, result.output
    assert LOG in result.output and "--force" not in result.output
    assert "leads to" in result.output and "does not exist" in result.output
    assert (tmp_path / LOG).is_symlink() and not (tmp_path / "moved").exists()


# -- render --crm: an export from another time -------------------------------------------------

def test_render_crm_refuses_an_export_older_than_the_as_of_date(run: Any, tmp_path: Path) -> None:
    """The example export's newest opportunity was created in the autumn of 2026. Rendered as of
    2027-03-01 (or on that day with no --as-of) every open deal read as months past its close
    date and aging, with no word that the export was stale; refresh, check-in and one-on-one
    refuse such an export, and so does render now."""
    path = _qsr(tmp_path)

    result = run("render", path, "--crm", EXPORT, "--as-of", "2027-03-01",
                 "-o", tmp_path / "qsr.docx")

    assert result.exit_code == 3, result.output
    assert "opportunities.csv" in result.output and "45 days before" in result.output
    assert "--as-of" in result.output
    assert not (tmp_path / "qsr.docx").exists()
    fine = run("render", path, "--crm", EXPORT, "--as-of", "2026-11-16", "-o", tmp_path / "q.docx")
    assert fine.exit_code == 0, fine.output


# -- the 1:1 log beside the QSR, in the team's folder --------------------------------------------

def test_the_team_pack_leaves_out_the_1on1_logs_beside_the_qsrs(run: Any, tmp_path: Path) -> None:
    """`one-on-one` keeps its log beside the QSR, so in the team's folder; `qsrkit team team/`
    then read the log as one more answers file: a rep "in progress" with an unknown key
    `weeks`, and `status` failing the team."""
    team = tmp_path / "team"
    path = _qsr(team)
    assert run("one-on-one", path, "--date", "2026-10-19").exit_code == 0
    assert (team / LOG).exists()

    pack = run("team", team, "-f", "md", "-o", tmp_path / "pack.md")
    assert pack.exit_code == 0, pack.output
    assert "1 rep(s), 1 ready" in pack.output
    assert "weeks" not in pack.output

    previous = run("team", team, "--previous-dir", team, "-f", "md", "-o", tmp_path / "p.md")
    assert previous.exit_code == 0, previous.output
    assert LOG not in previous.output


def test_dash_as_the_output_is_not_a_file_named_dash(run: Any, in_tmp: Path) -> None:
    """`render -o -` writes to standard output; `one-on-one --render -o -` and `team -o -`
    quietly wrote a file named `-` instead, which `cat -` then cannot even show."""
    path = _qsr(in_tmp / "team")
    assert run("one-on-one", path, "--date", "2026-10-19").exit_code == 0

    for args in (["one-on-one", path, "--render", "-f", "md", "-o", "-"],
                 ["team", in_tmp / "team", "-f", "md", "-o", "-"]):
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert "standard output" in result.output
        assert not (in_tmp / "-").exists()
