"""A custom template that runs away is stopped with a message naming the template, not a hang."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLE


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ 'a' * 10**9 }}", "repeating a value 1,000,000,000 times"),
        ("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
         "loops run over more than 100,000 items"),
        ("{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}",
         "loops run over more than 100,000 items"),
        ("{{ 2 ** 100000000 }}", "the power 100000000 is too large"),
        ("{% for i in range(99) %}{{ 'abc' * 10000 }}{% endfor %}", "produced more than 2,000,000 characters"),
    ],
)
def test_runaway_templates_are_stopped(run, in_tmp: Path, template: str, message: str) -> None:
    folder = in_tmp / "ours"
    assert run("templates", "export", folder).exit_code == 0
    (folder / "qsr.md.j2").write_text(template + "\n", encoding="utf-8")
    result = run("render", EXAMPLE, "--templates", folder, "-o", "out.docx")
    assert result.exit_code == 3
    assert "qsr.md.j2" in result.stderr and message in result.stderr
    assert not (in_tmp / "out.docx").exists()
    assert not list(in_tmp.glob(".*.tmp"))
