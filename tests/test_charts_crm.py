"""Section 4's charts with `render --crm`: the pipeline by stage and the weekly creation.

The small export is test_dashboard's (as of 2026-10-05, worked by hand there and again here):

    pipeline by stage, open deals closing in 2026-Q4 (Golf closes in 2027-Q1):
        Prospecting          Alpha 10,000 + Bravo 20,000 = 30,000   weighted at 10%   3,000
        Qualification        Echo 8,000                              at 20%           1,600
        Value Proposition    Foxtrot 5,000                           at 50%           2,500
        Negotiation/Review   Charlie 50,000 + Delta 30,000 = 80,000  at 90%          72,000
    weekly need: (300,000 − 60,000) ÷ 25% = 960,000 − 400,000 open = 560,000 ÷ 20,000 = 28 opps
        over 10 weeks = 2.8 a week; for 150%: (450,000 − 60,000) ÷ 25% − 400,000 = 1,160,000
        → 58 opps → 5.8 a week. The 26 weeks start on D − 181 = 2026-04-07.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shlex
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from conftest import EXAMPLE, EXAMPLES, ROOT
from test_charts import PDFTOPPM, PDFTOTEXT, SOFFICE, _pixels_near, _values, read_charts
from test_dashboard import ANSWERS, AVERY, JORDAN, STAGES, tables, write_export

PIPELINE = "Open and weighted pipeline by stage"
WEEKLY = "Opportunities created per week"
PACING = "Pacing against the targets"


@pytest.fixture
def setup(in_tmp: Path) -> Path:
    write_export(in_tmp / "export.csv", {"Avery Quinn": AVERY, "Jordan Lee": JORDAN})
    (in_tmp / "avery.yaml").write_text(ANSWERS.format(rep="Avery Quinn"), encoding="utf-8")
    return in_tmp


def render(run, *args: str) -> None:
    result = run("render", "avery.yaml", "--crm", "export.csv", "--as-of", "2026-10-05", *args)
    assert result.exit_code == 0, result


def weeks_table(path: Path) -> list[list[str]]:
    return next(rows for head, rows in tables(path).items() if head[0] == "Week of")


def test_the_crm_charts_carry_the_tables_numbers(run, setup: Path) -> None:
    render(run, "-o", "qsr.docx")
    charts = read_charts(setup / "qsr.docx")
    assert list(charts) == [PIPELINE, WEEKLY, PACING]  # in the order of the document

    pipeline = charts[PIPELINE]
    assert pipeline["kind"] == "barChart:bar"
    assert pipeline["categories"] == ["Prospecting", "Qualification", "Value Proposition",
                                      "Negotiation/Review"]
    assert [(s["name"], _values(s, 4)) for s in pipeline["series"]] == [
        ("Open pipeline", ["30000", "8000", "5000", "80000"]),
        ("Weighted pipeline", ["3000", "1600", "2500", "72000"]),
    ]
    # The same figures as the table prints them (its Total row is not charted).
    shown = [[row[2], row[3]] for row in tables(setup / "qsr.docx")[STAGES][:-1]]
    charted = [[f"${int(v):,}" for v in pair]
               for pair in zip(*(_values(s, 4) for s in pipeline["series"]), strict=True)]
    assert charted == shown

    weekly = charts[WEEKLY]
    assert weekly["kind"] == "lineChart"
    rows = weeks_table(setup / "qsr.docx")
    assert weekly["categories"] == [row[0] for row in rows]
    assert weekly["categories"][0] == "2026-04-07" and len(weekly["categories"]) == 26
    created, need, stretch = weekly["series"]
    assert created["name"] == "Created" and _values(created, 26) == [row[1] for row in rows]
    # Alpha and Bravo (Sep 1), then Charlie (Jul 7): the weeks of 2026-09-01 and 2026-07-07.
    assert _values(created, 26)[21] == "2" and _values(created, 26)[13] == "1"
    assert need["name"] == "Needed for 100% of quota" and _values(need, 26) == ["2.8"] * 26
    assert stretch["name"] == "Needed for 150% of quota" and _values(stretch, 26) == ["5.8"] * 26
    assert all(s["fill"] for c in charts.values() for s in c["series"])

    # Alt text: the weeks series by series, a constant need said once.
    alt = [s._inline.docPr.get("descr") for s in docx.Document(str(setup / "qsr.docx"))
           .inline_shapes]
    assert "Prospecting: Open pipeline $30,000, Weighted pipeline $3,000" in alt[0]
    assert alt[1].startswith(f"{WEEKLY}, 2026-04-07 to 2026-09-29. Created: 0, ")
    assert "Needed for 100% of quota: 2.8 throughout" in alt[1]


def test_without_weights_or_without_the_rep_the_charts_say_no_more(run, setup: Path) -> None:
    write_export(setup / "export.csv", {"Avery Quinn": AVERY}, drop=("Probability (%)",))
    render(run, "-o", "bare.docx")
    pipeline = read_charts(setup / "bare.docx")[PIPELINE]
    # Nothing is weighed: one series, no legend entry for bars that are not there.
    assert [s["name"] for s in pipeline["series"]] == ["Open pipeline"]

    write_export(setup / "export.csv", {"Jordan Lee": JORDAN})
    render(run, "-o", "none.docx")
    assert list(read_charts(setup / "none.docx")) == [PACING]


def test_html_draws_the_crm_charts_and_markdown_gives_their_numbers(run, setup: Path) -> None:
    render(run, "-f", "html", "-o", "qsr.html")
    page = (setup / "qsr.html").read_text(encoding="utf-8")
    pipeline, weekly, _pacing = re.findall(r"<svg .*?</svg>", page, flags=re.S)
    assert f">{PIPELINE}</text>" in pipeline
    for figure in ("$30,000", "$80,000", "$3,000", "$72,000"):
        assert f">{figure}</text>" in pipeline
    # One line of weeks and two dashed needs; a week label every 4th week (26 would overlap).
    assert weekly.count("<polyline ") == 3 and weekly.count('stroke-dasharray="6 4"') == 2
    assert ">2026-04-07</text>" in weekly and ">2026-05-05</text>" in weekly
    assert ">2026-04-14</text>" not in weekly

    render(run, "-f", "md", "-o", "qsr.md")
    text = (setup / "qsr.md").read_text(encoding="utf-8")
    assert (f"*Chart (drawn in the Word and HTML versions): {WEEKLY}, 2026-04-07 to 2026-09-29. "
            "Created: 0, ") in text
    assert "Needed for 150% of quota: 5.8 throughout.*" in text


def test_renamed_labels_reach_the_chart_part_and_the_svg(run, in_tmp: Path) -> None:
    (in_tmp / "qsrkit.yaml").write_text(
        "wording:\n  pacing_chart: Where the quarter stands\n"
        "  closed_won_to_date: Booked so far\n", encoding="utf-8")
    result = run("render", EXAMPLE, "--config", "qsrkit.yaml", "-o", "qsr.docx")
    assert result.exit_code == 0, result
    pacing = read_charts(in_tmp / "qsr.docx")["Where the quarter stands"]
    assert [s["name"] for s in pacing["series"]] == ["Target", "Booked so far", "Open pipeline"]

    assert run("render", EXAMPLE, "--config", "qsrkit.yaml", "-f", "html",
               "-o", "qsr.html").exit_code == 0
    page = (in_tmp / "qsr.html").read_text(encoding="utf-8")
    assert ">Where the quarter stands</text>" in page and ">Booked so far</text>" in page
    assert PACING not in page


# --- the README's "try it on the example" -----------------------------------------------------

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _readme_command() -> list[str]:
    lines = [line.strip() for line in README.splitlines()
             if line.strip().startswith("qsrkit render examples/") and "--crm" in line]
    assert len(lines) == 1, "README's render section lost its try-it-on-the-example command"
    return shlex.split(lines[0])[1:]


def _by_hand(export: Path, as_of: dt.date) -> tuple[dict[str, tuple[int, Decimal]], list[int]]:
    """Avery's open deals closing in 2026-Q4 per stage (deals, amount) and the deals created
    each of the 26 weeks ending on `as_of`, straight from the CSV (the export's dates are M/D/Y)."""
    def day(text: str) -> dt.date:
        month, mday, year = (int(p) for p in text.split("/"))
        return dt.date(year, month, mday)

    stages: dict[str, tuple[int, Decimal]] = {}
    first = as_of - dt.timedelta(days=181)
    weeks = [0] * 26
    with export.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            created = day(row["Created Date"])
            if row["Opportunity Owner"] != "Avery Quinn" or created > as_of:
                continue
            if created >= first:
                weeks[(created - first).days // 7] += 1
            close = day(row["Close Date"])
            if not row["Stage"].startswith("Closed") and \
                    dt.date(2026, 10, 1) <= close <= dt.date(2026, 12, 31):
                deals, amount = stages.get(row["Stage"], (0, Decimal(0)))
                stages[row["Stage"]] = (deals + 1, amount + Decimal(row["Amount"]))
    return stages, weeks


def _amount(text: str) -> Decimal:
    return Decimal(text.lstrip("$").replace(",", ""))


def test_the_readme_example_command_fills_section_4(run, in_tmp: Path) -> None:
    shutil.copytree(EXAMPLES, in_tmp / "examples")
    args = _readme_command()
    result = run(*args)
    assert result.exit_code == 0, result
    out = in_tmp / "avery-quinn-2026-Q4-qsr.docx"
    assert out.is_file(), result.output
    as_of = dt.date.fromisoformat(args[args.index("--as-of") + 1])
    stages, weeks = _by_hand(in_tmp / args[args.index("--crm") + 1], as_of)

    found = tables(out)
    rows = found[STAGES]
    assert {r[0]: (int(r[1]), _amount(r[2])) for r in rows[:-1]} == stages
    assert rows[-1][1:3] == [str(sum(d for d, _ in stages.values())),
                             f"${sum(a for _, a in stages.values()):,.0f}"]
    assert [int(r[1]) for r in weeks_table(out)] == weeks and sum(weeks) > 0

    charts = read_charts(out)
    assert list(charts) == ["Attainment (2026-Q3)", PIPELINE, WEEKLY, PACING]
    open_pipeline = charts[PIPELINE]["series"][0]
    assert [Decimal(v) for v in _values(open_pipeline, len(stages))] == \
        [_amount(r[2]) for r in rows[:-1]]
    assert [int(v) for v in _values(charts[WEEKLY]["series"][0], 26)] == weeks


@pytest.mark.skipif(SOFFICE is None or PDFTOTEXT is None or PDFTOPPM is None,
                    reason="LibreOffice (soffice), pdftotext or pdftoppm not installed")
def test_libreoffice_draws_the_crm_charts(run, in_tmp: Path) -> None:
    shutil.copytree(EXAMPLES, in_tmp / "examples")
    assert run(*_readme_command()).exit_code == 0
    docx_path = in_tmp / "avery-quinn-2026-Q4-qsr.docx"
    subprocess.run([str(SOFFICE), f"-env:UserInstallation={(in_tmp / 'profile').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(in_tmp),
                    str(docx_path)], capture_output=True, timeout=180, check=False)
    pdf = docx_path.with_suffix(".pdf")
    assert pdf.is_file() and pdf.stat().st_size > 1000, "LibreOffice did not convert the QSR"
    pages = []
    for number in range(1, 30):
        text = subprocess.run([str(PDFTOTEXT), "-f", str(number), "-l", str(number), str(pdf),
                               "-"], capture_output=True, text=True, check=False).stdout
        if not text.strip():
            break
        pages.append(" ".join(text.split()))
    pipeline = next(i for i, t in enumerate(pages, 1) if PIPELINE in t)
    # The bars' figures as the table prints them, and the week labels of the line chart.
    assert "$154,501.50" in pages[pipeline - 1] and "$77,251" in pages[pipeline - 1]
    weekly = max(i for i, t in enumerate(pages, 1) if WEEKLY in t)  # the title after the table

    def orange(number: int) -> int:
        ppm = subprocess.run([str(PDFTOPPM), "-r", "40", "-f", str(number), "-l", str(number),
                              str(pdf)], capture_output=True, check=True).stdout
        return _pixels_near(ppm, "ED7D31", 25)

    # Orange is the open pipeline bars and the 150% need's dashed line; nothing else on
    # either page is orange. Seven bars at 40 dpi cover thousands of pixels; a dashed line
    # across the chart about a hundred.
    assert orange(pipeline) > 1000
    assert orange(weekly) > 40
