"""The tendencies of seeds 004 and 002, as prompts for a coaching conversation, never verdicts.

A tendency is raised when a rep's figures stand out against the team's medians by the
`thresholds:` of qsrkit.yaml, and only with at least `min_decided` decided deals in the period:

    sandbagger        days to win at most 50% of the team's, and a win rate of 80% or more
                      (noted too: a commit win rate within 5 points of the overall one)
    happy_ears        days to lose at least 150% of the team's, and at least one of: a share of
                      multi-pushed deals or of no-decision losses at least twice the team's, or
                      a commit win rate 15 points or more below the team's
    scattered         an ICP win rate 15 points or more below the rep's own (or no decided deal
                      inside the ICP at all), and an ASP at most 75% of the team's (noted too:
                      a share of small wins at least 150% of the team's)
    flash_in_the_pan  the largest win is at least half the won amount, and the pipeline created
                      in the period is at most half the team's

Each flag carries the figures that raised it (`because`) and two or three questions for the
manager to explore with the rep. The words come from `tendencies.yaml` in the templates
(built in, or in the org's `templates:` folder), where `{name}` stands for a figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from qsrkit import formatting as fmt
from qsrkit.answers.models import Section
from qsrkit.answers.values import Text
from qsrkit.errors import InvalidInput, Problem

if TYPE_CHECKING:
    from qsrkit.config import Thresholds
    from qsrkit.crm.diagnostics import Figures

WORDING = "tendencies.yaml"
TENDENCIES = ("sandbagger", "happy_ears", "scattered", "flash_in_the_pan")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")
FIGURES = frozenset({
    "rep", "period", "decided", "won", "lost", "committed", "icp_decided",
    "win_rate", "team_win_rate", "days_to_win", "team_days_to_win", "days_to_lose",
    "team_days_to_lose", "commit_win_rate", "team_commit_win_rate", "multi_pushes",
    "multi_push_share", "team_multi_push_share", "no_decision_losses", "no_decision_share",
    "team_no_decision_share", "icp_win_rate", "icp_share", "team_icp_share", "asp", "team_asp",
    "small_deal_share", "team_small_deal_share", "top_deal", "top_deal_share", "won_amount",
    "created", "created_amount", "team_created_amount",
})
Questions = Annotated[list[Text], Field(min_length=2, max_length=3)]


class SandbaggerBecause(Section):
    days_to_win: Text
    win_rate: Text
    commit_matches: Text


class HappyEarsBecause(Section):
    days_to_lose: Text
    multi_pushes: Text
    no_decisions: Text
    low_commit: Text


class ScatteredBecause(Section):
    icp_below: Text
    no_icp: Text
    asp: Text
    small_deals: Text


class FlashBecause(Section):
    top_deal: Text
    created: Text


class Sandbagger(Section):
    title: Text
    because: SandbaggerBecause
    questions: Questions


class HappyEars(Section):
    title: Text
    because: HappyEarsBecause
    questions: Questions


class Scattered(Section):
    title: Text
    because: ScatteredBecause
    questions: Questions


class Flash(Section):
    title: Text
    because: FlashBecause
    questions: Questions


class Wording(Section):
    """tendencies.yaml: a title, a line per figure that can raise the tendency, and the
    questions, for each tendency."""

    sandbagger: Sandbagger
    happy_ears: HappyEars
    scattered: Scattered
    flash_in_the_pan: Flash


@dataclass
class Flag:
    tendency: str
    title: str
    because: list[str]
    questions: list[str]

    def as_json(self) -> dict[str, Any]:
        return {"tendency": self.tendency, "because": self.because, "questions": self.questions}


def load_wording(folder: Path | None = None) -> Wording:
    """The wording (the org's copy when its templates folder has one); a misspelt key or an
    unknown `{name}` is an error at its line."""
    from qsrkit.answers.loading import validate_document
    from qsrkit.answers.yamlsource import parse
    from qsrkit.templates_store import locate_template

    text, file = locate_template(WORDING, folder)
    loaded = validate_document(parse(text, file), Wording)
    problems = []
    for path, line in _texts(loaded.document.data, ()):
        for name in _PLACEHOLDER.findall(line):
            if name not in FIGURES:
                at = loaded.document.position(path)
                problems.append(Problem(file, at[0], at[1], ".".join(map(str, path)),
                                        f"{{{name}}} is not a figure qsrkit knows; use one of: "
                                        f"{', '.join(sorted(FIGURES))}"))
    if problems:
        raise InvalidInput(problems)
    return loaded.model


def _texts(data: Any, path: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], str]]:
    """Every text in the file, with where it stands."""
    if isinstance(data, dict):
        return [t for k, v in data.items() for t in _texts(v, (*path, k))]
    if isinstance(data, list):
        return [t for i, v in enumerate(data) for t in _texts(v, (*path, i))]
    return [(path, data)] if isinstance(data, str) else []


def _fill(text: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m[1], m[0]), text)


def figures_text(rep: str, period: str, mine: Figures, team: Figures, symbol: str) -> dict[str, str]:
    """Every figure a wording line can name, as people read it."""
    def share(value: Any) -> str:
        return "n/a" if value is None else f"{fmt.number(Decimal(value) * 100)}%"

    def days(value: Any) -> str:
        return "n/a" if value is None else fmt.number(Decimal(value))

    def money(value: Any) -> str:
        return "n/a" if value is None else fmt.money(Decimal(value), symbol)

    m, t, x, tx, s = mine.metrics, team.metrics, mine.extra, team.extra, mine.samples
    return {
        "rep": rep, "period": period, "decided": str(s["decided"]), "won": str(s["won"]),
        "lost": str(s["lost"]), "committed": str(s["committed"]),
        "icp_decided": str(s["icp_decided"]),
        "win_rate": share(m["win_rate"]), "team_win_rate": share(t["win_rate"]),
        "days_to_win": days(m["avg_days_to_win"]), "team_days_to_win": days(t["avg_days_to_win"]),
        "days_to_lose": days(m["avg_days_to_lose"]),
        "team_days_to_lose": days(t["avg_days_to_lose"]),
        "commit_win_rate": share(m["commit_win_rate"]),
        "team_commit_win_rate": share(t["commit_win_rate"]),
        "multi_pushes": str(m["multi_pushes"]), "multi_push_share": share(x["multi_push_share"]),
        "team_multi_push_share": share(tx["multi_push_share"]),
        "no_decision_losses": str(m["no_decision_losses"]),
        "no_decision_share": share(x["no_decision_share"]),
        "team_no_decision_share": share(tx["no_decision_share"]),
        "icp_win_rate": share(m["icp_win_rate"]), "icp_share": share(x["icp_share"]),
        "team_icp_share": share(tx["icp_share"]),
        "asp": money(m["asp"]), "team_asp": money(t["asp"]),
        "small_deal_share": share(x["small_deal_share"]),
        "team_small_deal_share": share(tx["small_deal_share"]),
        "top_deal": money(x["top_deal"]), "top_deal_share": share(x["top_deal_share"]),
        "won_amount": money(x["won_amount"]), "created": str(x["created"]),
        "created_amount": money(x["created_amount"]),
        "team_created_amount": money(tx["created_amount"]),
    }


def _at_most(value: Any, limit: Any, percent: Decimal) -> bool:
    return value is not None and limit is not None and Decimal(value) <= Decimal(limit) * percent / 100


def _at_least(value: Any, limit: Any, percent: Decimal) -> bool:
    return value is not None and limit is not None and Decimal(value) >= Decimal(limit) * percent / 100


def raised(mine: Figures, team: Figures, limits: Thresholds) -> dict[str, list[str]]:
    """The tendencies raised, each with the names of the figures that raised it (in order)."""
    if mine.samples["decided"] < limits.min_decided:
        return {}
    m, t, x, tx = mine.metrics, team.metrics, mine.extra, team.extra
    commit_ok = m["commit_win_rate"] is not None and mine.samples["committed"] >= limits.min_committed
    found: dict[str, list[str]] = {}

    sb = limits.sandbagger
    if (_at_most(m["avg_days_to_win"], t["avg_days_to_win"], sb.days_to_win_at_most)
            and _at_least(m["win_rate"], 1, sb.win_rate_at_least)):
        why = ["days_to_win", "win_rate"]
        if commit_ok and abs(m["commit_win_rate"] - m["win_rate"]) <= sb.commit_within / 100:
            why.append("commit_matches")
        found["sandbagger"] = why

    he = limits.happy_ears
    if _at_least(m["avg_days_to_lose"], t["avg_days_to_lose"], he.days_to_lose_at_least):
        why = []
        if (m["multi_pushes"] or 0) >= 2 and _at_least(
                x["multi_push_share"], tx["multi_push_share"], he.multi_pushes_at_least):
            why.append("multi_pushes")
        if (m["no_decision_losses"] or 0) >= 2 and _at_least(
                x["no_decision_share"], tx["no_decision_share"], he.no_decisions_at_least):
            why.append("no_decisions")
        if (commit_ok and t["commit_win_rate"] is not None
                and m["commit_win_rate"] <= t["commit_win_rate"] - he.commit_below_team_by / 100):
            why.append("low_commit")
        if why:
            found["happy_ears"] = ["days_to_lose", *why]

    sc = limits.scattered
    icp = None
    if (m["icp_win_rate"] is not None and mine.samples["icp_decided"] >= limits.min_icp_decided
            and m["icp_win_rate"] <= m["win_rate"] - sc.icp_below_overall_by / 100):
        icp = "icp_below"
    elif x["icp_share"] is not None and mine.samples["icp_decided"] == 0:
        icp = "no_icp"
    if icp and _at_most(m["asp"], t["asp"], sc.asp_at_most):
        why = [icp, "asp"]
        if _at_least(x["small_deal_share"], tx["small_deal_share"], sc.small_deals_at_least) \
                and x["small_deal_share"] != tx["small_deal_share"]:
            why.append("small_deals")
        found["scattered"] = why

    fl = limits.flash_in_the_pan
    if (mine.samples["won"] >= 2 and _at_least(x["top_deal_share"], 1, fl.top_deal_at_least)
            and _at_most(x["created_amount"], tx["created_amount"], fl.created_at_most)):
        found["flash_in_the_pan"] = ["top_deal", "created"]
    return found


def flags_for(mine: Figures, team: Figures, limits: Thresholds, wording: Wording,
              values: dict[str, str]) -> list[Flag]:
    """The raised tendencies as coaching prompts, in the wording of `tendencies.yaml`."""
    flags = []
    for tendency, why in raised(mine, team, limits).items():
        words = getattr(wording, tendency)
        flags.append(Flag(
            tendency, _fill(words.title, values),
            [_fill(getattr(words.because, name), values) for name in why],
            [_fill(q, values) for q in words.questions],
        ))
    return flags
