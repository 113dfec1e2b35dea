"""Write a realistic, seeded Salesforce-style opportunities export, its weekly snapshots and a
quotas file.

The same seed always gives the same bytes, so tests and benchmarks can rely on the numbers.

    python examples/crm/generate.py                      # the example export, ~1,600 rows
    python examples/crm/generate.py --rows 1000000 --reps 200 --out /tmp/big.csv \\
        --snapshots /tmp/big-snapshots                   # a million deals and 13 snapshots

Columns are those of Salesforce's standard opportunities report (US locale: M/D/YYYY dates),
plus the opportunity id, the account's industry, employees and segment, and the loss reason.
Opportunities are created from July 2025 up to the export date; everything scheduled to close
before the export date (2026-10-05) has been won or lost, the rest is open.

Each deal has a history: its close date moved out (pushed) 0 to 4 times before its final one,
and its stage (so its forecast category) advanced with time. The snapshots are what the export
showed every Monday of the 13 weeks up to the export date (`snapshots/2026-07-13.csv`, ...):
the deals open that day, with the close date, stage and category they had then.

The example team has a rep planted for each tendency `qsrkit diagnose` looks for, and two
steady reps: Sam Ortiz closes deals days after entering them and wins almost all (a
sandbagger); Priya Natarajan keeps losing deals open for months, pushes them again and again,
commits early and loses many to no decision (happy ears); Chen Wei works small deals outside
the ideal customer profile (Software or Financial Services, 200 to 5,000 employees) and wins
little inside it (scattered); Mateo García's quarter rests on one large deal while he created
little pipeline (a flash in the pan). Avery Quinn and Jordan Lee are steady.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import random
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
EXPORT_DATE = dt.date(2026, 10, 5)
FIRST_CREATED = dt.date(2025, 7, 1)
LAST_CREATED = EXPORT_DATE
WEEKS = 13
Q3 = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))

HEADER = [
    "Opportunity Owner", "Account Name", "Opportunity Name", "Type", "Lead Source", "Stage",
    "Fiscal Period", "Amount", "Probability (%)", "Age", "Close Date", "Created Date",
    "Next Step", "Forecast Category", "Push Count", "Opportunity ID", "Industry", "Employees",
    "Segment", "Loss Reason",
]
SNAPSHOT_HEADER = ["Opportunity ID", "Opportunity Owner", "Stage", "Amount", "Close Date",
                   "Forecast Category"]
TEAM = ["Avery Quinn", "Jordan Lee", "Sam Ortiz", "Priya Natarajan", "Mateo García", "Chen Wei"]
PLANTED = {"Sam Ortiz": "sandbagger", "Priya Natarajan": "happy_ears", "Chen Wei": "scattered",
           "Mateo García": "flash"}
FIRST = ["Alex", "Blair", "Casey", "Dana", "Eli", "Farah", "Gus", "Hana", "Ivo", "Jules", "Kai",
         "Lena", "Milo", "Nia", "Omar", "Pia", "Quinn", "Rosa", "Seth", "Tove"]
LAST = ["Adler", "Brandt", "Costa", "Dufour", "Eklund", "Fischer", "Grant", "Haddad", "Ito",
        "Jansen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov", "Reyes", "Sato",
        "Tanaka", "Vogel"]
ACCOUNTS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell", "Soylent",
            "Wonka", "Cyberdyne", "Vandelay", "Pied Piper", "Massive Dynamic", "Aperture"]
OPEN_STAGES = [
    ("Prospecting", 10, "Pipeline"), ("Qualification", 20, "Pipeline"),
    ("Needs Analysis", 30, "Pipeline"), ("Value Proposition", 40, "Best Case"),
    ("Id. Decision Makers", 50, "Best Case"), ("Proposal/Price Quote", 70, "Commit"),
    ("Negotiation/Review", 90, "Commit"),
]
TYPES = ["New Business", "Existing Business", "New Business"]
SOURCES = ["Web", "Phone Inquiry", "Partner Referral", "Trade Show", "Outbound"]
STEPS = ["Send proposal", "Book demo", "Security review", "Pricing call", "Legal redlines", ""]
ICP_INDUSTRIES = ["Software", "Financial Services"]
OTHER_INDUSTRIES = ["Healthcare", "Manufacturing", "Retail", "Education"]
REASONS = ["Price", "Competitor", "No Decision", "Timing", "Product fit"]


def us_date(day: dt.date) -> str:
    return f"{day.month}/{day.day}/{day.year}"


def team_names(count: int) -> list[str]:
    names = list(TEAM)
    i = 0
    while len(names) < count:
        names.append(f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}")
        i += 1
    return names[:count]


def snapshot_dates() -> list[dt.date]:
    return [EXPORT_DATE - dt.timedelta(weeks=WEEKS - 1 - k) for k in range(WEEKS)]


class Deal:
    """One opportunity and its history (close dates as they were moved, stage with time)."""

    def __init__(self, rng: random.Random, n: int, owner: str, profile: tuple[Any, ...]) -> None:
        win_rate, size, cycle, kind = profile
        span = (LAST_CREATED - FIRST_CREATED).days
        self.id = f"006Q{n:011d}"
        self.owner, self.kind = owner, kind
        self.created = FIRST_CREATED + dt.timedelta(days=rng.randrange(span))
        if kind == "flash" and Q3[0] <= self.created <= Q3[1] and rng.random() < 0.8:
            self.created -= dt.timedelta(days=120)  # hardly any pipeline created in Q3
        icp_share = 0.35 if kind == "scattered" else 0.55
        self.industry = rng.choice(ICP_INDUSTRIES if rng.random() < icp_share else OTHER_INDUSTRIES)
        self.employees = int(rng.lognormvariate(6.2, 1.3)) + 5
        if kind == "scattered":
            self.employees = min(self.employees, rng.randrange(20, 900))
        icp = self.industry in ICP_INDUSTRIES and 200 <= self.employees <= 5000
        if kind == "scattered":
            win_rate *= 0.25 if icp else 1.2
        else:
            win_rate *= 1.25 if icp else 0.8
        days = max(7, int(rng.gauss(cycle, cycle / 3)))
        self.won = rng.random() < win_rate
        if kind == "happy_ears" and not self.won:
            days = int(days * 2.2)  # losing deals are kept open for months
        self.close = self.created + dt.timedelta(days=days)
        self.amount = round(rng.lognormvariate(0, 0.5) * size / 1.13, -2) + rng.choice((0, 0, 0.5))
        pushes = min(4, int(rng.expovariate(1.6)))
        if kind == "happy_ears":
            pushes = rng.choice((0, 1, 2, 2, 3, 4))
        elif kind == "sandbagger":
            pushes = 0
        # Earlier close dates, each moved out a few days before it came.
        closes = [self.close]
        for _ in range(pushes):
            earlier = closes[0] - dt.timedelta(days=rng.randint(20, 40))
            if earlier <= self.created + dt.timedelta(days=7):
                break
            closes.insert(0, earlier)
        self.closes = closes
        self.pushes = len(closes) - 1
        reasons = [15, 30, 45, 5, 5] if kind == "happy_ears" else [30, 30, 10, 20, 10]
        self.reason = rng.choices(REASONS, reasons)[0]
        self.account = f"{rng.choice(ACCOUNTS)} {rng.choice(('Inc.', 'GmbH', 'Ltd', 'Corp'))}"
        self.rng_step = rng.choice(STEPS)

    def close_on(self, day: dt.date) -> dt.date:
        """The close date the CRM showed on `day`."""
        shown = self.closes[0]
        for earlier, later in zip(self.closes, self.closes[1:], strict=False):
            if earlier - dt.timedelta(days=3) <= day:
                shown = later
        return shown

    def stage_on(self, day: dt.date) -> tuple[str, int, str]:
        progress = (day - self.created).days / max(1, (self.close - self.created).days)
        stage, probability, category = OPEN_STAGES[min(6, int(progress * 7))]
        if self.kind == "happy_ears" and progress > 0.35 and category != "Commit":
            category = "Commit"  # committed early, and often
        return stage, probability, category

    def open_on(self, day: dt.date) -> bool:
        return self.created <= day and (day < self.close or self.close >= EXPORT_DATE)


def planted_flash_deal(n: int) -> list[Any]:
    """Mateo García's one large win of Q3."""
    created, close = dt.date(2026, 3, 16), dt.date(2026, 8, 28)
    return ["Mateo García", "Massive Dynamic Corp", "Massive Dynamic Corp - Platform",
            "New Business", "Partner Referral", "Closed Won", "Q3-2026", "640000.00", 100,
            (close - created).days, us_date(close), us_date(created), "", "Closed", 1,
            f"006Q{n:011d}", "Software", 4200, "Enterprise", ""]


def profiles(rng: random.Random, names: list[str]) -> dict[str, tuple[Any, ...]]:
    """Each rep's win rate, deal size, sales cycle (days) and planted tendency."""
    found = {name: (rng.uniform(0.15, 0.45), rng.uniform(8_000, 30_000), rng.uniform(35, 90),
                    "steady") for name in names}
    planted = {"sandbagger": (0.92, 15_000, 11), "happy_ears": (0.22, 18_000, 70),
               "scattered": (0.45, 6_500, 45), "flash": (0.3, 12_000, 60)}
    for name, kind in PLANTED.items():
        if name in found:
            found[name] = (*planted[kind], kind)
    for name in ("Avery Quinn", "Jordan Lee"):
        if name in found:
            found[name] = (0.33, 16_000, 60, "steady")
    return found


def generate(path: Path, *, rows: int, reps: int, seed: int,
             snapshots: Path | None = None) -> None:
    rng = random.Random(seed)
    names = team_names(reps)
    profile = profiles(rng, names)
    days = snapshot_dates()
    with contextlib.ExitStack() as stack:
        handle = stack.enter_context(path.open("w", encoding="utf-8", newline=""))
        out = csv.writer(handle)
        out.writerow(HEADER)
        weekly: list[tuple[dt.date, Any]] = []  # (Monday, its writer); none without a folder
        if snapshots is not None:
            snapshots.mkdir(parents=True, exist_ok=True)
            for day in days:
                snap = stack.enter_context((snapshots / f"{day.isoformat()}.csv").open(
                    "w", encoding="utf-8", newline=""))
                weekly.append((day, csv.writer(snap)))
                weekly[-1][1].writerow(SNAPSHOT_HEADER)
        for n in range(rows):
            owner = names[n % reps] if n < reps else rng.choice(names)
            deal = Deal(rng, n, owner, profile[owner])
            if deal.close < EXPORT_DATE:
                stage, probability, category = (
                    ("Closed Won", 100, "Closed") if deal.won else ("Closed Lost", 0, "Omitted"))
                step, reason = "", "" if deal.won else deal.reason
            else:
                stage, probability, category = deal.stage_on(EXPORT_DATE)
                step, reason = deal.rng_step, ""
            quarter = (deal.close.month - 1) // 3 + 1
            segment = ("SMB" if deal.employees < 200 else "Mid-Market" if deal.employees < 2000
                       else "Enterprise")
            out.writerow([
                owner, deal.account, f"{deal.account} - {rng.choice(('Platform', 'Expansion', 'Renewal'))}",
                rng.choice(TYPES), rng.choice(SOURCES), stage, f"Q{quarter}-{deal.close.year}",
                f"{deal.amount:.2f}", probability, (min(deal.close, EXPORT_DATE) - deal.created).days,
                us_date(deal.close), us_date(deal.created), step, category, deal.pushes, deal.id,
                deal.industry, deal.employees, segment, reason,
            ])
            for day, snap in weekly:
                if deal.open_on(day):
                    then, _, then_category = deal.stage_on(day)
                    snap.writerow([deal.id, owner, then, f"{deal.amount:.2f}",
                                   us_date(deal.close_on(day)), then_category])
        if "Mateo García" in names:
            out.writerow(planted_flash_deal(rows))


def write_quotas(path: Path, reps: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["rep", "quarter", "quota"])
        for i, name in enumerate(team_names(reps)):
            for quarter, base in (("2026-Q3", 300_000), ("2026-Q4", 320_000)):
                out.writerow([name, quarter, base + 20_000 * (i % 4)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1600)
    parser.add_argument("--reps", type=int, default=len(TEAM))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=HERE / "opportunities.csv")
    parser.add_argument("--quotas", type=Path, default=None,
                        help="also write a quotas CSV here (default: beside the example export)")
    parser.add_argument("--snapshots", type=Path, default=None,
                        help="write the 13 weekly snapshots into this folder (default: "
                        "snapshots/ beside the example export)")
    args = parser.parse_args()
    example = args.out == HERE / "opportunities.csv"
    snapshots = args.snapshots or (HERE / "snapshots" if example else None)
    generate(args.out, rows=args.rows, reps=args.reps, seed=args.seed, snapshots=snapshots)
    quotas = args.quotas or (HERE / "quotas.csv" if example else None)
    if quotas:
        write_quotas(quotas, args.reps)
    print(f"wrote {args.out}" + (f", {quotas}" if quotas else "")
          + (f" and {WEEKS} snapshots in {snapshots}" if snapshots else ""))


if __name__ == "__main__":
    main()
