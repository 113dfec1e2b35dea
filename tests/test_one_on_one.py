"""`qsrkit one-on-one`: four weeks of 1:1s with hand-worked numbers, open items carried
forward, the log rendered newest week first, and bad inputs refused with nothing changed."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

QSR = """\
schema_version: 1
account_executive: Avery Quinn
manager: Morgan Ellis
quarter: 2026-Q4
current_quarter:
  outlook:
    quota: 300000
    win_rate: 25
    average_deal_size: 20000
  calculator:
    closed_won: 60000
    open_pipeline: 400000
    weeks_to_work: 10
"""
LOG = "avery-quinn-2026-Q4-1on1.yaml"
HEADER = "Opportunity Owner,Opportunity Name,Stage,Amount,Close Date,Created Date,Opportunity ID\n"

# The export of each Monday, as (id, owner, stage, amount, close, created); each week's export
# is the week before's with the changes noted. Every 1:1 counts the rep's deals created in the
# 7 days up to its date (the date and the 6 days before).
WEEK_1 = {  # 1:1 on 2026-10-05: created 2026-09-29 to 2026-10-05
    "ID1": ("Avery Quinn", "Prospecting", 10000, "11/15/2026", "9/20/2026"),
    "ID2": ("Avery Quinn", "Qualification", 20000, "12/1/2026", "9/30/2026"),  # in the week
    "ID3": ("Avery Quinn", "Prospecting", 5000, "12/10/2026", "10/5/2026"),  # in, on the day
    "ID4": ("Avery Quinn", "Prospecting", 7000, "11/20/2026", "9/28/2026"),  # a day too early
    "ID5": ("Jordan Lee", "Prospecting", 9000, "12/5/2026", "10/2/2026"),  # another rep
}
WEEK_2 = {**WEEK_1,  # 2026-10-12: ID1 won; ID6, ID7, ID8 new (created 10-06 to 10-12)
          "ID1": ("Avery Quinn", "Closed Won", 10000, "10/9/2026", "9/20/2026"),
          "ID6": ("Avery Quinn", "Prospecting", 12000, "12/15/2026", "10/6/2026"),
          "ID7": ("Avery Quinn", "Prospecting", 8000, "11/30/2026", "10/8/2026"),
          "ID8": ("Avery Quinn", "Prospecting", 4000, "12/20/2026", "10/12/2026"),
          "ID9": ("Jordan Lee", "Prospecting", 3000, "12/20/2026", "10/10/2026")}
WEEK_3 = {**WEEK_2,  # 2026-10-19: ID3 pushed to January, ID2 up 5,000, ID10 new
          "ID3": ("Avery Quinn", "Prospecting", 5000, "1/15/2027", "10/5/2026"),
          "ID2": ("Avery Quinn", "Qualification", 25000, "12/1/2026", "9/30/2026"),
          "ID10": ("Avery Quinn", "Prospecting", 6000, "12/1/2026", "10/14/2026")}
WEEK_4 = {**WEEK_3,  # 2026-10-26: ID4 lost, ID11 and ID12 new
          "ID4": ("Avery Quinn", "Closed Lost", 7000, "10/22/2026", "9/28/2026"),
          "ID11": ("Avery Quinn", "Prospecting", 3000, "12/3/2026", "10/20/2026"),
          "ID12": ("Avery Quinn", "Prospecting", 9000, "12/4/2026", "10/26/2026")}
WEEKS = {"2026-10-05": WEEK_1, "2026-10-12": WEEK_2, "2026-10-19": WEEK_3,
         "2026-10-26": WEEK_4}

BLANK_STEPS = "  next_steps:\n  - step:\n    owner:\n    due:\n    done:\n"


def _export(folder: Path, day: str, deals: dict[str, tuple[str, str, int, str, str]]) -> Path:
    path = folder / f"{day}.csv"
    rows = [f"{owner},Deal {key},{stage},{amount},{close},{created},{key}"
            for key, (owner, stage, amount, close, created) in deals.items()]
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _setup(folder: Path) -> Path:
    qsr = folder / "avery-quinn-2026-Q4.yaml"
    qsr.write_text(QSR, encoding="utf-8")
    for day, deals in WEEKS.items():
        _export(folder, day, deals)
    return qsr


def _type_in_last(log: Path, old: str, new: str) -> None:
    """What the rep and manager type into the newest entry during the meeting."""
    text = log.read_text(encoding="utf-8")
    at = text.rindex(old)
    log.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")


def _weeks(log: Path) -> list[dict[str, Any]]:
    weeks: list[dict[str, Any]] = yaml.load(log.read_text(encoding="utf-8"),
                                            Loader=yaml.BaseLoader)["weeks"]
    return weeks


def _add(run: Any, folder: Path, day: str, *extra: Any) -> Any:
    result = run("one-on-one", folder / "avery-quinn-2026-Q4.yaml", "--crm", folder / f"{day}.csv",
                 "--date", day, *extra)
    assert result.exit_code == 0, result.output
    return result


def _four_weeks(run: Any, folder: Path) -> Path:
    """The quarter's first four 1:1s, typed in as a rep and a manager would."""
    qsr = _setup(folder)
    log = folder / LOG
    _add(run, folder, "2026-10-05")
    _type_in_last(log, "  rep_topics:\n  -\n",
                  "  rep_topics:\n  - Help with Acme's legal review\n")
    _type_in_last(log, BLANK_STEPS, "  next_steps:\n"
                  "  - step: Send Acme the proposal\n    owner: Avery Quinn\n"
                  "    due: 2026-10-09\n    done: no\n"
                  "  - step: Book the security review\n    owner: Morgan Ellis\n"
                  "    due: 2026-10-09\n    done: yes\n")
    _add(run, folder, "2026-10-12", "--since", folder / "2026-10-05.csv")
    _type_in_last(log, "    since: 2026-10-05\n    done:\n",
                  "    since: 2026-10-05\n    done: yes\n")
    _type_in_last(log, BLANK_STEPS, "  next_steps:\n  - step: Call Globex about the renewal\n"
                  "    owner: Avery Quinn\n    due: 2026-10-16\n    done:\n")
    # The rep refreshed the QSR: 9 weeks left now.
    qsr.write_text(QSR.replace("weeks_to_work: 10", "weeks_to_work: 9"), encoding="utf-8")
    _add(run, folder, "2026-10-19", "--since", folder / "2026-10-12.csv")
    _add(run, folder, "2026-10-26", "--since", folder / "2026-10-19.csv")
    return log


def test_four_weeks_of_one_on_ones(run: Any, tmp_path: Path) -> None:
    log = _four_weeks(run, tmp_path)
    weeks = _weeks(log)
    assert [w["week"] for w in weeks] == ["2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26"]
    numbers = [w["numbers"] for w in weeks]
    # Weekly need, as `qsrkit calc` computes it: quota 300,000, closed 60,000, win rate 25%,
    # open 400,000, deals of 20,000. 100%: gap 240,000 / 0.25 = 960,000 needed, 560,000 to
    # create, 28 opportunities; over 10 weeks 2.8 a week. 150%: gap 390,000 / 0.25 = 1,560,000,
    # 1,160,000 to create, 58 opportunities, 5.8 a week. With 9 weeks (from week 3): 28 / 9 =
    # 3.11 and 58 / 9 = 6.44, shown rounded up: 3.2 and 6.5.
    needs = [[(n["target"], n["per_week"]) for n in x["weekly_need"]] for x in numbers]
    assert needs == [[("100", "2.8"), ("150", "5.8")]] * 2 + [[("100", "3.2"), ("150", "6.5")]] * 2
    # Created in the 7 days up to each 1:1. Week 1 (09-29 to 10-05): ID2 20,000 and ID3 5,000
    # (ID4 on 09-28 is a day early, ID5 is Jordan's): 2, 25,000. Week 2 (10-06 to 10-12): ID6
    # 12,000, ID7 8,000, ID8 4,000: 3, 24,000. Week 3 (10-13 to 10-19): ID10 6,000. Week 4
    # (10-20 to 10-26): ID11 3,000 and ID12 9,000: 2, 12,000.
    assert [(x["opportunities_created"], x["pipeline_created"]) for x in numbers] == [
        ("2", "25000"), ("3", "24000"), ("1", "6000"), ("2", "12000")]
    assert "pipeline" not in numbers[0]
    pipeline = [x["pipeline"] for x in numbers[1:]]
    groups = [{c["group"]: (c["deals"], c["amount"]) for c in p["changes"]} for p in pipeline]
    # Week 2, Avery's open Q4 pipeline: ID1 10,000 + ID2 20,000 + ID3 5,000 + ID4 7,000 =
    # 42,000; then ID1 won (-10,000) and ID6, ID7, ID8 new (+24,000): 56,000.
    assert (pipeline[0]["old_open"], pipeline[0]["new_open"]) == ("42000", "56000")
    assert groups[0] == {"new": ("3", "24000"), "won": ("1", "-10000")}
    # Week 3: ID10 new +6,000, ID3 pushed to January -5,000, ID2 up +5,000: 56,000 -> 62,000.
    assert (pipeline[1]["old_open"], pipeline[1]["new_open"]) == ("56000", "62000")
    assert groups[1] == {"new": ("1", "6000"), "pushed_out": ("1", "-5000"),
                         "amount_up": ("1", "5000")}
    # Week 4: ID11 and ID12 new +12,000, ID4 lost -7,000: 62,000 -> 67,000.
    assert (pipeline[2]["old_open"], pipeline[2]["new_open"]) == ("62000", "67000")
    assert groups[2] == {"new": ("2", "12000"), "lost": ("1", "-7000")}
    # Open items: week 1's unfinished "Send Acme the proposal" opens week 2 (the finished
    # security review does not); marked done in week 2, it is gone from week 3, where week 2's
    # Globex call (not marked) is carried, and carried again into week 4, still dated 10-12.
    objectives = [[(o["objective"], o["since"]) for o in w["objectives"] or []] for w in weeks]
    assert objectives == [
        [], [("Send Acme the proposal", "2026-10-05")],
        [("Call Globex about the renewal", "2026-10-12")],
        [("Call Globex about the renewal", "2026-10-12")]]
    assert weeks[1]["objectives"][0]["owner"] == "Avery Quinn"
    assert weeks[1]["objectives"][0]["due"] == "2026-10-09"
    assert [w["updated"] for w in weeks] == [w["week"] for w in weeks]


def test_each_week_is_appended_and_the_rest_kept_byte_for_byte(run: Any, tmp_path: Path) -> None:
    _setup(tmp_path)
    log = tmp_path / LOG
    first = _add(run, tmp_path, "2026-10-05")
    assert "started" in first.stdout and "the week of 2026-10-05" in first.stdout
    text = log.read_text(encoding="utf-8")
    assert text.startswith("# Weekly 1:1 log: Avery Quinn, 2026-Q4")
    assert "rep: Avery Quinn\nquarter: 2026-Q4\n" in text
    # Hand edits: a comment, odd quoting, CRLF-free; all of it must survive the next run.
    edited = text.replace("  manager_topics:\n  -\n",
                          "  manager_topics:   # asked on Friday\n  - 'Demo review: Initech'\n")
    log.write_bytes(edited.encode("utf-8"))
    result = _add(run, tmp_path, "2026-10-12")
    assert "the week of 2026-10-12" in result.stdout
    after = log.read_bytes()
    assert after.startswith(edited.encode("utf-8"))
    assert after[len(edited.encode("utf-8")):].startswith(b"- week: 2026-10-12\n")


def test_dry_run_writes_nothing(run: Any, tmp_path: Path) -> None:
    qsr = _setup(tmp_path)
    log = tmp_path / LOG
    result = run("one-on-one", qsr, "--crm", tmp_path / "2026-10-05.csv", "--date", "2026-10-05",
                 "--dry-run")
    assert result.exit_code == 0, result.output
    assert "opportunities_created: 2" in result.stdout
    assert "was not created" in result.stderr
    assert not log.exists()
    _add(run, tmp_path, "2026-10-05")
    before = log.read_bytes()
    result = run("one-on-one", qsr, "--crm", tmp_path / "2026-10-12.csv", "--date", "2026-10-12",
                 "--dry-run")
    assert result.exit_code == 0, result.output
    assert "- week: 2026-10-12" in result.stdout
    assert log.read_bytes() == before


def test_render_newest_week_first_in_every_format(run: Any, tmp_path: Path) -> None:
    _four_weeks(run, tmp_path)
    qsr = tmp_path / "avery-quinn-2026-Q4.yaml"
    result = run("one-on-one", qsr, "--render")
    assert result.exit_code == 0, result.output
    document = docx.Document(io.BytesIO((tmp_path / "avery-quinn-2026-Q4-1on1.docx").read_bytes()))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Week of 2026-10-26", "Week of 2026-10-19", "Week of 2026-10-12",
                        "Week of 2026-10-05"]
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    # Week 2 (third from the top): 3 created against 2.8 a week, 24,000 of pipeline; its
    # pipeline table runs 42,000 -> +24,000 new, -10,000 won -> 56,000.
    assert ["Pipeline created", "$24,000"] in cells
    assert ["Won", "1", "−$10,000"] in cells
    assert ["Open pipeline now", "", "$56,000"] in cells
    assert ["Send Acme the proposal", "Avery Quinn", "2026-10-09", "2026-10-05", "done"] in cells
    text = "\n".join(p.text for p in document.paragraphs)
    # Week 3: 1 created against 3.2 needed (9 weeks left): 2.2 to make up. Week 2: on pace.
    facts = ["1 opportunity created this week against 3.2 a week needed for 100% of quota: "
             "2.2 to make up.",
             "3 opportunities created this week against 2.8 a week needed for 100% of quota: "
             "on pace.",
             "Help with Acme's legal review"]
    for fact in facts:
        assert fact in text
    for fmt in ("md", "html"):
        result = run("one-on-one", qsr, "--render", "--format", fmt, "-o", tmp_path / f"log.{fmt}")
        assert result.exit_code == 0, result.output
        page = (tmp_path / f"log.{fmt}").read_text(encoding="utf-8").replace("&#x27;", "'")
        for fact in [*facts, "Send Acme the proposal", "$24,000", "−$10,000", "$56,000"]:
            assert fact in page, (fmt, fact)
        weeks = [page.index(f"Week of 2026-10-{d}") for d in ("26", "19", "12", "05")]
        assert weeks == sorted(weeks)
    again = run("one-on-one", qsr, "--render")
    assert again.exit_code == 4 and "already exists" in again.stderr
    assert run("one-on-one", qsr, "--render", "--force").exit_code == 0


def test_templates_export_copies_the_one_on_one_template(run: Any, tmp_path: Path) -> None:
    result = run("templates", "export", tmp_path / "ours")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ours" / "one_on_one.md.j2").read_text(encoding="utf-8").startswith("{#-")


def _refused(run: Any, files: list[Path], *args: Any) -> str:
    """Run, expect a located error and no traceback, and check no file changed."""
    before = {path: path.read_bytes() if path.exists() else None for path in files}
    result = run("one-on-one", *args)
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert {path: path.read_bytes() if path.exists() else None for path in files} == before
    return str(result.stderr)


@pytest.fixture
def two_weeks(run: Any, tmp_path: Path) -> Path:
    _setup(tmp_path)
    _add(run, tmp_path, "2026-10-05")
    _add(run, tmp_path, "2026-10-12")
    return tmp_path


def test_a_log_of_another_rep_or_quarter_is_refused(run: Any, two_weeks: Path) -> None:
    jordan = two_weeks / "jordan-lee-2026-Q4.yaml"
    jordan.write_text(QSR.replace("Avery Quinn", "Jordan Lee"), encoding="utf-8")
    copied = two_weeks / "jordan-lee-2026-Q4-1on1.yaml"
    copied.write_bytes((two_weeks / LOG).read_bytes())
    message = _refused(run, [copied], jordan, "--date", "2026-10-19")
    lines = copied.read_text(encoding="utf-8").splitlines()
    rep_line, quarter_line = lines.index("rep: Avery Quinn") + 1, lines.index("quarter: 2026-Q4") + 1
    assert f"{copied}:{rep_line}:1: rep: error: this 1:1 log is Avery Quinn's, but {jordan} is " \
           "Jordan Lee's QSR" in message
    next_quarter = two_weeks / "avery-quinn-2027-Q1.yaml"
    next_quarter.write_text(QSR.replace("2026-Q4", "2027-Q1"), encoding="utf-8")
    old = two_weeks / "avery-quinn-2027-Q1-1on1.yaml"
    old.write_bytes((two_weeks / LOG).read_bytes())
    message = _refused(run, [old], next_quarter, "--date", "2027-01-04")
    assert f"{old}:{quarter_line}:1: quarter: error: this 1:1 log is for 2026-Q4" in message


def test_an_entry_dated_before_the_last_is_refused(run: Any, two_weeks: Path) -> None:
    qsr, log = two_weeks / "avery-quinn-2026-Q4.yaml", two_weeks / LOG
    message = _refused(run, [log], qsr, "--date", "2026-10-09")
    assert "weeks[1].week: error: the last entry is the week of 2026-10-12" in message
    assert f"{log}:" in message
    # A log whose entries someone put out of order by hand.
    log.write_text(log.read_text(encoding="utf-8").replace("- week: 2026-10-12",
                                                           "- week: 2026-10-01"),
                   encoding="utf-8")
    message = _refused(run, [log], qsr, "--date", "2026-10-19")
    assert "weeks[1].week: error: 2026-10-01 is not after the entry before it" in message


def test_an_export_from_another_time_is_refused(run: Any, two_weeks: Path) -> None:
    qsr, log = two_weeks / "avery-quinn-2026-Q4.yaml", two_weeks / LOG
    july = _export(two_weeks, "2026-07-06", {
        "Q3": ("Avery Quinn", "Prospecting", 1000, "9/1/2026", "7/1/2026")})
    message = _refused(run, [log], qsr, "--crm", july, "--date", "2026-10-19")
    assert f"{july}:0:0: (file): error: (--crm) has no opportunity created in the 45 days " \
           "before the 1:1's date 2026-10-19" in message
    # Last week's export as --since, this week's before it: the order is wrong.
    message = _refused(run, [log], qsr, "--crm", two_weeks / "2026-10-12.csv",
                       "--since", two_weeks / "2026-10-19.csv", "--date", "2026-10-19")
    assert "(--since) has opportunities created after the newest of" in message
    # An export of a later day than the 1:1.
    message = _refused(run, [log], qsr, "--crm", two_weeks / "2026-10-26.csv",
                       "--date", "2026-10-19")
    assert "(--crm) has opportunities created after the 1:1's date 2026-10-19" in message
    # A date outside the QSR's quarter is pinned on the QSR's quarter line (line 4).
    message = _refused(run, [log], qsr, "--date", "2027-01-04")
    assert f"{qsr}:4:1: quarter: error: the 1:1's date 2027-01-04 is outside 2026-Q4" in message


def test_a_rep_missing_from_the_export_is_named_at_the_qsr(run: Any, two_weeks: Path) -> None:
    qsr, log = two_weeks / "avery-quinn-2026-Q4.yaml", two_weeks / LOG
    jordan_only = _export(two_weeks, "jordan", {
        "J1": ("Jordan Lee", "Prospecting", 1000, "12/1/2026", "10/15/2026")})
    message = _refused(run, [log], qsr, "--crm", jordan_only, "--date", "2026-10-19")
    assert f"{qsr}:2:1: account_executive: error: 'Avery Quinn' owns no opportunity" in message
    assert "the owners there are: Jordan Lee" in message


def test_an_open_item_and_a_missing_owner(run: Any, two_weeks: Path) -> None:
    qsr, log = two_weeks / "avery-quinn-2026-Q4.yaml", two_weeks / LOG
    # The newest week's next step has no owner: a warning at its line, and it still carries.
    # The same step typed twice (once with other capitals) carries forward once.
    _type_in_last(log, BLANK_STEPS, "  next_steps:\n  - step: Ask for the referral\n"
                  "    owner:\n    due: 2026-10-16\n    done:\n"
                  "  - step: ask for the  Referral\n    owner: Avery Quinn\n"
                  "    due: 2026-10-16\n    done: no\n")
    result = run("one-on-one", qsr, "--date", "2026-10-19")
    assert result.exit_code == 0, result.output
    assert "weeks[1].next_steps[0]: warning: has no an owner" not in result.stderr
    assert "weeks[1].next_steps[0]: warning: has no owner" in result.stderr
    assert [o["objective"] for o in _weeks(log)[2]["objectives"]] == ["Ask for the referral"]


def test_a_log_broken_by_hand_is_refused_where_it_breaks(run: Any, two_weeks: Path) -> None:
    qsr, log = two_weeks / "avery-quinn-2026-Q4.yaml", two_weeks / LOG
    good = log.read_text(encoding="utf-8")
    lines = good.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line == "  manager_topics:\n")
    log.write_text("".join([*lines[:at], "  manager_topcs:\n", *lines[at + 1:]]),
                   encoding="utf-8")
    message = _refused(run, [log], qsr, "--date", "2026-10-19")
    assert (f"{log}:{at + 1}:3: weeks[0].manager_topcs: error: unknown key 'manager_topcs'; "
            "did you mean 'manager_topics'?") in message
    log.write_text(good.replace("  rep_topics:\n  -\n", "  rep_topics:\n  - \"Acme\n", 1),
                   encoding="utf-8")
    message = _refused(run, [log], qsr, "--date", "2026-10-19")
    assert f"{log}:" in message and "YAML syntax" in message
    log.write_text(good.replace("    done:\n", "    done: maybe\n", 1), encoding="utf-8")
    message = _refused(run, [log], qsr, "--date", "2026-10-19")
    assert "next_steps[0].done: error: 'maybe' is not yes or no" in message
    log.write_text(good + "extra: 1\n", encoding="utf-8")
    message = _refused(run, [log], qsr, "--date", "2026-10-19")
    assert "extra: error: unknown key 'extra'" in message
    # A key moved after the weeks: a week added at the end would land in the wrong place.
    moved = good.replace("qsr: avery-quinn-2026-Q4.yaml\n", "") + "qsr: avery-quinn-2026-Q4.yaml\n"
    log.write_text(moved, encoding="utf-8")
    message = _refused(run, [log], qsr, "--date", "2026-10-19")
    assert "weeks: error: a new week cannot be added at the end of this log" in message


def test_render_options_do_not_mix_with_adding_a_week(run: Any, two_weeks: Path) -> None:
    qsr = two_weeks / "avery-quinn-2026-Q4.yaml"
    result = run("one-on-one", qsr, "--render", "--date", "2026-10-19")
    assert result.exit_code == 2 and "--date add a week" in result.stderr
    result = run("one-on-one", qsr, "--format", "md", "--date", "2026-10-19")
    assert result.exit_code == 2 and "--format go with --render only" in result.stderr
