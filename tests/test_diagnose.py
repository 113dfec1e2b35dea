"""`qsrkit diagnose`: every metric worked out by hand on tiny exports and snapshot folders.

As of 2026-10-05 the period is 2026-Q3 (calendar year): 1 July to 30 September 2026. A deal is
decided in Q3 when it was won or lost with a close date in those days.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

AS_OF = ("--as-of", "2026-10-05")

HEADER = ("Opportunity ID,Opportunity Owner,Stage,Amount,Created Date,Close Date,"
          "Forecast Category,Push Count,Industry,Employees,Loss Reason\n")
EXPORT = HEADER + """\
A1,Ada Lovelace,Closed Won,10000,7/1/2026,7/31/2026,Closed,0,Software,500,
A2,Ada Lovelace,Closed Won,20000,6/1/2026,8/20/2026,Closed,2,Software,300,
A3,Ada Lovelace,Closed Lost,5000,7/15/2026,9/1/2026,Omitted,0,Retail,50,No Decision
A4,Ada Lovelace,Closed Lost,7000,8/1/2026,9/30/2026,Omitted,0,Software,1000,Price
A5,Ada Lovelace,Negotiation/Review,30000,9/10/2026,11/15/2026,Commit,1,Software,800,
A6,Ada Lovelace,Prospecting,12000,9/20/2026,12/31/2026,Pipeline,0,Software,800,
A7,Ada Lovelace,Closed Won,4000,8/5/2026,10/2/2026,Closed,0,Software,800,
A8,Ada Lovelace,Closed Lost,3000,3/1/2026,4/15/2026,Omitted,0,Software,800,Price
B1,Bob Stone,Prospecting,5000,7/10/2026,11/1/2026,Pipeline,0,Retail,20,
C1,Cy Young,Closed Won,2000,7/1/2026,7/11/2026,Closed,0,Retail,50,
C2,Cy Young,Closed Lost,1000,7/1/2026,7/21/2026,Omitted,0,Retail,50,Went dark
"""
ICP_CONFIG = "icp:\n  industry: [Software]\n  employees: {min: 200}\n"

SNAP_HEADER = "Opportunity ID,Opportunity Owner,Stage,Amount,Close Date,Forecast Category\n"
SNAPSHOTS = {
    "2026-03-02.csv": "A2,Ada Lovelace,Prospecting,20000,3/31/2026,Pipeline\n",
    "2026-04-06.csv": "A2,Ada Lovelace,Prospecting,20000,6/15/2026,Pipeline\n",
    "2026-07-06.csv": ("A2,Ada Lovelace,Proposal/Price Quote,20000,8/20/2026,Best Case\n"
                       "A1,Ada Lovelace,Proposal/Price Quote,10000,7/31/2026,Pipeline\n"),
    "pipeline-2026-07-27.csv": ("A1,Ada Lovelace,Proposal/Price Quote,10000,7/31/2026,Commit\n"
                                "A4,Ada Lovelace,Proposal/Price Quote,7000,9/30/2026,Pipeline\n"),
    "2026-09-07.csv": ("A4,Ada Lovelace,Negotiation/Review,7000,9/30/2026,Commit\n"
                       "A5,Ada Lovelace,Prospecting,30000,9/25/2026,Pipeline\n"
                       "A7,Ada Lovelace,Qualification,4000,9/28/2026,Pipeline\n"
                       "A6,Ada Lovelace,Prospecting,12000,12/31/2026,Commit\n"),
}


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def snapshots(folder: Path) -> Path:
    for name, rows in SNAPSHOTS.items():
        write(folder / "snaps", name, SNAP_HEADER + rows)
    return folder / "snaps"


def diagnose_json(run: Any, *args: Any) -> dict[str, Any]:
    result = run("diagnose", *args, *AS_OF, "--json")
    assert result.exit_code == 0, result
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def rep(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in data["reps"] if r["rep"] == name)


def test_every_snapshot_only_metric_worked_by_hand(run: Any, in_tmp: Path) -> None:
    write(in_tmp, "qsrkit.yaml", ICP_CONFIG)
    data = diagnose_json(run, write(in_tmp, "export.csv", EXPORT))
    assert data["period"] == {"first_quarter": "2026-Q3", "last_quarter": "2026-Q3"}
    assert data["history"] is None and data["as_of"] == "2026-10-05"
    ada = rep(data, "Ada Lovelace")
    m = ada["metrics"]
    # Decided in Q3: A1 and A2 won, A3 and A4 lost (A7 closes 2 Oct, A8 in April): 2 / 4.
    assert m["win_rate"] == 0.5
    # Scheduled, from the push count column: A5 was created by 30 Sep, closes after it and was
    # pushed once, so it is a push; A6 (no push) and A7 (no push) are not. 2 / (2 + 1).
    assert m["scheduled_win_rate"] == 0.6667
    # Commits need history.
    assert m["commit_win_rate"] is None
    # ICP = Software with 200+ employees: A1, A2 (won) and A4 (lost) are inside: 2 / 3;
    # A3 (Retail, 50) is outside and lost: 0 / 1.
    assert m["icp_win_rate"] == 0.6667
    assert m["outside_icp_win_rate"] == 0.0
    # Days: A1 1 Jul -> 31 Jul = 30, A2 1 Jun -> 20 Aug = 80: 55. A3 15 Jul -> 1 Sep = 48,
    # A4 1 Aug -> 30 Sep = 60: 54.
    assert (m["avg_days_to_win"], m["avg_days_to_lose"]) == (55.0, 54.0)
    # Pushed twice or more among A1-A4 and the open A5, A6: A2 (push count 2).
    assert m["multi_pushes"] == 1
    # A3 was lost to "No Decision"; A4 to price.
    assert m["no_decision_losses"] == 1
    assert m["asp"] == 15000.0  # (10,000 + 20,000) / 2
    assert m["stage_win_rates"] is None
    assert ada["samples"] == {"decided": 4, "won": 2, "lost": 2, "scheduled": 3,
                              "committed": 0, "icp_decided": 3}
    assert ada["flags"] == []  # 4 decided deals: below the minimum of 10


def test_a_rep_with_no_closed_deals_and_one_outside_the_icp(run: Any, in_tmp: Path) -> None:
    write(in_tmp, "qsrkit.yaml", ICP_CONFIG)
    data = diagnose_json(run, write(in_tmp, "export.csv", EXPORT))
    bob = rep(data, "Bob Stone")["metrics"]
    # B1 is open: nothing decided, so every rate and average is unknown, not 0.
    assert bob["win_rate"] is None and bob["avg_days_to_win"] is None and bob["asp"] is None
    assert bob["scheduled_win_rate"] is None  # no wins and no pushes
    assert bob["multi_pushes"] == 0
    cy = rep(data, "Cy Young")
    # Cy's two deals are Retail, 50 employees: nothing inside the ICP.
    assert cy["metrics"]["icp_win_rate"] is None
    assert cy["metrics"]["outside_icp_win_rate"] == 0.5
    assert cy["samples"]["icp_decided"] == 0
    # "Went dark" is one of the default no-decision reasons.
    assert cy["metrics"]["no_decision_losses"] == 1
    # The team: the median over the reps who have the figure (Bob has none).
    team = data["team"]
    assert team["win_rate"] == 0.5  # Ada 0.5, Cy 0.5
    assert team["avg_days_to_win"] == 32.5  # Ada 55, Cy 10 (1 -> 11 Jul)
    assert team["asp"] == 8500.0  # 15,000 and 2,000
    assert team["multi_pushes"] == 0  # Ada 1, Bob 0, Cy 0


def test_history_a_deal_pushed_twice_then_won_and_a_commit_that_was_lost(
        run: Any, in_tmp: Path) -> None:
    write(in_tmp, "qsrkit.yaml", ICP_CONFIG)
    export = write(in_tmp, "export.csv", EXPORT)
    data = diagnose_json(run, export, "--history", snapshots(in_tmp), "--rep", "ada lovelace")
    assert data["history"] == {"snapshots": 5, "first": "2026-03-02", "last": "2026-09-07"}
    ada = data["reps"][0]
    m = ada["metrics"]
    # Pushes out of Q3 by the snapshots: A5 was due 25 Sep, now 15 Nov; A7 was due 28 Sep, won
    # 2 Oct. Wins 2: 2 / (2 + 2).
    assert m["scheduled_win_rate"] == 0.5
    # In Commit with a Q3 close date: A1 (won 31 Jul) and A4 (lost 30 Sep); A6 was committed
    # for 31 Dec, outside Q3. 1 / 2.
    assert m["commit_win_rate"] == 0.5
    # A2 was due 31 Mar, then 15 Jun, then 20 Aug: out of Q1 and out of Q2, then won.
    assert m["multi_pushes"] == 1
    # Reached by the decided deals: Prospecting A2 (won): 1/1; Proposal A1 (won), A2 (won),
    # A4 (lost): 2/3; Negotiation A4: 0/1. In funnel order: A2 went Prospecting -> Proposal,
    # A4 Proposal -> Negotiation.
    assert list(m["stage_win_rates"].items()) == [
        ("Prospecting", 1.0), ("Proposal/Price Quote", 0.6667), ("Negotiation/Review", 0.0)]
    assert ada["samples"]["committed"] == 2 and ada["samples"]["scheduled"] == 4


def test_an_export_without_the_optional_columns(run: Any, in_tmp: Path) -> None:
    write(in_tmp, "qsrkit.yaml", ICP_CONFIG)
    plain = write(in_tmp, "plain.csv", "Opportunity Owner,Stage,Amount,Created Date,Close Date\n"
                  "Ada Lovelace,Closed Won,10000,7/1/2026,7/31/2026\n"
                  "Ada Lovelace,Closed Lost,5000,7/15/2026,9/1/2026\n")
    m = diagnose_json(run, plain)["reps"][0]["metrics"]
    assert m["win_rate"] == 0.5 and m["asp"] == 10000.0
    for name in ("scheduled_win_rate", "commit_win_rate", "icp_win_rate", "outside_icp_win_rate",
                 "multi_pushes", "no_decision_losses", "stage_win_rates"):
        assert m[name] is None, name
    table = run("diagnose", plain, *AS_OF).stdout
    assert "needs history or a push count column" in table
    assert "needs the industry, employees column(s) the ICP rules name" in table
    assert "needs a loss reason column" in table
    assert "Win rate, commits" in table and "needs history" in table


def test_quarters_pools_the_last_n_quarters(run: Any, in_tmp: Path) -> None:
    data = diagnose_json(run, write(in_tmp, "export.csv", EXPORT), "--quarters", "2")
    assert data["period"] == {"first_quarter": "2026-Q2", "last_quarter": "2026-Q3"}
    # Q2 adds A8, lost 15 Apr: 2 won of 5 decided.
    assert rep(data, "Ada Lovelace")["metrics"]["win_rate"] == 0.4


def deals(owner: str, prefix: str, rows: list[tuple[str, int, str, str]]) -> str:
    return "".join(f"{prefix}{i},{owner},{stage},{amount},{created},{close},,0,Software,500,\n"
                   for i, (stage, amount, created, close) in enumerate(rows))


def flag_team() -> str:
    # Sam: 4 won in 10 days, 1 lost: win rate 80%, days to win 10. Nora and Olga: 4 won and 4
    # lost, 60 days each. Team median days to win: 10, 60, 60 -> 60; 10 <= 50% of 60.
    sam = deals("Sam Bag", "S", [("Closed Won", 5000, "7/1/2026", "7/11/2026")] * 4
                + [("Closed Lost", 5000, "7/1/2026", "7/21/2026")])
    steady = [("Closed Won", 5000, "7/1/2026", "8/30/2026")] * 4 + \
        [("Closed Lost", 5000, "7/1/2026", "8/30/2026")] * 4
    return HEADER + sam + deals("Nora Even", "N", steady) + deals("Olga Even", "O", steady)


def test_a_sandbagger_is_a_question_not_a_verdict(run: Any, in_tmp: Path) -> None:
    write(in_tmp, "qsrkit.yaml", "thresholds:\n  min_decided: 5\n")
    data = diagnose_json(run, write(in_tmp, "export.csv", flag_team()))
    sam = rep(data, "Sam Bag")
    assert [f["tendency"] for f in sam["flags"]] == ["sandbagger"]
    flag = sam["flags"][0]
    assert flag["because"][0] == ("Won deals took 10 days from creation to close; the team's "
                                  "median is 60.")
    assert flag["because"][1] == "4 of 5 decided deals were won (80%; team median 50%)."
    assert 2 <= len(flag["questions"]) <= 3
    assert rep(data, "Nora Even")["flags"] == []
    # The default minimum sample is 10 decided deals: with it, nothing is flagged, and the
    # table says why.
    (in_tmp / "qsrkit.yaml").unlink()
    table = run("diagnose", in_tmp / "export.csv", *AS_OF, "--rep", "Sam Bag").stdout
    assert "Nothing flagged: 5 decided deal(s) in 2026-Q3, fewer than the 10 needed" in table


def test_sales_ops_reword_the_tendencies(run: Any, in_tmp: Path) -> None:
    from importlib import resources

    ours = resources.files("qsrkit.templates").joinpath("tendencies.yaml").read_text("utf-8")
    write(in_tmp, "words/tendencies.yaml", ours.replace("Deals appear late and close fast",
                                                        "Late entries, quick wins"))
    write(in_tmp, "qsrkit.yaml", "templates: words\nthresholds:\n  min_decided: 5\n")
    export = write(in_tmp, "export.csv", flag_team())
    result = run("diagnose", export, *AS_OF, "--rep", "Sam Bag")
    assert "To explore: Late entries, quick wins (sandbagger)" in result.stdout
    write(in_tmp, "words/tendencies.yaml", ours.replace("{days_to_win} days", "{days_to_wn} days"))
    bad = run("diagnose", export, *AS_OF)
    assert bad.exit_code == 3
    assert "tendencies.yaml:" in bad.stderr and "{days_to_wn} is not a figure" in bad.stderr


def test_coaching_notes_in_word_a_page_per_rep(run: Any, in_tmp: Path) -> None:
    import docx

    write(in_tmp, "qsrkit.yaml", "thresholds:\n  min_decided: 5\n")
    export = write(in_tmp, "export.csv", flag_team())
    result = run("diagnose", export, *AS_OF, "-o", "notes.docx")
    assert result.exit_code == 0, result
    document = docx.Document(io.BytesIO((in_tmp / "notes.docx").read_bytes()))
    headings = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [h.text for h in headings] == ["Nora Even", "Olga Even", "Sam Bag"]
    assert [bool(h.paragraph_format.page_break_before) for h in headings] == [False, True, True]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "To explore: Deals appear late and close fast" in text
    assert "Won deals took 10 days from creation to close; the team's median is 60." in text
    first = document.tables[0]
    assert [c.text for c in first.rows[1].cells] == ["Win rate", "50% (4 of 8)", "50%"]
    # An existing file is not replaced without --force; md and html come from the same text.
    assert run("diagnose", export, *AS_OF, "-o", "notes.docx").exit_code == 4
    assert run("diagnose", export, *AS_OF, "-o", "notes.docx", "--force").exit_code == 0
    assert run("diagnose", export, *AS_OF, "--format", "md", "-o", "notes.md").exit_code == 0
    assert "| Win rate | 80% (4 of 5) | 50% |" in (in_tmp / "notes.md").read_text("utf-8")
    assert run("diagnose", export, *AS_OF, "-f", "html", "-o", "notes.html").exit_code == 0
    assert "<h2>Sam Bag</h2>" in (in_tmp / "notes.html").read_text("utf-8")


@pytest.mark.parametrize(("case", "code", "expected"), [
    ("bad-date-name", 3, "2026-13-40.csv:0:0: (file): error: the file name holds 2026-13-40, which is "
     "not a day on the calendar"),
    ("empty-history", 3, "holds no snapshot exports (.csv files)"),
    ("missing-column", 3, "columns that a Salesforce opportunities report needs are missing: "
     "'Close Date'"),
    ("snapshot-without-id", 3, "a snapshot needs the opportunity id column"),
    ("same-date", 3, "has the same date (2026-09-07) as"),
    ("bad-close-in-snapshot", 3, "2026-09-07.csv:2:5: Close Date: error: '31/31/2026' is not a "
     "date"),
    ("export-without-id", 3, "--history follows deals by their opportunity id"),
    ("unknown-rep", 2, "did you mean 'Ada Lovelace'?"),
    ("zero-quarters", 2, "--quarters 0: give 1 to 8 quarters"),
])
def test_bad_inputs_get_located_errors(run: Any, in_tmp: Path, case: str, code: int,
                                       expected: str) -> None:
    export = write(in_tmp, "export.csv", EXPORT)
    folder = snapshots(in_tmp)
    args: list[Any] = [export, "--history", folder]
    if case == "bad-date-name":
        write(folder, "2026-13-40.csv", SNAP_HEADER + "A1,Ada,Prospecting,1,7/31/2026,Pipeline\n")
    elif case == "empty-history":
        args = [export, "--history", in_tmp / "empty"]
        (in_tmp / "empty").mkdir()
    elif case == "missing-column":
        args = [write(in_tmp, "x.csv", "Opportunity Owner,Stage,Amount,Created Date\n"
                      "Ada,Closed Won,1,7/1/2026\n")]
    elif case == "snapshot-without-id":
        write(folder, "2026-09-14.csv", "Opportunity Owner,Close Date\nAda,9/30/2026\n")
    elif case == "same-date":
        write(folder, "copy-2026-09-07.csv", SNAP_HEADER + SNAPSHOTS["2026-09-07.csv"])
    elif case == "bad-close-in-snapshot":
        write(folder, "2026-09-07.csv", SNAP_HEADER + "A4,Ada,Prospecting,1,31/31/2026,Commit\n")
    elif case == "export-without-id":
        args = [write(in_tmp, "noid.csv", EXPORT.replace("Opportunity ID", "Ref")), "--history",
                folder]
    elif case == "unknown-rep":
        args = [export, "--rep", "Ada Lovelance"]
    elif case == "zero-quarters":
        args = [export, "--quarters", "0"]
    result = run("diagnose", *args, *AS_OF)
    assert result.exit_code == code, result
    assert expected in result.stderr, result.stderr


def test_a_history_report_dates_each_row(run: Any, in_tmp: Path) -> None:
    # Salesforce's opportunity history report: one file, a row per change, dated in its Edit
    # Date column, in any order. A2's close dates by date: 31 Mar, 15 Jun, 20 Aug (won): out
    # of Q1 and out of Q2. A5 was due 25 Sep and is now due 15 Nov: a push out of Q3.
    report = write(in_tmp, "history/report.csv",
                   "Opportunity ID,Edit Date,Stage,Close Date\n"
                   "A2,7/6/2026,Proposal/Price Quote,8/20/2026\n"
                   "A5,9/7/2026,Prospecting,9/25/2026\n"
                   "A2,3/2/2026,Prospecting,3/31/2026\n"
                   "A2,4/6/2026,Prospecting,6/15/2026\n")
    data = diagnose_json(run, write(in_tmp, "export.csv", EXPORT), "--history", report.parent,
                         "--rep", "Ada Lovelace")
    assert data["history"] == {"snapshots": 4, "first": "2026-03-02", "last": "2026-09-07"}
    m = data["reps"][0]["metrics"]
    assert m["multi_pushes"] == 1  # A2
    # Wins A1, A2; the one push seen is A5 (A7 has no history here): 2 / (2 + 1).
    assert m["scheduled_win_rate"] == 0.6667
    # No forecast category in the report: commits cannot be worked out.
    assert m["commit_win_rate"] is None
    # Stages: A2 reached Prospecting, then Proposal; both won (A1 and A4 are not in it).
    assert m["stage_win_rates"] == {"Prospecting": 1.0, "Proposal/Price Quote": 1.0}


def test_days_to_win_and_to_lose_by_revenue_tier_in_the_json(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", EXPORT)
    result = run("diagnose", export, *AS_OF, "--json")
    assert result.exit_code == 0, result
    ada = next(r for r in json.loads(result.stdout)["reps"] if r["rep"] == "Ada Lovelace")
    # Ada's Q3 decisions, by the default tiers (Small below 10,000, Mid-size below 50,000):
    # Small: A3 lost in 48 days (7/15 -> 9/1), A4 lost in 60 (8/1 -> 9/30): to lose 54.0.
    # Mid-size: A1 won in 30 days (7/1 -> 7/31; 10,000 is not below 10,000), A2 won in 80
    # (6/1 -> 8/20): to win 55.0. Large: nothing decided.
    assert ada["days_by_tier"] == [
        {"tier": "Small", "won": 0, "lost": 2, "avg_days_to_win": None, "avg_days_to_lose": 54.0},
        {"tier": "Mid-size", "won": 2, "lost": 0, "avg_days_to_win": 55.0,
         "avg_days_to_lose": None},
        {"tier": "Large", "won": 0, "lost": 0, "avg_days_to_win": None, "avg_days_to_lose": None},
    ]


def test_the_generator_writes_the_same_export_with_or_without_snapshots(in_tmp: Path) -> None:
    import sys

    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "examples" / "crm"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    # The snapshots are an extra output, not an input to the export: 300 deals either way.
    generate.generate(in_tmp / "alone.csv", rows=300, reps=6, seed=7)
    generate.generate(in_tmp / "with.csv", rows=300, reps=6, seed=7, snapshots=in_tmp / "weeks")
    assert (in_tmp / "alone.csv").read_bytes() == (in_tmp / "with.csv").read_bytes()
    assert len(list((in_tmp / "weeks").iterdir())) == 13
    assert (in_tmp / "alone.csv").read_text().count("\n") == 300 + 2  # header, the planted deal


def test_a_snapshot_locates_each_bad_row_by_its_line(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", EXPORT)
    folder = snapshots(in_tmp)
    # Line 2-3 is one record (a quoted line break in the owner), line 4 has a value too many,
    # line 5 a date that is no day; a row without an id (line 6) is no deal, whatever it holds.
    write(folder, "2026-09-07.csv", SNAP_HEADER
          + 'A4,"Ada\nLovelace",Prospecting,1,9/30/2026,Commit\n'
          + "A5,Ada,Prospecting,1,9/30/2026,Commit,extra\n"
          + "A6,Ada,Prospecting,1,2/30/2026,Commit\n"
          + ",Ada,Prospecting,1,not a date,Commit\n")
    result = run("diagnose", export, "--history", folder, *AS_OF)
    assert result.exit_code == 3, result
    assert "2026-09-07.csv:4:0: (file): error: has 7 value(s) but the header has 6" in result.stderr
    assert "2026-09-07.csv:5:5: Close Date: error: '2/30/2026' is not a date" in result.stderr
    assert ":6:" not in result.stderr


@pytest.mark.parametrize("odd_one_out", ["semicolons", "a deal twice", "a stage spelt twice"])
def test_one_odd_snapshot_file_gives_the_same_figures(run: Any, in_tmp: Path,
                                                      odd_one_out: str) -> None:
    # A folder of one report's weekly exports is read in one query; a folder where one file
    # differs is read file by file. The figures must not depend on which.
    export = write(in_tmp, "export.csv", EXPORT)
    same = diagnose_json(run, export, "--history", snapshots(in_tmp))
    ada = rep(same, "Ada Lovelace")["metrics"]
    # As worked out in test_history_a_deal_pushed_twice_then_won_and_a_commit_that_was_lost.
    assert (ada["multi_pushes"], ada["commit_win_rate"]) == (1, 0.5)
    odd = in_tmp / "snaps" / "2026-07-06.csv"
    rows = SNAPSHOTS["2026-07-06.csv"]
    if odd_one_out == "semicolons":
        odd.write_text((SNAP_HEADER + rows).replace(",", ";"), encoding="utf-8")
    elif odd_one_out == "a deal twice":  # the same row again changes nothing
        odd.write_text(SNAP_HEADER + rows + rows.splitlines(keepends=True)[0], encoding="utf-8")
    else:  # one stage, two spellings; an earlier file (7/6) has named it already
        odd = in_tmp / "snaps" / "pipeline-2026-07-27.csv"
        rows = SNAPSHOTS[odd.name].replace("Proposal/Price Quote", "proposal/price  quote", 1)
        odd.write_text(SNAP_HEADER + rows, encoding="utf-8")
    other = diagnose_json(run, export, "--history", in_tmp / "snaps")
    assert json.dumps(other) == json.dumps(same)  # the stages in the same (funnel) order too
