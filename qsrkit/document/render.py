"""Answers + org config + calculator → the view context → the QSR template → Markdown → a document.

The template is Jinja text that sales ops can edit. It runs in a sandbox with StrictUndefined, and
every value it prints is escaped for Markdown, so whatever a seller types (`|`, `*`, `#`, `<`, `&`,
line breaks, emoji, right-to-left text) appears exactly as typed. Filters that build Markdown on
purpose (`bullets`, `link`, `image`) return `Markdown` strings, which are printed as they are.

jinja2, markdown-it and python-docx are imported inside functions only.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from qsrkit import formatting as fmt
from qsrkit.answers.parse import shown
from qsrkit.document.docx_writer import BULLET_MARK, LINE_BREAK
from qsrkit.errors import QsrError, TemplateError, UsageError
from qsrkit.plan.rows import plan_rows, target_label
from qsrkit.templates_store import MissingTemplate, locate_template

if TYPE_CHECKING:
    from jinja2 import Template
    from jinja2.sandbox import SandboxedEnvironment

    from qsrkit.answers.models import Answers
    from qsrkit.config import OrgConfig
    from qsrkit.plan.calculator import TargetPlan

TEMPLATE = "qsr.md.j2"
REFERENCE = "reference.docx"
FORMATS = ("docx", "md", "html")
BLANK = fmt.BLANK_MONEY  # "______": a line to write on

# Every label the default template prints. `wording:` in qsrkit.yaml replaces any of them;
# `qsrkit templates export` users can also edit the template text itself.
DEFAULT_LABELS: dict[str, str] = {
    "title": "Quarterly Sales Review",
    "account_executive": "Account executive",
    "manager": "Manager",
    "quarter": "Quarter",
    "preparation_date": "Prepared on",
    "review_date": "Review meeting",
    "team_message": "A message to the team",
    "objectives": "What this review is for",
    "in_this_document": "In this document",
    "section1": "Section 1 — Previous quarter reflection",
    "metrics": "Metrics",
    "skills_focus": "Focus skills",
    "diagnosis": "Diagnosis",
    "section2": "Section 2 — CRM and data pledge",
    "section3": "Section 3 — Skill development",
    "section4": "Section 4 — Current quarter plan",
    "dashboards": "Dashboards",
    "outlook": "Outlook",
    "calculator": "Opportunity creation calculator",
    "plays": "Plays for this quarter",
    "metric": "Metric",
    "goal": "Goal",
    "actual": "Actual",
    "attainment": "Attainment",
    "revenue_vs_quota": "Revenue against quota",
    "revenue_vs_personal_goal": "Revenue against personal goal",
    "weekly_meetings": "Meetings per week",
    "weekly_opportunities": "Qualified opportunities per week",
    "weekly_pipeline": "Qualified pipeline created per week",
    "win_rate": "Win rate",
    "opportunities_won": "Opportunities closed won",
    "average_deal_size": "Average deal size",
    "skill": "Focus skill",
    "target": "Target result",
    "replicate": "Replicate going forward",
    "improve": "Improve going forward",
    "pledge_factor": "Pledge",
    "pledge_actions": "Specific actions",
    "accuracy": "Accuracy",
    "updates": "Updates",
    "forecasting": "Forecasting",
    "development_goal": "Goal",
    "target_and_actions": "Target result and actions",
    "this_quarter": "This quarter",
    "quota": "Quarter quota",
    "personal_goal": "Personal goal",
    "personal_goal_percent": "Personal goal as % of quota",
    "weekly_opportunity_goal": "Opportunities to create per week",
    "weekly_creation_for": "Weekly creation needed for",
    "opportunities_short": "opps",
    "personal_goal_column": "personal goal",
    "calculator_missing": "Complete the outlook and calculator answers to fill in this table "
    "(`qsrkit calc` lists what is missing).",
    "no_dashboards": "Link to a dashboard",
    "screenshot_of": "Screenshot of",
    "page": "Page",
    "of": "of",
}


class ConfigError(QsrError):
    """The org config asks for something that does not exist."""


class Markdown(str):
    """Text that is already Markdown: printed by the template without escaping."""

    __slots__ = ()


# --- escaping ----------------------------------------------------------------------------------

_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~#!])")
# Line-start markers only count when followed by a space (or nothing): `1. `, `- `, `+ `, `===`.
_LEADING = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-+])(?=\s|$|[-\s]*$)|^(=)(?==*\s*$)")
_NEWLINES = re.compile("\r\n|\r|\n|\u2029")


def md_escape(value: object) -> str:
    """`value` as Markdown text that reads back exactly as `str(value)`."""
    text = str(value)
    text = text.replace(BULLET_MARK, "\ufffd")
    text = _NEWLINES.sub(LINE_BREAK, text)
    text = _SPECIAL.sub(r"\\\1", text)
    return _LEADING.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3] or m[4]}", text)


def _finalize(value: object) -> object:
    if isinstance(value, Markdown):
        return value
    if value is None:
        return ""
    return md_escape(value)


def _bullets(items: Sequence[object] | None) -> Markdown:
    """A bulleted list inside one table cell."""
    values = [i for i in (items or []) if i not in (None, "")] or [BLANK]
    return Markdown("".join(BULLET_MARK + md_escape(v) for v in values))


def _link(title: object, url: object) -> Markdown:
    text = md_escape(title if title not in (None, "") else url or BLANK)
    if not url:
        return Markdown(text)
    href = str(url).strip().replace(" ", "%20")
    href = re.sub(r"([\\<>])", r"\\\1", _NEWLINES.sub("", href))
    return Markdown(f"[{text}](<{href}>)")


def _image(path: object, alt: object = "") -> Markdown:
    if not path:
        return Markdown("")
    target = re.sub(r"([\\<>])", r"\\\1", Path(str(path)).as_posix())
    return Markdown(f"![{md_escape(alt or '')}](<{target}>)")


# --- the Jinja environment ---------------------------------------------------------------------


@lru_cache(maxsize=8)
def environment(folder: str | None) -> SandboxedEnvironment:
    from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound, pass_environment

    root = Path(folder) if folder else None

    class Loader(BaseLoader):
        def get_source(self, env: Any, name: str) -> tuple[str, str, Callable[[], bool]]:
            try:
                source, filename = locate_template(name, root)
            except MissingTemplate:
                # Jinja reports it at the line of the {% include %} that asked for it.
                raise TemplateNotFound(name) from None
            return source, filename, lambda: True

    @pass_environment
    def finalize(env: Any, value: object) -> object:
        return env.spend_output(_finalize(value))

    env = _bounded_environment(
        loader=Loader(),
        undefined=StrictUndefined,
        finalize=finalize,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        bullets=_bullets, link=_link, image=_image, markdown=Markdown,
    )
    env.globals["range"] = env.bounded_range
    bounded: SandboxedEnvironment = env
    return bounded


# A QSR is a few pages. A custom template that produces far more than this, or loops far more
# than this, is stuck, and is stopped with a message instead of filling memory or the disk.
MAX_OUTPUT_CHARS = 2_000_000
MAX_LOOP_ITEMS = 100_000


def _bounded_environment_class() -> type[SandboxedEnvironment]:
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedEnvironment(SandboxedEnvironment):
        """The sandbox, plus limits on string/list repetition, powers and `range` items."""

        intercepted_binops = frozenset({"*", "**"})

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.reset_budgets()

        def reset_budgets(self) -> None:
            self.loop_budget = MAX_LOOP_ITEMS
            self.output_budget = MAX_OUTPUT_CHARS

        def spend_output(self, value: object) -> object:
            # Counted here, inside the template's own call, so the error names the line of the
            # `{{ }}` that ran away; render_markdown still counts literal text as a backstop.
            self.output_budget -= len(str(value))
            if self.output_budget < 0:
                raise TemplateLimit(f"the template produced more than {MAX_OUTPUT_CHARS:,} characters")
            return value

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, int) and abs(right) > 100:
                raise TemplateLimit(f"the power {right} is too large for a template")
            if operator == "*":
                for seq, count in ((left, right), (right, left)):
                    if (isinstance(seq, (str, list, tuple)) and isinstance(count, int)
                            and len(seq) * count > MAX_OUTPUT_CHARS):
                        raise TemplateLimit(
                            f"repeating a value {count:,} times makes more than "
                            f"{MAX_OUTPUT_CHARS:,} characters"
                        )
            return super().call_binop(context, operator, left, right)

        def bounded_range(self, *args: int) -> range:
            items = range(*args)
            self.loop_budget -= len(items)
            if self.loop_budget < 0:
                raise TemplateLimit(
                    f"the template's loops run over more than {MAX_LOOP_ITEMS:,} items in all"
                )
            return items

    return BoundedEnvironment


def _bounded_environment(**kwargs: Any) -> Any:
    return _bounded_environment_class()(**kwargs)


class TemplateLimit(QsrError):
    """A custom template tried to produce or loop over far more than any QSR needs."""


def compile_template(folder: Path | None = None) -> Template:
    """The QSR template, compiled (and cached); syntax errors name the file and line."""
    from jinja2 import TemplateSyntaxError

    env = environment(str(folder) if folder else None)
    try:
        return env.get_template(TEMPLATE)
    except TemplateSyntaxError as exc:
        raise TemplateError.at(
            exc.filename or exc.name or TEMPLATE,
            f"template syntax: {exc.message}; fix the template, or render with the built-in one "
            "(leave out --templates)",
            line=exc.lineno,
        ) from None


def render_markdown(context: dict[str, Any], folder: Path | None = None) -> str:
    """Run the QSR template over `context`; errors name the template file and line."""
    template = compile_template(folder)
    env: Any = template.environment
    env.reset_budgets()
    try:
        chunks: list[str] = []
        size = 0
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateLimit(f"the template produced more than {MAX_OUTPUT_CHARS:,} characters")
            chunks.append(chunk)
        return "".join(chunks)
    except TemplateLimit as exc:
        filename, line = _template_frame(exc, template.filename or TEMPLATE)
        raise TemplateError.at(
            filename,
            f"stopped: {exc.message}; a QSR is a few pages, so look for a loop or repetition "
            "that runs away",
            line=line,
        ) from None
    except QsrError:
        raise
    except Exception as exc:
        filename, line = _template_frame(exc, template.filename or TEMPLATE)
        raise TemplateError.at(filename, _explain_template_error(exc), line=line) from None


def _explain_template_error(exc: Exception) -> str:
    """What went wrong while running a template, and what to do, in a seller-ops' words."""
    from jinja2 import TemplateNotFound, UndefinedError
    from jinja2.exceptions import SecurityError

    if isinstance(exc, UndefinedError):
        return (f"{exc.message}; check the spelling of the names the template uses "
                "(`qsrkit templates export` writes the built-in template, which uses every name)")
    if isinstance(exc, SecurityError):
        return (f"not allowed in a qsrkit template ({exc}); templates can use the answers and "
                "filters, not Python internals")
    if isinstance(exc, TemplateNotFound):
        return (f"cannot include {exc.name!r}: includes name a template file inside the templates "
                "folder (no `..` and no paths outside it)")
    return f"{type(exc).__name__}: {exc}; fix the template, or leave out --templates"


def _template_frame(exc: BaseException, default: str) -> tuple[str, int]:
    """The last traceback frame that belongs to a template (Jinja rewrites them to template lines)."""
    found = (default, 0)
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2") or name == default:
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


# --- the view context --------------------------------------------------------------------------


def labels_for(config: OrgConfig) -> dict[str, str]:
    unknown = [key for key in config.wording if key not in DEFAULT_LABELS]
    if unknown:
        key = unknown[0]
        close = difflib.get_close_matches(key, list(DEFAULT_LABELS), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise ConfigError(
            f"wording: unknown label '{key}'",
            hint=f"{hint}the labels are: {', '.join(DEFAULT_LABELS)}",
        )
    return {**DEFAULT_LABELS, **{k: str(v) for k, v in config.wording.items()}}


def _text(value: object) -> str:
    return BLANK if value in (None, "") else str(value)


def _ratio(actual: Decimal | None, goal: Decimal | None) -> Decimal | None:
    if actual is None or not goal:
        return None
    return actual * 100 / goal


def build_context(
    answers: Answers, config: OrgConfig, *, answers_dir: Path | None = None,
    warnings: list[str] | None = None,
) -> dict[str, Any]:
    """Everything the template prints, as display strings (blanks where answers are missing)."""
    labels = labels_for(config)
    notes = warnings if warnings is not None else []
    symbol = config.currency_symbol

    def money(value: Decimal | None) -> str:
        return fmt.money(value, symbol)

    prev = answers.previous_quarter
    m = prev.metrics
    metrics = [
        (labels["revenue_vs_quota"], money(m.quota), money(m.actual_revenue),
         fmt.percent(m.percent_of_quota)),
        (labels["revenue_vs_personal_goal"], money(m.personal_goal), money(m.actual_revenue),
         fmt.percent(m.percent_of_personal_goal)),
        (labels["weekly_meetings"], fmt.number(m.weekly_meetings.goal),
         fmt.number(m.weekly_meetings.actual),
         fmt.percent(_ratio(m.weekly_meetings.actual, m.weekly_meetings.goal))),
        (labels["weekly_opportunities"], fmt.number(m.weekly_opportunities.goal),
         fmt.number(m.weekly_opportunities.actual),
         fmt.percent(_ratio(m.weekly_opportunities.actual, m.weekly_opportunities.goal))),
        (labels["weekly_pipeline"], money(m.weekly_pipeline.goal), money(m.weekly_pipeline.actual),
         fmt.percent(_ratio(m.weekly_pipeline.actual, m.weekly_pipeline.goal))),
        (labels["win_rate"], fmt.percent(m.win_rate.goal), fmt.percent(m.win_rate.actual),
         fmt.percent(_ratio(m.win_rate.actual, m.win_rate.goal))),
        (labels["opportunities_won"], fmt.number(m.opportunities_won.goal),
         fmt.number(m.opportunities_won.actual),
         fmt.percent(_ratio(_dec(m.opportunities_won.actual), _dec(m.opportunities_won.goal)))),
        (labels["average_deal_size"], money(m.average_deal_size.goal),
         money(m.average_deal_size.actual),
         fmt.percent(_ratio(m.average_deal_size.actual, m.average_deal_size.goal))),
    ]
    focus = [
        {"skill": _text(s.skill), "target": _text(s.target), "actual": _text(s.actual)}
        for s in prev.focus_skills
    ] or [{"skill": BLANK, "target": BLANK, "actual": BLANK}] * 2
    replicate = [_text(x) for x in prev.diagnosis.replicate]
    improve = [_text(x) for x in prev.diagnosis.improve]
    rows = max(len(replicate), len(improve)) or 3
    diagnosis = [
        {"replicate": replicate[i] if i < len(replicate) else BLANK,
         "improve": improve[i] if i < len(improve) else BLANK}
        for i in range(rows)
    ]
    pledge = answers.crm_pledge
    pledges = [
        {"factor": labels["accuracy"], "actions": [_text(a) for a in pledge.accuracy]},
        {"factor": labels["updates"], "actions": [_text(a) for a in pledge.updates]},
        {"factor": labels["forecasting"], "actions": [_text(a) for a in pledge.forecasting]},
    ]
    skills = [
        {"goal": _text(s.goal), "skill": _text(s.skill), "target": _text(s.target),
         "actual": _text(s.actual)}
        for s in answers.skill_development
    ] or [{"goal": BLANK, "skill": BLANK, "target": BLANK, "actual": BLANK}] * 2

    current = answers.current_quarter
    dashboards = _dashboards(config, current.dashboards, answers_dir, notes, labels)
    plans, columns = _calculator(answers, config, notes, labels)
    outlook = current.outlook
    weekly = [
        (f"{labels['weekly_creation_for']} {column}",
         f"{fmt.number(p.opps_per_week) if p else '___'} {labels['opportunities_short']} · "
         f"{fmt.money(p.pipeline_per_week if p else None, symbol, whole=True)}")
        for column, p in zip(columns, plans or _no_plans(len(columns)), strict=True)
    ]
    outlook_rows = [
        (labels["quota"], money(outlook.quota)),
        (labels["personal_goal"], money(outlook.personal_goal_amount)),
        (labels["personal_goal_percent"], fmt.percent(outlook.personal_goal_percent)),
        (labels["win_rate"], fmt.percent(outlook.win_rate)),
        (labels["average_deal_size"], money(outlook.average_deal_size)),
        (labels["weekly_opportunity_goal"], fmt.number(outlook.weekly_opportunity_goal)),
        *weekly,
    ]
    calc_rows = plan_rows(plans or _blank_plans(len(columns)), symbol)
    plays = [
        {"headline": _text(p.headline), "bullets": [_text(b) for b in p.bullets]}
        for p in current.plays
    ] or [{"headline": BLANK, "bullets": []}] * 3

    rep = answers.account_executive
    quarter = answers.quarter
    team_message = answers.team_message or config.team_message
    return {
        "label": labels,
        "blank": BLANK,
        "company": config.company or "",
        "currency": config.currency,
        "currency_symbol": symbol,
        "rep": _text(rep),
        "manager": _text(answers.manager),
        "quarter": _text(quarter),
        "previous_quarter": prev.quarter or "",
        "preparation_date": _text(answers.preparation_date and answers.preparation_date.isoformat()),
        "review_date": answers.review_date.isoformat() if answers.review_date else "",
        "team_message": team_message or BLANK,
        "metrics": [dict(zip(("metric", "goal", "actual", "attainment"), r, strict=True))
                    for r in metrics],
        "focus_skills": focus,
        "diagnosis": diagnosis,
        "pledge": pledges,
        "skills": skills,
        "dashboards": dashboards,
        "outlook": [{"metric": a, "value": b} for a, b in outlook_rows],
        "calculator": {
            "complete": plans is not None,
            "columns": columns,
            "rows": [{"label": label, "cells": cells} for label, cells in calc_rows],
        },
        "plays": plays,
    }


def _no_plans(count: int) -> list[TargetPlan | None]:
    return [None] * count


def _dec(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _dashboards(config: OrgConfig, own: Sequence[Any], answers_dir: Path | None,
                notes: list[str], labels: dict[str, str]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    found: list[dict[str, Any]] = []
    for board in [*config.dashboards, *own]:
        key = (board.link or board.title or "").strip()
        if key and key in seen:
            continue
        seen.add(key)
        screenshot = None
        if board.screenshot:
            path = Path(board.screenshot)
            if not path.is_absolute():
                path = (answers_dir or Path.cwd()) / path
            try:
                exists = path.is_file()
            except OSError:  # a name the file system cannot hold (too long, say): no such file
                exists = False
            if exists:
                screenshot = str(path.resolve())
            else:
                notes.append(
                    f"screenshot {shown(board.screenshot)} for dashboard "
                    f"'{shown(board.title or board.link)}' not found; the document shows the link only"
                )
        found.append({"title": board.title or "", "link": board.link or "",
                      "screenshot": screenshot,
                      "caption": f"{labels['screenshot_of']} {board.title or board.link or ''}".strip()})
    return found or [{"title": labels["no_dashboards"], "link": "", "screenshot": None,
                      "caption": ""}] * 2


def _calculator(answers: Answers, config: OrgConfig, notes: list[str],
                labels: dict[str, str]) -> tuple[list[TargetPlan] | None, list[str]]:
    """The calculator exactly as `qsrkit calc FILE` computes it, or None when inputs are missing."""
    from qsrkit.plan import calculator
    from qsrkit.plan.inputs import CalcFlags, resolve

    targets = list(config.targets)
    plans: list[TargetPlan] | None
    try:
        inputs, chosen = resolve(CalcFlags(), answers, config.calendar, targets)
        plans = calculator.plan(inputs, chosen)
        percents = [p.percent_of_quota for p in plans]
    except QsrError as exc:
        if not isinstance(exc, UsageError):  # missing inputs are normal in a half-filled file
            notes.append(f"the calculator was left blank: {exc.message}")
        plans, percents = None, targets
    personal = answers.current_quarter.outlook.personal_goal_percent
    columns = [
        target_label(p) + (f" ({labels['personal_goal_column']})"
                               if personal is not None and p == personal and p != 100 else "")
        for p in percents
    ]
    return plans, columns


class _Unknown:
    """Stands in for a missing figure so plan_rows prints its blanks: anything × it is unknown."""

    def __mul__(self, other: object) -> None:
        return None


def _blank_plans(count: int) -> list[TargetPlan]:
    blank = type("BlankPlan", (), {
        "target": None, "win_rate": _Unknown(), "gap_to_goal": None, "pipeline_needed": None,
        "open_pipeline": None, "pipeline_to_create": None, "avg_deal_size": None,
        "opps_needed": None, "weeks_to_work": None, "opps_per_week": None,
        "pipeline_per_week": None, "meetings_per_week": None,
    })
    return cast("list[TargetPlan]", [blank() for _ in range(count)])


# --- whole documents ---------------------------------------------------------------------------


@dataclass
class RenderOptions:
    """How to render: picklable, so batch workers receive it as it is."""

    config: OrgConfig
    format: str = "docx"
    templates: Path | None = None
    reference: Path | None = None


@dataclass
class Rendered:
    data: bytes
    name: str  # the default file name: <rep>-<quarter>-qsr.<ext>
    warnings: list[str] = field(default_factory=list)


def source_date() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH as a UTC time, for reproducible output; None when unset."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    try:
        return dt.datetime.fromtimestamp(int(raw), dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise UsageError(
            f"SOURCE_DATE_EPOCH={raw} is not a number of seconds since 1970",
            hint="set it to a whole number such as 1767225600, or unset it",
        ) from None


def default_name(answers: Answers, ext: str, fallback: str = "qsr") -> str:
    """`<rep>-<quarter>-qsr.<ext>`; `<fallback>.<ext>` when the rep or quarter is unanswered."""
    from qsrkit.filenames import slug

    if answers.account_executive and answers.quarter:
        return f"{slug(answers.account_executive)}-{answers.quarter}-qsr.{ext}"
    return f"{slug(fallback)}.{ext}"


def reference_for(options: RenderOptions) -> Path | None:
    if options.reference is not None:
        return options.reference
    if options.templates is not None and (options.templates / REFERENCE).is_file():
        return options.templates / REFERENCE
    return None


def render(answers: Answers, options: RenderOptions, *, answers_dir: Path | None = None,
           fallback_name: str = "qsr") -> Rendered:
    """One document in `options.format`, with its default file name and warnings."""
    if options.format not in FORMATS:
        raise UsageError(f"unknown format '{options.format}'; use one of: {', '.join(FORMATS)}")
    warnings: list[str] = []
    context = build_context(answers, options.config, answers_dir=answers_dir, warnings=warnings)
    text = render_markdown(context, options.templates)
    name = default_name(answers, options.format, fallback_name)
    if options.format == "md":
        return Rendered(markdown_output(text).encode("utf-8"), name, warnings)
    if options.format == "html":
        return Rendered(html_output(text, _title(context)).encode("utf-8"), name, warnings)
    from qsrkit.document.docx_writer import DocMeta, write_docx

    labels = context["label"]
    when = source_date()
    rep = answers.account_executive or ""
    meta = DocMeta(
        title=_property(_title(context)),
        author=_property(rep or options.config.company or "qsrkit"),
        header_left=" · ".join(x for x in (options.config.company, labels["title"]) if x),
        header_right=" · ".join(x for x in (rep, answers.quarter) if x),
        footer_left=" · ".join(x for x in (rep, answers.quarter) if x),
        page_label=labels["page"],
        of_label=labels["of"],
        timestamp=when,
        reproducible=when is not None,
    )
    data, more = write_docx(text, meta, reference=reference_for(options), image_root=answers_dir)
    return Rendered(data, name, warnings + more)


# Word keeps at most 255 characters in a document property (title, author), and python-docx
# raises ValueError past that; a long name is still whole in the document itself.
MAX_PROPERTY_CHARS = 255


def _property(text: str) -> str:
    if len(text) <= MAX_PROPERTY_CHARS:
        return text
    return text[: MAX_PROPERTY_CHARS - 1] + "…"


def _title(context: dict[str, Any]) -> str:
    parts = [context["label"]["title"]]
    parts += [x for x in (context["rep"], context["quarter"]) if x and x != BLANK]
    return " — ".join(parts)


def markdown_output(text: str) -> str:
    """The template's Markdown as a readable .md file (GFM: `<br>` breaks lines in cells)."""
    text = re.sub(rf"(\|\s*){BULLET_MARK}", r"\1• ", text)
    return text.replace(BULLET_MARK, "<br>• ").replace(LINE_BREAK, "<br>")


_CSS = (
    "body{font-family:Calibri,Arial,sans-serif;max-width:52em;margin:2em auto;color:#222;"
    "line-height:1.4}h1{color:#1f3864}h2{color:#1f3864;border-bottom:2px solid #1f3864}"
    "h3{color:#2e74b5}table{border-collapse:collapse;width:100%;margin:.5em 0 1em}"
    "th{background:#1f3864;color:#fff}th,td{border:1px solid #bfbfbf;padding:.3em .5em;"
    "vertical-align:top}tr:nth-child(even) td{background:#f2f2f2}"
    "blockquote{border-left:4px solid #2e74b5;background:#f2f6fb;margin:0;padding:.5em 1em}"
    "img{max-width:100%}"
)


def html_output(text: str, title: str) -> str:
    """A standalone HTML page of the same Markdown, for a browser preview."""
    from html import escape

    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    body = parser.render(text)
    body = re.sub(rf"(<t[dh][^>]*>){BULLET_MARK}", r"\1• ", body)
    body = body.replace(BULLET_MARK, "<br>• ").replace(LINE_BREAK, "<br>")
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n{body}</body>\n"
        "</html>\n"
    )
