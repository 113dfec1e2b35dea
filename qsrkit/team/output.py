"""The team pack as a document: view context → `team.md.j2` in the QSR's sandbox → docx/md/html.

The template is text sales ops can edit (a `team.md.j2` in the org's templates folder replaces
the built-in one); values are escaped for Markdown as in the QSR. In Word, the readiness and
team tables sit in a landscape section when the team table is wide, their header rows repeat
on every page, and each rep's page starts on a new page. jinja2, markdown-it and python-docx
are imported inside functions only.
"""

from __future__ import annotations

import copy
import io
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qsrkit import formatting as fmt
from qsrkit.errors import UsageError
from qsrkit.team import glance
from qsrkit.team.charts import team_charts
from qsrkit.team.roster import LATE, MISSING, READY

if TYPE_CHECKING:
    from qsrkit.config import OrgConfig
    from qsrkit.team.pack import TeamPack

TEMPLATE = "team.md.j2"
FORMATS = ("docx", "md", "html", "json")
TITLE = "Team pack"
NONE = "–"
# Tables at least this wide go on landscape pages in Word.
LANDSCAPE_COLUMNS = 8

STATUS_RULES = (
    "Ready: the file has no errors and every answer is given. Late: not ready, and the send-by "
    "date (two days before the review) has passed. In progress: not ready, not late yet. "
    "Missing: no answers file for the rep."
)


def _money(value: Decimal | None, symbol: str) -> str:
    return NONE if value is None else fmt.money(value, symbol, whole=True)


def _count(value: Decimal | None, up: bool = False) -> str:
    if value is None:
        return NONE
    return fmt.significant(value, up=True) if up else fmt.number(value)


def _share(value: Decimal | None) -> str:
    return NONE if value is None else fmt.percent(value * 100)


def _rate(value: Decimal | None) -> str:
    return NONE if value is None else fmt.percent(value)


def _arrow(last: str, planned: str) -> str:
    return NONE if last == NONE and planned == NONE else f"{last} → {planned}"


def _coverage(value: Decimal | None, gap: Decimal | None) -> str:
    if value is None:
        return "covered" if gap == 0 else NONE
    return f"{fmt.number(value)}×"


def _row_cells(name: str, figures: dict[str, Any], symbol: str, flags: str) -> dict[str, str]:
    get = figures.get
    return {
        "rep": name,
        "quota": _money(get("quota"), symbol),
        "last_quarter": _share(get("last_attainment")),
        "personal_goal": _money(get("personal_goal"), symbol),
        "win_rate": _arrow(_rate(get("win_rate_last")), _rate(get("win_rate_planned"))),
        "deal_size": _arrow(_money(get("deal_size_last"), symbol),
                            _money(get("deal_size_planned"), symbol)),
        "opps_planned": _count(get("weekly_opps_planned")),
        "opps_needed": f"{_count(get('weekly_opps_needed'), up=True)} · "
                       f"{_count(get('weekly_opps_needed_goal'), up=True)}",
        "pipeline_to_create": _money(get("pipeline_to_create"), symbol),
        "coverage": _coverage(get("coverage"), get("gap_to_quota")),
        "gap_to_quota": _money(get("gap_to_quota"), symbol),
        "flags": flags,
    }


def _figures(row: glance.RepRow) -> dict[str, Any]:
    names = (*glance.SUMMED, *glance.MEDIAN_ONLY)
    return {name: getattr(row, name) for name in names}


def quota_check(summary: glance.Summary, symbol: str) -> str:
    """Whether the reps' quotas (and personal goals) reach the manager's own number."""
    if summary.team_quota is None:
        return ("Set `team_quota` in qsrkit.yaml (or pass --team-quota) to see whether the "
                "reps' quotas reach the team's number.")
    if summary.quota_sum is None:
        return f"The team's number is {fmt.money(summary.team_quota, symbol)}; no rep's quota is known yet."
    share, short = summary.quota_share, summary.team_quota - summary.quota_sum
    text = (f"The reps' quotas add up to {fmt.money(summary.quota_sum, symbol)}, "
            f"{_share(share)} of the team's number ({fmt.money(summary.team_quota, symbol)})")
    text += (f": {fmt.money(short, symbol)} short." if short > 0 else ": it is covered.")
    if summary.goal_sum is not None:
        text += (f" Their personal goals add up to {fmt.money(summary.goal_sum, symbol)}, "
                 f"{_share(summary.goal_share)} of it.")
    return text


def pack_context(found: TeamPack, config: OrgConfig) -> dict[str, Any]:
    """Everything the team template prints, as display strings."""
    symbol = config.currency_symbol
    ready = found.readiness
    counts = ready.counts
    rows = [_row_cells(r.rep, _figures(r), symbol, ", ".join(r.flags)) for r in found.rows]
    summary = found.summary
    no_page = [f"{r.rep} ({'no file' if r.path is None else f'{len(r.errors)} error(s)'})"
               for r in ready.reps if r.answers is None]
    return {
        "title": TITLE,
        "company": config.company or "",
        "quarter": ready.quarter,
        "as_of": ready.as_of.isoformat(),
        "counts": f"{len(ready.reps)} rep(s): {counts[READY]} ready, {counts['in progress']} in "
                  f"progress, {counts[LATE]} late, {counts[MISSING]} missing",
        "status_rules": STATUS_RULES,
        "readiness": [{
            "rep": r.rep,
            "file": r.path.name if r.path else "no file",
            "answered": (f"{round(100 * r.answered / r.asked)}%" if r.answers is not None
                         and r.asked else NONE),
            "errors": str(len(r.errors)) if r.path else NONE,
            "review_date": r.review_date.isoformat() if r.review_date else NONE,
            "send_by": r.send_by.isoformat() if r.send_by else NONE,
            "status": r.status + (f" ({'; '.join(r.notes)})" if r.notes else ""),
        } for r in ready.reps],
        "problems": [p.format() for p in ready.problems],
        "notes": ready.notes,
        "team": rows,
        "total": _row_cells("Team total", summary.total, symbol, ""),
        "median": _row_cells("Median", summary.median, symbol, ""),
        "quota_check": quota_check(summary, symbol),
        "rules": [{"flag": k, "means": v} for k, v in glance.RULES.items()],
        "no_page": no_page,
        "reps": found.pages,
        "crm_period": found.crm_period,
        "charts": team_charts(found.rows),
    }


def render_team_markdown(context: dict[str, Any], folder: Path | None = None) -> str:
    """Run the team template in the QSR's sandbox; errors name the template file and line."""
    from qsrkit.document.sandbox import render_markdown

    return render_markdown(context, folder, TEMPLATE)


def write_pack(found: TeamPack, config: OrgConfig, kind: str) -> tuple[bytes, list[str]]:
    """The pack in `kind` (docx, md or html), and warnings."""
    from qsrkit.document.charts import by_token
    from qsrkit.document.pipeline import source_date
    from qsrkit.document.text_output import html_output, markdown_output

    if kind not in ("docx", "md", "html"):
        raise UsageError(f"unknown format '{kind}'; use one of: {', '.join(FORMATS)}")
    folder = (config.folder or Path.cwd()) / config.templates if config.templates else None
    context = pack_context(found, config)
    text = render_team_markdown(context, folder)
    title = " — ".join(x for x in (TITLE, context["quarter"]) if x)
    charts = by_token(context["charts"])
    if kind == "md":
        return markdown_output(text, charts=charts).encode("utf-8"), []
    if kind == "html":
        page, warnings = html_output(text, title, charts=charts)
        return page.encode("utf-8"), warnings
    from qsrkit.document.docx_writer import DocMeta, fixed_zip, write_docx

    when = source_date()
    meta = DocMeta(title=title, author=config.company or "qsrkit",
                   header_left=" · ".join(x for x in (config.company, TITLE) if x),
                   header_right=context["quarter"], footer_left=title,
                   timestamp=when, reproducible=when is not None)
    data, warnings = write_docx(text, meta, charts=charts)
    data = _lay_out(data)
    if when is not None:
        data = fixed_zip(data, when)
    return data, warnings


def _lay_out(data: bytes) -> bytes:
    """Landscape pages up to the widest table (when it is wide), and each later Heading 1 (a
    rep's page) on a new page."""
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    blocks = list(body.iterchildren())
    tables = [(len(t.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")), i)
              for i, t in enumerate(blocks) if t.tag == qn("w:tbl")]
    heading = next((s.style_id for s in document.styles
                    if (s.name or "").lower() == "heading 1"), "Heading1")
    headings = [i for i, b in enumerate(blocks) if b.tag == qn("w:p") and _style(b) == heading]
    wide = max(tables, default=(0, -1))
    split = next((i for i in headings if i > wide[1]), None) if wide[0] >= LANDSCAPE_COLUMNS else None
    for index in headings:
        if split is not None and index <= split:
            continue
        if index != headings[0]:
            Paragraph(blocks[index], document.part).paragraph_format.page_break_before = True
    final = body.find(qn("w:sectPr"))
    if split is not None and final is not None:
        _landscape_before(blocks, split, final)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _style(paragraph: Any) -> str:
    from docx.oxml.ns import qn

    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return str(style.get(qn("w:val"))) if style is not None else ""


def _landscape_before(blocks: list[Any], split: int, final: Any) -> None:
    """End a landscape section just before `blocks[split]`, widening its tables to fit."""
    from docx.oxml.ns import qn

    section = copy.deepcopy(final)
    size, margins = section.find(qn("w:pgSz")), section.find(qn("w:pgMar"))
    if size is None:
        return
    width, height = int(size.get(qn("w:w"), "12240")), int(size.get(qn("w:h"), "15840"))
    if width > height:  # the reference document is landscape already
        return
    size.set(qn("w:w"), str(height))
    size.set(qn("w:h"), str(width))
    size.set(qn("w:orient"), "landscape")
    side = 0
    if margins is not None:
        side = int(margins.get(qn("w:left"), "1080")) + int(margins.get(qn("w:right"), "1080"))
    scale = (height - side) / max(1, width - side)
    for block in blocks[:split]:
        if block.tag != qn("w:tbl"):
            continue
        for cell in block.iter(qn("w:gridCol"), qn("w:tcW")):
            if cell.get(qn("w:type"), "dxa") == "dxa" and cell.get(qn("w:w")):
                cell.set(qn("w:w"), str(int(int(cell.get(qn("w:w"))) * scale)))
    holder = blocks[split].makeelement(qn("w:p"), {})
    holder.append(holder.makeelement(qn("w:pPr"), {}))
    holder[0].append(section)
    blocks[split].addprevious(holder)


def save_pack(found: TeamPack, config: OrgConfig, request: Any, *, kind: str,
              target: Path, force: bool = False) -> list[str]:
    """Write the pack to `target` atomically, never over an existing file without `force` and
    never over one of the run's inputs; the warnings of the writing."""
    import json

    from qsrkit.fileio import refuse_inputs, write_atomic
    from qsrkit.team.pack import pack_json

    inputs = [(r.path, "answers file") for r in found.readiness.reps if r.path is not None]
    named = [(request.team_list, "team list"), (request.crm, "CRM export"),
             (request.history, "history folder"), (config._path, "org config")]
    inputs += [(path, role) for path, role in named if path is not None]
    if request.previous_dir is not None:
        inputs += [(p, "previous answers file") for p in sorted(request.previous_dir.glob("*.y*ml"))]
    refuse_inputs(target, inputs)
    if kind == "json":
        text = json.dumps(pack_json(found), indent=2, ensure_ascii=False) + "\n"
        data, warnings = text.encode("utf-8"), list[str]()
    else:
        data, warnings = write_pack(found, config, kind)
    write_atomic(target, data, force=force)
    return warnings


def output_kind(fmt: str | None, output: Path | None) -> str:
    """The format asked for, else the one `-o`'s extension names, else docx."""
    if fmt is not None:
        kind = fmt.lower().lstrip(".")
        if kind not in FORMATS:
            raise UsageError(f"--format {fmt}: use one of {', '.join(FORMATS)}")
        return kind
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    return suffix if suffix in FORMATS else "docx"
