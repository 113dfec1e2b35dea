"""What changed in the pipeline between two exports (`qsrkit pipeline diff OLD NEW`).

Both exports are read by `deals.read_deals` (the same columns, values and located messages as
`metrics`). Deals are matched by the opportunity id when both exports have that column (the
presets know `Opportunity ID` and HubSpot's `Record ID`; a mapping file names it as
`opportunity_id`), and otherwise by a stable key: owner + opportunity name + created date (the
name column is found by the usual headers). The result says which was used.

The open pipeline of the quarter is the open deals whose close date falls in it. Every deal of
either export lands in at most one group, so the totals reconcile by construction:

    old open + new + pulled in + reopened + reassigned in
             - won - lost - pushed out - removed - reassigned out
             + amounts up - amounts down            = new open

A deal that stays in the quarter's open pipeline is counted for its amount change (up or down)
and, separately and without money, for a stage change. Nothing here prints.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from qsrkit.crm import names
from qsrkit.crm.columns import load_layout
from qsrkit.crm.deals import Deal, DealExport, read_deals
from qsrkit.errors import InvalidInput, Problem, UsageError, unreadable
from qsrkit.fileio import open_input

# The groups that add to or take from the quarter's open pipeline, in the order shown.
ADDED = ("new", "pulled_in", "reopened", "reassigned_in")
REMOVED = ("won", "lost", "pushed_out", "removed", "reassigned_out")
CHANGED = ("amount_up", "amount_down")
GROUPS = (*ADDED, *REMOVED, *CHANGED, "stage_moved")
LABELS = {
    "new": "New", "pulled_in": "Pulled into the quarter", "reopened": "Reopened",
    "reassigned_in": "Reassigned to the rep", "won": "Won", "lost": "Lost",
    "pushed_out": "Pushed out of the quarter", "removed": "No longer in the export",
    "reassigned_out": "Reassigned to another rep", "amount_up": "Amount up",
    "amount_down": "Amount down", "stage_moved": "Stage moved",
}
# Headers that hold the opportunity's name, for the stable key when there is no id column.
NAME_HEADERS = ("Opportunity Name", "Deal Name", "Name", "Opportunity")


@dataclass(frozen=True)
class Change:
    key: str  # the id, or "owner / name / created"
    owner: str
    group: str
    old_cents: int  # 0 when the deal was not in the old open pipeline
    new_cents: int
    old_stage: str
    new_stage: str
    old_close: str  # ISO dates, "" when none
    new_close: str

    @property
    def effect(self) -> int:
        """What the change does to the open pipeline, in cents."""
        return self.new_cents - self.old_cents if self.group != "stage_moved" else 0

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "owner": self.owner, "group": self.group,
                "old_amount": _money(self.old_cents), "new_amount": _money(self.new_cents),
                "effect": _money(self.effect), "old_stage": self.old_stage,
                "new_stage": self.new_stage, "old_close": self.old_close,
                "new_close": self.new_close}


@dataclass
class Diff:
    """The changes of one rep (or the team, `rep` = "Team")."""

    rep: str
    old_open: int  # cents
    new_open: int
    changes: list[Change] = field(default_factory=list)

    def total(self, group: str) -> int:
        return sum(c.effect for c in self.changes if c.group == group)

    def count(self, group: str) -> int:
        return sum(1 for c in self.changes if c.group == group)

    @property
    def reconciles(self) -> bool:
        return self.old_open + sum(c.effect for c in self.changes) == self.new_open

    def as_json(self) -> dict[str, Any]:
        return {
            "rep": self.rep, "old_open_pipeline": _money(self.old_open),
            "new_open_pipeline": _money(self.new_open), "reconciles": self.reconciles,
            "groups": {g: {"deals": self.count(g), "amount": _money(self.total(g))}
                       for g in GROUPS},
            "changes": [c.as_json() for c in self.changes],
        }


@dataclass
class PipelineDiff:
    old_file: str
    new_file: str
    quarter: str
    first_day: dt.date
    last_day: dt.date
    matched_by: str  # how deals were matched, in words
    team: Diff
    reps: list[Diff]
    warnings: list[Problem] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"old": self.old_file, "new": self.new_file, "quarter": self.quarter,
                "first_day": self.first_day.isoformat(), "last_day": self.last_day.isoformat(),
                "matched_by": self.matched_by, "team": self.team.as_json(),
                "reps": [r.as_json() for r in self.reps],
                "warnings": [w.as_dict() for w in self.warnings]}


def _money(cents: int) -> str:
    return format(Decimal(cents) / 100, ".2f")


def diff_exports(old: Path, new: Path, calendar: Any, quarter: str, *,
                 columns: Path | None = None, rep: str | None = None) -> PipelineDiff:
    """The changes from `old` to `new` in `quarter`'s open pipeline, per rep and for the team."""
    _refuse_same(old, new)
    layout = load_layout(columns) if columns else None
    first, last = calendar.quarter_bounds(quarter)
    start = first.toordinal()
    # A year back, so a deal won or lost with its close date moved before the quarter is read
    # (and counted as won or lost, not as gone from the export).
    since = start - 365
    before, after = read_deals(old, since, layout), read_deals(new, since, layout)
    if before.layout.name != after.layout.name:
        raise InvalidInput.at(after.file, f"is a {after.layout.name} but {before.file} is a "
                              f"{before.layout.name}; compare two exports of the same report",
                              line=1)
    if "opportunity_id" in before.columns and "opportunity_id" in after.columns:
        matched_by = "opportunity id"
        keyed = (_by_id(before), _by_id(after))
    else:
        named = [_with_names(e, old if e is before else new, since)
                 for e in (before, after)]
        matched_by = "owner + opportunity name + created date (the exports have no id column)"
        keyed = (_by_name(named[0]), _by_name(named[1]))
    span = (start, last.toordinal())
    team = _diff("Team", keyed[0], keyed[1], span, None)
    owners: dict[str, str] = {}
    for export in (before, after):
        for deal in export.deals:
            owners.setdefault(names.key(deal.owner), deal.owner.strip())
    if rep is not None:
        wanted = names.key(rep)
        if wanted not in owners:
            listed = sorted(owners.values(), key=str.casefold)
            raise UsageError(f"no opportunities owned by '{rep}' in {before.file} or "
                             f"{after.file}" + names.did_you_mean(rep, listed),
                             hint=f"the owners in the exports are: {names.listing(listed)}")
        owners = {wanted: owners[wanted]}
    reps = [_diff(shown, keyed[0], keyed[1], span, key)
            for key, shown in sorted(owners.items(), key=lambda kv: kv[1].casefold())]
    reps = [r for r in reps if r.changes or r.old_open or r.new_open or rep is not None]
    return PipelineDiff(before.file, after.file, quarter, first, last, matched_by, team, reps,
                        [*before.warnings, *after.warnings])


def _refuse_same(old: Path, new: Path) -> None:
    digests = []
    for path in (old, new):
        digest = hashlib.sha256()
        try:
            with open_input(path, "CSV export") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
        except OSError as exc:
            raise unreadable(str(path), exc, "CSV export") from None
        digests.append(digest.hexdigest())
    try:
        same = old.samefile(new)
    except OSError:  # pragma: no cover - both were just read
        same = False
    if same or digests[0] == digests[1]:
        what = "is the same file as" if same else "has exactly the same content as"
        raise InvalidInput.at(str(new), f"{what} {old}; give an older export first and a newer "
                              "one second (last week's and this week's, say)")


def _by_id(export: DealExport) -> dict[str, Deal]:
    found: dict[str, Deal] = {}
    for deal in export.deals:
        key = deal.opportunity_id
        if not key:
            raise InvalidInput.at(export.file, f"a deal of {deal.owner.strip()} has no "
                                  "opportunity id; fill the id column in the export")
        if key in found:
            raise InvalidInput.at(export.file, f"the opportunity id '{key}' is on two rows; "
                                  "each deal needs its own id to be matched across exports")
        found[key] = deal
    return found


def _with_names(export: DealExport, path: Path, start: int) -> DealExport:
    """The export read again with its name column in `opportunity_id`, for the stable key."""
    used = export.layout
    columns = {**used.columns, "opportunity_id": NAME_HEADERS}
    named = read_deals(path, start, replace(used, columns=columns))
    if "opportunity_id" not in named.columns:
        raise InvalidInput.at(export.file, "has neither an opportunity id column nor an "
                              f"opportunity name column ({', '.join(NAME_HEADERS)}), so deals "
                              "cannot be matched between the exports; add the id column to "
                              "the report (or name it as opportunity_id in --columns)", line=1)
    return named


def _by_name(export: DealExport) -> dict[str, Deal]:
    found: dict[str, Deal] = {}
    for deal in export.deals:
        created = dt.date.fromordinal(deal.created).isoformat()
        key = f"{deal.owner.strip()} / {deal.opportunity_id} / {created}"
        if key in found:
            raise InvalidInput.at(export.file, f"two deals have the same owner, name and created "
                                  f"date ({key}); add the opportunity id column to the report "
                                  "so they can be told apart")
        found[key] = deal
    return found


def _diff(rep: str, old: dict[str, Deal], new: dict[str, Deal], span: tuple[int, int],
          owner: str | None) -> Diff:
    def in_quarter(deal: Deal | None) -> bool:
        return deal is not None and deal.open and span[0] <= deal.close <= span[1]

    def mine(deal: Deal | None) -> bool:
        return deal is not None and (owner is None or names.key(deal.owner) == owner)

    result = Diff(rep, 0, 0)
    for key in sorted(old.keys() | new.keys()):
        was, now = old.get(key), new.get(key)
        was_open, now_open = in_quarter(was) and mine(was), in_quarter(now) and mine(now)
        result.old_open += was.cents if was_open and was else 0
        result.new_open += now.cents if now_open and now else 0
        group = _group(was, now, was_open, now_open, mine)
        if group is None:
            continue
        if group == "amount_up" and was is not None and now is not None:
            group = ("amount_up" if now.cents > was.cents else "amount_down"
                     if now.cents < was.cents else "stage_moved"
                     if _fold(now.stage) != _fold(was.stage) else "")
            if not group:
                continue
            if group != "stage_moved" and _fold(now.stage) != _fold(was.stage):
                result.changes.append(_change(key, "stage_moved", was, now, True, True))
        result.changes.append(_change(key, group, was, now, was_open, now_open))
    return result


def _group(was: Deal | None, now: Deal | None, was_open: bool, now_open: bool,
           mine: Any) -> str | None:
    if was_open and now_open:
        return "amount_up"  # sorted out by the caller: up, down, stage only or nothing
    if now_open and now is not None:
        if was is None:
            return "new"
        if not mine(was):
            return "reassigned_in"
        return "reopened" if not was.open else "pulled_in"
    if was_open and was is not None:
        if now is None:
            return "removed"
        if not mine(now):
            return "reassigned_out"
        if now.won:
            return "won"
        return "lost" if now.lost else "pushed_out"
    return None


def _change(key: str, group: str, was: Deal | None, now: Deal | None, was_open: bool,
            now_open: bool) -> Change:
    deal = now or was
    assert deal is not None
    return Change(key, deal.owner.strip(), group,
                  was.cents if was is not None and was_open else 0,
                  now.cents if now is not None and now_open else 0,
                  was.stage if was else "", now.stage if now else "", _day(was), _day(now))


def _day(deal: Deal | None) -> str:
    return dt.date.fromordinal(deal.close).isoformat() if deal is not None and deal.close else ""


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()
