"""The organisation's settings (`qsrkit.yaml`): company, currency, fiscal calendar, targets, wording.

Sales operations edit this file; sellers never need to. It is looked up in the current folder
unless `--config FILE` names one.

The labels the templates print are data of their own (`qsrkit.labels`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
    model_validator,
)

from qsrkit.answers.models import TEN_DASHBOARDS, Answers, Dashboard, Section
from qsrkit.answers.questions import Questions, answers_model
from qsrkit.answers.values import Count, Money, Percent, Text, Whole, clean_text
from qsrkit.labels import DEFAULT_LABELS
from qsrkit.plan.fiscal import FiscalCalendar

if TYPE_CHECKING:
    from qsrkit.answers.yamlsource import YamlDocument

CONFIG_NAME = "qsrkit.yaml"


class Settings(Section):
    """Base of the config's sections. Their validators are built the first time a qsrkit.yaml
    is read (defer_build), not at import: without one, `load_config` builds the defaults with
    `model_construct` and a command never pays for validating a file it does not have."""

    model_config = ConfigDict(defer_build=True)


def _defaults(model: type[Settings]) -> Any:
    """A default_factory for a section: its defaults, which need no validation."""
    return model.model_construct


def _label(value: Any) -> str:
    if value is None:
        raise ValueError('a label cannot be empty; write the text (or "" for no text), or delete '
                         "the line to keep the default")
    return clean_text(value)


# Not Optional: a null label reaches _label (pydantic would accept None for `str | None` unseen).
Label = Annotated[str, BeforeValidator(_label), WithJsonSchema({"type": "string"})]


class _WordingBase(Settings):
    """`wording:` in qsrkit.yaml: one optional key per label, so a misspelt key is reported at
    its line, with the closest label name, like any other unknown key."""

    def replacements(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.model_fields_set}


if TYPE_CHECKING:
    Wording = _WordingBase
else:
    from pydantic import create_model

    Wording = create_model(
        "Wording", __base__=_WordingBase,
        **{name: (Label, Field(None, description=f"Default: {text}"))
           for name, text in DEFAULT_LABELS.items()},
    )

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


# --- `qsrkit diagnose`: the ideal customer profile, revenue tiers and the tendencies' thresholds


class Range(Settings):
    """Inclusive bounds; either may be left out."""

    min: Count | None = None
    max: Count | None = None

    def holds(self, value: Decimal) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


class IcpRules(Settings):
    """`icp:` the ideal customer profile. A deal is inside it when it meets every rule given;
    a list matches any of its values (case and spaces ignored), a range includes its bounds."""

    industry: list[Text] | None = None
    segment: list[Text] | None = None
    lead_source: list[Text] | None = None
    employees: Range | None = None
    amount: Range | None = None

    @model_validator(mode="after")
    def _some_rule(self) -> IcpRules:
        if not self.model_fields_set:
            raise ValueError("name at least one rule, e.g. `industry: [Software]` or "
                             "`employees: {min: 200}`")
        return self


class Tier(Settings):
    """A revenue tier: deals below `below` (the last tier has no `below`)."""

    name: Text
    below: Money | None = None


def _tiers_in_order(tiers: list[Tier]) -> list[Tier]:
    if not tiers:
        raise ValueError("list at least one tier, e.g. `- name: All deals`")
    if tiers[-1].below is not None:
        raise ValueError("the last tier holds every larger deal, so it has no `below`")
    bounds = [t.below for t in tiers[:-1]]
    if any(b is None for b in bounds):
        raise ValueError("every tier but the last needs `below`, the amount where the next "
                         "tier starts")
    if any(a >= b for a, b in itertools.pairwise(bounds)):  # type: ignore[operator]
        raise ValueError("list the tiers from the smallest deals up: each `below` larger than "
                         "the one before")
    return tiers


DEFAULT_TIERS: list[tuple[str, Decimal | None]] = [
    ("Small", Decimal(10000)), ("Mid-size", Decimal(50000)), ("Large", None),
]


class SandbaggerThresholds(Settings):
    days_to_win_at_most: Percent = Field(Decimal(50), description="Of the team median")
    win_rate_at_least: Percent = Decimal(80)
    commit_within: Percent = Field(Decimal(5), description="Points between the commit and the "
                                   "overall win rate")


class HappyEarsThresholds(Settings):
    days_to_lose_at_least: Percent = Field(Decimal(150), description="Of the team median")
    multi_pushes_at_least: Percent = Field(Decimal(200), description="Share of deals pushed "
                                           "twice or more, of the team median share")
    no_decisions_at_least: Percent = Field(Decimal(200), description="Share of losses to no "
                                           "decision, of the team median share")
    commit_below_team_by: Percent = Field(Decimal(15), description="Points")


class ScatteredThresholds(Settings):
    icp_below_overall_by: Percent = Field(Decimal(15), description="Points")
    asp_at_most: Percent = Field(Decimal(75), description="Of the team median")
    small_deals_at_least: Percent = Field(Decimal(150), description="Share of wins in the "
                                          "smallest tier, of the team median share")


class FlashThresholds(Settings):
    top_deal_at_least: Percent = Field(Decimal(50), description="The largest win's share of "
                                       "the rep's won amount")
    created_at_most: Percent = Field(Decimal(50), description="Pipeline created, of the team "
                                     "median")


class Thresholds(Settings):
    """When `qsrkit diagnose` raises a tendency: relative to the team's medians, and never
    below a minimum sample."""

    min_decided: Whole = Field(10, description="Decided (won or lost) deals in the period "
                               "below which no tendency is raised")
    min_committed: Whole = 5
    min_icp_decided: Whole = 5
    no_decision_reasons: list[Text] = Field(
        default_factory=lambda: ["No Decision", "No decision / non-responsive", "Went dark",
                                 "Status quo", "Unresponsive", "Do nothing"],
        description="Loss reasons that mean the buyer decided nothing")
    sandbagger: SandbaggerThresholds = Field(default_factory=_defaults(SandbaggerThresholds))
    happy_ears: HappyEarsThresholds = Field(default_factory=_defaults(HappyEarsThresholds))
    scattered: ScatteredThresholds = Field(default_factory=_defaults(ScatteredThresholds))
    flash_in_the_pan: FlashThresholds = Field(default_factory=_defaults(FlashThresholds))


# --- `qsrkit render --crm`: when a deal belongs on the clean-your-room list, and how to weigh
# pipeline when the export has no probability column


def _at_least_one(value: int) -> int:
    if value < 1:
        raise ValueError("write a whole number of 1 or more")
    return value


def _probabilities(values: dict[str, Decimal]) -> dict[str, Decimal]:
    for stage, percent in values.items():
        if percent > 100:
            raise ValueError(f"{stage}: a probability is 0 to 100 percent, not {percent}")
    return values


class DashboardSettings(Settings):
    """`dashboard:` the CRM dashboards `qsrkit render --crm` puts in Section 4."""

    aging_days: Annotated[Whole, AfterValidator(_at_least_one)] = Field(
        90, description="An open deal created more than this many days before the as-of date "
        "is listed as aging")
    closing_within_weeks: Annotated[Whole, AfterValidator(_at_least_one)] = Field(
        4, description="An open deal in an early stage whose close date is at most this many "
        "weeks away is listed")
    early_stages: list[Text] = Field(
        default_factory=lambda: ["Prospecting", "Qualification", "Needs Analysis",
                                 "Appointment Scheduled", "Qualified To Buy"],
        description="The stages that count as early (case and spaces ignored)")
    pushes_at_least: Annotated[Whole, AfterValidator(_at_least_one)] = Field(
        2, description="An open deal whose close date was pushed this many times or more is "
        "listed (needs a push count column)")
    stage_probabilities: Annotated[dict[str, Percent], AfterValidator(_probabilities)] = Field(
        default_factory=dict,
        description="Stage -> win probability in percent, used to weigh deals whose export row "
        "has no probability")
    list_at_most: Annotated[Whole, AfterValidator(_at_least_one)] = Field(
        20, description="The most deals the clean-your-room table lists (the counts cover all)")


class OrgConfig(Settings):
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
    dashboards: Annotated[list[Dashboard], TEN_DASHBOARDS] = Field(
        default_factory=list,
        description="Dashboards every QSR links; a screenshot is named relative to this file and "
        "must be inside this file's folder or screenshots_folder",
    )
    screenshots_folder: Text | None = Field(
        None,
        description="A folder of dashboard screenshots the whole team may use, relative to this "
        "file. Answers files may name pictures inside it as well as in their own folder; without "
        "it, only pictures inside an answers file's folder are used. Pictures anywhere else are "
        "left out (the document shows the link only), so an answers file from someone else "
        "cannot put other files of the computer that renders it into a QSR",
    )
    wording: Wording = Field(
        default_factory=_defaults(Wording), description="Replacement text for the template's labels"
    )
    questions: Questions = Field(
        default_factory=list,
        description="Questions the team adds to a section of the QSR: section, key, label, kind "
        "(text, list, amount, percent, date), limit (lists), optional, help",
    )
    icp: IcpRules | None = Field(None, description="The ideal customer profile (qsrkit diagnose)")
    tiers: Annotated[list[Tier], AfterValidator(_tiers_in_order)] = Field(
        default_factory=lambda: [Tier.model_construct(name=name, below=below)
                                 for name, below in DEFAULT_TIERS],
        description="Revenue tiers, smallest first (qsrkit diagnose)")
    thresholds: Thresholds = Field(default_factory=_defaults(Thresholds),
                                   description="When qsrkit diagnose raises a tendency")
    dashboard: DashboardSettings = Field(
        default_factory=_defaults(DashboardSettings),
        description="The CRM dashboards of qsrkit render --crm: clean-your-room thresholds and "
        "stage probabilities")
    templates: Text | None = Field(None, description="A folder of custom templates")
    reference_doc: Text | None = Field(None, description="A .docx whose styles to use")
    team: list[Text] | None = Field(
        None, description="The reps `qsrkit team` expects a QSR from (names as in their answers "
        "files), so a rep without a file shows as missing; `--team-list` replaces it")
    team_quota: Money | None = Field(
        None, description="The manager's own quarterly number, which `qsrkit team` compares "
        "with the sum of the reps' quotas and personal goals; `--team-quota` replaces it")

    # Where the config was read from (load_config): its folder anchors the paths it names, and
    # its positions locate warnings about them.
    _source: YamlDocument | None = PrivateAttr(default=None)
    _path: Path | None = PrivateAttr(default=None)

    @property
    def source(self) -> YamlDocument | None:
        return self._source

    @property
    def folder(self) -> Path | None:
        """The folder of the config file; None for the built-in defaults."""
        return self._path.parent if self._path is not None else None

    @property
    def screenshots_path(self) -> Path | None:
        if not self.screenshots_folder:
            return None
        return (self.folder or Path.cwd()) / self.screenshots_folder

    @property
    def answers_model(self) -> type[Answers]:
        """The answers file's model with this org's added questions in their sections."""
        return answers_model(tuple(self.questions))

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
            return LoadedConfig(OrgConfig.model_construct(), None)
        path = candidate
    loaded = validate_document(load(path), OrgConfig)
    config = loaded.model
    config._source, config._path = loaded.document, path
    return LoadedConfig(config, path)
