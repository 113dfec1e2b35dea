"""`qsrkit metrics` and `qsrkit new --crm`: every number worked out by hand on tiny exports.

The quarter planned is 2026-Q4 (calendar year), as of 2026-10-05, so the previous quarter is
2026-Q3: 1 July to 30 September, 92 days, 92/7 weeks. Weeks to work: 5 Oct to 31 Dec is 88
days, 88/7 = 12.57 -> 12.6.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

AS_OF = ("--as-of", "2026-10-05")

SALESFORCE = """\
Opportunity Owner,Opportunity Name,Stage,Amount,Created Date,Close Date,Forecast Category,Push Count
Ada Lovelace,A1,Closed Won,10000.00,7/1/2026,7/31/2026,Closed,0
Ada Lovelace,A2,Closed Won,"20,000.50",6/1/2026,8/20/2026,Closed,1
Ada Lovelace,A3,Closed Lost,5000,7/15/2026,9/1/2026,Omitted,0
Ada Lovelace,A4,Closed Lost,7000,8/1/2026,9/30/2026,Omitted,0
Ada Lovelace,"A5, big",Negotiation/Review,30000,9/10/2026,11/15/2026,Commit,2
Ada Lovelace,A6,Prospecting,12000,9/20/2026,12/31/2026,Pipeline,0
Ada Lovelace,A7,Closed Won,4000,8/5/2026,10/2/2026,Closed,0
Ada Lovelace,A8,Closed Won,9999,9/1/2026,10/20/2026,Closed,0
Ada Lovelace,A9,Qualification,8000,9/1/2026,1/15/2027,Pipeline,0
Ada Lovelace,A10,Negotiation/Review,2500,5/1/2026,9/15/2026,Commit,3
Bob Stone,B1,Prospecting,5000,7/10/2026,11/1/2026,Pipeline,0
"""


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def metrics_json(run: Any, *args: Any) -> dict[str, Any]:
    result = run("metrics", *args, *AS_OF, "--json")
    assert result.exit_code == 0, result
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def rep(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in data["reps"] if r["rep"] == name)


def test_every_metric_worked_by_hand(run: Any, in_tmp: Path) -> None:
    data = metrics_json(run, write(in_tmp, "export.csv", SALESFORCE))
    assert data["layout"] == "Salesforce opportunities report"
    assert (data["quarter"], data["previous_quarter"], data["rows"]) == ("2026-Q4", "2026-Q3", 11)
    ada = rep(data, "Ada Lovelace")
    prev, now = ada["previous_quarter"], ada["current_quarter"]
    # Won in Q3: A1 (10,000, 30 days) and A2 (20,000.50, 1 June -> 20 Aug = 80 days).
    assert prev["actual_revenue"] == 30000.5
    assert prev["opportunities_won"] == 2
    # Lost in Q3: A3 and A4. Win rate 2 / (2 + 2) = 50%. A10 is open, so it is not decided.
    assert prev["opportunities_lost"] == 2
    assert prev["win_rate"] == 0.5  # a fraction, as calc --json gives it
    # 30,000.50 / 2 = 15,000.25: an estimate, so whole currency units.
    assert prev["average_deal_size"] == 15000
    assert prev["average_days_to_win"] == 55  # (30 + 80) / 2
    # Created in Q3: A1, A3-A9 = 8 opportunities worth 85,999; per week: x 7 / 92.
    assert prev["opportunities_created"] == 8
    assert prev["pipeline_created"] == 85999  # a sum of amounts: to the cent
    assert prev["weekly_opportunities"] == 0.6  # 56 / 92 = 0.609
    assert prev["weekly_pipeline"] == 6543  # 601,993 / 92 = 6,543.402, in whole units
    # Current quarter: A7 won on 2 Oct (A8's 20 Oct is after the as-of date); open A5 + A6.
    assert now["closed_won"] == 4000
    assert now["open_pipeline"] == 42000
    assert now["open_opportunities"] == 2
    assert now["commit_pipeline"] == 30000
    assert now["multi_pushed_open"] == 1  # A5 (A10 closes in Q3, not this quarter)
    assert now["weeks_to_work"] == 12.6


def test_a_rep_with_no_closed_deals_gets_blanks_not_a_division_by_zero(run: Any, in_tmp: Path) -> None:
    data = metrics_json(run, write(in_tmp, "export.csv", SALESFORCE), "--rep", "bob stone")
    bob = data["reps"][0]
    assert bob["rep"] == "Bob Stone"
    prev = bob["previous_quarter"]
    assert (prev["actual_revenue"], prev["opportunities_won"], prev["opportunities_lost"]) == (0, 0, 0)
    assert prev["win_rate"] is None
    assert prev["average_deal_size"] is None
    assert prev["average_days_to_win"] is None
    assert prev["weekly_opportunities"] == 0.1  # 7 / 92 = 0.076
    assert prev["weekly_pipeline"] == 380  # 5,000 x 7 / 92 = 380.434, in whole units
    assert bob["current_quarter"]["open_pipeline"] == 5000

    result = run("new", "--crm", in_tmp / "export.csv", "--rep", "Bob Stone", *AS_OF)
    assert result.exit_code == 0, result
    text = (in_tmp / "bob-stone-2026-Q4.yaml").read_text()
    assert "win_rate:  # percent of decided opportunities you won\n      goal:\n      actual:\n" in text
    assert "average amount of a won deal\n      goal:\n      actual:\n" in text
    assert "actual_revenue: 0  # from export.csv (CRM), 2026-Q3" in text
    assert run("check", in_tmp / "bob-stone-2026-Q4.yaml").exit_code == 0


def test_the_table_shows_every_rep(run: Any, in_tmp: Path) -> None:
    result = run("metrics", write(in_tmp, "export.csv", SALESFORCE), *AS_OF)
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert "Previous quarter 2026-Q3; 2026-Q4 as of 2026-10-05" in lines[0]
    ada = next(line for line in lines if line.startswith("Ada Lovelace"))
    # Revenue is a sum of amounts (cents kept); the deal size an estimate (30,000.50 / 2 in
    # whole units), both rates marked * as they rest on 2 won of 4 decided.
    assert "$30,000.50" in ada and "50.0%*" in ada and "$15,000*" in ada and "55.0" in ada
    bob = next(line for line in lines if line.startswith("Bob Stone"))
    assert "%" not in bob  # no win rate


def test_new_crm_fills_in_the_answers_with_their_source_and_check_accepts_them(
    run: Any, in_tmp: Path
) -> None:
    export = write(in_tmp, "export.csv", SALESFORCE)
    quotas = write(in_tmp, "quotas.csv", "rep,quarter,quota\nAda Lovelace,2026-Q3,60000\n"
                   "Ada Lovelace,Q4 2026,\"65,000\"\n")
    result = run("new", "--crm", export, "--rep", "Ada Lovelace", "--quotas", quotas, *AS_OF)
    assert result.exit_code == 0, result
    path = in_tmp / "ada-lovelace-2026-Q4.yaml"
    text = path.read_text()
    assert "actual_revenue: 30000.5  # from export.csv (CRM), 2026-Q3" in text
    assert "quota: 60000  # from quotas.csv, 2026-Q3" in text
    assert "quota: 65000  # from quotas.csv, 2026-Q4" in text
    assert "actual: 50  # from export.csv (CRM), 2026-Q3: 2 won of 4 decided" in text
    assert "average days to win 55" in text
    assert "closed_won: 4000  # from export.csv (CRM), 2026-Q4 as of 2026-10-05" in text
    assert "open_pipeline: 42000" in text
    assert "weeks_to_work: 12.6" in text
    assert "as_of: 2026-10-05" in text
    assert run("check", path).exit_code == 0

    from qsrkit.answers.loading import load_answers

    model = load_answers(path).model
    metrics = model.previous_quarter.metrics
    assert str(metrics.actual_revenue) == "30000.5"
    assert str(metrics.win_rate.actual) == "50"
    assert metrics.opportunities_won.actual == 2
    assert str(metrics.average_deal_size.actual) == "15000"  # 15,000.25 in whole units
    assert str(metrics.weekly_opportunities.actual) == "0.6"
    assert str(metrics.weekly_pipeline.actual) == "6543"  # 6,543.402 in whole units
    calc = run("calc", path, "--json")  # the calculator needs nothing typed
    assert calc.exit_code == 0, calc


HUBSPOT = """\
Record ID,Deal Name,Deal Stage,Amount,Create Date,Close Date,Deal owner,Is Closed Won,Is Deal Closed?
1,D1,Closed won,1200,2026-07-02 09:15,2026-08-03 16:40,Chen Wei,true,true
2,D2,Contract sent,800,2026-07-20 11:00,2026-09-29 10:00,Chen Wei,false,true
3,D3,Appointment scheduled,500,2026-08-01 08:00,2026-11-30 12:00,Chen Wei,false,false
"""


def test_hubspot_export_is_recognised_from_its_header(run: Any, in_tmp: Path) -> None:
    data = metrics_json(run, write(in_tmp, "deals.csv", HUBSPOT))
    assert data["layout"] == "HubSpot deals export"
    chen = rep(data, "Chen Wei")
    # D2's stage is not "closed lost", but the flags say closed and not won: lost.
    assert chen["previous_quarter"]["win_rate"] == 0.5
    assert chen["previous_quarter"]["average_days_to_win"] == 32  # 2 Jul -> 3 Aug
    assert chen["current_quarter"]["open_pipeline"] == 500
    assert chen["current_quarter"]["commit_pipeline"] is None  # no forecast column


def test_mapping_file_semicolons_cp1252_decimal_commas_and_day_first_dates(
    run: Any, in_tmp: Path
) -> None:
    export = write(in_tmp, "export.csv", (
        "Verkäufer;Phase;Betrag;Angelegt;Abschluss\n"
        "José Núñez;Gewonnen;1.234,50;01/07/2026;02/08/2026\n"
        "José Núñez;Verloren;100;03/07/2026;04/09/2026\n"
        "José Núñez;Verloren;100;05/07/2026;06/09/2026\n"
        "José Núñez;Entwurf;999,99;07/07/2026;08/08/2026\n"
        "José Núñez;Angebot;2.000;09/09/2026;10/11/2026\n"
    ), encoding="cp1252")
    columns = write(in_tmp, "map.yaml", (
        "owner: Verkäufer\namount: Betrag\ncreated: Angelegt\nclose: Abschluss\nstage: Phase\n"
        "date_format: DD/MM/YYYY\nwon_stages: [Gewonnen]\nlost_stages: [Verloren]\n"
        "unqualified_stages: [Entwurf]\n"
    ))
    data = metrics_json(run, export, "--columns", columns)
    jose = rep(data, "José Núñez")
    prev = jose["previous_quarter"]
    assert prev["actual_revenue"] == 1234.5
    assert prev["win_rate"] == 0.333  # 1 of 3 is 33.3%, a fraction to 3 places
    assert prev["average_days_to_win"] == 32  # 1 Jul -> 2 Aug
    # Created in Q3 and qualified: all but the Entwurf one; 1,234.50 + 100 + 100 + 2,000.
    assert prev["opportunities_created"] == 4
    assert prev["weekly_pipeline"] == 261  # 3,434.50 x 7 / 92 = 261.3206, in whole units
    assert prev["weekly_opportunities"] == 0.3  # 4 x 7 / 92 = 0.304
    assert jose["current_quarter"]["open_pipeline"] == 2000


def test_utf8_bom_and_day_first_dates_found_from_the_data(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", "\ufeff" + (
        "Opportunity Owner,Stage,Amount,Created Date,Close Date\n"
        "Zoë,Closed Won,100,1/7/2026,2/8/2026\n"
        "Zoë,Closed Won,100,15/7/2026,20/8/2026\n"
    ))
    zoe = rep(metrics_json(run, export), "Zoë")
    assert zoe["previous_quarter"]["opportunities_won"] == 2
    # Read as day-first: 1 Jul -> 2 Aug is 32 days, 15 Jul -> 20 Aug is 36: mean 34.
    assert zoe["previous_quarter"]["average_days_to_win"] == 34


def test_salesforce_footer_lines_are_not_opportunities(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", SALESFORCE + '\n""\n"Grand Totals (11 records)"\n'
                   '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n')
    assert metrics_json(run, export)["rows"] == 11


def test_bad_values_are_all_counted_and_the_first_ten_shown(run: Any, in_tmp: Path) -> None:
    rows = "".join(f"Ada,Closed Won,lots,7/{d}/2026,8/1/2026\n" for d in range(1, 13))
    export = write(in_tmp, "export.csv", "Opportunity Owner,Stage,Amount,Created Date,Close Date\n"
                   + rows + "Ada,Closed Won,5,2/30/2026,8/1/2026\n")
    result = run("metrics", export, *AS_OF)
    assert result.exit_code == 3
    assert "export.csv:2:3: Amount: error: 'lots' is not an amount" in result.stderr
    assert "export.csv:11:3: Amount" in result.stderr
    assert "export.csv:12:3" not in result.stderr
    assert "13 row(s) of 13 could not be read; the first 10 are listed above" in result.stderr


def test_bad_date_names_row_and_column(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", "Opportunity Owner,Stage,Amount,Created Date,Close Date\n"
                   "Ada,Closed Won,5,7/1/2026,8/1/2026\nAda,Closed Won,5,7/1/2026,02/30/2026\n")
    result = run("metrics", export, *AS_OF)
    assert result.exit_code == 3
    assert "export.csv:3:5: Close Date: error: '02/30/2026' is not a date" in result.stderr
    assert "1 row(s) of 2 could not be read" in result.stderr


def test_missing_columns_are_listed_with_the_header(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", "Opportunity Owner,Stage,Amount\nAda,Closed Won,5\n")
    result = run("metrics", export, *AS_OF)
    assert result.exit_code == 3
    assert "'Created Date'" in result.stderr and "'Close Date'" in result.stderr
    assert "The header has: 'Opportunity Owner', 'Stage', 'Amount'" in result.stderr


def test_an_unknown_layout_asks_for_a_mapping_file(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", "Seller,Value\nAda,5\n")
    result = run("metrics", export, *AS_OF)
    assert result.exit_code == 3
    assert "--columns" in result.stderr and "'Seller', 'Value'" in result.stderr


def test_duplicate_headers_ragged_rows_and_empty_files(run: Any, in_tmp: Path) -> None:
    head = "Opportunity Owner,Stage,Amount,Created Date,Close Date"
    doubled = write(in_tmp, "doubled.csv", head + ",Amount\nAda,Closed Won,5,7/1/2026,8/1/2026,6\n")
    result = run("metrics", doubled, *AS_OF)
    assert result.exit_code == 3
    assert "'Amount' (columns 3, 6)" in result.stderr

    ragged = write(in_tmp, "ragged.csv", head + "\nAda,Closed Won,5,7/1/2026,8/1/2026\n"
                   "Ada,Closed Won,1,000,7/1/2026,8/1/2026\n")
    result = run("metrics", ragged, *AS_OF)
    assert result.exit_code == 3
    assert "ragged.csv:3:0: (file): error: has 6 value(s) but the header has 5 columns" in result.stderr

    for name, text in (("empty.csv", ""), ("blank.csv", "\ufeff\n\n")):
        result = run("metrics", write(in_tmp, name, text), *AS_OF)
        assert result.exit_code == 3
        assert f"{name}:0:0: (file): error: the file is empty" in result.stderr

    result = run("metrics", write(in_tmp, "header.csv", head + "\n"), *AS_OF)
    assert result.exit_code == 3
    assert "has a header but no opportunities" in result.stderr


def test_unknown_rep_is_a_usage_error_with_a_suggestion(run: Any, in_tmp: Path) -> None:
    result = run("metrics", write(in_tmp, "export.csv", SALESFORCE), "--rep", "Ada Lovelase", *AS_OF)
    assert result.exit_code == 2
    assert "did you mean 'Ada Lovelace'?" in result.stderr


def test_team_writes_one_checked_file_per_rep_and_skips_existing(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", SALESFORCE)
    result = run("new", "--crm", export, "--team", "team", *AS_OF)
    assert result.exit_code == 0, result
    files = sorted(p.name for p in (in_tmp / "team").glob("*.yaml"))
    assert files == ["ada-lovelace-2026-Q4.yaml", "bob-stone-2026-Q4.yaml"]
    assert run("check", *sorted((in_tmp / "team").glob("*.yaml"))).exit_code == 0

    (in_tmp / "team" / "bob-stone-2026-Q4.yaml").write_text("kept\n")
    again = run("new", "--crm", export, "--team", "team", *AS_OF)
    assert again.exit_code == 0
    assert "skipped team/bob-stone-2026-Q4.yaml" in again.stderr
    assert (in_tmp / "team" / "bob-stone-2026-Q4.yaml").read_text() == "kept\n"
    forced = run("new", "--crm", export, "--team", "team", "--force", *AS_OF)
    assert forced.exit_code == 0
    assert (in_tmp / "team" / "bob-stone-2026-Q4.yaml").read_text() != "kept\n"


def test_team_list_picks_the_reps(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", SALESFORCE)
    team = write(in_tmp, "team.txt", "# our team\nBob Stone\n")
    result = run("new", "--crm", export, "--team", "out", "--team-list", team, *AS_OF)
    assert result.exit_code == 0, result
    assert sorted(p.name for p in (in_tmp / "out").glob("*.yaml")) == ["bob-stone-2026-Q4.yaml"]


def test_a_team_list_name_that_owns_nothing_is_refused_with_a_suggestion(
    run: Any, in_tmp: Path
) -> None:
    export = write(in_tmp, "export.csv", SALESFORCE)
    team = write(in_tmp, "team.txt", "# our team\nBob Stone\nAda Lovelase\n")
    result = run("new", "--crm", export, "--team", "out", "--team-list", team, *AS_OF)
    assert result.exit_code == 3
    assert (f"{team}:3:1: (file): error: no opportunities owned by 'Ada Lovelase' in {export}; "
            "did you mean 'Ada Lovelace'?") in result.stderr
    assert not (in_tmp / "out").exists()


def test_nothing_is_written_when_the_export_is_bad(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", "Opportunity Owner,Stage,Amount,Created Date,Close Date\n"
                   "Ada,Closed Won,x,7/1/2026,8/1/2026\n")
    assert run("new", "--crm", export, "--team", "team", *AS_OF).exit_code == 3
    assert not (in_tmp / "team").exists()
    assert run("new", "--crm", export, "--rep", "Ada", *AS_OF).exit_code == 3
    assert not list(in_tmp.glob("*.yaml"))


def test_crm_options_need_crm(run: Any, in_tmp: Path) -> None:
    assert run("new", "--rep", "Ada", "--as-of", "2026-10-05").exit_code == 2
    assert run("new", "--crm", write(in_tmp, "e.csv", SALESFORCE)).exit_code == 2  # no --rep


def test_the_fast_and_the_careful_path_give_the_same_numbers(monkeypatch: pytest.MonkeyPatch, in_tmp: Path) -> None:
    import datetime as dt

    from qsrkit.crm import engine
    from qsrkit.crm import metrics as crm_metrics
    from qsrkit.plan.fiscal import FiscalCalendar

    # A quoted newline: a record's ordinal is not its line.
    header, body = SALESFORCE.replace('"A5, big"', '"A5\nbig"').split("\n", 1)
    export = write(in_tmp, "export.csv", header + "\n" + body * 40)

    def compute() -> list[dict[str, Any]]:
        found = crm_metrics.compute(export, calendar=FiscalCalendar(), quarter="2026-Q4",
                                    as_of=dt.date(2026, 10, 5))
        return [r.as_json() for r in found.reps]

    serial = compute()
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


@pytest.mark.parametrize("trailing", [1, 3])
def test_one_scan_adds_up_what_the_value_by_value_reading_does(
        monkeypatch: pytest.MonkeyPatch, trailing: int) -> None:
    import datetime as dt

    from qsrkit.crm import metrics as crm_metrics
    from qsrkit.crm import onescan
    from qsrkit.plan.fiscal import FiscalCalendar

    # The example export is all plain (digits, M/D/YYYY), so one scan answers for it; the
    # distinct texts read one by one in Python (`typed`) must give the same figures.
    sums = onescan.sums
    answered: list[bool] = []

    def spy(*args: Any) -> Any:
        found = sums(*args)
        answered.append(found is not None)
        return found

    def compute() -> dict[str, Any]:
        found = crm_metrics.compute(ROOT / "examples" / "crm" / "opportunities.csv",
                                    calendar=FiscalCalendar(), quarter="2026-Q4",
                                    as_of=dt.date(2026, 10, 5), trailing=trailing)
        return {"rows": found.rows, "reps": [r.as_json() for r in found.reps]}

    monkeypatch.setattr(onescan, "sums", spy)
    once = compute()
    monkeypatch.setattr(onescan, "sums", lambda *args: None)
    assert compute() == once
    assert answered == [True]
    assert once["reps"][0]["trailing"]["opportunities_won"] > 0


def test_one_scan_leaves_a_file_with_one_styled_amount_to_the_careful_readers(
        monkeypatch: pytest.MonkeyPatch, in_tmp: Path) -> None:
    import datetime as dt

    from qsrkit.crm import metrics as crm_metrics
    from qsrkit.crm import onescan
    from qsrkit.plan.fiscal import FiscalCalendar

    # The example's "20,000.50" has a thousands separator: not plain, so one scan steps aside
    # for the careful readers; written 20000.50 it is plain, and the numbers are the same.
    styled = write(in_tmp, "styled.csv", SALESFORCE)
    plain = write(in_tmp, "plain.csv", SALESFORCE.replace('"20,000.50"', "20000.50"))
    assert styled.read_text() != plain.read_text()
    answered: list[bool] = []
    sums = onescan.sums

    def spy(*args: Any) -> Any:
        found = sums(*args)
        answered.append(found is not None)
        return found

    monkeypatch.setattr(onescan, "sums", spy)

    def compute(path: Path) -> list[dict[str, Any]]:
        found = crm_metrics.compute(path, calendar=FiscalCalendar(), quarter="2026-Q4",
                                    as_of=dt.date(2026, 10, 5))
        return [r.as_json() for r in found.reps]

    assert compute(styled) == compute(plain)
    assert answered == [False, True]


def test_the_example_export_gives_answers_that_check_and_render(run: Any, in_tmp: Path) -> None:
    crm_dir = ROOT / "examples" / "crm"
    result = run("new", "--crm", crm_dir / "opportunities.csv", "--rep", "Avery Quinn",
                 "--quotas", crm_dir / "quotas.csv", *AS_OF)
    assert result.exit_code == 0, result
    path = in_tmp / "avery-quinn-2026-Q4.yaml"
    assert run("check", path).exit_code == 0
    rendered = run("render", path, "--format", "md")
    assert rendered.exit_code == 0, rendered


def test_previous_names_the_rep_for_crm(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", SALESFORCE)
    last = in_tmp / "last.yaml"
    last.write_text("schema_version: 1\naccount_executive: ada lovelace\nquarter: 2026-Q3\n"
                    "current_quarter:\n  plays:\n    - headline: Land two new logos\n",
                    encoding="utf-8")
    result = run("new", "--crm", export, "--previous", last, *AS_OF)
    assert result.exit_code == 0, result
    text = (in_tmp / "ada-lovelace-2026-Q4.yaml").read_text(encoding="utf-8")
    assert 'account_executive: "Ada Lovelace"' in text  # the export's spelling of the owner
    assert '"Land two new logos"' in text  # carried from --previous
    # Only what came from the export counts as "from the CRM export", not the play from
    # last.yaml: Q3's quarter, revenue, weekly opportunities, weekly pipeline, win rate, deals won
    # and deal size (7); this quarter's win rate and deal size (2); closed won, open pipeline,
    # weeks and as-of (4) = 13. The quotas need --quotas.
    assert "(13 answers from the CRM export)" in result.stdout

    other = run("new", "--crm", export, "--previous", last, "--rep", "Bob Stone", "other.yaml",
                *AS_OF)
    assert other.exit_code == 0, other
    assert ("--rep Bob Stone is not ada lovelace, the account executive of "
            f"{last}; the new file is for Bob Stone") in other.stderr

    nobody = run("new", "--crm", export, *AS_OF)
    assert nobody.exit_code == 2
    assert "--crm needs --rep NAME" in nobody.stderr and "--previous FILE" in nobody.stderr


def test_metrics_shows_quota_attainment_commit_and_pushed_deals(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", SALESFORCE)
    quotas = write(in_tmp, "quotas.csv", "rep,quarter,quota\nAda Lovelace,2026-Q3,60001\n"
                   "Ada Lovelace,2026-Q4,70000\n")
    data = metrics_json(run, export, "--quotas", quotas)
    ada = rep(data, "Ada Lovelace")
    # Q3: won 30,000.50 of a 60,001 quota = 0.5 (to 4 places). Q4 so far: only A7 (4,000, won
    # 2 Oct) is won by the as-of date, 5 Oct (A8 closes 20 Oct): 4,000 / 70,000 = 0.0571.
    assert ada["previous_quarter"]["attainment"] == 0.5
    assert ada["current_quarter"]["attainment"] == 0.0571
    table = run("metrics", export, "--quotas", quotas, *AS_OF).stdout
    header = table.splitlines()[1]
    for column in ("Quota Q-1", "Attained Q-1", "Quota", "Attained", "Commit", "Pushed 2+"):
        assert column in header, column
    ada_line = next(line for line in table.splitlines() if line.startswith("Ada Lovelace"))
    assert "50%" in ada_line and "5.7%" in ada_line and "$70,000" in ada_line
    # Without the optional data, the optional columns are left out rather than blank.
    plain = write(in_tmp, "plain.csv", "Opportunity Owner,Stage,Amount,Created Date,Close Date\n"
                  "Ada Lovelace,Closed Won,10000,7/1/2026,7/31/2026\n")
    bare = run("metrics", plain, *AS_OF).stdout.splitlines()[1]
    assert "Commit" not in bare and "Quota" not in bare and "Pushed" not in bare


def test_an_as_of_far_past_the_exports_newest_opportunity_is_warned_about(
        run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", SALESFORCE)
    # The newest created date in SALESFORCE is 9/20/2026 (A6); 5 Oct is 15 days later.
    late = run("new", "--crm", export, "--rep", "Ada Lovelace", "--as-of", "2026-10-05")
    assert late.exit_code == 0, late
    assert ("the numbers are as of 2026-10-05, but the newest opportunity in "
            f"{export} was created on 2026-09-20, 15 days earlier") in late.stderr
    # 14 days after it is still a normal export-then-plan gap: no warning.
    fresh = run("metrics", export, "--as-of", "2026-10-04")
    assert fresh.exit_code == 0 and "newest opportunity" not in fresh.stderr
