"""`qsrkit calc FILE FILE...`: the calculator for many reps, a line each, and the team's totals.

Each file is computed exactly as `qsrkit calc FILE` computes it (flags given on the command line
apply to every file). A line shows the first target (100% of quota by default) and the rep's
last target (their personal goal when set):

    quota, closed won, gap to goal, pipeline to create, opportunities a week, pipeline a week

The totals add them up over the reps that could be computed: what the team must create a week.
A file with errors, or missing calculator inputs, gets a line saying why and stays out of the
totals. Light on purpose: no document library is imported (`qsrkit calc` must start fast).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qsrkit.errors import InvalidInput, QsrError

if TYPE_CHECKING:
    from qsrkit.config import OrgConfig
    from qsrkit.plan.calculator import TargetPlan
    from qsrkit.plan.inputs import CalcFlags


@dataclass
class CalcLine:
    file: str
    rep: str
    plans: list[TargetPlan] | None = None
    problem: str = ""  # why there are no figures

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file, "rep": self.rep,
                "targets": [p.as_json() for p in self.plans] if self.plans else None,
                "problem": self.problem or None}


@dataclass
class TeamCalc:
    lines: list[CalcLine]
    notes: list[str] = field(default_factory=list)

    @property
    def computed(self) -> list[CalcLine]:
        return [line for line in self.lines if line.plans]

    def totals(self) -> dict[str, Decimal]:
        """Sums over the computed reps, for their first and last targets."""
        first = [line.plans[0] for line in self.computed if line.plans]
        last = [line.plans[-1] for line in self.computed if line.plans]

        def add(plans: list[TargetPlan], name: str) -> Decimal:
            return sum((Decimal(getattr(p, name)) for p in plans), Decimal(0))

        return {
            "quota": sum((p.target * 100 / p.percent_of_quota for p in first), Decimal(0)),
            "closed_won": add(first, "closed_won"),
            "gap_to_goal": add(first, "gap_to_goal"),
            "pipeline_to_create": add(first, "pipeline_to_create"),
            "opps_per_week": add(first, "opps_per_week"),
            "pipeline_per_week": add(first, "pipeline_per_week"),
            "goal_target": add(last, "target"),
            "goal_opps_per_week": add(last, "opps_per_week"),
            "goal_pipeline_per_week": add(last, "pipeline_per_week"),
        }

    def as_json(self) -> dict[str, Any]:
        from qsrkit.formatting import rounded

        return {"reps": [line.as_json() for line in self.lines],
                "totals": {k: float(rounded(v, 2)) for k, v in self.totals().items()},
                "computed": len(self.computed), "failed": len(self.lines) - len(self.computed)}


def calc_rows(files: list[Path], flags: CalcFlags, config: OrgConfig,
              notes: list[str] | None = None) -> TeamCalc:
    """One line per answers file; the errors of a file become its line's problem."""
    from qsrkit.answers.loading import load_answers
    from qsrkit.plan import calculator
    from qsrkit.plan.inputs import resolve

    found = TeamCalc([], notes if notes is not None else [])
    for path in files:
        line = CalcLine(str(path), path.stem)
        try:
            answers = load_answers(path, model=config.answers_model).model
            line.rep = answers.account_executive or path.stem
            inputs, targets = resolve(flags, answers, config.calendar, list(config.targets),
                                      notes=found.notes)
            line.plans = calculator.plan(inputs, targets)
        except InvalidInput as exc:
            from qsrkit.team.roster import what_parses

            line.rep = what_parses(path)[0] or line.rep
            errors = [p for p in exc.problems if p.severity == "error"]
            line.problem = (f"{len(errors)} error(s), e.g. {errors[0].field or '(file)'}: "
                            f"{errors[0].message}" if errors else exc.message)
        except QsrError as exc:
            line.problem = exc.message.replace("the calculator is missing: ", "missing ")
        found.lines.append(line)
    return found


def calc_table(found: TeamCalc, symbol: str) -> tuple[list[str], list[list[str]], list[str]]:
    """(header, one row of cells per rep, the totals row) as people read them."""
    from qsrkit.formatting import money, money_up, significant
    from qsrkit.plan.rows import target_label

    first = next((line.plans[0] for line in found.computed if line.plans), None)
    label = target_label(first.percent_of_quota) if first else "100% of quota"
    header = ["Rep", "Quota", "Closed won", "Gap to goal", "Pipeline to create",
              f"Opps/wk {label}", "Pipeline/wk", "Goal target", "Opps/wk goal", "Pipeline/wk goal"]
    rows = []
    for line in found.lines:
        if not line.plans:
            rows.append([line.rep, line.problem])
            continue
        p, g = line.plans[0], line.plans[-1]
        rows.append([
            line.rep, money(p.target * 100 / p.percent_of_quota, symbol, whole=True),
            money(p.closed_won, symbol, whole=True), money(p.gap_to_goal, symbol, whole=True),
            money_up(p.pipeline_to_create, symbol), significant(p.opps_per_week, up=True),
            money_up(p.pipeline_per_week, symbol), money(g.target, symbol, whole=True),
            significant(g.opps_per_week, up=True), money_up(g.pipeline_per_week, symbol)])
    t = found.totals()
    totals = [f"Team ({len(found.computed)} of {len(found.lines)})",
              money(t["quota"], symbol, whole=True), money(t["closed_won"], symbol, whole=True),
              money(t["gap_to_goal"], symbol, whole=True), money_up(t["pipeline_to_create"], symbol),
              significant(t["opps_per_week"], up=True), money_up(t["pipeline_per_week"], symbol),
              money(t["goal_target"], symbol, whole=True),
              significant(t["goal_opps_per_week"], up=True),
              money_up(t["goal_pipeline_per_week"], symbol)]
    return header, rows, totals
