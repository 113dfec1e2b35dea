"""`qsrkit pipeline diff`: a hand-worked diff whose totals reconcile, both ways of matching deals,
and located errors for bad inputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HEADER = "Opportunity Owner,Opportunity Name,Stage,Amount,Close Date,Created Date,Opportunity ID\n"
OLD = HEADER + """\
Avery Quinn,D1,Prospecting,10000,11/15/2026,9/1/2026,ID1
Avery Quinn,D2,Qualification,20000,12/1/2026,9/1/2026,ID2
Avery Quinn,D3,Prospecting,5000,12/10/2026,9/2/2026,ID3
Avery Quinn,D4,Prospecting,8000,2/1/2027,9/3/2026,ID4
Avery Quinn,D5,Prospecting,12000,11/1/2026,9/4/2026,ID5
Avery Quinn,D6,Negotiation,9000,11/2/2026,9/5/2026,ID6
Avery Quinn,D7,Prospecting,4000,11/3/2026,9/6/2026,ID7
Jordan Lee,D8,Prospecting,6000,11/5/2026,9/7/2026,ID8
Jordan Lee,D9,Prospecting,3000,11/6/2026,9/8/2026,ID9
Jordan Lee,D12,Prospecting,2000,11/10/2026,9/9/2026,ID12
"""
# D1 won, D2 lost, D3 pushed to January, D4 pulled in from February, D5 up 3,000, D6 down 2,000
# and moved stage, D7 moved stage only, D8 unchanged, D9 gone from the export, D12 reassigned
# from Jordan to Avery, D10 and D11 new.
NEW = HEADER + """\
Avery Quinn,D1,Closed Won,10000,10/10/2026,9/1/2026,ID1
Avery Quinn,D2,Closed Lost,20000,10/12/2026,9/1/2026,ID2
Avery Quinn,D3,Prospecting,5000,1/15/2027,9/2/2026,ID3
Avery Quinn,D4,Prospecting,8000,12/20/2026,9/3/2026,ID4
Avery Quinn,D5,Prospecting,15000,11/1/2026,9/4/2026,ID5
Avery Quinn,D6,Proposal,7000,11/2/2026,9/5/2026,ID6
Avery Quinn,D7,Qualification,4000,11/3/2026,9/6/2026,ID7
Jordan Lee,D8,Prospecting,6000,11/5/2026,9/7/2026,ID8
Avery Quinn,D12,Prospecting,2000,11/10/2026,9/9/2026,ID12
Avery Quinn,D10,Prospecting,2500,12/5/2026,10/8/2026,ID10
Jordan Lee,D11,Prospecting,1000,11/20/2026,10/9/2026,ID11
"""


def _write(folder: Path, old: str = OLD, new: str = NEW) -> tuple[Path, Path]:
    (folder / "old.csv").write_text(old, encoding="utf-8")
    (folder / "new.csv").write_text(new, encoding="utf-8")
    return folder / "old.csv", folder / "new.csv"


def _groups(diff: dict[str, Any]) -> dict[str, tuple[int, str]]:
    return {g: (v["deals"], v["amount"]) for g, v in diff["groups"].items() if v["deals"]}


def test_diff_by_id_reconciles_by_hand(run: Any, tmp_path: Path) -> None:
    old, new = _write(tmp_path)
    result = run("pipeline", "diff", old, new, "--quarter", "2026-Q4", "--json")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["matched_by"] == "opportunity id"
    reps = {r["rep"]: r for r in found["reps"]}
    avery, jordan, team = reps["Avery Quinn"], reps["Jordan Lee"], found["team"]
    # Avery's Q4 open pipeline before: D1 10,000 + D2 20,000 + D3 5,000 + D5 12,000 + D6 9,000
    # + D7 4,000 = 60,000 (D4 closes in February). After: D4 8,000 + D5 15,000 + D6 7,000
    # + D7 4,000 + D12 2,000 + D10 2,500 = 38,500.
    # 60,000 + 2,500 + 8,000 + 2,000 - 10,000 - 20,000 - 5,000 + 3,000 - 2,000 = 38,500.
    assert (avery["old_open_pipeline"], avery["new_open_pipeline"]) == ("60000.00", "38500.00")
    assert _groups(avery) == {
        "new": (1, "2500.00"), "pulled_in": (1, "8000.00"), "reassigned_in": (1, "2000.00"),
        "won": (1, "-10000.00"), "lost": (1, "-20000.00"), "pushed_out": (1, "-5000.00"),
        "amount_up": (1, "3000.00"), "amount_down": (1, "-2000.00"),
        "stage_moved": (2, "0.00")}
    # Jordan: 6,000 + 3,000 + 2,000 = 11,000 before; 6,000 + 1,000 = 7,000 after.
    # 11,000 + 1,000 - 3,000 (D9 gone) - 2,000 (D12 to Avery) = 7,000.
    assert (jordan["old_open_pipeline"], jordan["new_open_pipeline"]) == ("11000.00", "7000.00")
    assert _groups(jordan) == {"new": (1, "1000.00"), "removed": (1, "-3000.00"),
                               "reassigned_out": (1, "-2000.00")}
    # Team: 60,000 + 11,000 = 71,000 before, 38,500 + 7,000 = 45,500 after; the reassignment
    # nets out. 71,000 + 3,500 + 8,000 - 10,000 - 20,000 - 5,000 - 3,000 + 3,000 - 2,000 = 45,500.
    assert (team["old_open_pipeline"], team["new_open_pipeline"]) == ("71000.00", "45500.00")
    assert _groups(team) == {
        "new": (2, "3500.00"), "pulled_in": (1, "8000.00"), "won": (1, "-10000.00"),
        "lost": (1, "-20000.00"), "pushed_out": (1, "-5000.00"), "removed": (1, "-3000.00"),
        "amount_up": (1, "3000.00"), "amount_down": (1, "-2000.00"),
        "stage_moved": (2, "0.00")}
    assert all(d["reconciles"] for d in (avery, jordan, team))


def test_diff_as_text_for_one_rep(run: Any, tmp_path: Path) -> None:
    old, new = _write(tmp_path)
    result = run("pipeline", "diff", old, new, "--as-of", "2026-10-12", "--rep", "avery quinn")
    assert result.exit_code == 0, result.stderr
    assert "deals matched by opportunity id" in result.stdout
    assert "Jordan Lee\n" not in result.stdout  # the rep, then the team
    # 60,000 before, 38,500 after (see the test above).
    assert "Old open pipeline" in result.stdout and "$60,000.00" in result.stdout
    assert "$38,500.00" in result.stdout and "$45,500.00" in result.stdout
    assert "Pushed out of the quarter (1)" in result.stdout
    assert "Stage moved: ID6 (Avery Quinn) Negotiation → Proposal" in result.stdout


def test_without_an_id_column_the_stable_key_is_used(run: Any, tmp_path: Path) -> None:
    def drop_id(text: str) -> str:
        return "".join(line.rsplit(",", 1)[0] + "\n" for line in text.splitlines())

    old, new = _write(tmp_path, drop_id(OLD), drop_id(NEW))
    result = run("pipeline", "diff", old, new, "--quarter", "2026-Q4", "--json")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["matched_by"].startswith("owner + opportunity name + created date")
    team = found["team"]
    # The key holds the owner, so the reassigned D12 is a removal (Jordan) and a new deal
    # (Avery): new 2,500 + 1,000 + 2,000 = 5,500; removed 3,000 + 2,000 = 5,000. The totals
    # still reconcile: 71,000 + 5,500 + 8,000 - 10,000 - 20,000 - 5,000 - 5,000 + 3,000
    # - 2,000 = 45,500.
    assert _groups(team)["new"] == (3, "5500.00")
    assert _groups(team)["removed"] == (2, "-5000.00")
    assert (team["old_open_pipeline"], team["new_open_pipeline"]) == ("71000.00", "45500.00")
    assert team["reconciles"]


def test_the_same_file_twice_is_refused(run: Any, tmp_path: Path) -> None:
    old, _ = _write(tmp_path)
    result = run("pipeline", "diff", old, old, "--quarter", "2026-Q4")
    assert result.exit_code == 3
    assert "is the same file as" in result.stderr
    copy = tmp_path / "copy.csv"
    copy.write_text(OLD, encoding="utf-8")
    result = run("pipeline", "diff", old, copy, "--quarter", "2026-Q4")
    assert result.exit_code == 3
    assert f"{copy}:0:0: (file): error: has exactly the same content as" in result.stderr


def test_a_missing_file_and_another_layout_are_located(run: Any, tmp_path: Path) -> None:
    old, _ = _write(tmp_path)
    result = run("pipeline", "diff", old, tmp_path / "nope.csv", "--quarter", "2026-Q4")
    assert result.exit_code == 3
    assert "nope.csv:0:0: (file): error: no such file" in result.stderr
    quotas = tmp_path / "quotas.csv"
    quotas.write_text("rep,quarter,quota\nAvery Quinn,2026-Q4,300000\n", encoding="utf-8")
    result = run("pipeline", "diff", old, quotas, "--quarter", "2026-Q4")
    assert result.exit_code == 3
    assert "quotas.csv:1:0: (file): error: the header is not a Salesforce" in result.stderr
    hubspot = tmp_path / "hubspot.csv"
    hubspot.write_text("Deal owner,Deal Name,Deal Stage,Amount,Close Date,Create Date,Record ID\n"
                       "Avery Quinn,D1,Prospecting,10000,2026-11-15,2026-09-01,1\n",
                       encoding="utf-8")
    result = run("pipeline", "diff", old, hubspot, "--quarter", "2026-Q4")
    assert result.exit_code == 3
    assert "hubspot.csv:1:0: (file): error: is a HubSpot deals export but" in result.stderr


def test_an_unknown_rep_is_a_usage_error(run: Any, tmp_path: Path) -> None:
    old, new = _write(tmp_path)
    result = run("pipeline", "diff", old, new, "--quarter", "2026-Q4", "--rep", "Nobody Here")
    assert result.exit_code == 2
    assert "no opportunities owned by 'Nobody Here'" in result.stderr


def test_a_deal_won_with_its_close_date_moved_back_is_won(run: Any, tmp_path: Path) -> None:
    old, new = _write(tmp_path, HEADER + "Avery Quinn,D1,Prospecting,1000,11/15/2026,8/1/2026,ID1\n",
                      HEADER + "Avery Quinn,D1,Closed Won,1000,9/30/2026,8/1/2026,ID1\n")
    result = run("pipeline", "diff", old, new, "--quarter", "2026-Q4", "--json")
    assert result.exit_code == 0, result.stderr
    team = json.loads(result.stdout)["team"]
    # 1,000 open in Q4 before; won (closed on 2026-09-30, before the quarter) after: 1,000 - 1,000 = 0.
    assert _groups(team) == {"won": (1, "-1000.00")}
    assert (team["old_open_pipeline"], team["new_open_pipeline"]) == ("1000.00", "0.00")
