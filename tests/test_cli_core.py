"""`qsrkit new`, `check`, `calc` and `schema` through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import EXAMPLE

from qsrkit import __version__
from qsrkit.answers.loading import load_answers
from qsrkit.answers.models import Answers


def test_version(run) -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"qsrkit {__version__}"


# --- new ----------------------------------------------------------------------------------------


def test_new_writes_a_scaffold_that_checks_with_warnings_only(run, in_tmp: Path) -> None:
    result = run("new", "--rep", "Jordan Lee", "--quarter", "q4 2026")
    assert result.exit_code == 0, result
    path = in_tmp / "jordan-lee-2026-Q4.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=qsrkit-answers.schema.json\n")
    assert json.loads((in_tmp / "qsrkit-answers.schema.json").read_text())["title"] == "qsrkit answers file"
    loaded = load_answers(path)
    assert loaded.model.account_executive == "Jordan Lee" and loaded.model.quarter == "2026-Q4"
    assert loaded.warnings and all(w.severity == "warning" for w in loaded.warnings)
    check = run("check", path)
    assert check.exit_code == 0 and "0 error(s)" in check.output


def test_scaffold_names_and_explains_every_field(run, in_tmp: Path) -> None:
    run("new", "--rep", "A", "--quarter", "2026-Q1")
    text = (in_tmp / "a-2026-Q1.yaml").read_text(encoding="utf-8")

    def walk(model: type, prefix: str) -> list[str]:
        names = []
        for name, info in model.model_fields.items():
            names.append(name)
            inner = _model_in(info.annotation)
            if inner is not None:
                names += walk(inner, f"{prefix}{name}.")
        return names

    for name in walk(Answers, ""):
        assert f"{name}:" in text, f"the scaffold does not contain {name}"
    assert text.count("#") > 60  # every field carries an explanation


def _model_in(annotation: object) -> type | None:
    import typing

    from pydantic import BaseModel

    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel) and arg.__name__ != "PersonalGoal":
            return arg
        for inner in typing.get_args(arg):
            found = _model_in(inner)
            if found is not None:
                return found
    return None


def test_new_never_overwrites_without_force(run, in_tmp: Path) -> None:
    target = in_tmp / "mine.yaml"
    target.write_text("precious", encoding="utf-8")
    result = run("new", target, "--quarter", "2026-Q4")
    assert result.exit_code == 4
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "precious"
    assert run("new", target, "--quarter", "2026-Q4", "--force").exit_code == 0
    assert target.read_text(encoding="utf-8") != "precious"
    assert not list(in_tmp.glob(".*.tmp"))


def test_new_into_a_folder_and_missing_folder(run, in_tmp: Path) -> None:
    (in_tmp / "team").mkdir()
    assert run("new", "team", "--rep", "Sam Ortiz", "--quarter", "2026-Q4").exit_code == 0
    assert (in_tmp / "team" / "sam-ortiz-2026-Q4.yaml").is_file()
    missing = run("new", in_tmp / "nope" / "x.yaml", "--quarter", "2026-Q4")
    assert missing.exit_code == 4 and "does not exist" in missing.stderr


def test_new_rejects_a_bad_quarter(run, in_tmp: Path) -> None:
    result = run("new", "--quarter", "2026-Q5")
    assert result.exit_code == 2 and "YYYY-Qn" in result.stderr
    assert not list(in_tmp.iterdir())


def test_new_from_previous_carries_goal_skills_and_plays(run, in_tmp: Path) -> None:
    result = run("new", "--previous", EXAMPLE)
    assert result.exit_code == 0, result
    path = in_tmp / "avery-quinn-2027-Q1.yaml"
    text = path.read_text(encoding="utf-8")
    assert "# from avery-quinn-2026-Q4.yaml" in text
    answers = load_answers(path).model
    reflection = answers.previous_quarter
    assert answers.quarter == "2027-Q1" and reflection.quarter == "2026-Q4"
    assert str(reflection.metrics.quota) == "330000"
    assert str(reflection.metrics.personal_goal) == "495000"  # 150% of 330,000
    assert [s.skill for s in reflection.focus_skills] == ["Negotiation", "Prospecting"]
    assert reflection.focus_skills[0].target is not None and reflection.focus_skills[0].actual is None
    assert next(p.headline for p in reflection.plays) == "Expand in the ten largest existing accounts"
    assert answers.current_quarter.outlook.quota is None  # this quarter is the seller's to plan


def test_new_uses_the_fiscal_calendar_for_the_default_quarter(run, in_tmp: Path) -> None:
    (in_tmp / "qsrkit.yaml").write_text("fiscal_year_start_month: 2\nfiscal_year_named_for: end\n")
    result = run("new", "--rep", "A")
    assert result.exit_code == 0, result
    [path] = in_tmp.glob("a-*.yaml")
    quarter = load_answers(path).model.quarter
    import datetime as dt

    from qsrkit.plan.fiscal import FiscalCalendar

    assert quarter == FiscalCalendar(2, "end").quarter_of(dt.date.today())


# --- check --------------------------------------------------------------------------------------


def test_check_lists_every_problem_of_every_file(run, in_tmp: Path) -> None:
    good = in_tmp / "good.yaml"
    good.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    bad = in_tmp / "bad.yaml"
    bad.write_text("schema_version: 1\nquarter: 2026-Q9\nmanagr: X\n", encoding="utf-8")
    result = run("check", good, bad, "missing.yaml")
    assert result.exit_code == 3
    out = result.stdout  # the findings are check's output: `check *.yaml > status.txt` keeps them
    assert f"{bad}:2:1: quarter: error:" in out
    assert f"{bad}:3:1: managr: error: unknown key 'managr'; did you mean 'manager'?" in out
    assert "missing.yaml:0:0: (file): error: no such file" in out
    assert "3 file(s) checked: 1 ok, 2 failed" in out
    # A file with errors still gets its warnings, but none for the fields in error.
    assert f"{bad}:1:1: account_executive: warning: not answered yet" in out
    assert "quarter: warning" not in out
    assert result.stderr == ""


def test_check_json(run, in_tmp: Path) -> None:
    bad = in_tmp / "bad.yaml"
    bad.write_text("schema_version: 1\nquarter: 2026-Q9\n", encoding="utf-8")
    result = run("check", "--json", "--errors-only", bad)
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data["valid"] is False
    [report] = data["files"]
    assert report["errors"] == 1 and report["warnings"] == 0
    assert report["problems"][0] == {
        "file": str(bad), "line": 2, "column": 1, "field": "quarter", "severity": "error",
        "message": "'2026-Q9' is not a quarter; write it as YYYY-Qn, e.g. 2026-Q4",
    }


def test_check_strict_fails_on_unanswered(run, in_tmp: Path) -> None:
    run("new", "--rep", "A", "--quarter", "2026-Q4")
    assert run("check", "a-2026-Q4.yaml").exit_code == 0
    assert run("check", "--strict", "a-2026-Q4.yaml").exit_code == 3


# --- calc ---------------------------------------------------------------------------------------

FLAGS = ["--quota", "300000", "--closed", "60000", "--win-rate", "25%", "--open-pipeline", "400000",
         "--avg-deal-size", "20000", "--weeks", "10"]


def test_calc_json_from_flags(run, in_tmp: Path) -> None:
    result = run("calc", *FLAGS, "--json")
    assert result.exit_code == 0, result
    hundred, one_fifty = json.loads(result.stdout)["targets"]
    assert hundred == {
        # deals to close won: 300,000 / 20,000 = 15
        "percent_of_quota": 100.0, "target": 300000.0, "closed_won": 60000.0, "wins_needed": 15,
        "win_rate": 0.25, "gap_to_goal": 240000.0,
        "pipeline_needed": 960000.0, "open_pipeline": 400000.0, "pipeline_to_create": 560000.0,
        "avg_deal_size": 20000.0, "opps_needed": 28, "weeks_to_work": 10.0,
        "opps_per_week": 2.8, "pipeline_per_week": 56000.0, "personal_goal": False,
    }
    assert one_fifty["opps_needed"] == 58 and one_fifty["percent_of_quota"] == 150.0


def test_calc_table_from_the_example(run) -> None:
    result = run("calc", EXAMPLE)
    assert result.exit_code == 0, result
    # quota 330,000, closed 48,000, win rate 24%, open 410,000, deal 22,000, 11 weeks:
    # 100%: gap 282,000; need 1,175,000; create 765,000; 35 opps; 35 / 11 = 3.18 -> 3.2 a week;
    # 765,000 / 11 = 69,545.45 a week, rounded up to $69,546 (a need is never shown as less).
    # 150%: gap 447,000; need 1,862,500; create 1,452,500; 67 opps; 6.1 a week.
    out = result.stdout
    for cell in ["100% of quota", "150% of quota", "$282,000", "$1,175,000", "$765,000", "35",
                 "3.2", "$447,000", "$1,862,500", "$1,452,500", "67", "6.1", "$69,546",
                 "Closed won to date", "$48,000"]:
        assert cell in out, cell


def test_calc_flags_override_the_file_and_targets_repeat(run) -> None:
    result = run("calc", EXAMPLE, "--closed", "0", "--target", "50", "--target", "100", "--json")
    first, second = json.loads(result.stdout)["targets"]
    assert (first["percent_of_quota"], first["target"], first["gap_to_goal"]) == (50.0, 165000.0, 165000.0)
    assert second["gap_to_goal"] == 330000.0


def test_calc_weeks_from_as_of_and_fiscal_calendar(run, in_tmp: Path) -> None:
    # 2026-Q4 ends 2026-12-31; from 2026-12-03 that is 29 days = 4.1 weeks.
    flags = [*FLAGS[:-2], "--as-of", "2026-12-03", "--json"]
    [result] = json.loads(run("calc", *flags, "--target", "100").stdout)["targets"]
    assert result["weeks_to_work"] == 4.1
    late = run("calc", *FLAGS[:-2], "--as-of", "2027-01-05", "--quarter", "2026-Q4")
    assert late.exit_code == 3 and "no weeks left in 2026-Q4" in late.stderr


def test_calc_meeting_rate(run) -> None:
    result = run("calc", *FLAGS, "--meeting-rate", "0.5", "--json", "--target", "100")
    assert json.loads(result.stdout)["targets"][0]["meetings_per_week"] == 5.6
    assert "Meetings per week" in run("calc", *FLAGS, "--meeting-rate", "0.5").stdout


def test_calc_names_every_missing_input(run, in_tmp: Path) -> None:
    result = run("calc", "--quota", "1000")
    assert result.exit_code == 2
    for flag in ["--closed", "--win-rate", "--open-pipeline", "--avg-deal-size", "--weeks"]:
        assert flag in result.stderr
    assert "Traceback" not in result.output


def test_calc_refuses_impossible_inputs_without_traceback(run, in_tmp: Path) -> None:
    for flag, value, message in [
        ("--win-rate", "0", "win rate must be above 0%"),
        ("--avg-deal-size", "0", "average deal size must be above 0"),
        ("--weeks", "0", "weeks must be above 0"),
        ("--weeks", "-3", "cannot be negative"),
        ("--closed", "-5", "cannot be negative"),
        ("--win-rate", "0.3", "ambiguous"),
        ("--win-rate", "150", "at most 100%"),
    ]:
        flags = list(FLAGS)
        flags[flags.index(flag) + 1] = value
        result = run("calc", *flags)
        assert result.exit_code == 3, (flag, value, result)
        assert message in result.stderr and "Traceback" not in result.output


def test_calc_currency_from_org_config(run, in_tmp: Path) -> None:
    (in_tmp / "qsrkit.yaml").write_text("currency: EUR\ntargets: [100, 120]\n", encoding="utf-8")
    out = run("calc", *FLAGS).stdout
    assert "€300,000" in out and "120% of quota" in out


def test_calc_bad_answers_file_lists_problems(run, in_tmp: Path) -> None:
    bad = in_tmp / "bad.yaml"
    bad.write_text("schema_version: 1\ncurrent_quarter:\n  outlook:\n    quota: lots\n")
    result = run("calc", bad)
    assert result.exit_code == 3 and f"{bad}:4:5: current_quarter.outlook.quota" in result.stderr


# --- schema -------------------------------------------------------------------------------------


def test_schema_prints_and_writes(run, in_tmp: Path) -> None:
    printed = json.loads(run("schema").stdout)
    assert printed["additionalProperties"] is False
    assert "previous_quarter" in printed["properties"]
    assert run("schema", "-o", "s.json").exit_code == 0
    assert json.loads((in_tmp / "s.json").read_text()) == printed
    assert run("schema", "-o", "s.json").exit_code == 4


def test_new_never_replaces_a_device_or_pipe_even_with_force(run, in_tmp: Path) -> None:
    # A rename onto /dev/full or a named pipe would replace the special file itself.
    import os
    import stat

    target = in_tmp / "pipe.yaml"
    os.mkfifo(target)
    result = run("new", target, "--force", "--quarter", "2026-Q4")
    assert result.exit_code == 4 and "not a regular file" in result.stderr
    assert stat.S_ISFIFO(os.stat(target).st_mode)


def test_calc_shows_small_figures_with_the_digits_they_need(run) -> None:
    # 28 opportunities over 0.5 weeks is 56 a week; a 0.4% target of 300,000 is 1,200;
    # a 0.0005% win rate is shown as typed, not as "0%".
    flags = ["--quota", "300000", "--closed", "0", "--win-rate", "0.0005%", "--open-pipeline",
             "0", "--avg-deal-size", "20000", "--weeks", "0.05", "--target", "0.4%"]
    out = run("calc", *flags).stdout
    assert "0.4% of quota" in out
    assert "0.0005%" in out
    assert "0.05" in out  # weeks to work, not "0.1" or "0"
    # needed 1,200 / 0.000005 = 240,000,000; 12,000 opportunities; / 0.05 = 240,000 a week
    assert "240,000" in out


def test_calc_refuses_more_weeks_than_a_quarter_has(run) -> None:
    result = run("calc", *FLAGS[:-1], "52000")
    assert result.exit_code == 3, result
    assert "weeks to work is 52000, but a quarter has at most 14 weeks" in result.stderr


def test_the_second_column_is_the_reps_own_personal_goal(run, in_tmp: Path, example_text: str) -> None:
    # The example's quota is 330,000; a personal goal of 130% is 429,000, and the calculator's
    # second column is computed for it (gap 429,000 - 48,000 = 381,000; / 24% = 1,587,500).
    text = example_text.replace("personal_goal: 150%", "personal_goal: 130%")
    assert text != example_text
    path = in_tmp / "goal.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("calc", path)
    assert "130% of quota (personal goal)" in result.stdout
    assert "150% of quota" not in result.stdout
    plans = json.loads(run("calc", path, "--json").stdout)["targets"]
    assert [(p["percent_of_quota"], p["personal_goal"]) for p in plans] == [(100.0, False), (130.0, True)]
    assert plans[1]["target"] == 429000.0 and plans[1]["pipeline_needed"] == 1587500.0


def test_the_examples_schema_is_what_qsrkit_schema_prints(run) -> None:
    """Editors read examples/qsrkit-answers.schema.json (the example's first line points at it);
    it must describe the answers file as it is now, `check_ins:` and all."""
    result = run("schema")
    assert result.exit_code == 0, result
    shipped = (EXAMPLE.parent / "qsrkit-answers.schema.json").read_text(encoding="utf-8")
    assert json.loads(shipped) == json.loads(result.stdout)
