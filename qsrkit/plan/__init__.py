"""Step 2: the opportunity creation calculator, its inputs and the fiscal calendar.

`plan(inputs)` is pure (numbers in, numbers out); `resolve` gathers the inputs from flags, the
answers file and the org config, in that order; `plan_rows` shows the result as people read it.

Names here are imported on first use, so importing the package costs nothing until one is used
(`qsrkit calc` must start fast); `from qsrkit.plan import X` works as usual.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qsrkit.plan.calculator import DEFAULT_TARGETS, CalculatorInputs, TargetPlan, plan
    from qsrkit.plan.fiscal import FiscalCalendar
    from qsrkit.plan.inputs import CalcFlags, resolve
    from qsrkit.plan.rows import plan_rows, target_label

_WHERE = {
    "CalcFlags": "qsrkit.plan.inputs",
    "CalculatorInputs": "qsrkit.plan.calculator",
    "DEFAULT_TARGETS": "qsrkit.plan.calculator",
    "FiscalCalendar": "qsrkit.plan.fiscal",
    "TargetPlan": "qsrkit.plan.calculator",
    "plan": "qsrkit.plan.calculator",
    "plan_rows": "qsrkit.plan.rows",
    "resolve": "qsrkit.plan.inputs",
    "target_label": "qsrkit.plan.rows",
}

__all__ = ["DEFAULT_TARGETS", "CalcFlags", "CalculatorInputs", "FiscalCalendar", "TargetPlan", "plan", "plan_rows", "resolve", "target_label"]


def __getattr__(name: str) -> object:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(where), name)
