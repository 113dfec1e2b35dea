"""Monthly check-ins: `qsrkit check-in` appends an entry in place, re-runs the calculator for the
weeks left and shows the pace; `check` keeps the list honest; `render` tells the quarter's story.

The example's plan (Avery Quinn, 2026-Q4: quota 330,000, personal goal 150%, win rate 24%,
average deal 22,000; the QSR's calculator: closed won 48,000, open pipeline 410,000, 11 weeks):
  100%: gap 282,000 → pipeline ⌈282,000 / 0.24⌉ = 1,175,000 → to create 765,000
        → ⌈765,000 / 22,000⌉ = 35 opportunities / 11 weeks = 3.18, shown 3.2
  150%: gap 447,000 → 1,862,500 → 1,452,500 → 67 / 11 = 6.09, shown 6.1
2026-Q4 runs from 2026-10-01 to 2026-12-31: 92 days.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import docx
from conftest import EXAMPLE

HEADER = "Opportunity Owner,Opportunity Name,Stage,Amount,Close Date,Created Date,Opportunity ID\n"
# Three exports of one CRM report, at the three check-ins. Jordan's deal and the deal closing in
# January never count for Avery's Q4.
OCTOBER = HEADER + """\
Avery Quinn,W1,Closed Won,60000,10/20/2026,9/1/2026,ID1
Avery Quinn,O1,Prospecting,300000,11/30/2026,10/10/2026,ID2
Avery Quinn,O2,Prospecting,200000,12/15/2026,10/20/2026,ID3
Avery Quinn,O3,Prospecting,99000,1/20/2027,10/22/2026,ID4
Jordan Lee,J1,Prospecting,50000,11/1/2026,10/1/2026,ID5
"""
NOVEMBER = HEADER + """\
Avery Quinn,W1,Closed Won,60000,10/20/2026,9/1/2026,ID1
Avery Quinn,O1,Closed Won,120000,11/10/2026,10/10/2026,ID2
Avery Quinn,O2,Prospecting,200000,12/15/2026,10/20/2026,ID3
Avery Quinn,O3,Prospecting,99000,1/20/2027,10/22/2026,ID4
Avery Quinn,O4,Prospecting,100000,12/20/2026,11/12/2026,ID6
Jordan Lee,J1,Prospecting,50000,11/1/2026,10/1/2026,ID5
"""
DECEMBER = HEADER + """\
Avery Quinn,W1,Closed Won,60000,10/20/2026,9/1/2026,ID1
Avery Quinn,O1,Closed Won,120000,11/10/2026,10/10/2026,ID2
Avery Quinn,O2,Closed Won,60000,12/5/2026,10/20/2026,ID3
Avery Quinn,O3,Prospecting,99000,1/20/2027,10/22/2026,ID4
Avery Quinn,O4,Prospecting,100000,12/20/2026,11/12/2026,ID6
Avery Quinn,O5,Prospecting,50000,12/28/2026,12/1/2026,ID7
Jordan Lee,J1,Prospecting,50000,11/1/2026,10/1/2026,ID5
"""


def _export(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _fill_last(path: Path, *pairs: tuple[str, str]) -> None:
    """Type answers into the newest entry, as the rep does after `check-in`."""
    text = path.read_text(encoding="utf-8")
    head, _, entry = text.rpartition("  - date: ")
    for old, new in pairs:
        assert old in entry, old
        entry = entry.replace(old, new, 1)
    path.write_text(head + "  - date: " + entry, encoding="utf-8")


def test_a_quarter_told_in_three_check_ins(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "avery.yaml"
    path.write_bytes(EXAMPLE.read_bytes())

    # 2026-10-24: 23 of 92 days gone (a quarter); 69 days left = 9.857 weeks, 9.9.
    # Closed won: W1 60,000. Open in Q4: O1 300,000 + O2 200,000 = 500,000.
    # 100%: gap 270,000 → 1,125,000 → to create 625,000 → ⌈28.4⌉ = 29 / 9.9 = 2.93, shown 3;
    #       pipeline 625,000 / 9.9 = 63,131.31 a week, $63,132 rounded up.
    #       Pace: 330,000 × 23/92 = 82,500 expected; 60,000 is 22,500 behind.
    # 150%: gap 435,000 → 1,812,500 → 1,312,500 → 60 / 9.9 = 6.06, shown 6.1 (as in the plan).
    #       Pace: 495,000 / 4 = 123,750 expected; 63,750 behind.
    first = run("check-in", path, "--crm", _export(tmp_path, "oct.csv", OCTOBER),
                "--as-of", "2026-10-24")
    assert first.exit_code == 0, first.output
    assert "Adding at line 120:" in first.stdout
    assert "closed_won: 60000  # from oct.csv (CRM), 2026-Q4 as of 2026-10-24" in first.stdout
    assert "9.9 weeks left, 25% of the quarter gone" in first.stdout
    assert ("For 100% of quota: you need 3 opportunities a week now ($63,132 of pipeline a "
            "week), down from 3.2 in the QSR's plan") in first.stdout
    assert ("For 150% of quota (personal goal): you need 6.1 opportunities a week now"
            in first.stdout)
    assert "the same as 6.1 in the QSR's plan" in first.stdout
    assert ("Pace to 100% of quota: $82,500 closed won by now on a straight line to $330,000; "
            "$60,000 closed, $22,500 behind") in first.stdout
    assert "$123,750 closed won by now" in first.stdout and "$63,750 behind" in first.stdout
    _fill_last(path, ('status:\n', 'status: on track\n'), ('note:\n', 'note: 4 of 10 mapped\n'),
               ('actual:\n', 'actual: Two role-plays with Morgan\n'),
               ('      -\n', '      - Drop the webinar; two more integrator calls a week\n'))

    # 2026-11-16: 46 of 92 days gone (half); 46 days left = 6.571 weeks, 6.6.
    # Closed won: W1 60,000 + O1 120,000 = 180,000. Open in Q4: O2 200,000 + O4 100,000.
    # 100%: gap 150,000 → 625,000 → 325,000 → ⌈14.8⌉ = 15 / 6.6 = 2.27, shown 2.3.
    #       Pace: 165,000 expected; 180,000 is 15,000 ahead.
    # 150%: gap 315,000 → 1,312,500 → 1,012,500 → 47 / 6.6 = 7.12, shown 7.2; 67,500 behind.
    second = run("check-in", path, "--crm", _export(tmp_path, "nov.csv", NOVEMBER),
                 "--as-of", "2026-11-16", "--json")
    assert second.exit_code == 0, second.output
    facts = json.loads(second.stdout)
    assert (facts["closed_won"], facts["open_pipeline"], facts["weeks_left"]) == (
        180000.0, 300000.0, 6.6)
    assert facts["elapsed_share"] == 0.5 and facts["last_check_in"] == "2026-10-24"
    quota, goal = facts["targets"]
    assert (quota["opps_per_week"], quota["opps_per_week_in_plan"]) == (2.27, 3.18)
    assert quota["opps_per_week_at_last_check_in"] == 2.93  # 29 / 9.9
    assert (quota["expected_closed_won"], quota["pace"]) == (165000.0, 15000.0)
    assert (goal["personal_goal"], goal["opps_per_week"], goal["pace"]) == (True, 7.12, -67500.0)
    _fill_last(path, ('status:\n', 'status: at risk\n'),
               ('note:\n', 'note: "Sponsors: busy until January"\n'))

    # 2026-12-09: 69 of 92 days gone (three quarters); 23 days left = 3.286 weeks, 3.3.
    # Closed won: 60,000 + 120,000 + O2 60,000 = 240,000. Open in Q4: O4 100,000 + O5 50,000.
    # 100%: gap 90,000 → 375,000 → 225,000 → ⌈10.2⌉ = 11 / 3.3 = 3.33, shown 3.4.
    #       Pace: 247,500 expected; 7,500 behind.
    # 150%: gap 255,000 → 1,062,500 → 912,500 → 42 / 3.3 = 12.73, shown 12.8; 371,250
    #       expected, 131,250 behind.
    third = run("check-in", path, "--crm", _export(tmp_path, "dec.csv", DECEMBER),
                "--as-of", "2026-12-09")
    assert third.exit_code == 0, third.output
    assert ("you need 3.4 opportunities a week now ($68,182 of pipeline a week), up from 3.2 "
            "in the QSR's plan and up from 2.3 at the last check-in (2026-11-16)") in third.stdout
    assert "$7,500 behind" in third.stdout and "$131,250 behind" in third.stdout
    _fill_last(path, ('status:\n', 'status: done\n'))
    assert run("check", path, "--errors-only").exit_code == 0

    result = run("render", path, "-o", tmp_path / "avery.docx")
    assert result.exit_code == 0, result.output
    document = docx.Document(str(tmp_path / "avery.docx"))
    rows = next([[c.text for c in row.cells] for row in t.rows] for t in document.tables
                if t.rows[0].cells[0].text == "Date")
    assert rows == [
        ["Date", "Closed won", "Open pipeline", "Weeks left",
         "Opportunities a week for 100% of quota",
         "Opportunities a week for 150% of quota (personal goal)", "Pace to 100% of quota"],
        ["QSR plan", "$48,000", "$410,000", "11", "3.2", "6.1", "—"],
        ["2026-10-24", "$60,000", "$500,000", "9.9", "3", "6.1", "$22,500 behind"],
        ["2026-11-16", "$180,000", "$300,000", "6.6", "2.3", "7.2", "$15,000 ahead"],
        ["2026-12-09", "$240,000", "$150,000", "3.3", "3.4", "12.8", "$7,500 behind"],
    ]
    plays = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables
             if t.rows[0].cells[0].text == "Play" and t.rows[0].cells[1].text == "Status"]
    # Only the first play was filled in each time; the others show a line to write on.
    assert [row[1:] for row in plays[0][1:]] == [["on track", "4 of 10 mapped"],
                                                  ["______", ""], ["______", ""]]
    assert plays[1][1][1:] == ["at risk", "Sponsors: busy until January"]
    assert plays[2][1][1] == "done"
    skills = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables
              if t.rows[0].cells[1].text == "Actual so far"]
    assert skills[0][1] == ["Negotiation", "Two role-plays with Morgan"]
    paragraphs = [p.text for p in document.paragraphs]
    assert "Check-ins" in paragraphs and "2026-11-16" in paragraphs
    assert "Drop the webinar; two more integrator calls a week" in paragraphs


def _odd_example() -> str:
    """The example with comments, odd quoting and blank answers, and its own check-in list."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("manager: Morgan Ellis\n", "manager: 'Morgan Ellis'  # since May\n")
    text = text.replace("    closed_won: 48000\n", "    closed_won: \"48000\"   # Friday's call\n")
    text = text.replace("    win_rate: 24\n", "    win_rate:\n")
    return text + ("\n# reviewed with Morgan\ncheck_ins:\n- date: 2026-10-20  # first one\n"
                   "  closed_won: '50000'\n  open_pipeline: 400000\n  plays:\n"
                   "  - headline: INTEGRATOR co-selling\n    status: On Track\n"
                   "    note: >-\n      folded\n      note\n\n  # typed later\n"
                   "# the end")


def test_every_byte_outside_the_entry_stays(run: Any, tmp_path: Path) -> None:
    cases = {
        "example": EXAMPLE.read_text(encoding="utf-8"),
        "odd": _odd_example(),
        "flow-empty": EXAMPLE.read_text(encoding="utf-8") + "check_ins: []   # none yet\n",
        "no-final-newline": EXAMPLE.read_text(encoding="utf-8").rstrip("\n"),
    }
    for name, text in cases.items():
        for ending in ("\n", "\r\n"):
            original = text.replace("\n", ending).encode("utf-8")
            path = tmp_path / f"{name}-{len(ending)}.yaml"
            path.write_bytes(original)
            result = run("check-in", path, "--as-of", "2026-11-02")
            assert result.exit_code == 0, (name, result.output)
            after = path.read_bytes()
            if name == "flow-empty":  # the `[]` (and the space before it) makes way
                original = original.replace(b"check_ins: []", b"check_ins:")
            cut = _common_prefix(original, after)
            added = after[cut:len(after) - (len(original) - cut)]
            assert after == original[:cut] + added + original[cut:], name
            assert added.count(b"- date: 2026-11-02") == 1, (name, added)
            lines = added.replace(b"\r\n", b"\n").split(b"\n")
            assert all(b"\r" not in line for line in lines), name
            assert (b"\r\n" in added) == (ending == "\r\n"), name
            checked = run("check", path, "--errors-only")
            assert checked.exit_code == 0, (name, checked.output)
    # The entry of the odd file goes after the folded note and the comment indented under it,
    # with the list's own indentation (dash at column 0, keys at 2); the last comment stays last.
    odd = (tmp_path / "odd-1.yaml").read_text(encoding="utf-8")
    assert "      note\n\n  # typed later\n- date: 2026-11-02\n  closed_won: 48000  #" in odd
    assert odd.endswith("  audibles:  # the changes to the plan agreed in this check-in\n    -\n"
                        "# the end")
    # The blank answers file `qsrkit new` writes: the entry follows the `check_ins:` line.
    made = run("new", tmp_path / "blank.yaml", "--rep", "Jo Ko", "--quarter", "2026-Q4")
    assert made.exit_code == 0, made.output
    blank = (tmp_path / "blank.yaml").read_bytes()
    result = run("check-in", tmp_path / "blank.yaml", "--as-of", "2026-11-02")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "blank.yaml").read_bytes().startswith(blank)
    assert "closed_won:  # the figure of 2026-11-02, an amount" in result.stdout


def _common_prefix(a: bytes, b: bytes) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


CHECKED_IN = EXAMPLE.read_text(encoding="utf-8") + """\
check_ins:
  - date: 2026-11-02
    closed_won: 90000
    open_pipeline: 380000
    skills:
      - skill: negotiation
        actual: One role-play
    plays:
      - headline: Integrator co-selling
        status: at risk
"""
# The example has 119 lines: `check_ins:` is line 120, the entry's `date:` line 121.


def _file(tmp_path: Path, text: str = CHECKED_IN) -> Path:
    path = tmp_path / "avery.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_check_in_before_the_last_one_is_refused(run: Any, tmp_path: Path) -> None:
    path = _file(tmp_path)
    result = run("check-in", path, "--as-of", "2026-10-30")
    assert result.exit_code == 3
    assert (f"{path}:121:5: check_ins[0].date: error: the last check-in is dated 2026-11-02, "
            "after 2026-10-30; a new check-in comes after it: pass --as-of a day after "
            "2026-11-02") in result.stderr
    same = run("check-in", path, "--as-of", "2026-11-02")
    assert same.exit_code == 3
    assert "already has a check-in dated 2026-11-02; edit that entry" in same.stderr
    assert path.read_text(encoding="utf-8") == CHECKED_IN
    # `check` holds the list to the same order, and to the quarter.
    typed = CHECKED_IN + "  - date: 2026-10-15\n  - date: 2027-01-04\n"
    checked = run("check", _file(tmp_path, typed), "--errors-only")
    assert checked.exit_code == 3
    assert (f"{path}:130:5: check_ins[1].date: error: 2026-10-15 is before the check-in above "
            "it (2026-11-02, line 121)") in checked.stdout
    assert (f"{path}:131:5: check_ins[2].date: error: 2027-01-04 is outside 2026-Q4 "
            "(2026-10-01 to 2026-12-31)") in checked.stdout
    outside = run("check-in", _file(tmp_path), "--as-of", "2027-01-04")
    assert outside.exit_code == 2
    assert "--as-of 2027-01-04 is outside 2026-Q4" in outside.stderr


def test_an_export_from_another_quarter_is_refused(run: Any, tmp_path: Path) -> None:
    path = _file(tmp_path)
    # The October export's newest deal was created 2026-10-22: 48 days before 2026-12-09.
    late = run("check-in", path, "--crm", _export(tmp_path, "oct.csv", OCTOBER),
               "--as-of", "2026-12-09")
    assert late.exit_code == 3
    assert (f"{tmp_path / 'oct.csv'}:0:0: (file): error: no opportunity was created in the 45 "
            "days before the as-of date 2026-12-09 (the newest: 2026-10-22)") in late.stderr
    # The December export has a deal created 2026-12-01, after 2026-11-16.
    early = run("check-in", path, "--crm", _export(tmp_path, "dec.csv", DECEMBER),
                "--as-of", "2026-11-16")
    assert early.exit_code == 3
    assert "has opportunities created after the as-of date 2026-11-16" in early.stderr
    assert path.read_text(encoding="utf-8") == CHECKED_IN


def test_an_unknown_status_or_skill_is_located(run: Any, tmp_path: Path) -> None:
    bad_status = CHECKED_IN.replace("status: at risk", "status: ontrack")
    path = _file(tmp_path, bad_status)
    checked = run("check", path)
    assert checked.exit_code == 3
    assert (f"{path}:129:9: check_ins[0].plays[0].status: error: 'ontrack' is not a play "
            "status; write one of: on track, at risk, done, dropped") in checked.stdout
    refused = run("check-in", path, "--as-of", "2026-12-01")
    assert refused.exit_code == 3
    assert "check-in adds to a file that `qsrkit check` passes" in refused.stderr
    assert path.read_text(encoding="utf-8") == bad_status
    # Skills and plays are matched to the file's, whatever the case and spacing (`negotiation`
    # above is skill_development's `Negotiation`); one the file does not have is an error.
    bad_skill = CHECKED_IN.replace("skill: negotiation", "skill: Cold calling").replace(
        "headline: Integrator co-selling\n        status", "headline: Webinars\n        status")
    path = _file(tmp_path, bad_skill)
    checked = run("check", path)
    assert checked.exit_code == 3
    assert (f"{path}:125:9: check_ins[0].skills[0].skill: error: 'Cold calling' is not one of "
            "this quarter's skills (skill_development: 'Negotiation', 'Prospecting'); write the "
            "skill as it is there") in checked.stdout
    assert (f"{path}:128:9: check_ins[0].plays[0].headline: error: 'Webinars' is not one of "
            "this quarter's plays (current_quarter.plays: 'Expand in the ten largest existing "
            "accounts', 'Integrator co-selling', 'Prospecting sprint in the first three weeks')"
            ) in checked.stdout
    refused = run("check-in", path, "--as-of", "2026-12-01")
    assert refused.exit_code == 3 and path.read_text(encoding="utf-8") == bad_skill
    assert run("check", _file(tmp_path), "--errors-only").exit_code == 0


def test_dry_run_writes_nothing(run: Any, tmp_path: Path) -> None:
    path = _file(tmp_path)
    path.chmod(0o640)
    result = run("check-in", path, "--as-of", "2026-12-01", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Would add at line 130:" in result.stdout
    assert "- date: 2026-12-01" in result.stdout
    # The numbers are copied from the calculator (48,000 and 410,000) and said to be so.
    assert "closed won and open pipeline were copied from the file's calculator" in result.stderr
    assert "--dry-run" in result.stderr
    assert path.read_text(encoding="utf-8") == CHECKED_IN
    written = run("check-in", path, "--as-of", "2026-12-01")
    assert written.exit_code == 0
    assert path.read_text(encoding="utf-8").startswith(CHECKED_IN)
    assert path.stat().st_mode & 0o777 == 0o640


def test_no_check_ins_no_section_and_a_how_to_in_the_blank(run: Any, tmp_path: Path) -> None:
    result = run("render", EXAMPLE, "-f", "md", "-o", "-")
    assert result.exit_code == 0, result.output
    assert "Check-ins" not in result.stdout
    blank = run("render", "--blank", "-f", "md", "-o", "-")
    assert blank.exit_code == 0, blank.output
    assert blank.stdout.rstrip().endswith(
        "## Check-ins\n\nOnce a month, revisit this plan with your manager and add a check-in: "
        "closed won and open pipeline that day, each skill's actual so far, each play's status "
        "(on track, at risk, done or dropped) with a note, and the audibles agreed.")
    # Labels are the org's to reword, like every other section's.
    (tmp_path / "qsrkit.yaml").write_text("wording:\n  check_ins: Monthly reviews\n  pace_to: "
                                          "Pace towards\n", encoding="utf-8")
    path = _file(tmp_path)
    worded = run("render", path, "-f", "md", "-o", "-", "--config", tmp_path / "qsrkit.yaml")
    assert worded.exit_code == 0, worded.output
    assert "## Monthly reviews" in worded.stdout
    assert "| Pace towards 100% of quota |" in worded.stdout
