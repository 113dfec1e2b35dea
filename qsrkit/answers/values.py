"""The answers models' field types: the parsers of `qsrkit.parse` as pydantic types."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from qsrkit.answers.parse import (
    XML_ILLEGAL,
    clean_text,
    parse_count,
    parse_date,
    parse_money,
    parse_percent,
    parse_quarter,
    parse_rate,
    parse_whole,
)

__all__ = [
    "XML_ILLEGAL", "Count", "Date", "Money", "Percent", "Quarter", "Text", "Whole", "WinRate",
    "clean_text", "parse_count", "parse_date", "parse_money", "parse_percent", "parse_quarter",
    "parse_rate", "parse_whole",
]

_NUMBER_SCHEMA: dict[str, Any] = {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}]}

Money = Annotated[
    Decimal,
    BeforeValidator(parse_money),
    WithJsonSchema({**_NUMBER_SCHEMA, "description": "An amount, plain digits (1000.50)"}),
]
Count = Annotated[Decimal, BeforeValidator(parse_count), WithJsonSchema(_NUMBER_SCHEMA)]
Whole = Annotated[int, BeforeValidator(parse_whole), WithJsonSchema({"type": "integer", "minimum": 0})]
Percent = Annotated[
    Decimal,
    BeforeValidator(parse_percent),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": r"^\s*[\d.]+\s*%?\s*$"}],
            "description": "Percent points: 25 or 25% (0.25 is refused as ambiguous)",
        }
    ),
]
WinRate = Annotated[
    Decimal,
    BeforeValidator(parse_rate),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 100},
                {"type": "string", "pattern": r"^\s*[\d.]+\s*%?\s*$"},
            ],
            "description": "Percent points, 0 to 100: 25 or 25%",
        }
    ),
]
Date = Annotated[
    dt.date,
    BeforeValidator(parse_date),
    WithJsonSchema({"type": "string", "format": "date", "description": "YYYY-MM-DD"}),
]
Quarter = Annotated[
    str,
    BeforeValidator(parse_quarter),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-Q[1-4]$", "description": "YYYY-Qn"}),
]
Text = Annotated[str, BeforeValidator(clean_text), WithJsonSchema({"type": "string"})]
