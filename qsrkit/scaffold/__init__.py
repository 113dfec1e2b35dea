"""Writing new answers files: blank, carried from last quarter, or prefilled from a CRM export.

The scaffold is a Jinja template (`templates/answers.yaml.j2`) whose comments teach every field.

Names here are imported on first use (`qsrkit.lazy`), so importing the package costs
nothing until one is used; `from qsrkit.scaffold import X` works as usual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qsrkit.lazy import attributes

if TYPE_CHECKING:
    from qsrkit.scaffold.team import TeamResult, new_from_crm, new_team
    from qsrkit.scaffold.writer import NewResult, new_answers, schema_json

_WHERE = {
    "NewResult": "writer",
    "TeamResult": "team",
    "new_answers": "writer",
    "new_from_crm": "team",
    "new_team": "team",
    "schema_json": "writer",
}

__all__ = ["NewResult", "TeamResult", "new_answers", "new_from_crm", "new_team", "schema_json"]

__getattr__ = attributes(__name__, _WHERE)
