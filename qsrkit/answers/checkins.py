"""The values of the `check_ins:` list of an answers file: a play's status, blank lists, names.

A check-in is the monthly review of the plan (`qsrkit check-in` appends one); its models are in
`answers.models`, the rules across its entries in `answers.checkin_rules`. Each entry names
this quarter's skills and plays as the file does; names are compared without regard to case or
spacing (`name_key`).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from qsrkit.answers.parse import shown

PLAY_STATUSES = ("on track", "at risk", "done", "dropped")


def parse_status(value: Any) -> str | None:
    """A play's status, one of PLAY_STATUSES; `On Track` and `on-track` read as `on track`."""
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise ValueError(f"write one status: {', '.join(PLAY_STATUSES)}")
    typed = str(value)
    words = name_key(typed.replace("-", " ").replace("_", " "))
    if not words:
        return None
    if words not in PLAY_STATUSES:
        raise ValueError(f"'{shown(typed)}' is not a play status; write one of: "
                         f"{', '.join(PLAY_STATUSES)}")
    return words


PlayStatus = Annotated[str, BeforeValidator(parse_status),
                       WithJsonSchema({"type": "string", "enum": list(PLAY_STATUSES)})]
# `audibles:` left blank is an empty list, not an error: a check-in may agree none.
BLANK_IS_EMPTY = BeforeValidator(lambda value: [] if value is None else value)


def name_key(name: str) -> str:
    """How a skill or play is matched: `Integrator  co-selling` is `integrator co-selling`."""
    return " ".join(name.split()).casefold()
