from __future__ import annotations

from conftest import EXAMPLE


def test_example_checks_clean(run) -> None:
    result = run("check", EXAMPLE)
    assert result.exit_code == 0, result
    assert "0 error(s), 0 warning(s)" in result.output


def test_templates_travel_inside_the_installed_package() -> None:
    from importlib import resources

    shipped = {p.name for p in resources.files("qsrkit.templates").iterdir()}
    assert {"answers.yaml.j2", "qsr.md.j2", "reference.docx"} <= shipped
