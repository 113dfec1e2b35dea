"""The deals behind every CRM figure, the small-sample warning, `--trailing N` and whole units.

As in test_crm.py: the quarter planned is 2026-Q4, as of 2026-10-05, so the previous quarter is
2026-Q3 (1 July to 30 September, 92 days, 92/7 = 13.14 weeks). The sample rule: a win rate from
fewer than 20 decided deals or 10 won, or a deal size from fewer than 10 won, is warned about.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import docx
import pytest

AS_OF = ("--as-of", "2026-10-05")
HEADER = "Opportunity Owner,Opportunity Name,Stage,Amount,Created Date,Close Date\n"


def deals(owner: str, count: int, stage: str, amount: str, created: str, close: str) -> str:
    return "".join(f'{owner},D{i},{stage},"{amount}",{created},{close}\n' for i in range(count))


# Ada Lovelace, every deal created 10 days before it closed:
#   2026-Q1: 4 won at 1,000 and 6 lost (500 each), closed 10 Feb
#   2026-Q2: 4 won at 2,000 and 6 lost, closed 10 May
#   2026-Q3: won 3,000.50 and 3,000, 8 lost, closed 10 Aug (created 31 Jul, in Q3)
# Bob Stone: one deal won in 2026-Q3 (500).
HISTORY = (
    HEADER
    + deals("Ada Lovelace", 4, "Closed Won", "1000", "1/31/2026", "2/10/2026")
    + deals("Ada Lovelace", 6, "Closed Lost", "500", "1/31/2026", "2/10/2026")
    + deals("Ada Lovelace", 4, "Closed Won", "2000", "4/30/2026", "5/10/2026")
    + deals("Ada Lovelace", 6, "Closed Lost", "500", "4/30/2026", "5/10/2026")
    + deals("Ada Lovelace", 1, "Closed Won", "3000.50", "7/31/2026", "8/10/2026")
    + deals("Ada Lovelace", 1, "Closed Won", "3000", "7/31/2026", "8/10/2026")
    + deals("Ada Lovelace", 8, "Closed Lost", "500", "7/31/2026", "8/10/2026")
    + deals("Bob Stone", 1, "Closed Won", "500", "7/31/2026", "8/10/2026")
)

# The issue's case: 2 won of 41 decided in 2026-Q3, 10,000 + 22,300.28 = 32,300.28 won, so an
# average deal size of 16,150.14.
ISSUE = (
    HEADER
    + deals("Jordan Lee", 1, "Closed Won", "10000", "7/1/2026", "8/1/2026")
    + deals("Jordan Lee", 1, "Closed Won", "22,300.28", "7/1/2026", "8/1/2026")
    + deals("Jordan Lee", 39, "Closed Lost", "1000", "7/1/2026", "8/1/2026")
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def metrics_json(run: Any, *args: Any) -> dict[str, Any]:
    result = run("metrics", *args, *AS_OF, "--json")
    assert result.exit_code == 0, result
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def rep(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in data["reps"] if r["rep"] == name)


def line_of(text: str, start: str) -> str:
    return next(line.strip() for line in text.splitlines() if line.strip().startswith(start))


def document_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# --- The sample behind each figure and the warning ----------------------------------------------


def test_the_issue_case_is_warned_about_and_marked_in_the_file(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", ISSUE)
    result = run("new", "--crm", export, "--rep", "Jordan Lee", *AS_OF)
    assert result.exit_code == 0, result
    # 41 decided is enough deals, but 2 won is under 10: both the win rate (2 / 41 = 4.9%) and
    # the deal size are warned about. At 2 wins a quarter, 10 wins take 10 / 2 = 5 quarters.
    assert ("warning: Jordan Lee: the win rate (2 won of 41 decided) and the average deal size "
            "(2 won deals) in 2026-Q3 rest on a small sample (below 20 decided deals or 10 won); "
            "try --trailing 5 (the last 5 quarters)") in result.stderr
    text = (in_tmp / "jordan-lee-2026-Q4.yaml").read_text(encoding="utf-8")
    # Last quarter's actuals name their sample; the plan's starting rates say it is small.
    assert line_of(text, "actual: 4.9").startswith(
        "actual: 4.9  # from export.csv (CRM), 2026-Q3: 2 won of 41 decided")
    assert line_of(text, "win_rate: 4.9").startswith(
        "win_rate: 4.9  # last quarter's actual (export.csv, 2026-Q3), small sample: 2 won of 41 "
        "decided; change it if you plan on another")
    # 32,300.28 / 2 = 16,150.14, written in whole units.
    assert line_of(text, "actual: 16150").startswith(
        "actual: 16150  # from export.csv (CRM), 2026-Q3: average of 2 won deals, rounded")
    assert line_of(text, "average_deal_size: 16150").startswith(
        "average_deal_size: 16150  # last quarter's actual (export.csv, 2026-Q3), small sample: "
        "average of 2 won deals")
    # 41 created in Q3 (all on 1 July) over 92 / 7 = 13.1 weeks: 41 x 7 / 92 = 3.12 -> 3.1 a
    # week; 32,300.28 + 39,000 = 71,300.28 created, x 7 / 92 = 5,425.02 -> 5,425 a week.
    assert line_of(text, "actual: 3.1").startswith(
        "actual: 3.1  # from export.csv (CRM), 2026-Q3: 41 created over 13.1 weeks")
    assert line_of(text, "actual: 5425").startswith(
        "actual: 5425  # from export.csv (CRM), 2026-Q3: 71,300.28 created over 13.1 weeks")
    # Days to win: 1 Jul -> 1 Aug = 31 days for both won deals.
    assert "average days to win 31.0 over 2 won deals" in text
    assert run("check", in_tmp / "jordan-lee-2026-Q4.yaml").exit_code == 0


def test_crm_money_is_whole_units_in_the_document_unless_it_is_a_sum(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", ISSUE)
    assert run("new", "--crm", export, "--rep", "Jordan Lee", *AS_OF).exit_code == 0
    path = in_tmp / "jordan-lee-2026-Q4.yaml"
    rendered = run("render", path)
    assert rendered.exit_code == 0, rendered
    text = document_text(in_tmp / "jordan-lee-2026-Q4-qsr.docx")
    # The average deal size 16,150.14 and the weekly pipeline 5,425.02 are estimates: whole units.
    assert "$16,150" in text and "16,150.14" not in text
    assert "$5,425" in text and "5,425.02" not in text
    # Last quarter's revenue is a sum of real amounts, as the CRM has it: 10,000 + 22,300.28.
    assert "$32,300.28" in text
    # A rep who types cents gets them: the rule is about what the CRM computes, not the format.
    typed = path.read_text(encoding="utf-8").replace("average_deal_size: 16150",
                                                     "average_deal_size: 16150.14", 1)
    path.write_text(typed, encoding="utf-8")
    assert run("render", path, "--force").exit_code == 0
    assert "$16,150.14" in document_text(in_tmp / "jordan-lee-2026-Q4-qsr.docx")


def test_metrics_marks_small_samples_and_warns_about_the_reps_shown(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", HISTORY)
    result = run("metrics", export, *AS_OF)
    assert result.exit_code == 0, result
    ada = line_of(result.stdout, "Ada Lovelace")
    # Q3: 2 won of 10 decided = 20.0%, both under the rule; (3,000.50 + 3,000) / 2 = 3,000.25,
    # an estimate in whole units: $3,000; revenue, a sum, keeps its cents.
    assert "$6,000.50" in ada and "20.0%*" in ada and "$3,000*" in ada
    assert "* a small sample: a win rate from fewer than 20 decided deals or 10 won" in result.stdout
    # 10 decided: 20 needs 2 quarters; 2 won: 10 needs 5 quarters. Bob: 1 won of 1: 20 quarters,
    # more than --trailing allows (8).
    assert ("Ada Lovelace: the win rate (2 won of 10 decided) and the average deal size (2 won "
            "deals) in 2026-Q3 rest on a small sample") in result.stderr
    assert "try --trailing 5 (the last 5 quarters)" in result.stderr
    assert "Bob Stone: the win rate (1 won of 1 decided) and the average deal size (1 won deal)" \
        in result.stderr
    assert "try --trailing 8" in result.stderr
    only = run("metrics", export, "--rep", "Ada Lovelace", *AS_OF)
    assert "Ada Lovelace:" in only.stderr and "Bob Stone" not in only.output


def test_metrics_json_gives_the_sample_and_the_span(run: Any, in_tmp: Path) -> None:
    data = metrics_json(run, write(in_tmp, "export.csv", HISTORY))
    assert data["trailing"] == 1
    assert data["min_sample"] == {"decided": 20, "won": 10}
    ada = rep(data, "Ada Lovelace")
    # Without --trailing the plan's rates are 2026-Q3's: 2 won, 8 lost; 6,000.50 / 2 = 3,000.25
    # -> 3,000; days 10.
    assert ada["trailing"] == {
        "first_quarter": "2026-Q3", "last_quarter": "2026-Q3", "quarters": 1,
        "opportunities_won": 2, "opportunities_lost": 8, "win_rate": 0.2,
        "average_deal_size": 3000, "average_days_to_win": 10,
        "small_sample": ["win_rate", "average_deal_size"],
    }
    # Created in Q3: 10 deals, 6,000.50 + 8 x 500 = 10,000.50 (a sum: cents kept); per week
    # 10,000.50 x 7 / 92 = 760.90 -> 761.
    prev = ada["previous_quarter"]
    assert (prev["pipeline_created"], prev["weekly_pipeline"]) == (10000.5, 761)
    assert (prev["average_deal_size"], prev["actual_revenue"]) == (3000, 6000.5)


# --- --trailing N -------------------------------------------------------------------------------


def test_trailing_quarters_give_the_plan_rates_and_leave_last_quarter_alone(
    run: Any, in_tmp: Path
) -> None:
    data = metrics_json(run, write(in_tmp, "export.csv", HISTORY), "--trailing", "3")
    assert data["trailing"] == 3
    ada = rep(data, "Ada Lovelace")
    # 2026-Q1 to Q3: won 4 + 4 + 2 = 10, lost 6 + 6 + 8 = 20: 10 / 30 = 33.3%; won amount
    # 4,000 + 8,000 + 6,000.50 = 18,000.50 / 10 = 1,800.05 -> 1,800; every win took 10 days.
    # 10 won and 30 decided meet the rule: nothing is small. The rate is a percent to one
    # decimal (33.3), as a fraction: 0.333.
    assert ada["trailing"] == {
        "first_quarter": "2026-Q1", "last_quarter": "2026-Q3", "quarters": 3,
        "opportunities_won": 10, "opportunities_lost": 20, "win_rate": 0.333,
        "average_deal_size": 1800, "average_days_to_win": 10, "small_sample": [],
    }
    # Last quarter's actuals stay 2026-Q3's: 2 of 10 = 20%, 3,000.25 -> 3,000.
    prev = ada["previous_quarter"]
    assert (prev["win_rate"], prev["average_deal_size"], prev["opportunities_won"]) == (0.2, 3000, 2)
    # Q2 to Q3: 6 won of 20 decided (20 is enough; 6 won is not): 2 quarters x 10 / 6 -> 4.
    two = rep(metrics_json(run, in_tmp / "export.csv", "--trailing", "2"), "Ada Lovelace")
    assert (two["trailing"]["win_rate"], two["trailing"]["small_sample"]) == (
        0.3, ["win_rate", "average_deal_size"])
    result = run("metrics", in_tmp / "export.csv", "--trailing", "2", *AS_OF)
    assert "Ada Lovelace: the win rate (6 won of 20 decided) and the average deal size (6 won " \
        "deals) in 2026-Q2 to 2026-Q3 rest on a small sample" in result.stderr
    assert "try --trailing 4 (the last 4 quarters)" in result.stderr


def test_trailing_table_adds_the_span_columns(run: Any, in_tmp: Path) -> None:
    result = run("metrics", write(in_tmp, "export.csv", HISTORY), "--trailing", "3", *AS_OF)
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert lines[0].endswith("; 3Q: 2026-Q1 to 2026-Q3")
    for column in ("Won/decided 3Q", "Win rate 3Q", "Avg deal 3Q", "Days to win 3Q"):
        assert column in lines[1], column
    ada = line_of(result.stdout, "Ada Lovelace")
    # Q3's own 20.0% is shown unmarked (a fact about the quarter); the plan's 10 of 30 = 33.3%
    # and 1,800 meet the rule, so Ada is not warned about; Bob's 1 of 1 still is.
    assert "10/30" in ada and "33.3%" in ada and "$1,800" in ada and "*" not in ada
    assert "Ada Lovelace:" not in result.stderr and "Bob Stone:" in result.stderr


def test_new_crm_trailing_fills_the_plan_from_the_span(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", HISTORY)
    result = run("new", "--crm", export, "--rep", "Ada Lovelace", "--trailing", "3", *AS_OF)
    assert result.exit_code == 0, result
    assert "small sample" not in result.stderr  # 10 won of 30 decided meets the rule
    path = in_tmp / "ada-lovelace-2026-Q4.yaml"
    text = path.read_text(encoding="utf-8")
    # The plan starts from the three quarters: 33.3% and 1,800 (worked out above).
    assert line_of(text, "win_rate: 33.3").startswith(
        "win_rate: 33.3  # the actual of the last 3 quarters (export.csv, 2026-Q1 to 2026-Q3), "
        "10 won of 30 decided; change it if you plan on another")
    assert line_of(text, "average_deal_size: 1800").startswith(
        "average_deal_size: 1800  # the actual of the last 3 quarters (export.csv, 2026-Q1 to "
        "2026-Q3), average of 10 won deals")
    # Last quarter's reflection keeps last quarter's: 2 of 10 = 20%, 3,000.25 -> 3,000.
    assert line_of(text, "actual: 20").startswith(
        "actual: 20  # from export.csv (CRM), 2026-Q3: 2 won of 10 decided")
    assert "actual: 3000  # from export.csv (CRM), 2026-Q3: average of 2 won deals" in text
    assert run("check", path).exit_code == 0
    calc = run("calc", path, "--quota", "100000", "--json")
    assert calc.exit_code == 0, calc
    # The calculator plans on the three quarters' rates.
    plan = json.loads(calc.stdout)["targets"][0]
    assert (plan["win_rate"], plan["avg_deal_size"]) == (0.333, 1800)


def test_trailing_past_the_export_is_warned_about(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", ISSUE)  # deals closed in 2026-Q3 only
    result = run("metrics", export, "--trailing", "2", *AS_OF)
    assert result.exit_code == 0, result
    assert ("export.csv:0:0: (file): warning: no deal was won or lost in 2026-Q2, so --trailing 2 "
            "gives 2026-Q3's figures alone; export the opportunities closed since 2026-04-01 too"
            ) in result.stderr
    result = run("new", "--crm", export, "--rep", "Jordan Lee", "--trailing", "4", *AS_OF)
    assert result.exit_code == 0, result
    assert "no deal was won or lost from 2025-Q4 to 2026-Q2" in result.stderr


@pytest.mark.parametrize("value", ["0", "9", "two"])
def test_trailing_takes_1_to_8_quarters(run: Any, in_tmp: Path, value: str) -> None:
    export = write(in_tmp, "export.csv", HISTORY)
    assert run("metrics", export, "--trailing", value, *AS_OF).exit_code == 2
    result = run("new", "--crm", export, "--rep", "Ada Lovelace", "--trailing", value, *AS_OF)
    assert result.exit_code == 2 and "--trailing" in result.stderr
    assert not list(in_tmp.glob("*.yaml"))


def test_trailing_goes_with_crm(run: Any, in_tmp: Path) -> None:
    result = run("new", "--rep", "Ada", "--trailing", "3")
    assert result.exit_code == 2
    assert "--trailing go with --crm FILE" in result.stderr


def test_team_warnings_are_one_a_rep_then_counted(run: Any, in_tmp: Path) -> None:
    # 12 reps with one deal won each in 2026-Q3: every one is warned about; past 10, counted.
    rows = "".join(deals(f"Rep {n:02}", 1, "Closed Won", "100", "7/1/2026", "8/1/2026")
                   for n in range(12))
    export = write(in_tmp, "export.csv", HEADER + rows)
    result = run("new", "--crm", export, "--team", "team", *AS_OF)
    assert result.exit_code == 0, result
    assert result.stderr.count("on a small sample (below 20 decided deals or 10 won)") == 10
    assert "Rep 09: the win rate (1 won of 1 decided)" in result.stderr
    assert "Rep 10:" not in result.stderr
    assert "and 2 more rep(s) whose win rate or deal size rests on a small sample" in result.stderr
    assert len(list((in_tmp / "team").glob("*.yaml"))) == 12


def test_the_careful_path_adds_up_the_trailing_quarters_too(
    monkeypatch: pytest.MonkeyPatch, in_tmp: Path
) -> None:
    import datetime as dt

    from qsrkit.crm import engine
    from qsrkit.crm import metrics as crm_metrics
    from qsrkit.plan.fiscal import FiscalCalendar

    header, body = HISTORY.split("\n", 1)
    export = write(in_tmp, "export.csv", header + "\n" + body * 30)

    def compute() -> list[dict[str, Any]]:
        found = crm_metrics.compute(export, calendar=FiscalCalendar(), quarter="2026-Q4",
                                    as_of=dt.date(2026, 10, 5), trailing=3)
        return [r.as_json() for r in found.reps]

    serial = compute()
    # 30 copies: 300 won of 900 decided, still 33.3% and 1,800.
    assert serial[0]["trailing"]["opportunities_won"] == 300
    # The careful path (the csv module's pass and a clean copy, taken for a footer, a bad row or
    # a Windows-1252 file) must add up exactly what DuckDB's own reading of the file does.
    load = engine.load
    careful: list[bool] = []

    def always_careful(*args: Any, **kwargs: Any) -> engine.Table:
        table = load(*args[:7], True)
        careful.append(table.careful)
        return table

    monkeypatch.setattr(engine, "load", always_careful)
    assert compute() == serial
    assert careful == [True]
