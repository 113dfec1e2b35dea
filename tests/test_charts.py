"""Charts: native chart parts in Word, inline SVG in HTML, a note with the numbers in Markdown.

The numbers, worked by hand from examples/avery-quinn-2026-Q4.yaml:

    attainment (2026-Q3), actual ÷ goal × 100, one decimal (half up), goal 100% for each:
        Revenue against quota                318,500 / 300,000 = 106.17  → 106.2
        Revenue against personal goal        318,500 / 360,000 = 88.47   → 88.5
        Meetings per week                    6.5 / 8           = 81.25   → 81.3
        Qualified opportunities per week     2.4 / 3           = 80
        Qualified pipeline created per week  51,200 / 60,000   = 85.33   → 85.3
        Opportunities closed won             14 / 15           = 93.33   → 93.3
        Average deal size                    22,750 / 20,000   = 113.75  → 113.8
        (win rate is a difference in points, −3 pts, not a share: not charted)
    pacing (2026-Q4), quota 330,000, personal goal 150%:
        Target          100% of quota 330,000   150% of quota (personal goal) 330,000 × 1.5 = 495,000
        Closed won      48,000 for both
        Open pipeline   410,000 for both
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from conftest import EXAMPLE
from lxml import etree

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS = {"c": C, "a": A}
CHART_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"

ATTAINMENT = {
    "Revenue against quota": "106.2",
    "Revenue against personal goal": "88.5",
    "Meetings per week": "81.3",
    "Qualified opportunities per week": "80",
    "Qualified pipeline created per week": "85.3",
    "Opportunities closed won": "93.3",
    "Average deal size": "113.8",
}
PACING_CATEGORIES = ["100% of quota", "150% of quota (personal goal)"]


def read_charts(path: Path) -> dict[str, dict[str, Any]]:
    """Each chart the document relates to, by title: its kind, categories and series, read from
    the package as Word reads it (relationship → part, content type from [Content_Types].xml)."""
    with zipfile.ZipFile(path) as package:
        rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
        types = etree.fromstring(package.read("[Content_Types].xml"))
        overrides = {o.get("PartName"): o.get("ContentType") for o in types}
        body = package.read("word/document.xml").decode("utf-8")
        found = {}
        for rel in rels:
            if rel.get("Type") != CHART_REL:
                continue
            name = "word/" + rel.get("Target").lstrip("/").removeprefix("word/")
            assert overrides.get("/" + name) == CHART_TYPE, name
            assert f'r:id="{rel.get("Id")}"' in body  # drawn in the body
            space = etree.fromstring(package.read(name))
            plot = space.find("c:chart/c:plotArea", NS)
            kind = plot[1]  # after c:layout
            title = "".join(space.xpath("c:chart/c:title//a:t/text()", namespaces=NS))
            series = []
            for ser in kind.findall("c:ser", NS):
                values = {int(p.get("idx")): p.findtext("c:v", namespaces=NS)
                          for p in ser.findall("c:val/c:numLit/c:pt", NS)}
                series.append({
                    "name": ser.findtext("c:tx/c:v", namespaces=NS),
                    "fill": ser.find("c:spPr/a:solidFill/a:srgbClr", NS) is not None
                    or ser.find("c:spPr/a:ln/a:solidFill/a:srgbClr", NS) is not None,
                    "values": values,
                })
            categories = ser.xpath("c:cat/c:strLit/c:pt/c:v/text()", namespaces=NS)
            bar_dir = kind.find("c:barDir", NS)
            found[title] = {
                "kind": etree.QName(kind).localname + (f":{bar_dir.get('val')}" if bar_dir is not None else ""),
                "categories": list(categories), "series": series, "part": name,
            }
        return found


def _values(series: dict[str, Any], count: int) -> list[str | None]:
    return [series["values"].get(i) for i in range(count)]


def test_the_qsr_draws_its_two_charts_with_the_documents_numbers(run, in_tmp: Path) -> None:
    assert run("render", EXAMPLE, "-o", "qsr.docx").exit_code == 0
    charts = read_charts(in_tmp / "qsr.docx")
    assert list(charts) == ["Attainment (2026-Q3)", "Pacing against the targets"]

    attainment = charts["Attainment (2026-Q3)"]
    assert attainment["kind"] == "barChart:bar"
    assert attainment["categories"] == list(ATTAINMENT)
    goal, actual = attainment["series"]
    assert (goal["name"], actual["name"]) == ("Goal", "Actual")
    assert _values(goal, 7) == ["100"] * 7
    assert _values(actual, 7) == list(ATTAINMENT.values())

    pacing = charts["Pacing against the targets"]
    assert pacing["kind"] == "barChart:col"
    assert pacing["categories"] == PACING_CATEGORIES
    assert [(s["name"], _values(s, 2)) for s in pacing["series"]] == [
        ("Target", ["330000", "495000"]),
        ("Closed won to date", ["48000", "48000"]),
        ("Open pipeline", ["410000", "410000"]),
    ]
    # LibreOffice 7.4 draws only the axes of a series without its own fill (DESIGN.md).
    assert all(s["fill"] for c in charts.values() for s in c["series"])

    # The same figures are in the document's tables, and in each drawing's alt text.
    document = docx.Document(str(in_tmp / "qsr.docx"))
    metrics = {row.cells[0].text: row.cells[3].text for row in document.tables[0].rows}
    assert {k: metrics[k] for k in ATTAINMENT} == {k: f"{v}%" for k, v in ATTAINMENT.items()}
    shapes = document.inline_shapes
    assert len(shapes) == 2
    alt = [s._inline.docPr.get("descr") for s in shapes]
    assert "Revenue against quota: Goal 100%, Actual 106.2%" in alt[0]
    assert ("150% of quota (personal goal): Target $495,000, Closed won to date $48,000, "
            "Open pipeline $410,000") in alt[1]


def test_a_chart_without_its_figures_is_left_out_quietly(run, in_tmp: Path) -> None:
    # No calculator inputs: no pacing chart; the attainment chart stays. A blank file: neither.
    text = EXAMPLE.read_text(encoding="utf-8")
    text = re.sub(r"  calculator:\n(    .*\n)+", "", text)
    (in_tmp / "partial.yaml").write_text(text, encoding="utf-8")
    result = run("render", "partial.yaml", "-o", "partial.docx")
    assert result.exit_code == 0, result
    assert "chart" not in result.output.lower()
    assert list(read_charts(in_tmp / "partial.docx")) == ["Attainment (2026-Q3)"]

    assert run("new", "blank.yaml", "--rep", "Jordan Lee", "--quarter", "2026-Q4").exit_code == 0
    assert run("render", "blank.yaml", "-o", "blank.docx").exit_code == 0
    assert read_charts(in_tmp / "blank.docx") == {}
    with zipfile.ZipFile(in_tmp / "blank.docx") as package:
        assert not [n for n in package.namelist() if "chart" in n]


def test_only_the_metrics_with_a_goal_and_a_result_are_charted(run, in_tmp: Path) -> None:
    # Meetings per week without an actual, average deal size without a goal: 5 bars, not 7.
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("      goal: 8\n      actual: 6.5\n", "      goal: 8\n      actual:\n")
    text = text.replace("      goal: 20000\n      actual: 22750\n", "      goal:\n      actual: 22750\n")
    (in_tmp / "some.yaml").write_text(text, encoding="utf-8")
    assert run("render", "some.yaml", "-o", "some.docx").exit_code == 0
    attainment = read_charts(in_tmp / "some.docx")["Attainment (2026-Q3)"]
    assert attainment["categories"] == [k for k in ATTAINMENT
                                        if k not in ("Meetings per week", "Average deal size")]


def test_charts_are_byte_reproducible(run, in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert run("render", EXAMPLE, "-o", "one.docx").exit_code == 0
    assert run("render", EXAMPLE, "-o", "two.docx").exit_code == 0
    assert (in_tmp / "one.docx").read_bytes() == (in_tmp / "two.docx").read_bytes()


def test_html_draws_each_chart_as_svg_and_markdown_gives_its_numbers(run, in_tmp: Path) -> None:
    assert run("render", EXAMPLE, "--format", "html", "-o", "qsr.html").exit_code == 0
    page = (in_tmp / "qsr.html").read_text(encoding="utf-8")
    svgs = re.findall(r"<svg .*?</svg>", page, flags=re.S)
    assert len(svgs) == 2 and "<script" not in page
    attainment, pacing = svgs
    assert ">Attainment (2026-Q3)</text>" in attainment
    for label, value in ATTAINMENT.items():
        assert f">{label}</text>" in attainment and f">{value}%</text>" in attainment
    for figure in ("$330,000", "$495,000", "$48,000", "$410,000"):
        assert f">{figure}</text>" in pacing
    assert "<title>Pacing against the targets. 100% of quota: Target $330,000" in pacing

    assert run("render", EXAMPLE, "--format", "md", "-o", "qsr.md").exit_code == 0
    text = (in_tmp / "qsr.md").read_text(encoding="utf-8")
    assert "qsrkit-chart" not in text and "![" not in text
    assert ("*Chart (drawn in the Word and HTML versions): Attainment (2026-Q3). Revenue against "
            "quota: Goal 100%, Actual 106.2%;") in text


def _team(folder: Path) -> None:
    """Avery (the example); Blake, who closed 240,000 last quarter and 130,000 so far; Drew,
    who has already closed more than the quota (no gap, so no coverage bar)."""
    example = EXAMPLE.read_text(encoding="utf-8")
    folder.mkdir()
    (folder / "avery.yaml").write_text(example, encoding="utf-8")
    blake = example.replace("Avery Quinn", "Blake <script>alert(1)</script> Rivera")
    blake = blake.replace("actual_revenue: 318500", "actual_revenue: 240000")
    blake = blake.replace("closed_won: 48000", "closed_won: 130000")
    (folder / "blake.yaml").write_text(blake, encoding="utf-8")
    drew = example.replace("Avery Quinn", "Drew Park").replace("closed_won: 48000",
                                                                "closed_won: 400000")
    (folder / "drew.yaml").write_text(drew, encoding="utf-8")


def test_the_team_pack_charts_attainment_and_coverage_per_rep(run, in_tmp: Path) -> None:
    _team(in_tmp / "team")
    result = run("team", "team", "--as-of", "2026-10-04", "-o", "pack.docx")
    assert result.exit_code == 0, result
    charts = read_charts(in_tmp / "pack.docx")
    blake = "Blake <script>alert(1)</script> Rivera"
    # Last quarter: Avery and Drew 318,500 / 300,000 = 106.2%; Blake 240,000 / 300,000 = 80%.
    attainment = charts["Last quarter: revenue as a percent of quota"]
    assert attainment["kind"] == "barChart:bar"
    assert dict(zip(attainment["categories"], _values(attainment["series"][0], 3), strict=True)) \
        == {"Avery Quinn": "106.2", blake: "80", "Drew Park": "106.2"}
    # Coverage: Avery 410,000 / (330,000 − 48,000) = 1.45 → 1.5; Blake 410,000 / (330,000 −
    # 130,000) = 2.05 → 2.1 (half up); Drew has closed 400,000 ≥ 330,000: nothing left to cover.
    coverage = charts["Pipeline coverage: open pipeline over the gap to quota"]
    assert dict(zip(coverage["categories"], _values(coverage["series"][0], 2), strict=True)) \
        == {"Avery Quinn": "1.5", blake: "2.1"}
    assert all(s["fill"] for c in charts.values() for s in c["series"])

    assert run("team", "team", "--as-of", "2026-10-04", "-o", "pack.html").exit_code == 0
    page = (in_tmp / "pack.html").read_text(encoding="utf-8")
    assert "<script" not in page
    assert page.count("<svg ") == 2
    assert ">Blake &lt;script&gt;alert(1)&lt;/script&gt; Rivera</text>" in page
    assert ">2.1×</text>" in page and ">80%</text>" in page


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT, PDFTOPPM = shutil.which("pdftotext"), shutil.which("pdftoppm")


def _pixels_near(ppm: bytes, color: str, tolerance: int = 40) -> int:
    """How many pixels of a binary PPM (P6) are within `tolerance` of `color` (RRGGBB)."""
    match = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", ppm)
    assert match is not None
    data = memoryview(ppm)[match.end():]
    target = bytes.fromhex(color)
    count = 0
    for i in range(0, len(data) - 2, 3):
        if all(abs(data[i + k] - target[k]) <= tolerance for k in range(3)):
            count += 1
    return count


@pytest.mark.skipif(SOFFICE is None or PDFTOTEXT is None or PDFTOPPM is None,
                    reason="LibreOffice (soffice), pdftotext or pdftoppm not installed")
def test_libreoffice_draws_the_bars_not_only_the_axes(run, in_tmp: Path) -> None:
    assert run("render", EXAMPLE, "-o", "qsr.docx").exit_code == 0
    subprocess.run([str(SOFFICE), f"-env:UserInstallation={(in_tmp / 'profile').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(in_tmp),
                    str(in_tmp / "qsr.docx")], capture_output=True, timeout=180, check=False)
    pdf = in_tmp / "qsr.pdf"
    assert pdf.is_file() and pdf.stat().st_size > 1000, "LibreOffice did not convert the QSR"
    pages = []
    for number in range(1, 20):
        text = subprocess.run([str(PDFTOTEXT), "-f", str(number), "-l", str(number), str(pdf), "-"],
                              capture_output=True, text=True, check=False).stdout
        if not text.strip():
            break
        pages.append(" ".join(text.split()))
    attainment = next(i for i, t in enumerate(pages, 1) if "Attainment (2026-Q3)" in t)
    pacing = next(i for i, t in enumerate(pages, 1) if "Pacing against the targets" in t)
    # The axis and category labels and the bars' figures are drawn as text.
    page = pages[attainment - 1]
    assert all(label in page for label in ATTAINMENT) and "113.8%" in page
    assert "$410,000" in pages[pacing - 1] and "150% of quota (personal goal)" in pages[pacing - 1]

    def render_page(number: int) -> bytes:
        return subprocess.run([str(PDFTOPPM), "-r", "40", "-f", str(number), "-l", str(number),
                               str(pdf)], capture_output=True, check=True).stdout

    # The bars themselves, by their colours: the actual bars (2E74B5, also the colour of a few
    # thin headings) and the open pipeline columns (ED7D31, nowhere else in the document). At
    # 40 dpi the seven bars cover well over a thousand pixels; a heading a few hundred at most.
    assert _pixels_near(render_page(attainment), "2E74B5", 25) > 1000
    assert _pixels_near(render_page(pacing), "ED7D31", 25) > 300


def test_a_line_chart_for_other_callers_is_well_formed_and_escaped() -> None:
    # The CRM dashboards draw weekly trends as lines; the writer is shared. Text of any kind
    # (a label from the org's wording, a rep's name) reads back exactly, in XML and in SVG.
    from decimal import Decimal

    from qsrkit.document.charts import BLUE, GREY, LINE, chart
    from qsrkit.document.charts_svg import chart_svg
    from qsrkit.document.charts_xml import chart_space

    weeks = [(f"<W{i}> & \"co\"", (Decimal(i), Decimal(3) if i != 2 else None)) for i in (1, 2, 3)]
    line = chart("weekly", "Created <script>x</script>", LINE, weeks,
                 (("Created", BLUE), ("Needed", GREY)))
    assert line is not None
    space = etree.fromstring(chart_space(line).encode("utf-8"))
    plot = space.find("c:chart/c:plotArea/c:lineChart", NS)
    assert plot is not None
    created, needed = plot.findall("c:ser", NS)
    assert created.xpath("c:cat/c:strLit/c:pt/c:v/text()", namespaces=NS) == [c for c, _ in weeks]
    # A missing figure is a gap (no point), not a zero.
    assert needed.xpath("c:val/c:numLit/c:pt/@idx", namespaces=NS) == ["0", "2"]
    assert all(s.find("c:spPr/a:ln/a:solidFill", NS) is not None for s in (created, needed))
    assert "".join(space.xpath("c:chart/c:title//a:t/text()", namespaces=NS)) == line.title

    svg = chart_svg(line)
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<polyline ") == 2 and "&lt;W1&gt; &amp; &quot;co&quot;" in svg
