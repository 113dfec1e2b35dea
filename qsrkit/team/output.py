"""The team pack as a document: view context → `team.md.j2` in the QSR's sandbox → docx/md/html.

The template is text sales ops can edit (a `team.md.j2` in the org's templates folder replaces
the built-in one); values are escaped for Markdown as in the QSR. In Word, the readiness and
team tables sit in a landscape section when the team table is wide, their header rows repeat
on every page, and each rep's page starts on a new page. jinja2 is imported inside functions
only.
"""

from __future__ import annotations

import re
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
    from qsrkit.document.docx_writer import DocMeta, write_docx

    when = source_date()
    meta = DocMeta(title=title, author=config.company or "qsrkit",
                   header_left=" · ".join(x for x in (config.company, TITLE) if x),
                   header_right=context["quarter"], footer_left=title,
                   timestamp=when, reproducible=when is not None)
    return write_docx(text, meta, charts=charts, finish=_lay_out)


def _lay_out(blocks: list[str], section: str,
             styles: dict[str, str]) -> tuple[list[str], str]:
    """Landscape pages up to the widest table (when it is wide), and each later Heading 1 (a
    rep's page) on a new page; on the body's blocks as XML text, before the package is zipped
    (reopening the finished pack with python-docx cost more than writing it)."""
    heading = f'<w:p><w:pPr><w:pStyle w:val="{styles["heading1"]}"/>'
    tables = [(b.count("<w:gridCol "), i) for i, b in enumerate(blocks) if b.startswith("<w:tbl>")]
    headings = [i for i, b in enumerate(blocks) if b.startswith(heading)]
    wide = max(tables, default=(0, -1))
    split = next((i for i in headings if i > wide[1]), None) if wide[0] >= LANDSCAPE_COLUMNS else None
    out = list(blocks)
    for index in headings:
        if (split is not None and index <= split) or index == headings[0]:
            continue
        rest = out[index][len(heading):]
        keep = "<w:keepNext/>" if rest.startswith("<w:keepNext/>") else ""  # schema order
        out[index] = heading + keep + "<w:pageBreakBefore/>" + rest[len(keep):]
    if split is not None and section:
        landscape = _landscape(section, out[:split])
        if landscape is not None:
            out[:split], holder = landscape
            out.insert(split, holder)
    return out, section


def _number(tag: str, name: str, default: int) -> int:
    found = re.search(rf'{name}="(\d+)"', tag)
    return int(found[1]) if found else default


def _landscape(section: str, before: list[str]) -> tuple[list[str], str] | None:
    """The blocks before the split with their tables widened, and the paragraph that ends a
    landscape section there; None when the page is landscape already or has no size."""
    size = re.search(r'<w:pgSz\b[^>]*?/>', section)
    if size is None:
        return None
    width, height = _number(size[0], "w:w", 12240), _number(size[0], "w:h", 15840)
    if width > height:  # the reference document is landscape already
        return None
    turned = f'<w:pgSz w:w="{height}" w:h="{width}" w:orient="landscape"/>'
    margins = re.search(r"<w:pgMar\b[^>]*?/>", section)
    side = 0
    if margins is not None:
        side = _number(margins[0], "w:left", 1080) + _number(margins[0], "w:right", 1080)
    scale = (height - side) / max(1, width - side)

    def widen(match: re.Match[str]) -> str:
        tag = match[0]
        if 'w:type="' in tag and 'w:type="dxa"' not in tag:
            return tag
        return re.sub(r'w:w="(\d+)"', lambda m: f'w:w="{int(int(m[1]) * scale)}"', tag)

    widened = [re.sub(r"<w:(?:gridCol|tcW)\b[^>]*/>", widen, b) if b.startswith("<w:tbl>") else b
               for b in before]
    holder = f"<w:p><w:pPr>{section.replace(size[0], turned, 1)}</w:pPr></w:p>"
    return widened, holder


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
