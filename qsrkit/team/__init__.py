"""Step 5: many answers files read together: readiness, the team at a glance, the meeting pages.

`readiness` says who is ready for the review; `build` gathers the whole pack and `write_pack`
turns it into docx, md or html through `templates/team.md.j2`; `calc_rows` is `qsrkit calc`
over many files. Nothing here prints.

Names here are imported on first use, so importing the package costs nothing until one is used
(`qsrkit calc FILE FILE` must start fast); `from qsrkit.team import X` works as usual.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qsrkit.team.calc_table import TeamCalc, calc_rows
    from qsrkit.team.output import write_pack
    from qsrkit.team.pack import (
        Readiness,
        TeamPack,
        TeamRequest,
        build,
        pack_json,
        readiness,
        readiness_json,
    )

_WHERE = {
    "Readiness": "qsrkit.team.pack",
    "TeamCalc": "qsrkit.team.calc_table",
    "TeamPack": "qsrkit.team.pack",
    "TeamRequest": "qsrkit.team.pack",
    "build": "qsrkit.team.pack",
    "calc_rows": "qsrkit.team.calc_table",
    "pack_json": "qsrkit.team.pack",
    "readiness": "qsrkit.team.pack",
    "readiness_json": "qsrkit.team.pack",
    "write_pack": "qsrkit.team.output",
}

__all__ = ["Readiness", "TeamCalc", "TeamPack", "TeamRequest", "build", "calc_rows", "pack_json", "readiness", "readiness_json", "write_pack"]


def __getattr__(name: str) -> object:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(where), name)
