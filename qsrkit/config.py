"""The organisation's settings (`qsrkit.yaml`): company, currency, fiscal calendar, targets, wording.

Sales operations edit this file; sellers never need to. It is looked up in the current folder
unless `--config FILE` names one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from qsrkit.answers.models import Dashboard, Section
from qsrkit.answers.values import Percent, Text
from qsrkit.plan.fiscal import FiscalCalendar

CONFIG_NAME = "qsrkit.yaml"

# Symbols for the currencies sales teams ask for most; any other ISO code prints as a prefix.
CURRENCY_SYMBOLS = {
    "USD": "$", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$", "EUR": "€", "GBP": "£", "JPY": "¥",
    "CHF": "CHF ", "SEK": "SEK ", "NOK": "NOK ", "DKK": "DKK ", "INR": "₹", "BRL": "R$",
    "MXN": "MX$", "SGD": "S$", "ZAR": "R ", "PLN": "PLN ", "CNY": "CN¥", "KRW": "₩",
}


def _positive_targets(values: list[Decimal]) -> list[Decimal]:
    if not values:
        raise ValueError("list at least one target, e.g. [100, 150]")
    if any(v <= 0 for v in values):
        raise ValueError("every target is a percent of quota above 0, e.g. 100 or 150")
    return values


def _currency(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValueError(f"'{value}' is not a currency code; use three letters such as USD or EUR")
    return code


class OrgConfig(Section):
    """Everything sales operations set once for the whole team."""

    company: Text | None = None
    team_message: Text | None = Field(
        None, description="Shown at the top of every QSR unless the answers file has its own"
    )
    currency: Annotated[str, AfterValidator(_currency)] = "USD"
    fiscal_year_start_month: int = Field(1, ge=1, le=12)
    fiscal_year_named_for: Literal["start", "end"] = "end"
    targets: Annotated[list[Percent], AfterValidator(_positive_targets)] = Field(
        default_factory=lambda: [Decimal(100), Decimal(150)],
        description="The calculator's columns, as percent of quota",
    )
    dashboards: list[Dashboard] = Field(default_factory=list)
    wording: dict[str, Text] = Field(
        default_factory=dict, description="Replacement text for the template's labels"
    )
    templates: Text | None = Field(None, description="A folder of custom templates")
    reference_doc: Text | None = Field(None, description="A .docx whose styles to use")

    @property
    def calendar(self) -> FiscalCalendar:
        return FiscalCalendar(self.fiscal_year_start_month, self.fiscal_year_named_for)

    @property
    def currency_symbol(self) -> str:
        return CURRENCY_SYMBOLS.get(self.currency, f"{self.currency} ")


@dataclass
class LoadedConfig:
    config: OrgConfig
    path: Path | None  # None when the built-in defaults are in use


def load_config(explicit: Path | None = None, folder: Path | None = None) -> LoadedConfig:
    """The config named by `--config`, else `qsrkit.yaml` in `folder` (the current one), else defaults."""
    from qsrkit.answers.loading import validate_document
    from qsrkit.answers.yamlsource import load

    path = explicit
    if path is None:
        candidate = (folder or Path.cwd()) / CONFIG_NAME
        if not candidate.is_file():
            return LoadedConfig(OrgConfig(), None)
        path = candidate
    loaded = validate_document(load(path), OrgConfig)
    return LoadedConfig(loaded.model, path)
