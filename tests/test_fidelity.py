"""The QSR says what the method asks: last quarter's plays and lessons, the rep's own goals
beside the need, the send-by date, the how-to in the blank document, dates that fit the quarter.

Every test runs the real command and reads the result back: the .docx with python-docx, the
answers file as text, or the terminal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import docx
from conftest import EXAMPLE

DOCX = "avery-quinn-2026-Q4-qsr.docx"


def document(run: Any, folder: Path, answers: Path = EXAMPLE, *args: str) -> Any:
    result = run("render", answers, "-o", folder / DOCX, *args)
    assert result.exit_code == 0, result
    return docx.Document(str(folder / DOCX))


def table(doc: Any, header: list[str]) -> list[list[str]]:
    for found in doc.tables:
        rows = [[c.text for c in row.cells] for row in found.rows]
        if rows[0] == header:
            return rows
    raise AssertionError(f"no table with header {header}")


def paragraphs(doc: Any) -> list[str]:
    return [p.text for p in doc.paragraphs]


def edited(folder: Path, old: str, new: str, name: str = "a.yaml") -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text, old
    path = folder / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_last_quarters_plays_stand_beside_what_came_of_them(run: Any, in_tmp: Path) -> None:
    doc = document(run, in_tmp)
    assert table(doc, ["Play", "What came of it"])[1:] == [
        ["Win back churned logistics accounts", "Three meetings, one deal of $41,000 closed won"],
        ["Partner-sourced pipeline with the two regional integrators",
         "Four opportunities sourced, two still open"],
    ]


def test_the_lessons_have_their_place(run: Any, in_tmp: Path) -> None:
    body = paragraphs(document(run, in_tmp))
    assert "Lessons" in body
    assert any(p.startswith("What I learned: Deals with a second champion") for p in body)
    assert any(p.startswith("What changed around me: A new competitor") for p in body)


def test_rate_goals_read_as_points_and_amounts_as_percent(run: Any, in_tmp: Path) -> None:
    rows = table(document(run, in_tmp), ["Metric", "Goal", "Actual", "Attainment"])
    by_metric = {row[0]: row[1:] for row in rows[1:]}
    # win rate: goal 25%, actual 22% -> 3 points below; deal size 20,000 -> 21,230: 106.2%
    assert by_metric["Win rate"][2] == "−3 pts"
    assert by_metric["Revenue against quota"][2].endswith("%")


def test_the_outlook_sets_the_reps_plan_beside_the_need(run: Any, in_tmp: Path) -> None:
    rows = {row[0]: row[1] for row in table(document(run, in_tmp), ["Metric", "This quarter"])[1:]}
    assert rows["Opportunities to close won"] == "15"
    assert rows["Meetings per week"] == "6"
    assert rows["Pipeline to create per week"] == "$66,000"
    # The calculator: 35 opportunities over 11 weeks = 3.18 -> 3.2 a week for 100%;
    # 67 / 11 = 6.09 -> 6.1 for the 150% personal goal. The rep plans 3.
    assert rows["Weekly plan against the need"] == (
        "plans 3 a week; 3.2 needed for 100% of quota, 6.1 for 150% of quota (personal goal)")


def test_send_by_is_two_days_before_the_review_and_check_warns_when_late(
        run: Any, in_tmp: Path) -> None:
    # The example's review is 2026-10-07, so the QSR is due 2026-10-05, the day it was prepared.
    header = paragraphs(document(run, in_tmp))[:10]
    assert any("Send to your manager by: 2026-10-05" in p for p in header)
    late = edited(in_tmp, "preparation_date: 2026-10-05", "preparation_date: 2026-10-06")
    result = run("check", late)
    assert result.exit_code == 0, result
    assert (f"{late}:13:1: preparation_date: warning: is after 2026-10-05: the QSR goes to your "
            "manager 48 hours before the review on 2026-10-07") in result.stdout


def test_the_blank_document_says_how_to_fill_it_in(run: Any, in_tmp: Path) -> None:
    result = run("render", "--blank", "-o", in_tmp / "blank.docx")
    assert result.exit_code == 0, result
    body = "\n".join(paragraphs(docx.Document(str(in_tmp / "blank.docx"))))
    assert "How to fill in this QSR" in body
    assert "48 hours before the review meeting" in body
    assert "How to fill in this QSR" not in "\n".join(paragraphs(document(run, in_tmp)))


def test_numbers_dated_before_the_quarter_are_warned_about(run: Any, in_tmp: Path) -> None:
    early = edited(in_tmp, "    weeks_to_work: 11\n", "    as_of: 2026-09-01\n")
    result = run("check", early)
    assert ("current_quarter.calculator.as_of: warning: 2026-09-01 is before 2026-Q4 starts on "
            "2026-10-01") in result.stdout
    calc = run("calc", early, "--json")
    assert calc.exit_code == 0, calc
    assert "as of 2026-09-01 is before 2026-Q4 starts on 2026-10-01" in calc.stderr
    # Counted from the quarter's start: 1 Oct to 31 Dec is 92 days = 13.1 weeks, not 17.4.
    assert json.loads(calc.stdout)["targets"][0]["weeks_to_work"] == 13.1
    doc_text = "\n".join(paragraphs(document(run, in_tmp, early)))
    assert "The numbers are as of 2026-09-01." in doc_text


def test_previous_carries_every_goal_into_the_next_reflection(run: Any, in_tmp: Path) -> None:
    result = run("new", "--previous", EXAMPLE)
    assert result.exit_code == 0, result
    text = (in_tmp / "avery-quinn-2027-Q1.yaml").read_text(encoding="utf-8")
    for line in ("weekly_meetings:", "weekly_opportunities:", "weekly_pipeline:",
                 "opportunities_won:"):
        assert line in text
    # The outlook goals of the example: 6 meetings, 3 opportunities, $66,000, 15 won.
    section = text.split("previous_quarter:", 1)[1].split("diagnosis:", 1)[0]
    for goal in ("goal: 6", "goal: 3", "goal: 66000", "goal: 15"):
        assert goal in section, goal


def test_a_blank_bullet_beside_typed_ones_is_not_printed(run: Any, in_tmp: Path) -> None:
    path = edited(in_tmp, "        - Map a second champion in each account by week 3\n",
                  "        - Map a second champion in each account by week 3\n        -\n")
    body = paragraphs(document(run, in_tmp, path))
    start = body.index("Plays for this quarter")
    plays = [p for p in body[start + 1:] if p]
    assert plays[:3] == ["Expand in the ten largest existing accounts",
                         "Map a second champion in each account by week 3",
                         "Run a value review with each account's sponsor before December"]
