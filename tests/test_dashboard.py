"""`qsrkit render --crm EXPORT`: Section 4's dashboards, worked out from a small export by hand.

The as-of date D is 2026-10-05, so the QSR's quarter Q is 2026-Q4 (Oct 1 to Dec 31) and the
quarter before it P is 2026-Q3 (Jul 1 to Sep 30). Default thresholds: aging beyond 90 days,
early stages closing within 4 weeks (D + 28 = 2026-11-02), pushed 2 times or more.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

HEADER = ["Opportunity Owner", "Opportunity Name", "Stage", "Amount", "Probability (%)",
          "Created Date", "Close Date", "Next Step", "Push Count", "Opportunity ID"]

#  name, stage, amount, probability, created, close, next step, pushes
AVERY = [
    # Open, closing in Q4. Ages are days from creation to D.
    ("Alpha", "Prospecting", "10000", "10", "2026-09-01", "2026-11-02", "Demo", "0"),  # D+28
    ("Bravo", "Prospecting", "20000", "10", "2026-09-01", "2026-11-03", "Call", "1"),  # D+29
    ("Charlie", "Negotiation/Review", "50000", "90", "2026-07-07", "2026-12-15", "", "2"),  # 90 d
    ("Delta", "Negotiation/Review", "30000", "90", "2026-07-06", "2026-12-20", "Sign", "1"),  # 91
    ("Echo", "Qualification", "8000", "20", "2026-08-01", "2026-10-04", "Chase", "0"),  # D-1
    ("Foxtrot", "Value Proposition", "5000", "50", "2026-09-15", "2026-10-05", "Send", "0"),  # D
    # Open, closing next quarter: not in Q4's pipeline.
    ("Golf", "Prospecting", "40000", "10", "2026-09-20", "2027-01-15", "Intro", "0"),
    # Decided in P. Days: W1 30, W2 40 (Small); W3 91 (Mid-size); L1 10 (Mid-size);
    # L2 Mar 3 -> Sep 29 = 210 and L3 60 (Large).
    ("W1", "Closed Won", "5000", "100", "2026-06-01", "2026-07-01", "", "0"),
    ("W2", "Closed Won", "8000", "100", "2026-06-11", "2026-07-21", "", "0"),
    ("W3", "Closed Won", "20000", "100", "2026-05-02", "2026-08-01", "", "0"),
    ("L1", "Closed Lost", "15000", "0", "2026-07-01", "2026-07-11", "", "0"),
    ("L2", "Closed Lost", "60000", "0", "2026-03-03", "2026-09-29", "", "0"),
    ("L3", "Closed Lost", "70000", "0", "2026-08-01", "2026-09-30", "", "0"),
    # Won in Q2: outside P.
    ("W0", "Closed Won", "9000", "100", "2026-03-01", "2026-05-01", "", "0"),
]
JORDAN = [("Juliet", "Prospecting", "12000", "10", "2026-09-10", "2026-11-30", "Call", "0")]

ANSWERS = """schema_version: 1
account_executive: {rep}
quarter: 2026-Q4
current_quarter:
  outlook:
    quota: 300000
    win_rate: 25
    average_deal_size: 20000
  calculator:
    closed_won: 60000
    open_pipeline: 400000
    weeks_to_work: 10
"""


def write_export(path: Path, rows: dict[str, list[tuple[str, ...]]],
                 drop: tuple[str, ...] = ()) -> Path:
    keep = [i for i, h in enumerate(HEADER) if h not in drop]
    lines = [",".join(HEADER[i] for i in keep)]
    number = 0
    for owner, deals in rows.items():
        for deal in deals:
            number += 1
            values = [owner, *deal, f"006X{number:05d}"]
            lines.append(",".join(values[i] for i in keep))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def setup(in_tmp: Path) -> Path:
    write_export(in_tmp / "export.csv", {"Avery Quinn": AVERY, "Jordan Lee": JORDAN})
    (in_tmp / "avery.yaml").write_text(ANSWERS.format(rep="Avery Quinn"), encoding="utf-8")
    return in_tmp


def tables(path: Path) -> dict[tuple[str, ...], list[list[str]]]:
    """Every table of the .docx by its header row: the rows below it, cell texts."""
    found = {}
    for table in docx.Document(str(path)).tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        found[tuple(rows[0])] = rows[1:]
    return found


def text_of(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


STAGES = ("Stage", "Deals", "Amount", "Weighted pipeline")
TIERS = ("Revenue tier", "Won", "Days to win", "Lost", "Days to lose")
RULES = ("Check", "Rule", "Deals", "Amount")
DEALS = ("Deal", "Stage", "Amount", "Close date", "To look at")
WEEKS = ("Week of", "Created", "Pipeline created", "Needed for 100% of quota",
         "Needed for 150% of quota")


def render(run, *args: str) -> object:
    result = run("render", "avery.yaml", "--crm", "export.csv", "--as-of", "2026-10-05",
                 "-o", "qsr.docx", *args)
    assert result.exit_code == 0, result
    return result


def test_pipeline_by_stage_weighted_by_the_export_probability(run, setup: Path) -> None:
    render(run)
    found = tables(setup / "qsr.docx")
    # Prospecting: Alpha 10,000 + Bravo 20,000 = 30,000, weighted 10% -> 3,000 (Golf closes in
    # 2027-Q1). Qualification: Echo 8,000 x 20% = 1,600. Value Proposition: 5,000 x 50% = 2,500.
    # Negotiation/Review: 50,000 + 30,000 = 80,000 x 90% = 72,000. Total 123,000 and 79,100.
    # Stages run from the least likely to the most.
    assert found[STAGES] == [
        ["Prospecting", "2", "$30,000", "$3,000"],
        ["Qualification", "1", "$8,000", "$1,600"],
        ["Value Proposition", "1", "$5,000", "$2,500"],
        ["Negotiation/Review", "2", "$80,000", "$72,000"],
        ["Total", "6", "$123,000", "$79,100"],
    ]
    text = text_of(setup / "qsr.docx")
    assert "Worked out from export.csv, as of 2026-10-05." in text
    assert "Weighted by each deal's probability in the export." in text


def test_win_rate_and_days_to_win_and_lose_by_tier(run, setup: Path) -> None:
    render(run)
    found = tables(setup / "qsr.docx")
    # Small (< 10,000): W1 30 d, W2 40 d -> 35. Mid-size (< 50,000): W3 91; L1 10.
    # Large: L2 210 and L3 60 -> 135. W0 closed in Q2 and is left out.
    assert found[TIERS] == [
        ["Small", "2", "35", "0", "—"],
        ["Mid-size", "1", "91", "1", "10"],
        ["Large", "0", "—", "2", "135"],
    ]
    # 3 won of 6 decided in 2026-Q3.
    assert "Win rate: 50% (3 won of 6 decided)" in text_of(setup / "qsr.docx")


def test_clean_your_room_hits_and_misses_each_rule_at_its_edge(run, setup: Path) -> None:
    render(run)
    found = tables(setup / "qsr.docx")
    # Past close: Echo (Oct 4) yes, Foxtrot (closing on D) no. Aging: Delta (91 d) yes, Charlie
    # (90 d) no. Early, closing within 4 weeks: Alpha (D+28) yes, Bravo (D+29) no, Echo (closing
    # before D) no. Pushed 2+: Charlie (2) yes, Delta (1) no. No next step: Charlie.
    assert found[RULES] == [
        ["Past the close date", "close date before 2026-10-05", "1", "$8,000"],
        ["Aging", "created more than 90 days ago", "1", "$30,000"],
        ["Early stage, closing soon", "early stage, closing within 4 weeks", "1", "$10,000"],
        ["Pushed again and again", "pushed 2 times or more", "1", "$50,000"],
        ["No next step", "next step blank", "1", "$50,000"],
    ]
    # Charlie has two reasons, so it comes first; then the largest amounts.
    assert found[DEALS] == [
        ["Charlie", "Negotiation/Review", "$50,000", "2026-12-15",
         "Pushed again and again (2×); No next step"],
        ["Delta", "Negotiation/Review", "$30,000", "2026-12-20", "Aging (91 d)"],
        ["Alpha", "Prospecting", "$10,000", "2026-11-02", "Early stage, closing soon"],
        ["Echo", "Qualification", "$8,000", "2026-10-04", "Past the close date (1 d)"],
    ]


def test_weekly_created_against_the_calculators_need(run, setup: Path) -> None:
    render(run)
    weeks = tables(setup / "qsr.docx")[WEEKS]
    # 26 weeks ending on D: the first starts on D - 181 = 2026-04-07, the last on 2026-09-29.
    assert len(weeks) == 26
    assert weeks[0][0] == "2026-04-07" and weeks[-1][0] == "2026-09-29"
    by_week = {w[0]: w[1:3] for w in weeks}
    assert by_week["2026-09-01"] == ["2", "$30,000"]  # Alpha and Bravo, created Sep 1
    assert by_week["2026-07-28"] == ["2", "$78,000"]  # Echo 8,000 and L3 70,000, Aug 1
    assert by_week["2026-06-30"] == ["2", "$45,000"]  # L1 (Jul 1) 15,000, Delta (Jul 6) 30,000
    assert by_week["2026-07-07"] == ["1", "$50,000"]  # Charlie
    assert by_week["2026-08-25"] == ["0", "$0"]
    # Need: (300,000 - 60,000) / 25% = 960,000 - 400,000 = 560,000 / 20,000 = 28 opps / 10
    # weeks = 2.8 a week; for 150%: (450,000 - 60,000) / 25% - 400,000 = 1,160,000 -> 58 -> 5.8.
    assert {tuple(w[3:]) for w in weeks} == {("2.8", "5.8")}


def test_thresholds_come_from_the_org_config(run, setup: Path) -> None:
    (setup / "qsrkit.yaml").write_text(
        "dashboard:\n  aging_days: 89\n  closing_within_weeks: 5\n  pushes_at_least: 1\n"
        "  list_at_most: 2\n", encoding="utf-8")
    render(run, "--config", "qsrkit.yaml")
    found = tables(setup / "qsr.docx")
    counts = {row[0]: row[2] for row in found[RULES]}
    # Aging beyond 89 days: Charlie (90) and Delta (91). Within 5 weeks (D+35 = Nov 9): Alpha
    # and Bravo. Pushed once or more: Bravo, Charlie, Delta.
    assert counts == {"Past the close date": "1", "Aging": "2", "Early stage, closing soon": "2",
                      "Pushed again and again": "3", "No next step": "1"}
    # Five deals are listed (Alpha, Bravo, Charlie, Delta, Echo); two are shown.
    assert [row[0] for row in found[DEALS]] == ["Charlie", "Delta"]
    assert "and 3 more deal(s) on the list" in text_of(setup / "qsr.docx")


def test_a_bad_threshold_is_located_in_the_config(run, setup: Path) -> None:
    (setup / "qsrkit.yaml").write_text("dashboard:\n  aging_days: 0\n  stage_probabilities:\n"
                                       "    Prospecting: 120\n", encoding="utf-8")
    result = run("render", "avery.yaml", "--crm", "export.csv", "--config", "qsrkit.yaml",
                 "-o", "qsr.docx")
    assert result.exit_code == 3, result
    assert "qsrkit.yaml:2:" in result.output and "dashboard.aging_days" in result.output
    assert "1 or more" in result.output
    assert "dashboard.stage_probabilities" in result.output and "0 to 100" in result.output
    assert not (setup / "qsr.docx").exists()


def test_without_probabilities_the_stage_defaults_weigh_or_it_says_it_cannot(
        run, setup: Path) -> None:
    write_export(setup / "export.csv", {"Avery Quinn": AVERY},
                 drop=("Probability (%)", "Next Step", "Push Count"))
    render(run)
    found = tables(setup / "qsr.docx")
    assert [row[3] for row in found[STAGES]] == ["—"] * 5
    text = text_of(setup / "qsr.docx")
    # Without probabilities, the stages are in alphabetical order.
    assert ("Not weighed: Negotiation/Review, Prospecting, Qualification, Value Proposition."
            in text)
    # The rules that need a missing column say so instead of counting.
    rules = {row[0]: row[1:] for row in found[RULES]}
    assert rules["Pushed again and again"] == [
        "pushed 2 times or more (needs a push count column in the export)", "—", "—"]
    assert rules["No next step"][0].endswith("(needs a next step column in the export)")

    (setup / "qsrkit.yaml").write_text(
        "dashboard:\n  stage_probabilities:\n    prospecting: 20\n    Qualification: 25\n"
        "    Value Proposition: 40\n    Negotiation/Review: 75%\n", encoding="utf-8")
    render(run, "--config", "qsrkit.yaml", "--force")
    found = tables(setup / "qsr.docx")
    # 30,000 x 20% = 6,000; 8,000 x 25% = 2,000; 5,000 x 40% = 2,000; 80,000 x 75% = 60,000.
    assert [row[3] for row in found[STAGES]] == ["$6,000", "$2,000", "$2,000", "$60,000",
                                                 "$70,000"]
    assert "stage probabilities of the org config" in text_of(setup / "qsr.docx")


def test_a_bad_export_is_located(run, setup: Path) -> None:
    bad = list(AVERY)
    bad[1] = ("Bravo", "Prospecting", "20000", "likely", "2026-09-01", "2026-11-03", "Call", "1")
    write_export(setup / "export.csv", {"Avery Quinn": bad})
    result = run("render", "avery.yaml", "--crm", "export.csv", "-o", "qsr.docx")
    assert result.exit_code == 3, result
    # Row 3 of the file (the header is row 1), column 5: Probability (%).
    assert "export.csv:3:5: Probability (%): error: likely is not a probability" in result.output
    assert not (setup / "qsr.docx").exists()

    bad[1] = ("Bravo", "Prospecting", "20k", "10", "2026-09-01", "2026-11-03", "Call", "1")
    write_export(setup / "export.csv", {"Avery Quinn": bad})
    result = run("render", "avery.yaml", "--crm", "export.csv", "-o", "qsr.docx")
    assert result.exit_code == 3, result
    assert "export.csv:3:4: Amount: error:" in result.output


def test_a_rep_missing_from_the_export_gets_a_note_and_a_warning(run, setup: Path) -> None:
    (setup / "sam.yaml").write_text(ANSWERS.format(rep="Sam Ortiz"), encoding="utf-8")
    result = run("render", "sam.yaml", "--crm", "export.csv", "--as-of", "2026-10-05",
                 "-o", "sam.docx")
    assert result.exit_code == 0, result
    assert "no opportunities owned by Sam Ortiz" in result.output
    assert "The export has no opportunities owned by Sam Ortiz." in text_of(setup / "sam.docx")
    assert STAGES not in tables(setup / "sam.docx")


def test_options_that_need_an_export(run, setup: Path) -> None:
    result = run("render", "avery.yaml", "--as-of", "2026-10-05", "-o", "qsr.docx")
    assert result.exit_code == 2 and "--crm" in result.output
    result = run("render", "--blank", "--crm", "export.csv", "-o", "qsr.docx")
    assert result.exit_code == 2
    result = run("render", "avery.yaml", "--crm", "export.csv", "--as-of", "2026-13-01",
                 "-o", "qsr.docx")
    assert result.exit_code == 2 and "--as-of" in result.output


def test_without_crm_section_4_is_as_before(run, setup: Path) -> None:
    assert run("render", "avery.yaml", "-o", "qsr.docx").exit_code == 0
    assert "From the CRM" not in text_of(setup / "qsr.docx")
    assert STAGES not in tables(setup / "qsr.docx")


def test_a_batch_reads_the_export_once(run, setup: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qsrkit.crm import deals

    reads: list[Path] = []
    real = deals.read_deals

    def counting(path: Path, *args: object, **kwargs: object) -> object:
        reads.append(path)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(deals, "read_deals", counting)
    (setup / "jordan.yaml").write_text(ANSWERS.format(rep="Jordan Lee"), encoding="utf-8")
    (setup / "avery2.yaml").write_text(ANSWERS.format(rep="avery  QUINN").replace(
        "2026-Q4", "2027-Q1"), encoding="utf-8")
    result = run("render", "avery.yaml", "jordan.yaml", "avery2.yaml", "--crm", "export.csv",
                 "--as-of", "2026-10-05", "--out-dir", "out")
    assert result.exit_code == 0, result
    assert reads == [Path("export.csv")]
    # Each document has its own rep's deals: Jordan's one deal, Juliet, 12,000 at 10%.
    jordan = tables(setup / "out" / "jordan-lee-2026-Q4-qsr.docx")
    assert jordan[STAGES] == [["Prospecting", "1", "$12,000", "$1,200"],
                              ["Total", "1", "$12,000", "$1,200"]]
    # The same rep planning 2027-Q1: Golf (40,000, closing 2027-01-15) is that quarter's
    # pipeline, and the win rate is Q4's (nothing decided yet).
    later = tables(setup / "out" / "avery-quinn-2027-Q1-qsr.docx")
    assert later[STAGES] == [["Prospecting", "1", "$40,000", "$4,000"],
                             ["Total", "1", "$40,000", "$4,000"]]
