"""Every case of the bad-input corpus (tests/corpus) through the real commands.

The contract for each: one located line per problem (`file:line:col: field: severity: message`),
the documented exit code, no traceback, and - on failure - nothing written.
"""

from __future__ import annotations

import re
import shutil
import tracemalloc
from pathlib import Path

import docx
import pytest
import yaml
from conftest import EXAMPLE, ROOT

CORPUS = ROOT / "tests" / "corpus"
CASES: dict[str, dict[str, object]] = yaml.safe_load((CORPUS / "cases.yaml").read_text("utf-8"))

# A located problem, or one of the few summary lines the commands print around them.
LOCATED = re.compile(r"^\S[^:]*:\d+:\d+: [^:]+: (error|warning): \S")
SUMMARY = re.compile(
    r"^(\u2713 )?\d+ file\(s\) checked: |^error: \d+ problem\(s\); nothing was written$|^\u2713 wrote "
)


def _document_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _assert_contract(stderr: str, expected: list[str]) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    for line in lines:
        assert LOCATED.match(line) or SUMMARY.match(line), f"not in the contract: {line!r}"
    for wanted in expected:
        assert any(wanted in line for line in lines), f"missing {wanted!r} in:\n{stderr}"


def test_every_corpus_file_has_a_case_and_every_case_a_file() -> None:
    on_disk = {str(p.relative_to(CORPUS)) for p in CORPUS.glob("*/*")}
    assert on_disk == set(CASES)


ANSWERS_CASES = sorted(name for name in CASES if not name.startswith("templates/"))
TEMPLATE_CASES = sorted(name for name in CASES if name.startswith("templates/"))


@pytest.mark.parametrize("case", ANSWERS_CASES)
def test_answers_file_case(run, in_tmp: Path, case: str) -> None:
    spec = CASES[case]
    source = CORPUS / case
    shutil.copyfile(source, in_tmp / source.name)
    before = source.read_bytes()
    expected = list(spec.get("stderr", []))  # type: ignore[call-overload]

    checked = run("check", source.name)
    assert checked.exit_code == spec["exit"], checked
    # check prints its findings on stdout (they are its output), the rest on stderr
    _assert_contract(checked.output, expected)

    rendered = run("render", source.name, "-o", "out.docx")
    assert rendered.exit_code == spec["exit"], rendered
    # render leaves unanswered fields to `check`, so only the other lines are expected here.
    _assert_contract(rendered.stderr, expected)
    assert (in_tmp / source.name).read_bytes() == before
    if spec["exit"] == 0:
        text = _document_text(in_tmp / "out.docx")
        for wanted in spec.get("docx", []):  # type: ignore[attr-defined]
            assert wanted in text, f"{wanted!r} not in the document"
    else:
        assert sorted(p.name for p in in_tmp.iterdir()) == [source.name]


@pytest.mark.parametrize("case", TEMPLATE_CASES)
def test_custom_template_case(run, in_tmp: Path, case: str) -> None:
    spec = CASES[case]
    folder = CORPUS / case
    shutil.copytree(folder, in_tmp / folder.name)
    shutil.copyfile(EXAMPLE, in_tmp / "answers.yaml")
    (in_tmp / "secret.j2").write_text("a file outside the templates folder\n", encoding="utf-8")

    result = run("render", "answers.yaml", "--templates", folder.name, "-o", "out.docx")
    assert result.exit_code == spec["exit"], result
    _assert_contract(result.stderr, list(spec["stderr"]))  # type: ignore[call-overload]
    assert not (in_tmp / "out.docx").exists()
    assert not list(in_tmp.glob(".*.tmp"))


def test_debug_adds_no_traceback_to_bad_input(run, in_tmp: Path) -> None:
    shutil.copyfile(CORPUS / "yaml" / "alias.yaml", in_tmp / "alias.yaml")
    result = run("--debug", "check", "alias.yaml")
    assert result.exit_code == 3
    _assert_contract(result.output, ["alias.yaml:7:12: (file): error: YAML aliases"])


def test_ten_million_character_answer_is_refused_before_parsing(run, in_tmp: Path) -> None:
    with (in_tmp / "huge.yaml").open("w", encoding="utf-8") as handle:
        handle.write("schema_version: 1\nteam_message: ")
        handle.write("x" * 10_000_000)
        handle.write("\n")
    for command in (("check", "huge.yaml"), ("render", "huge.yaml", "-o", "out.docx")):
        result = run(*command)
        assert result.exit_code == 3, result
        _assert_contract(result.output, [
            "huge.yaml:0:0: (file): error: is 10,000,033 bytes, more than the 1,048,576 a qsrkit "
            "YAML file can be (one answer is at most 4,000 characters)"
        ])
    assert sorted(p.name for p in in_tmp.iterdir()) == ["huge.yaml"]


def test_an_answer_over_the_limit_names_its_field(run, in_tmp: Path) -> None:
    (in_tmp / "long.yaml").write_text(
        "schema_version: 1\nmanager: Morgan Ellis\nteam_message: " + "word " * 900 + "\n",
        encoding="utf-8",
    )
    result = run("check", "long.yaml")
    assert result.exit_code == 3
    _assert_contract(result.output, ["long.yaml:3:1: team_message: error: "])
    assert "at most 4,000 characters" in result.stdout


def test_alias_bomb_is_refused_without_expanding_it() -> None:
    # Expanded, this 9-level bomb would be 9**9 (387 million) strings. Refusing at the first
    # alias keeps memory flat; the time it takes is in benchmarks/bench_bad_input.py.
    from qsrkit.answers.loading import load_answers
    from qsrkit.errors import InvalidInput

    tracemalloc.start()
    try:
        with pytest.raises(InvalidInput) as caught:
            load_answers(CORPUS / "yaml" / "alias-bomb.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.problems[0].line == 3
    assert peak < 5 * 1024 * 1024


def test_a_very_long_rep_name_still_makes_a_file_name(run, in_tmp: Path) -> None:
    name = "Very Long Name " * 30
    (in_tmp / "long.yaml").write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("Avery Quinn", name), encoding="utf-8")
    result = run("render", "long.yaml")
    assert result.exit_code == 0, result
    [written] = in_tmp.glob("*-qsr.docx")
    assert len(written.name) < 120
    assert written.name.endswith("-very-2026-Q4-qsr.docx")
    assert name.strip() in _document_text(written)


def test_thousands_of_dashboards_are_refused_early(run, in_tmp: Path) -> None:
    # 15,000 dashboards in qsrkit.yaml took minutes per document; composing stops at 10,000
    # values. Nodes: the root, `dashboards` and its list (3), then 5 a dashboard (a mapping, two
    # keys, two values): the 10,001st is in dashboard 2,000, whose title is on line 4,000.
    (in_tmp / "qsrkit.yaml").write_text("dashboards:\n" + "".join(
        f"  - title: Board {i}\n    link: https://crm.example.com/{i}\n" for i in range(15_000)),
        encoding="utf-8")
    shutil.copyfile(EXAMPLE, in_tmp / "answers.yaml")
    result = run("render", "answers.yaml", "-o", "out.docx")
    assert result.exit_code == 3, result
    _assert_contract(result.stderr, [
        "qsrkit.yaml:4000:12: (file): error: holds more than 10,000 values, and a QSR file has a "
        "few hundred"])
    assert not (in_tmp / "out.docx").exists()
