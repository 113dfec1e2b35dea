"""The answers loader: values arrive as typed, and every problem names its line and field."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from qsrkit.answers.loading import load_answers
from qsrkit.errors import InvalidInput


def write(tmp_path: Path, text: str, name: str = "a.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        load_answers(path)
    return [p.format() for p in caught.value.problems]


def test_values_are_never_retyped_by_yaml(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        schema_version: 1
        account_executive: NO
        manager: 01234
        team_message: 1:30
        """,
    )
    answers = load_answers(path).model
    assert answers.account_executive == "NO"
    assert answers.manager == "01234"
    assert answers.team_message == "1:30"


def test_impossible_date_is_rejected_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "schema_version: 1\n\npreparation_date: 2026-02-30\n")
    [message] = problems(path)
    assert message.startswith(f"{path}:3:1: preparation_date: error:")
    assert "not a day on the calendar" in message


def test_every_problem_is_listed_in_file_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        schema_version: 1
        quarter: 2026-Q5
        previous_quarter:
          metrics:
            quota: -5
            actual_revenue: $1000
            win_rate:
              actual: 150
        """,
    )
    found = problems(path)
    assert [m.split(": ")[1] for m in found] == [
        "quarter",
        "previous_quarter.metrics.quota",
        "previous_quarter.metrics.actual_revenue",
        "previous_quarter.metrics.win_rate.actual",
    ]
    assert ":2:1:" in found[0] and ":5:5:" in found[1] and ":6:5:" in found[2] and ":8:7:" in found[3]
    assert "cannot be negative" in found[1]
    assert "without a currency sign" in found[2]
    assert "at most 100%" in found[3]


def test_unknown_key_suggests_the_closest_field(tmp_path: Path) -> None:
    path = write(tmp_path, "schema_version: 1\ncurrent_quarter:\n  outlok:\n    quota: 5\n")
    [message] = problems(path)
    assert ":3:3: current_quarter.outlok:" in message
    assert "did you mean 'outlook'?" in message


def test_duplicate_keys_name_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "schema_version: 1\nmanager: A\nquarter: 2026-Q4\nmanager: B\n")
    [message] = problems(path)
    assert ":4:1: manager:" in message and "already set on line 2" in message


def test_aliases_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "schema_version: 1\nmanager: &m Morgan\naccount_executive: *m\n")
    [message] = problems(path)
    assert ":3:" in message and "aliases" in message


def test_limits_explain_the_method(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        schema_version: 1
        skill_development:
          - skill: a
          - skill: b
          - skill: c
        previous_quarter:
          diagnosis:
            replicate: [a, b, c, d]
        current_quarter:
          plays:
            - headline: a
            - headline: b
            - headline: c
            - headline: d
        """,
    )
    found = "\n".join(problems(path))
    assert "skill_development: error: has 3 entries; the QSR keeps at most 2" in found
    assert "replicate: error: has 4 entries; the QSR keeps at most 3" in found
    assert "plays: error: has 4 entries; the QSR keeps at most 3" in found
    assert "laundry list" in found


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("25", Decimal(25)), ("25%", Decimal(25)), ("0.25%", Decimal("0.25")), ("100", Decimal(100))],
)
def test_percentages(tmp_path: Path, typed: str, expected: Decimal) -> None:
    path = write(tmp_path, f"schema_version: 1\ncurrent_quarter:\n  outlook:\n    win_rate: {typed}\n")
    assert load_answers(path).model.current_quarter.outlook.win_rate == expected


def test_bare_fraction_percentage_is_refused_not_guessed(tmp_path: Path) -> None:
    path = write(tmp_path, "schema_version: 1\ncurrent_quarter:\n  outlook:\n    win_rate: 0.25\n")
    [message] = problems(path)
    assert "ambiguous" in message and "Write 25" in message


@pytest.mark.parametrize(
    ("typed", "hint"),
    [("19.999", "two decimal places"), ("1,000.50", "thousands separators"), ("NaN", "not a number"),
     ("1e999999", "not a number"), ("250k", "in full"), ("9" * 5000, "digits")],
)
def test_money_is_plain_and_to_the_cent(tmp_path: Path, typed: str, hint: str) -> None:
    path = write(tmp_path, f"schema_version: 1\ncurrent_quarter:\n  outlook:\n    quota: {typed}\n")
    [message] = problems(path)
    assert "current_quarter.outlook.quota" in message and hint in message


def test_personal_goal_as_amount_or_percent(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "schema_version: 1\ncurrent_quarter:\n  outlook:\n    quota: 200000\n    personal_goal: 150%\n",
    )
    outlook = load_answers(path).model.current_quarter.outlook
    assert outlook.personal_goal_amount == Decimal(300000)
    assert outlook.personal_goal_percent == Decimal(150)


def test_percent_of_quota_is_computed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        schema_version: 1
        previous_quarter:
          metrics:
            quota: 200000
            personal_goal: 250000
            actual_revenue: 210000
        """,
    )
    metrics = load_answers(path).model.previous_quarter.metrics
    assert metrics.percent_of_quota == Decimal(105)
    assert metrics.percent_of_personal_goal == Decimal(84)


def test_blank_answers_are_warnings_not_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "schema_version: 1\naccount_executive:\nquarter: 2026-Q4\n")
    loaded = load_answers(path)
    fields = {w.field for w in loaded.warnings}
    assert "account_executive" in fields and "manager" not in fields
    assert all(w.severity == "warning" for w in loaded.warnings)
    first = next(w for w in loaded.warnings if w.field == "account_executive")
    assert first.line == 2


def test_quoted_null_is_text(tmp_path: Path) -> None:
    path = write(tmp_path, 'schema_version: 1\nmanager: "null"\n')
    assert load_answers(path).model.manager == "null"


def test_newer_schema_version_asks_to_upgrade(tmp_path: Path) -> None:
    path = write(tmp_path, "schema_version: 99\n")
    [message] = problems(path)
    assert "newer qsrkit" in message and "upgrade" in message


def test_missing_schema_version_is_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "manager: Morgan\n")
    loaded = load_answers(path)
    assert loaded.warnings[0].field == "schema_version"


def test_control_characters_are_removed_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, 'schema_version: 1\nmanager: "Mor\\x0bgan\\ud800"\n')
    loaded = load_answers(path)
    assert loaded.model.manager == "Morgan"
    [warning] = [w for w in loaded.warnings if w.field == "manager"]
    assert warning.line == 2 and "U+000B" in warning.message and "U+D800" in warning.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is empty"),
        ("- a\n- b\n", "holds a list"),
        ("just text\n", "holds a single value"),
        ("a: b: c\n", "must be quoted"),
        ("manager: 'open\n", "YAML syntax"),
        ("manager:\n\t- x\n", "tabs"),
    ],
)
def test_broken_files_say_what_to_do(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    try:
        loaded = load_answers(path)
    except InvalidInput as exc:
        messages = " ".join(p.message for p in exc.problems)
    else:
        messages = " ".join(w.message for w in loaded.warnings)
    assert expected in messages


def test_encodings(tmp_path: Path) -> None:
    bom = tmp_path / "bom.yaml"
    bom.write_bytes("\ufeffschema_version: 1\nmanager: Zoë\n".encode())
    assert load_answers(bom).model.manager == "Zoë"
    utf16 = tmp_path / "utf16.yaml"
    utf16.write_bytes("schema_version: 1\nmanager: Zoë\n".encode("utf-16"))
    assert load_answers(utf16).model.manager == "Zoë"
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("schema_version: 1\nmanager: Zoë\n".encode("latin-1"))
    [message] = problems(latin1)
    assert ":2:12:" in message and "save the file as UTF-8" in message
