"""Every example opens in an office suite: LibreOffice converts it to a PDF holding the content.

LibreOffice exits 0 even when it cannot load a file, so the test checks the PDF itself.
Skipped where `soffice` is not installed (.ci/run installs it).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLES

from qsrkit.formatting import money, money_up, significant

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")

pytestmark = pytest.mark.skipif(
    SOFFICE is None or PDFTOTEXT is None, reason="LibreOffice (soffice) or pdftotext not installed"
)

SECTION_TITLES = (
    "Section 1 — Previous quarter reflection",
    "Section 2 — CRM and data pledge",
    "Section 3 — Skill development",
    "Section 4 — Current quarter plan",
    "Opportunity creation calculator",
)


def to_pdf(document: Path, workdir: Path) -> str:
    profile = workdir / "lo-profile"
    subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(workdir), str(document)],
        capture_output=True, timeout=180, check=False,
    )
    pdf = workdir / (document.stem + ".pdf")
    assert pdf.is_file() and pdf.stat().st_size > 1000, f"LibreOffice did not convert {document}"
    text = subprocess.run([str(PDFTOTEXT), "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return " ".join(text.split())  # one line: table cells and wrapped headings read in order


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_example_converts_to_pdf_with_its_content(run, in_tmp: Path, example: Path) -> None:
    result = run("render", example, "-o", "qsr.docx")
    assert result.exit_code == 0, result
    text = to_pdf(in_tmp / "qsr.docx", in_tmp)
    for title in SECTION_TITLES:
        assert " ".join(title.split()) in text, title
    calc = run("calc", example, "--json")
    if calc.exit_code != 0:
        return  # a half-filled example renders the calculator with blanks
    for plan in json.loads(calc.stdout)["targets"]:
        assert money(Decimal(str(plan["target"])), whole=True) in text
        assert money_up(Decimal(str(plan["pipeline_to_create"]))) in text
        assert money_up(Decimal(str(plan["pipeline_per_week"]))) in text  # a need, rounded up
        assert significant(Decimal(str(plan["opps_per_week"])), up=True) in text
        assert f" {plan['opps_needed']} " in text


def test_blank_template_converts_to_pdf(run, in_tmp: Path) -> None:
    assert run("render", "--blank", "-o", "blank.docx").exit_code == 0
    text = to_pdf(in_tmp / "blank.docx", in_tmp)
    for title in SECTION_TITLES:
        assert title in text
    assert "$______" in text


def test_document_with_a_company_reference_converts_to_pdf(run, in_tmp: Path) -> None:
    # A reference made by python-docx from Word's own default template: full Word styles, body
    # text and a header. The result must still open, with the header and without the body.
    import docx

    brand = docx.Document()
    brand.add_paragraph("BODY TEXT OF THE BRAND FILE")
    brand.sections[0].header.paragraphs[0].text = "Northwind brand header"
    brand.save(str(in_tmp / "brand.docx"))
    example = sorted(EXAMPLES.glob("*.yaml"))[0]
    result = run("render", example, "-o", "qsr.docx", "--reference-doc", "brand.docx")
    assert result.exit_code == 0, result
    text = to_pdf(in_tmp / "qsr.docx", in_tmp)
    assert "Northwind brand header" in text
    assert "BODY TEXT OF THE BRAND FILE" not in text
    for title in SECTION_TITLES:
        assert " ".join(title.split()) in text, title


def test_cleaned_control_characters_convert_to_pdf(run, in_tmp: Path) -> None:
    corpus = Path(__file__).parent / "corpus" / "values" / "control-characters.yaml"
    result = run("render", corpus, "-o", "qsr.docx")
    assert result.exit_code == 0, result
    text = to_pdf(in_tmp / "qsr.docx", in_tmp)
    assert "MorganEllis" in text and "Own the number" in text
