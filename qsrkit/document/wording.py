"""The labels the QSR template prints, and the org config's `wording:` replacements for them."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from qsrkit.errors import QsrError

if TYPE_CHECKING:
    from qsrkit.config import OrgConfig


# Every label the default template prints. `wording:` in qsrkit.yaml replaces any of them;
# `qsrkit templates export` users can also edit the template text itself.
DEFAULT_LABELS: dict[str, str] = {
    "title": "Quarterly Sales Review",
    "account_executive": "Account executive",
    "manager": "Manager",
    "quarter": "Quarter",
    "preparation_date": "Prepared on",
    "review_date": "Review meeting",
    "team_message": "A message to the team",
    "objectives": "What this review is for",
    "in_this_document": "In this document",
    "section1": "Section 1 — Previous quarter reflection",
    "metrics": "Metrics",
    "skills_focus": "Focus skills",
    "diagnosis": "Diagnosis",
    "section2": "Section 2 — CRM and data pledge",
    "section3": "Section 3 — Skill development",
    "section4": "Section 4 — Current quarter plan",
    "dashboards": "Dashboards",
    "outlook": "Outlook",
    "calculator": "Opportunity creation calculator",
    "plays": "Plays for this quarter",
    "metric": "Metric",
    "goal": "Goal",
    "actual": "Actual",
    "attainment": "Attainment",
    "revenue_vs_quota": "Revenue against quota",
    "revenue_vs_personal_goal": "Revenue against personal goal",
    "weekly_meetings": "Meetings per week",
    "weekly_opportunities": "Qualified opportunities per week",
    "weekly_pipeline": "Qualified pipeline created per week",
    "win_rate": "Win rate",
    "opportunities_won": "Opportunities closed won",
    "average_deal_size": "Average deal size",
    "skill": "Focus skill",
    "target": "Target result",
    "replicate": "Replicate going forward",
    "improve": "Improve going forward",
    "pledge_factor": "Pledge",
    "pledge_actions": "Specific actions",
    "accuracy": "Accuracy",
    "updates": "Updates",
    "forecasting": "Forecasting",
    "development_goal": "Goal",
    "target_and_actions": "Target result and actions",
    "this_quarter": "This quarter",
    "quota": "Quarter quota",
    "personal_goal": "Personal goal",
    "personal_goal_percent": "Personal goal as % of quota",
    "weekly_opportunity_goal": "Opportunities to create per week",
    "weekly_creation_for": "Weekly creation needed for",
    "opportunities_short": "opps",
    "personal_goal_column": "personal goal",
    "calculator_missing": "Complete the outlook and calculator answers to fill in this table "
    "(`qsrkit calc` lists what is missing).",
    "no_dashboards": "Link to a dashboard",
    "screenshot_of": "Screenshot of",
    "page": "Page",
    "of": "of",
}


class ConfigError(QsrError):
    """The org config asks for something that does not exist."""


def labels_for(config: OrgConfig) -> dict[str, str]:
    unknown = [key for key in config.wording if key not in DEFAULT_LABELS]
    if unknown:
        key = unknown[0]
        close = difflib.get_close_matches(key, list(DEFAULT_LABELS), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise ConfigError(
            f"wording: unknown label '{key}'",
            hint=f"{hint}the labels are: {', '.join(DEFAULT_LABELS)}",
        )
    return {**DEFAULT_LABELS, **{k: str(v) for k, v in config.wording.items()}}
