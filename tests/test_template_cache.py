"""Compiled templates kept between runs: same documents, edits seen, unsafe folders never used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE


def render(cache: Path | str, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QSRKIT_CACHE_DIR": str(cache), "SOURCE_DATE_EPOCH": "1767225600"}
    return subprocess.run([sys.executable, "-m", "qsrkit", "render", str(EXAMPLE), "--force",
                           "-o", str(out), *extra], env=env, capture_output=True, text=True,
                          check=False, cwd=out.parent)  # not the checkout: the installed qsrkit


def cached(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.jinja"))


def test_a_second_run_uses_the_cache_and_writes_the_same_document(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first, second, uncached = tmp_path / "1.docx", tmp_path / "2.docx", tmp_path / "3.docx"
    assert render(cache, first).returncode == 0
    entries = cached(cache)
    assert len(entries) == 1  # qsr.md.j2, compiled once
    stamp = entries[0].stat().st_mtime_ns
    assert render(cache, second).returncode == 0
    assert entries[0].stat().st_mtime_ns == stamp  # read, not written again
    assert render("", uncached).returncode == 0
    assert first.read_bytes() == second.read_bytes() == uncached.read_bytes()


def test_an_edited_custom_template_is_compiled_again(tmp_path: Path) -> None:
    cache, templates = tmp_path / "cache", tmp_path / "templates"
    templates.mkdir()
    (templates / "qsr.md.j2").write_text("# First {{ rep }}\n", encoding="utf-8")
    out = tmp_path / "qsr.md"
    assert render(cache, out, "-f", "md", "--templates", str(templates)).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("# First Avery Quinn")
    (templates / "qsr.md.j2").write_text("# Second {{ rep }}\n", encoding="utf-8")
    assert render(cache, out, "-f", "md", "--templates", str(templates)).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("# Second Avery Quinn")


def test_a_damaged_entry_is_compiled_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert render(cache, tmp_path / "1.docx").returncode == 0
    for entry in cached(cache):
        entry.write_bytes(b"not Jinja bytecode")
    result = render(cache, tmp_path / "2.docx")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert (tmp_path / "1.docx").read_bytes() == (tmp_path / "2.docx").read_bytes()


def test_a_cache_folder_that_cannot_be_made_costs_nothing_but_time(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = render(blocker / "cache", tmp_path / "qsr.docx")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("✓ wrote")


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_folder_others_may_write_to_is_never_used(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o777)  # anyone could plant compiled code here, which rendering would run
    assert render(cache, tmp_path / "qsr.docx").returncode == 0
    assert cached(cache) == []
