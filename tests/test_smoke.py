from __future__ import annotations

from conftest import EXAMPLE


def test_example_checks_clean(run) -> None:
    result = run("check", EXAMPLE)
    assert result.exit_code == 0, result
    assert "0 error(s), 0 warning(s)" in result.output
