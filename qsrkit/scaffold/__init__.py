"""Writing new answers files: blank, carried from last quarter, or prefilled from a CRM export.

The scaffold is a Jinja template (`templates/answers.yaml.j2`) whose comments teach every field.

Names here are imported on first use, so importing the package costs nothing until one is used
(`qsrkit calc` must start fast); `from qsrkit.scaffold import X` works as usual.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qsrkit.scaffold.team import TeamResult, new_from_crm, new_team
    from qsrkit.scaffold.writer import NewResult, new_answers, schema_json

_WHERE = {
    "NewResult": "qsrkit.scaffold.writer",
    "TeamResult": "qsrkit.scaffold.team",
    "new_answers": "qsrkit.scaffold.writer",
    "new_from_crm": "qsrkit.scaffold.team",
    "new_team": "qsrkit.scaffold.team",
    "schema_json": "qsrkit.scaffold.writer",
}

__all__ = ["NewResult", "TeamResult", "new_answers", "new_from_crm", "new_team", "schema_json"]


def __getattr__(name: str) -> object:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(where), name)
