"""The only module that talks to the terminal through rich.

rich is imported on first use, not at start-up: `qsrkit calc` prints its table as plain aligned
text and so never pays for it (see benchmarks/bench_startup.py). Messages going to a file or a
pipe, where rich would print no colours, are written without it, so that `check` and `render`
in scripts and CI do not pay for it either; tests/test_console.py pins that both ways print the
same bytes.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

from qsrkit.errors import Problem, QsrError

if TYPE_CHECKING:
    from rich.console import Console

    from qsrkit.plan.calculator import TargetPlan


@functools.cache
def _console(stderr: bool) -> Console:
    from rich.console import Console

    # emoji=False: rich would print `file:100:3:` as `file💯3:` and change `:smile:` in answers.
    return Console(stderr=stderr, highlight=False, soft_wrap=True, emoji=False)


# What a value from a file must never send to the terminal raw: C0 controls but the line break
# and tab (ESC starts colour, title and hyperlink sequences), DEL, the C1 controls (U+009B is an
# ESC [ on some terminals) and the bidi overrides that make text read backwards.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """`text` with every control character shown as an escape (`\\x1b`), safe to print."""
    return _UNSAFE.sub(lambda m: _escaped(m.group()), text)


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str) -> str:
    """Text for rich markup: markup characters and terminal control characters both made harmless."""
    from rich.markup import escape as rich_escape

    return rich_escape(visible(text))


# A message is a sequence of parts: text, or (text, rich style) for a coloured part.
Part = str | tuple[str, str]
# The characters rich's Text drops from whatever it prints (bell, backspace, VT, FF, CR).
_RICH_DROPS = {7: None, 8: None, 11: None, 12: None, 13: None}


def _colourless(stream: IO[str]) -> bool:
    """True where rich would print no colours or cursor codes: the same test as rich's
    `Console.is_terminal` (TTY_COMPATIBLE, FORCE_COLOR, then isatty), Jupyter aside."""
    tty_compatible = os.environ.get("TTY_COMPATIBLE", "")
    if tty_compatible in ("0", "1"):
        return tty_compatible == "0"
    force_color = os.environ.get("FORCE_COLOR")
    if force_color is not None:
        return force_color == ""
    if "IPython" in sys.modules:  # rich draws in notebooks its own way
        return False
    try:
        return not stream.isatty()
    except ValueError:  # a closed stream: rich takes it for a non-terminal too
        return True


def _say(stderr: bool, *parts: Part) -> None:
    """One message line on stderr or stdout: through rich on a terminal, else as plain text."""
    stream = sys.stderr if stderr else sys.stdout
    plain = "".join(p if isinstance(p, str) else p[0] for p in parts)
    # rich lines tabs up in display cells (a CJK letter is two); that case goes through rich.
    if "\t" in plain or not _colourless(stream):
        from rich.text import Text

        _console(stderr).print(Text.assemble(*parts))
        return
    try:
        stream.write(plain.translate(_RICH_DROPS) + "\n")
        stream.flush()
    except BrokenPipeError:
        # What rich does: no second error while Python flushes the closed pipe at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(1) from None


def problems(found: Sequence[Problem], *, to_stdout: bool = False) -> None:
    """Located problems, one a line; on stdout when they are the command's output (`check`)."""
    for p in found:
        _say(not to_stdout, (visible(p.format()), "red" if p.severity == "error" else "yellow"))


def error(exc: QsrError) -> None:
    from qsrkit.errors import InvalidInput

    if isinstance(exc, InvalidInput):
        problems(exc.problems)
        errors = sum(1 for p in exc.problems if p.severity == "error")
        if errors != 1 or len(exc.problems) != 1:
            _say(True, ("error:", "red"), f" {errors} problem(s); nothing was written")
        return
    _say(True, ("error:", "red"), f" {visible(exc.message)}")
    if exc.hint:
        _say(True, ("hint:", "dim"), f" {visible(exc.hint)}")


def internal_error(exc: BaseException) -> None:
    _say(True, ("internal error:", "red"), f" {visible(type(exc).__name__)}: {visible(str(exc))}\n"
         "This is a bug in qsrkit. Run again with --debug for the details and report it.")


def note(message: str) -> None:
    _say(True, visible(message))


def summary(message: str) -> None:
    """A command's closing line on standard output (after its findings there)."""
    _say(False, visible(message))


def success(message: str) -> None:
    _say(False, ("✓", "green"), f" {visible(message)}")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def plan_table(plans: Sequence[TargetPlan], symbol: str, title: str | None = None) -> None:
    """The calculator as an aligned text table: labels left, figures right, a column per target."""
    from qsrkit.plan.rows import plan_rows, target_label

    header = ["Metric", *(target_label(p.percent_of_quota, p.personal_goal) for p in plans)]
    rows = [[label, *cells] for label, cells in plan_rows(plans, symbol)]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    text = [title] if title else []
    text += [line(header), "  ".join("-" * w for w in widths)]
    text += [line(row) for row in rows]
    sys.stdout.write(visible("\n".join(text)) + "\n")


def warning(message: str) -> None:
    _say(True, ("warning:", "yellow"), f" {visible(message)}")


@contextmanager
def progress(total: int, description: str) -> Iterator[Callable[[], None]]:
    """A progress bar on standard error (shown only when there is more than one item and a
    terminal to draw on); yields a function that advances it by one."""
    if total < 2 or _colourless(sys.stderr):
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=_console(True), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)


def render_failure(outcome: Any) -> None:
    """One failed input of `qsrkit render`: its located problems, or its error and hint."""
    if outcome.problems:
        problems(outcome.problems)
        return
    _say(True, ("error:", "red"), f" {visible(str(outcome.source))}: "
         f"{visible(outcome.error or 'failed')}")
    if outcome.hint:
        _say(True, ("hint:", "dim"), f" {visible(outcome.hint)}")


def metrics_table(found: Any, symbol: str) -> None:
    """`qsrkit metrics`: a row per rep, the previous quarter's numbers then the current one's.

    The plan's win rate and deal size (the previous quarter's, or with --trailing N extra
    columns over N quarters) are marked * when they rest on a small sample."""
    from qsrkit.formatting import money
    from qsrkit.formatting import number as percent_text

    def cash(value: Any) -> str:
        return "" if value is None else money(value, symbol)

    def plain(value: Any, suffix: str = "") -> str:
        return "" if value is None else f"{value}{suffix}"

    def share(value: Any) -> str:
        return "" if value is None else f"{percent_text(value * 100)}%"

    def star(r: Any, figure: str, text: str) -> str:
        return f"{text}*" if text and figure in r.trailing.small else text

    reps = found.reps
    span = found.trailing > 1  # the plan's rates get columns of their own
    q = f" {found.trailing}Q"
    # Columns the export (or --quotas) can fill; a column nobody has is left out, not blank.
    optional: list[tuple[str, Callable[[Any], str], bool]] = [
        ("Won/decided" + q, lambda r: f"{r.trailing.won}/{r.trailing.decided}", span),
        ("Win rate" + q, lambda r: star(r, "win_rate", plain(r.trailing.win_rate, "%")), span),
        ("Avg deal" + q, lambda r: star(r, "average_deal_size", cash(r.trailing.average_deal_size)),
         span),
        ("Days to win" + q, lambda r: plain(r.trailing.average_days_to_win), span),
        ("Quota Q-1", lambda r: cash(r.previous_quota), any(r.previous_quota for r in reps)),
        ("Attained Q-1", lambda r: share(r.previous_attainment), any(r.previous_quota for r in reps)),
        ("Quota", lambda r: cash(r.quota), any(r.quota for r in reps)),
        ("Attained", lambda r: share(r.attainment), any(r.quota for r in reps)),
        ("Commit", lambda r: cash(r.commit_pipeline), any(r.commit_pipeline is not None for r in reps)),
        ("Pushed 2+", lambda r: plain(r.multi_pushed), any(r.multi_pushed is not None for r in reps)),
    ]
    extra = [(label, cell) for label, cell, shown in optional if shown]
    header = ["Rep", "Won $", "Won", "Lost", "Win rate", "Avg deal", "Opps/wk", "Pipeline/wk",
              "Days to win", "Closed won", "Open pipeline", "Weeks", *(label for label, _ in extra)]

    def previous(r: Any, figure: str, text: str) -> str:
        return text if span else star(r, figure, text)  # marked where the plan's rate is shown

    rows = [
        [visible(r.rep), cash(r.actual_revenue), plain(r.opportunities_won),
         plain(r.opportunities_lost), previous(r, "win_rate", plain(r.win_rate, "%")),
         previous(r, "average_deal_size", cash(r.average_deal_size)),
         plain(r.weekly_opportunities), cash(r.weekly_pipeline), plain(r.average_days_to_win),
         cash(r.closed_won), cash(r.open_pipeline), plain(r.weeks_to_work),
         *(cell(r) for _, cell in extra)]
        for r in reps
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([cells[0].ljust(widths[0]), *rest]).rstrip()

    title = (f"{found.file}: {found.rows:,} opportunities ({found.layout}). "
             f"Previous quarter {found.previous_quarter}; {found.quarter} as of "
             f"{found.as_of.isoformat()}")
    if span and reps:
        title += f"; {found.trailing}Q: {reps[0].trailing.span}"
    text = [visible(title), line(header), "  ".join("-" * w for w in widths),
            *(line(r) for r in rows)]
    if any(r.trailing.small for r in reps):
        rule = found.min_sample
        text.append(f"* a small sample: a win rate from fewer than {rule['decided']} decided "
                    f"deals or {rule['won']} won, a deal size from fewer than {rule['won']} won; "
                    "try --trailing N for more quarters")
    sys.stdout.write("\n".join(text) + "\n")


def diagnose_table(found: Any, symbol: str) -> None:
    """`qsrkit diagnose`: for each rep, their figures beside the team's medians, then the
    tendencies to explore with the figures that raised them and the questions to ask."""
    from qsrkit.crm.diagnosis_rows import metric_rows, stage_rows, tier_rows

    def table(header: list[str], rows: list[tuple[str, str, str]]) -> list[str]:
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
        def line(cells: Sequence[str]) -> str:
            return "  ".join([cells[0].ljust(widths[0]), cells[1].rjust(widths[1]),
                              cells[2].rjust(widths[2])]).rstrip()
        return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]

    history = found.history
    source = (f"{history.snapshots} snapshots, {history.first} to {history.last}"
              if history is not None else "no history (--history DIR adds commits and stages)")
    text = [f"{found.file}: {found.period}, as of {found.as_of.isoformat()}; {source}"]
    for rep in found.reps:
        text += ["", f"{rep.rep}"]
        text += table(["Metric", rep.rep, "Team median"], metric_rows(found, rep, symbol))
        stages = stage_rows(found, rep)
        if stages:
            text += ["", *table(["Win rate from stage", rep.rep, "Team median"], stages)]
        text += ["", *table(["Revenue tier", "Days to win", "Days to lose"], tier_rows(rep))]
        if rep.note:
            text += ["", f"Nothing flagged: {rep.note}."]
        for flag in rep.flags:
            text += ["", f"To explore: {flag.title} ({flag.tendency})"]
            text += [f"  - {line}" for line in flag.because]
            text += [f"  ? {question}" for question in flag.questions]
    sys.stdout.write(visible("\n".join(text)) + "\n")


def team_status(ready: Any) -> None:
    """`qsrkit team --status`: one row per expected rep, coloured by status, then the counts."""
    from rich.table import Table

    colours = {"ready": "green", "in progress": "yellow", "late": "red", "missing": "red"}
    table = Table(title=f"QSR readiness as of {ready.as_of.isoformat()}"
                  + (f", {ready.quarter}" if ready.quarter else ""), title_justify="left")
    for name, right in (("Rep", False), ("File", False), ("Answered", True), ("Errors", True),
                        ("Review", False), ("Send by", False), ("Status", False)):
        table.add_column(name, justify="right" if right else "left", no_wrap=name != "Rep")
    for r in ready.reps:
        answered = (f"{round(100 * r.answered / r.asked)}%"
                    if r.answers is not None and r.asked else "–")
        colour = colours.get(r.status, "white")
        status = r.status + (f" ({'; '.join(r.notes)})" if r.notes else "")
        table.add_row(escape(r.rep), escape(r.path.name) if r.path else "no file", answered,
                      f"[red]{len(r.errors)}[/red]" if r.errors else ("0" if r.path else "–"),
                      r.review_date.isoformat() if r.review_date else "–",
                      r.send_by.isoformat() if r.send_by else "–",
                      f"[{colour}]{escape(status)}[/{colour}]")
    _console(False).print(table)
    counts = ready.counts
    _say(False, visible(f"{len(ready.reps)} rep(s): {counts['ready']} ready, {counts['in progress']} "
                     f"in progress, {counts['late']} late, {counts['missing']} missing"))


def calc_team_table(header: Sequence[str], rows: Sequence[Sequence[str]],
                    totals: Sequence[str]) -> None:
    """`qsrkit calc FILE FILE...`: a line per rep and the team's totals, as aligned text (a
    line that could not be computed says why after the rep's name)."""
    full = [list(header), *(list(r) for r in rows if len(r) == len(header)), list(totals)]
    widths = [max(len(row[i]) for row in full) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        if len(cells) != len(header):  # the rep and why nothing could be computed
            return f"{cells[0].ljust(widths[0])}  {cells[1]}"
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([cells[0].ljust(widths[0]), *rest]).rstrip()

    text = [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows),
            "  ".join("-" * w for w in widths), line(totals)]
    sys.stdout.write(visible("\n".join(text)) + "\n")


def pipeline_diff(found: Any, symbol: str) -> None:
    """`qsrkit pipeline diff`: per rep and for the team, each group's deals and amount, and the
    reconciliation from the old open pipeline to the new one."""
    from qsrkit.crm.changes import ADDED, CHANGED, GROUPS, LABELS, REMOVED

    def money(cents: int, sign: bool = False) -> str:
        text = f"{symbol}{abs(cents) / 100:,.2f}"
        return (("+" if cents >= 0 else "−") + text) if sign else text

    text = [f"{found.old_file} → {found.new_file}: open pipeline closing in {found.quarter} "
            f"({found.first_day.isoformat()} to {found.last_day.isoformat()}); deals matched by "
            f"{found.matched_by}"]
    for diff in [*found.reps, found.team]:
        text += ["", diff.rep, f"{'  Old open pipeline':<40}{money(diff.old_open):>14}"]
        for group in (*ADDED, *REMOVED, *CHANGED):
            if diff.count(group):
                label = f"  {LABELS[group]} ({diff.count(group)})"
                text.append(f"{label:<40}{money(diff.total(group), True):>14}")
        text.append(f"{'  New open pipeline':<40}{money(diff.new_open):>14}"
                    + ("" if diff.reconciles else "  (does not reconcile)"))
        for group in GROUPS:
            for change in (c for c in diff.changes if c.group == group):
                detail = (f"{change.old_stage} → {change.new_stage}" if group == "stage_moved"
                          else f"{money(change.old_cents)} → {money(change.new_cents)}")
                moved = (f", close {change.old_close or '–'} → {change.new_close or '–'}"
                         if change.old_close != change.new_close and change.old_cents
                         and change.new_cents else "")
                text.append(f"    {LABELS[group]}: {change.key} ({change.owner}) "
                            f"{detail}{moved}")
    sys.stdout.write(visible("\n".join(text)) + "\n")


def refresh_changes(found: Any) -> None:
    """`qsrkit refresh`: each value that changes, old → new, with where the new one came from."""
    text = [f"{found.file}: {found.rep}, {found.quarter}, from {found.export} as of "
            f"{found.as_of.isoformat()}"]
    for change in found.changes:
        text.append(f"  line {change.line}: {change.field}: {change.old or '(blank)'} → "
                    f"{change.new}" + (f"  ({change.note})" if change.note else ""))
    sys.stdout.write(visible("\n".join(text)) + "\n")
