"""Which export columns hold which field: the Salesforce and HubSpot presets and a mapping file.

A new CRM preset is one more `Layout` in `PRESETS`; a team whose export is laid out otherwise
writes a `--columns` mapping file instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from qsrkit.errors import InvalidInput, Problem

FIELDS = ("owner", "amount", "created", "close", "stage", "won", "closed",
          "forecast_category", "push_count",
          # Read by `qsrkit diagnose` only: matching deals across snapshots, the ideal customer
          # profile's columns, why a deal was lost, and a snapshot's date when it is a column.
          "opportunity_id", "industry", "segment", "employees", "lead_source", "loss_reason",
          "snapshot_date")


REQUIRED = ("owner", "amount", "created", "close")


DEFAULT_WON_STAGES = frozenset({"closed won", "closedwon", "won"})


DEFAULT_LOST_STAGES = frozenset({"closed lost", "closedlost", "lost"})


@dataclass(frozen=True)
class Layout:
    """Which header names hold which field, and how the file writes its values."""

    name: str
    columns: dict[str, tuple[str, ...]]  # field -> header names it may have (any case)
    date_order: str | None = None  # "MDY", "DMY", "YMD" or None (detect)
    decimal: str | None = None  # "." or ","; None: "," for semicolon/tab files, else "."
    won_stages: frozenset[str] = DEFAULT_WON_STAGES
    lost_stages: frozenset[str] = DEFAULT_LOST_STAGES
    unqualified_stages: frozenset[str] = frozenset()
    source: str = ""  # the mapping file, for messages


PRESETS = (
    Layout(
        "Salesforce opportunities report",
        {
            "owner": ("Opportunity Owner", "Opportunity Owner: Full Name"),
            "amount": ("Amount", "Amount (converted)"),
            "created": ("Created Date",),
            "close": ("Close Date",),
            "stage": ("Stage",),
            "won": ("Won",),
            "closed": ("Closed",),
            "forecast_category": ("Forecast Category",),
            "push_count": ("Push Count",),
            "opportunity_id": ("Opportunity ID", "Opportunity Id"),
            "industry": ("Industry", "Account: Industry"),
            "segment": ("Segment", "Account: Segment"),
            "employees": ("Employees", "Account: Employees"),
            "lead_source": ("Lead Source",),
            "loss_reason": ("Loss Reason", "Closed Lost Reason"),
            "snapshot_date": ("Snapshot Date", "Edit Date"),
        },
    ),
    Layout(
        "HubSpot deals export",
        {
            "owner": ("Deal owner",),
            "amount": ("Amount", "Amount in company currency"),
            "created": ("Create Date",),
            "close": ("Close Date",),
            "stage": ("Deal Stage",),
            "won": ("Is Closed Won",),
            "closed": ("Is Deal Closed?", "Is Closed"),
            "forecast_category": ("Forecast category",),
            "push_count": ("Push Count",),
            "opportunity_id": ("Record ID", "Deal ID"),
            "industry": ("Industry",),
            "segment": ("Segment",),
            "employees": ("Number of Employees",),
            "lead_source": ("Original Source", "Original Traffic Source"),
            "loss_reason": ("Closed lost reason",),
            "snapshot_date": ("Snapshot Date",),
        },
    ),
)


def fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def resolve_columns(header: list[str], layout: Layout | None, file: str) -> tuple[Layout, dict[str, int]]:
    """Which column index holds each field; raise a clear error for missing or doubled columns."""
    folded = [fold(h) for h in header]
    if layout is None:
        layout = _detect(folded, header, file)
    index: dict[str, int] = {}
    missing: list[str] = []
    doubled: list[str] = []
    for name, options in layout.columns.items():
        found = [i for i, h in enumerate(folded) for o in options if h == fold(o)]
        if not found:
            if name in REQUIRED:
                missing.append(" or ".join(repr(o) for o in options[:2]))
            continue
        positions = sorted(set(found))
        if len(positions) > 1:
            doubled.append(f"'{header[positions[0]]}' (columns {', '.join(str(p + 1) for p in positions)})")
            continue
        index[name] = positions[0]
    if "stage" not in index and "won" not in index and not missing:
        stage = layout.columns.get("stage", ("stage",))
        won = layout.columns.get("won", ("won",))
        missing.append(f"{stage[0]!r} or {won[0]!r} (to tell won from lost)")
    problems = []
    had = ", ".join(repr(h) for h in header)
    where = f"the mapping file {layout.source}" if layout.source else f"a {layout.name}"
    if missing:
        problems.append(Problem(
            file, 1, 0, "", f"columns that {where} needs are missing: {'; '.join(missing)}. "
            f"The header has: {had}"))
    if doubled:
        problems.append(Problem(
            file, 1, 0, "", f"these columns appear more than once, so qsrkit cannot tell which "
            f"to use: {', '.join(doubled)}; remove or rename the extra ones"))
    if problems:
        raise InvalidInput(problems)
    return layout, index


def _detect(folded: list[str], header: list[str], file: str) -> Layout:
    for preset in PRESETS:
        if any(fold(o) in folded for o in preset.columns["owner"]):
            return preset
    names = " or ".join(p.name for p in PRESETS)
    raise InvalidInput([Problem(
        file, 1, 0, "",
        f"the header is not a {names}, and no --columns mapping file was given. The header "
        f"has: {', '.join(repr(h) for h in header)}. Name the columns in a mapping file "
        "(owner, amount, created, close, stage) and pass it with --columns MAP.yaml")])


def load_layout(path: Path) -> Layout:
    """A mapping file: which header holds each field, and how dates and amounts are written."""
    from pydantic import Field, field_validator

    from qsrkit.answers.loading import validate_document
    from qsrkit.answers.models import Section
    from qsrkit.answers.yamlsource import load

    class ColumnsFile(Section):
        owner: str = Field(description="The column with the opportunity owner (the rep)")
        amount: str
        created: str
        close: str
        stage: str | None = None
        won: str | None = None
        closed: str | None = None
        forecast_category: str | None = None
        push_count: str | None = None
        opportunity_id: str | None = None
        industry: str | None = None
        segment: str | None = None
        employees: str | None = None
        lead_source: str | None = None
        loss_reason: str | None = None
        snapshot_date: str | None = None
        date_format: str | None = None
        decimal: str | None = None
        won_stages: list[str] = Field(default_factory=list)
        lost_stages: list[str] = Field(default_factory=list)
        unqualified_stages: list[str] = Field(default_factory=list)

        @field_validator("date_format")
        @classmethod
        def _order(cls, value: str | None) -> str | None:
            if value is None:
                return None
            order = re.sub(r"[^DMY]", "", value.upper().replace("YYYY", "Y").replace("MM", "M")
                           .replace("DD", "D"))
            if order not in ("MDY", "DMY", "YMD"):
                raise ValueError(f"'{value}' is not a date order; write MDY (7/14/2026), DMY "
                                 "(14/7/2026) or YMD (2026-07-14)")
            return order

        @field_validator("decimal")
        @classmethod
        def _decimal(cls, value: str | None) -> str | None:
            if value is not None and value.strip() not in (".", ","):
                raise ValueError("write \".\" (1,234.50) or \",\" (1.234,50)")
            return value.strip() if value else None

    model = validate_document(load(path), ColumnsFile).model
    columns: dict[str, tuple[str, ...]] = {}
    for name in FIELDS:
        value = getattr(model, name)
        if value:
            columns[name] = (value,)
    if "stage" not in columns and "won" not in columns:
        raise InvalidInput([Problem(str(path), 1, 1, "stage", "name the stage column (or a won "
                                    "flag column) so qsrkit can tell won from lost deals")])
    return Layout(
        name=f"mapping file {path.name}",
        columns=columns,
        date_order=model.date_format,
        decimal=model.decimal,
        won_stages=DEFAULT_WON_STAGES | {fold(s) for s in model.won_stages},
        lost_stages=DEFAULT_LOST_STAGES | {fold(s) for s in model.lost_stages},
        unqualified_stages=frozenset(fold(s) for s in model.unqualified_stages),
        source=str(path),
    )
