"""Step 2: the opportunity creation calculator, its inputs and the fiscal calendar.

`plan(inputs)` is pure (numbers in, numbers out); `resolve` gathers the inputs from flags, the
answers file and the org config, in that order; `plan_rows` shows the result as people read it.

Names here are imported on first use (`qsrkit.lazy`), so importing the package costs
nothing until one is used; `from qsrkit.plan import X` works as usual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qsrkit.lazy import attributes

if TYPE_CHECKING:
    from qsrkit.plan.calculator import DEFAULT_TARGETS, CalculatorInputs, TargetPlan, plan
    from qsrkit.plan.fiscal import FiscalCalendar
    from qsrkit.plan.inputs import CalcFlags, resolve
    from qsrkit.plan.rows import plan_rows, target_label

_WHERE = {
    "CalcFlags": "inputs",
    "CalculatorInputs": "calculator",
    "DEFAULT_TARGETS": "calculator",
    "FiscalCalendar": "fiscal",
    "TargetPlan": "calculator",
    "plan": "calculator",
    "plan_rows": "rows",
    "resolve": "inputs",
    "target_label": "rows",
}

__all__ = ["DEFAULT_TARGETS", "CalcFlags", "CalculatorInputs", "FiscalCalendar", "TargetPlan", "plan", "plan_rows", "resolve", "target_label"]

__getattr__ = attributes(__name__, _WHERE)
