"""Write a realistic, seeded Salesforce-style opportunities export (and a quotas file).

The same seed always gives the same bytes, so tests and benchmarks can rely on the numbers.

    python examples/crm/generate.py                      # the example export, ~1,600 rows
    python examples/crm/generate.py --rows 1000000 --reps 200 --out /tmp/big.csv

Columns are those of Salesforce's standard opportunities report (US locale: M/D/YYYY dates).
Opportunities are created from July 2025 up to the export date; everything scheduled to close
before the export date (2026-10-05) has been won or lost, the rest is open.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPORT_DATE = dt.date(2026, 10, 5)
FIRST_CREATED = dt.date(2025, 7, 1)
LAST_CREATED = EXPORT_DATE

HEADER = [
    "Opportunity Owner", "Account Name", "Opportunity Name", "Type", "Lead Source", "Stage",
    "Fiscal Period", "Amount", "Probability (%)", "Age", "Close Date", "Created Date",
    "Next Step", "Forecast Category", "Push Count",
]
TEAM = ["Avery Quinn", "Jordan Lee", "Sam Ortiz", "Priya Natarajan", "Mateo García", "Chen Wei"]
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


def us_date(day: dt.date) -> str:
    return f"{day.month}/{day.day}/{day.year}"


def team_names(count: int) -> list[str]:
    names = list(TEAM)
    i = 0
    while len(names) < count:
        names.append(f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}")
        i += 1
    return names[:count]


def generate(path: Path, *, rows: int, reps: int, seed: int) -> None:
    rng = random.Random(seed)
    names = team_names(reps)
    # Each rep has their own win rate, deal size and sales cycle.
    profile = {
        name: (rng.uniform(0.15, 0.45), rng.uniform(8_000, 30_000), rng.uniform(35, 90))
        for name in names
    }
    span = (LAST_CREATED - FIRST_CREATED).days
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for n in range(rows):
            owner = names[n % reps] if n < reps else rng.choice(names)
            win_rate, deal, cycle = profile[owner]
            created = FIRST_CREATED + dt.timedelta(days=rng.randrange(span))
            close = created + dt.timedelta(days=max(7, int(rng.gauss(cycle, cycle / 3))))
            amount = round(rng.lognormvariate(0, 0.5) * deal / 1.13, -2) + rng.choice((0, 0, 0.5))
            pushes = min(4, int(rng.expovariate(1.6)))
            if close < EXPORT_DATE:
                won = rng.random() < win_rate
                stage, probability, category = (
                    ("Closed Won", 100, "Closed") if won else ("Closed Lost", 0, "Omitted"))
                step = ""
            else:
                stage, probability, category = OPEN_STAGES[rng.randrange(len(OPEN_STAGES))]
                step = rng.choice(STEPS)
            account = f"{rng.choice(ACCOUNTS)} {rng.choice(('Inc.', 'GmbH', 'Ltd', 'Corp'))}"
            quarter = (close.month - 1) // 3 + 1
            out.writerow([
                owner, account, f"{account} - {rng.choice(('Platform', 'Expansion', 'Renewal'))}",
                rng.choice(TYPES), rng.choice(SOURCES), stage, f"Q{quarter}-{close.year}",
                f"{amount:.2f}", probability, (min(close, EXPORT_DATE) - created).days,
                us_date(close), us_date(created), step, category, pushes,
            ])


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
    args = parser.parse_args()
    generate(args.out, rows=args.rows, reps=args.reps, seed=args.seed)
    quotas = args.quotas or (HERE / "quotas.csv" if args.out == HERE / "opportunities.csv" else None)
    if quotas:
        write_quotas(quotas, args.reps)
    print(f"wrote {args.out}" + (f" and {quotas}" if quotas else ""))


if __name__ == "__main__":
    main()
