"""Coaching notes from `qsrkit diagnose`: a page per rep for the manager to read before the 1:1.

The diagnosis becomes a view context of display strings, `coaching.md.j2` (built in, or the
org's copy in its templates folder) turns it into Markdown in the same sandbox as the QSR
(values escaped, runaway templates stopped), and the usual writers make .docx, .md or .html of
it. In Word each rep starts on a new page. jinja2 and markdown-it are imported inside functions
only; python-docx is not needed at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from qsrkit.crm.diagnosis_rows import metric_rows, stage_rows, tier_rows
from qsrkit.errors import UsageError

if TYPE_CHECKING:
    from qsrkit.config import OrgConfig
    from qsrkit.crm.diagnose import Diagnosis

TEMPLATE = "coaching.md.j2"
FORMATS = ("docx", "md", "html")
TITLE = "Coaching notes"


def coaching_context(found: Diagnosis, config: OrgConfig) -> dict[str, Any]:
    """Everything the coaching template prints, as display strings."""
    symbol = config.currency_symbol
    history = found.history
    return {
        "title": TITLE,
        "company": config.company or "",
        "period": found.period,
        "as_of": found.as_of.isoformat(),
        "export": Path(found.file).name,
        "history": (f"{history.snapshots} weekly snapshots, {history.first} to {history.last}"
                    if history is not None else ""),
        "reps": [
            {
                "name": rep.rep,
                "note": rep.note,
                "metrics": [{"label": a, "rep": b, "team": c}
                            for a, b, c in metric_rows(found, rep, symbol)],
                "stages": [{"stage": a, "rep": b, "team": c} for a, b, c in stage_rows(found, rep)],
                "tiers": [{"tier": a, "win": b, "lose": c} for a, b, c in tier_rows(rep)],
                "flags": [{"tendency": f.tendency, "title": f.title, "because": f.because,
                           "questions": f.questions} for f in rep.flags],
            }
            for rep in found.reps
        ],
    }


def render_coaching_markdown(context: dict[str, Any], folder: Path | None = None) -> str:
    """Run the coaching template in the QSR's sandbox; errors name the template file and line."""
    from qsrkit.document.sandbox import render_markdown

    return render_markdown(context, folder, TEMPLATE)


def coaching_notes(found: Diagnosis, config: OrgConfig, fmt: str) -> tuple[bytes, list[str]]:
    """The coaching notes in `fmt` (docx, md or html), and warnings."""
    from qsrkit.document.notes import notes_document

    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}")
    folder = (config.folder or Path.cwd()) / config.templates if config.templates else None
    text = render_coaching_markdown(coaching_context(found, config), folder)
    return notes_document(text, fmt, config, kind=TITLE, subject=found.period,
                          finish=_page_per_rep)


def _page_per_rep(blocks: list[str], section: str,
                  styles: dict[str, str]) -> tuple[list[str], str]:
    """Start every rep's section (`## name`: Heading 1 in Word) but the first on a new page, on
    the body's XML before it is zipped (as the team pack does; no python-docx round trip)."""
    heading = f'<w:p><w:pPr><w:pStyle w:val="{styles["heading1"]}"/>'
    out = list(blocks)
    for index in [i for i, b in enumerate(blocks) if b.startswith(heading)][1:]:
        rest = out[index][len(heading):]
        keep = "<w:keepNext/>" if rest.startswith("<w:keepNext/>") else ""  # schema order
        out[index] = heading + keep + "<w:pageBreakBefore/>" + rest[len(keep):]
    return out, section
