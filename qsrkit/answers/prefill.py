"""Answers known before the seller starts typing: carried from last quarter, or from a CRM export.

A `Prefill` is plain data (dotted field path -> value, with a note saying where it came from); the
scaffold writes it into a new answers file. Nothing here reads or writes files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qsrkit.answers.models import Answers


@dataclass
class Prefill:
    """Answers known before the seller starts, keyed by dotted path, each with where it came from."""

    values: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def set(self, path: str, value: Any, note: str | None = None) -> None:
        if value is None or value == []:
            return
        self.values[path] = value
        if note:
            self.notes[path] = note


def from_previous(previous: Answers, source: str) -> Prefill:
    """Carry last quarter's plan into this quarter's reflection, as the QSR asks."""
    prefill = Prefill()
    note = f"from {source}"
    prefill.set("account_executive", previous.account_executive, note)
    prefill.set("manager", previous.manager, note)
    prefill.set("previous_quarter.quarter", previous.quarter, note)
    outlook = previous.current_quarter.outlook
    prefill.set("previous_quarter.metrics.quota", outlook.quota, f"{note}: that quarter's quota")
    prefill.set("previous_quarter.metrics.personal_goal", outlook.personal_goal_amount,
                f"{note}: the personal goal you set")
    prefill.set("previous_quarter.metrics.win_rate.goal", outlook.win_rate, note)
    prefill.set("previous_quarter.metrics.average_deal_size.goal", outlook.average_deal_size, note)
    prefill.set("previous_quarter.metrics.weekly_opportunities.goal",
                outlook.weekly_opportunity_goal, note)
    prefill.set("previous_quarter.metrics.weekly_pipeline.goal", outlook.weekly_pipeline_goal, note)
    prefill.set("previous_quarter.metrics.weekly_meetings.goal", outlook.weekly_meeting_goal, note)
    prefill.set("previous_quarter.metrics.opportunities_won.goal", outlook.opportunities_won_goal,
                note)
    skills = [{"skill": s.skill, "target": s.target} for s in previous.skill_development]
    prefill.set("previous_quarter.focus_skills", skills, f"the skills and targets {note}")
    plays = [{"headline": p.headline} for p in previous.current_quarter.plays if p.headline]
    prefill.set("previous_quarter.plays", plays, f"the plays {note}; add what came of each")
    dashboards = [d.model_dump() for d in previous.current_quarter.dashboards]
    prefill.set("current_quarter.dashboards", dashboards, note)
    return prefill
