"""`qsrkit team`: readiness, the team at a glance and the meeting pages, on a half-finished team.

The team, in a temporary folder, reviewed as of 2026-10-04 (`--as-of`):

    Avery Quinn   the example file: every answer given, review 2026-10-07       -> ready
    Blake Rivera  lessons left blank, review 2026-10-02 (send by 2026-09-30)   -> late
    Casey Ng      last quarter's quota typed as '3oo000': an error             -> in progress
    Drew Park     a stronger plan, every answer given                          -> ready
    Emery Stone   on the team list, no file                                    -> missing

Every figure below is worked out by hand from the calculator's formulas (README, `qsrkit calc`).
"""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from conftest import EXAMPLE

AS_OF = "2026-10-04"


def _variant(text: str, **changes: str) -> str:
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


@pytest.fixture
def team(tmp_path: Path) -> Path:
    example = EXAMPLE.read_text(encoding="utf-8")
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "avery-quinn-2026-Q4.yaml").write_text(example, encoding="utf-8")
    blake = _variant(example, **{
        "account_executive: Avery Quinn": "account_executive: Blake Rivera",
        "review_date: 2026-10-07": "review_date: 2026-10-02",
        "    quota: 330000": "    quota: 300000",
        "closed_won: 48000": "closed_won: 20000",
        "open_pipeline: 410000": "open_pipeline: 150000",
    })
    blake = "\n".join("    learned:" if line.startswith("    learned:") else
                      "    environment:" if line.startswith("    environment:") else line
                      for line in blake.splitlines()) + "\n"
    (folder / "blake-rivera-2026-Q4.yaml").write_text(blake, encoding="utf-8")
    casey = _variant(example, **{"account_executive: Avery Quinn": "account_executive: Casey Ng",
                                 "quota: 300000": "quota: 3oo000"})
    (folder / "casey-ng-2026-Q4.yaml").write_text(casey, encoding="utf-8")
    drew = _variant(example, **{
        "account_executive: Avery Quinn": "account_executive: Drew Park",
        "      actual: 2.4": "      actual: 4",
        "    quota: 330000": "    quota: 360000",
        "    win_rate: 24": "    win_rate: 30",
        "    average_deal_size: 22000": "    average_deal_size: 25000",
        "weekly_opportunity_goal: 3": "weekly_opportunity_goal: 5",
        "closed_won: 48000": "closed_won: 90000",
        "open_pipeline: 410000": "open_pipeline: 600000",
    })
    (folder / "drew-park-2026-Q4.yaml").write_text(drew, encoding="utf-8")
    (tmp_path / "reps.txt").write_text(
        "Avery Quinn\nBlake Rivera\nCasey Ng\nDrew Park\nEmery Stone\n", encoding="utf-8")
    return folder


def test_status_lists_every_expected_rep_and_fails_on_late_errors_or_missing(run, team: Path) -> None:
    result = run("team", team, "--team-list", team.parent / "reps.txt", "--status",
                 "--as-of", AS_OF, "--json")
    # Blake is late, Casey has an error and Emery has no file: any one of them fails --status.
    assert result.exit_code == 3, result
    found = json.loads(result.stdout)
    reps = {r["rep"]: r for r in found["reps"]}
    assert list(reps) == ["Avery Quinn", "Blake Rivera", "Casey Ng", "Drew Park", "Emery Stone"]
    assert {name: r["status"] for name, r in reps.items()} == {
        "Avery Quinn": "ready", "Blake Rivera": "late", "Casey Ng": "in progress",
        "Drew Park": "ready", "Emery Stone": "missing"}
    # The example asks 58 answers: 3 (rep, quarter, preparation date; manager and review date
    # are optional) + 29 last quarter (3 amounts, 6 goals × goal and actual, 2 skills × 3,
    # 3 + 3 diagnosis lines, 2 lessons) + 5 pledge lines + 6 for two skills (goal, skill,
    # target) + 15 this quarter (4 outlook, 2 calculator, 3 plays × headline and 2 bullets).
    assert (reps["Avery Quinn"]["asked"], reps["Avery Quinn"]["answered"]) == (58, 58)
    # Blake left both lessons blank: 56 of 58.
    assert (reps["Blake Rivera"]["asked"], reps["Blake Rivera"]["answered"]) == (58, 56)
    assert reps["Blake Rivera"]["share_answered"] == round(56 / 58, 4)
    # Send by = review date − 2 days: 2026-10-02 − 2 = 2026-09-30, before 2026-10-04: late.
    assert reps["Blake Rivera"]["send_by"] == "2026-09-30"
    assert reps["Casey Ng"]["errors"] == 1 and reps["Casey Ng"]["answered"] is None
    assert reps["Casey Ng"]["review_date"] == "2026-10-07"  # read from the file despite the error
    assert reps["Emery Stone"]["found"] is False and reps["Emery Stone"]["file"] is None
    assert found["counts"] == {"missing": 1, "in progress": 1, "ready": 2, "late": 1}
    assert found["problems"][0]["field"] == "previous_quarter.metrics.quota"


def test_status_passes_when_nobody_is_late_broken_or_missing(run, team: Path) -> None:
    files = [team / "avery-quinn-2026-Q4.yaml", team / "blake-rivera-2026-Q4.yaml"]
    # On 2026-09-30 Blake's send-by day has not passed: in progress, not late; exit 0.
    result = run("team", *files, "--status", "--as-of", "2026-09-30")
    assert result.exit_code == 0, result
    assert "in progress" in result.stdout and "ready" in result.stdout
    assert "2 rep(s): 1 ready, 1 in progress, 0 late, 0 missing" in result.stdout
    # A day later it is late.
    assert run("team", *files, "--status", "--as-of", "2026-10-01").exit_code == 3


def _table(document: docx.document.Document, first_header: str, second: str) -> list[list[str]]:
    for table in document.tables:
        header = [c.text for c in table.rows[0].cells]
        if header[:2] == [first_header, second]:
            return [[c.text for c in row.cells] for row in table.rows]
    raise AssertionError(f"no table starting {first_header}, {second}")


def test_the_pack_in_word_reads_back_with_the_numbers_worked_by_hand(run, team: Path) -> None:
    out = team.parent / "pack.docx"
    result = run("team", team, "--team-list", team.parent / "reps.txt", "--as-of", AS_OF,
                 "--team-quota", "1200000", "-o", out)
    assert result.exit_code == 0, result
    assert "wrote" in result.stdout and "casey-ng-2026-Q4.yaml:22:5" in result.stderr
    document = docx.Document(str(out))

    readiness = _table(document, "Rep", "File")
    assert [r[0] for r in readiness[1:]] == ["Avery Quinn", "Blake Rivera", "Casey Ng",
                                             "Drew Park", "Emery Stone"]
    # 56 of 58 answered: 96.6%, shown as 97%.
    assert readiness[2][2:] == ["97%", "0", "2026-10-02", "2026-09-30", "late"]
    assert readiness[3][3] == "1" and readiness[5][1:] == ["no file", "–", "–", "–", "–",
                                                           "missing"]

    glance = _table(document, "Rep", "Quota")
    rows = {r[0]: r for r in glance[1:]}
    assert list(rows) == ["Avery Quinn", "Blake Rivera", "Drew Park", "Team total", "Median"]
    # Avery: quota 330,000, closed 48,000, win rate 24%, open 410,000, deal 22,000, 11 weeks.
    #   100%: gap 282,000; needed ⌈282,000 / 0.24⌉ = 1,175,000; to create 765,000;
    #         ⌈765,000 / 22,000⌉ = 35 opps; 35 / 11 = 3.18 → 3.2 a week.
    #   150% (personal goal): gap 447,000; needed 1,862,500; create 1,452,500; 67 opps; 6.09 → 6.1.
    #   coverage 410,000 / 282,000 = 1.45 → 1.5×. Last quarter 318,500 / 300,000 = 106.2%.
    assert rows["Avery Quinn"][1:] == [
        "$330,000", "106.2%", "$495,000", "22% → 24%", "$22,750 → $22,000", "3", "3.2 · 6.1",
        "$765,000", "1.5×", "$282,000", "behind pace, plan short"]
    # Blake: quota 300,000, closed 20,000, open 150,000.
    #   100%: gap 280,000; needed ⌈1,166,666.7⌉ = 1,166,667; create 1,016,667; ⌈46.2⌉ = 47 opps;
    #         47 / 11 = 4.27 → 4.3.  150%: gap 430,000; needed 1,791,667; create 1,641,667;
    #         ⌈74.6⌉ = 75 opps; 75 / 11 = 6.82 → 6.9.  coverage 150,000 / 280,000 = 0.54 → 0.5×.
    assert rows["Blake Rivera"][7:] == ["4.3 · 6.9", "$1,016,667", "0.5×", "$280,000",
                                        "behind pace, plan short, thin pipeline"]
    # Drew: quota 360,000, closed 90,000, win rate 30%, open 600,000, deal 25,000, plans 5.
    #   100%: gap 270,000; needed 900,000; create 300,000; 12 opps; 12 / 11 = 1.09 → 1.1.
    #   150%: gap 450,000; needed 1,500,000; create 900,000; 36 opps; 36 / 11 = 3.27 → 3.3.
    #   coverage 600,000 / 270,000 = 2.2×. 1.1 needed ≤ 4 created last quarter: on pace;
    #   plans 5 ≥ 3.3: the plan adds up; 2.2× is above half the median (1.45 / 2): nothing flagged.
    assert rows["Drew Park"][1:] == [
        "$360,000", "106.2%", "$540,000", "22% → 30%", "$22,750 → $25,000", "5", "1.1 · 3.3",
        "$300,000", "2.2×", "$270,000", ""]
    # Totals: quotas 330,000 + 300,000 + 360,000 = 990,000; goals 495,000 + 450,000 + 540,000
    # = 1,485,000; planned 3 + 3 + 5 = 11; needed (35 + 47 + 12) / 11 = 8.55 → 8.6 and
    # (67 + 75 + 36) / 11 = 16.18 → 16.2; to create 765,000 + 1,016,667 + 300,000 = 2,081,667;
    # gap 282,000 + 280,000 + 270,000 = 832,000; coverage (410,000 + 150,000 + 600,000) /
    # 832,000 = 1.39 → 1.4×.
    assert rows["Team total"][1:] == [
        "$990,000", "106.2%", "$1,485,000", "–", "–", "11", "8.6 · 16.2", "$2,081,667", "1.4×",
        "$832,000", ""]
    # Medians: the middle of three reps in each column.
    assert rows["Median"][1:4] == ["$330,000", "106.2%", "$495,000"]
    assert rows["Median"][7:11] == ["3.2 · 6.1", "$765,000", "1.5×", "$280,000"]

    text = "\n".join(p.text for p in document.paragraphs)
    # 990,000 / 1,200,000 = 82.5%, 210,000 short; 1,485,000 / 1,200,000 = 123.75% → 123.8%.
    assert ("The reps' quotas add up to $990,000, 82.5% of the team's number ($1,200,000): "
            "$210,000 short. Their personal goals add up to $1,485,000, 123.8% of it.") in text
    assert "No page yet for: Casey Ng (1 error(s)), Emery Stone (no file)." in text

    # Landscape for the wide team table, portrait for the rep pages; header rows repeat.
    assert [s.page_width > s.page_height for s in document.sections] == [True, False]
    header_xml = document.tables[1].rows[0]._tr.xml
    assert "w:tblHeader" in header_xml


def test_a_rep_page_sets_the_six_answers_and_the_weekly_need_for_coaching(run, team: Path) -> None:
    out = team.parent / "pack.docx"
    assert run("team", team, "--as-of", AS_OF, "-o", out).exit_code == 0
    document = docx.Document(str(out))
    pages = [t for t in document.tables if t.rows[0].cells[0].text == "The question"]
    assert len(pages) == 3  # Avery, Blake, Drew; Casey's file has an error
    blake = {row.cells[0].text: row.cells[1].text for row in pages[1].rows[1:]}
    assert list(blake) == ["What they said they would do", "What they did", "What worked",
                           "What did not work", "What they learned", "What they will do next"]
    assert blake["What they learned"] == "not answered"
    assert "Win back churned logistics accounts" in blake["What they said they would do"]
    # 318,500 of 300,000 = 106.2% of quota; of the 360,000 personal goal 88.5%.
    assert "Closed $318,500, 106.2% of quota and 88.5% of the personal goal" in blake["What they did"]
    needs = [t for t in document.tables if t.rows[0].cells[0].text == "Target"]
    # Blake's weekly need: 4.3 opps and 1,016,667 / 11 = 92,424.3 → $92,425 a week for quota.
    assert [c.text for c in needs[1].rows[1].cells] == ["100% of quota", "4.3", "$92,425",
                                                        "$1,016,667"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Quota needs 4.3 new opportunities a week; last quarter you created 2.4." in text
    assert "What did last quarter teach you, Blake" in text
    headings = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [h.text for h in headings[2:]] == ["Avery Quinn", "Blake Rivera", "Drew Park"]
    assert headings[3].paragraph_format.page_break_before  # each rep on a page of their own


def test_previous_dir_says_what_the_rep_set_out_to_do(run, team: Path) -> None:
    last = team.parent / "last"
    last.mkdir()
    text = _variant(EXAMPLE.read_text(encoding="utf-8"), **{
        "quarter: 2026-Q4": "quarter: 2026-Q3",
        "headline: Expand in the ten largest existing accounts":
            "headline: Win back churned logistics accounts"})
    (last / "avery-quinn-2026-Q3.yaml").write_text(text, encoding="utf-8")
    result = run("team", team / "avery-quinn-2026-Q4.yaml", "--previous-dir", last,
                 "--as-of", AS_OF, "--json")
    assert result.exit_code == 0, result
    page = json.loads(result.stdout)["pages"][0]
    assert page["previous_file"] == "avery-quinn-2026-Q3.yaml"
    # Last quarter's plan: 150% of its 330,000 quota = 495,000, 3 a week, its plays with bullets.
    said = page["answers"]["said"]
    assert said[:2] == ["Personal goal $495,000 on a quota of $330,000",
                        "3 qualified opportunities a week"]
    assert said[2].startswith("Win back churned logistics accounts: Map a second champion")


def test_json_shape(run, team: Path) -> None:
    result = run("team", team, "--team-list", team.parent / "reps.txt", "--as-of", AS_OF,
                 "--format", "json")
    assert result.exit_code == 0, result
    found = json.loads(result.stdout)
    assert set(found) == {"readiness", "team", "pages", "crm_period"}
    assert set(found["team"]) == {"reps", "total", "median", "team_quota", "quota_sum",
                                  "personal_goal_sum", "quota_share", "personal_goal_share",
                                  "rules"}
    avery = found["team"]["reps"][0]
    assert avery["rep"] == "Avery Quinn" and avery["quota"] == 330000.0
    assert avery["win_rate"] == {"last_quarter": 0.22, "last_quarter_goal": 0.25, "planned": 0.24}
    # 35 opps / 11 weeks = 3.18; 67 / 11 = 6.09.
    assert avery["weekly_opportunities"] == {"last_quarter": 2.4, "planned": 3.0,
                                             "needed_for_quota": 3.18, "needed_for_goal": 6.09}
    assert avery["flags"] == ["behind pace", "plan short"]
    assert found["team"]["total"]["quota"] == 990000.0
    assert found["team"]["team_quota"] is None  # no --team-quota, no team_quota in qsrkit.yaml
    assert set(found["pages"][0]["answers"]) == {"said", "did", "worked", "did_not_work",
                                                 "learned", "next"}


def test_the_pack_never_replaces_a_file_or_an_input(run, team: Path) -> None:
    out = team.parent / "pack.md"
    assert run("team", team, "--as-of", AS_OF, "-o", out).exit_code == 0
    assert "## The team at a glance" in out.read_text(encoding="utf-8")
    assert run("team", team, "--as-of", AS_OF, "-o", out).exit_code == 4
    target = team / "avery-quinn-2026-Q4.yaml"
    result = run("team", team, "--as-of", AS_OF, "-f", "md", "-o", target, "--force")
    assert result.exit_code == 4 and "answers file" in result.stderr


def test_team_list_and_team_quota_from_the_org_config(run, team: Path) -> None:
    config = team.parent / "qsrkit.yaml"
    config.write_text("team: [Avery Quinn, Emery Stone]\nteam_quota: 400000\n", encoding="utf-8")
    result = run("team", team / "avery-quinn-2026-Q4.yaml", "--config", config, "--as-of",
                 AS_OF, "--json")
    found = json.loads(result.stdout)
    assert [r["status"] for r in found["readiness"]["reps"]] == ["ready", "missing"]
    # 330,000 / 400,000 = 82.5% of the team's number.
    assert found["team"]["quota_share"] == 0.825


def test_calc_over_many_files_prints_a_line_per_rep_and_the_totals(run, team: Path) -> None:
    files = sorted(team.glob("*.yaml"))
    result = run("calc", *files)
    # Casey's file has an error: listed, left out of the totals, and the exit code says so.
    assert result.exit_code == 3, result
    lines = {line.split("  ")[0].strip(): line for line in result.stdout.splitlines()}
    assert "error(s)" in lines["Casey Ng"]
    # Avery: 330,000 quota, 48,000 closed, 282,000 gap, 765,000 to create, 3.2 and $69,546 a
    # week (765,000 / 11 = 69,545.45, up); the personal goal 495,000 needs 6.1 and $132,046.
    assert lines["Avery Quinn"].split() == ["Avery", "Quinn", "$330,000", "$48,000",
                                            "$282,000", "$765,000", "3.2", "$69,546",
                                            "$495,000", "6.1", "$132,046"]
    team_line = next(v for k, v in lines.items() if k.startswith("Team"))
    # 3 of 4 computed; (35 + 47 + 12) / 11 = 8.55 → 8.6 a week for quota.
    assert team_line.startswith("Team (3 of 4)") and " 8.6 " in team_line
    found = json.loads(run("calc", *files, "--json").stdout)
    assert found["computed"] == 3 and found["failed"] == 1
    assert found["totals"]["quota"] == 990000.0


def test_calc_over_many_files_stays_light(team: Path) -> None:
    from test_startup import HEAVY, loaded_modules

    code, modules = loaded_modules("calc", str(team / "avery-quinn-2026-Q4.yaml"),
                                   str(team / "drew-park-2026-Q4.yaml"))
    assert code == 0
    assert not modules.intersection(HEAVY), sorted(modules.intersection(HEAVY))


def test_many_files_are_read_on_every_core_with_the_same_result(run, team: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from qsrkit.team import roster

    args = ("team", team, "--team-list", team.parent / "reps.txt", "--status", "--as-of", AS_OF,
            "--json")
    alone = json.loads(run(*args).stdout)
    monkeypatch.setattr(roster, "PARALLEL_FROM", 2)  # four files: read by worker processes
    assert json.loads(run(*args).stdout) == alone


def test_crm_adds_the_diagnose_figures_to_each_page(run, team: Path) -> None:
    from conftest import EXAMPLES

    crm = EXAMPLES / "crm"
    result = run("team", team / "avery-quinn-2026-Q4.yaml", team / "drew-park-2026-Q4.yaml",
                 "--crm", crm / "opportunities.csv", "--config", crm / "qsrkit.yaml",
                 "--as-of", "2026-10-05", "--json")
    assert result.exit_code == 0, result
    found = json.loads(result.stdout)
    assert found["crm_period"] == "2026-Q3"
    avery, drew = (p["crm"] for p in found["pages"])
    # The same rows `qsrkit diagnose` prints for Avery Quinn, beside the team's medians.
    assert avery["metrics"][0]["label"] == "Win rate" and avery["metrics"][0]["team"]
    assert drew == {"period": "2026-Q3", "metrics": [], "flags": [],
                    "note": "no opportunities owned by Drew Park in the export"}
    assert run("team", team, "--history", crm / "snapshots").exit_code == 2
