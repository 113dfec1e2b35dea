"""Hostile and careless CRM exports, quotas files and team lists, through the real commands.

The contract for each, as for the answers-file corpus (test_bad_input.py): one located line
(`file:line:col: field: severity: message`), the documented exit code (3: invalid input), no
traceback, and nothing written. The inputs are made here, most of them just over a cap (the
csv module's 131,072-character field, our 64 KiB header line, 1 MiB row and file size caps),
so the tests stay fast; benchmarks/bench_bad_input.py times the full-size ones.
"""

from __future__ import annotations

import json
import os
import signal
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

AS_OF = ("--as-of", "2026-10-05")
HEAD = "Opportunity Owner,Stage,Amount,Created Date,Close Date\n"
ROW = "Ada Lovelace,Closed Won,100,7/1/2026,8/1/2026\n"
COMPOSED = "Jos\u00e9 N\u00fa\u00f1ez"
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def refused(result: Any, located: str, folder: Path) -> None:
    """Exit 3, the located line among the messages, no traceback, no answers file written."""
    assert result.exit_code == 3, result
    assert "Traceback" not in result.output and "internal error" not in result.output, result
    assert located in result.stderr.splitlines() or any(
        line.startswith(located) for line in result.stderr.splitlines()), result
    assert not list(folder.glob("*.yaml")) and not (folder / "team").exists()


def both(run: Any, export: Path, *extra: Any) -> Iterator[Any]:
    """`metrics`, `new --crm --rep` and `new --crm --team` on the same inputs."""
    yield run("metrics", export, *extra, *AS_OF)
    yield run("new", "--crm", export, "--rep", "Ada Lovelace", *extra, *AS_OF)
    yield run("new", "--crm", export, "--team", "team", *extra, *AS_OF)


# --- 1. Values past the csv module's field limit --------------------------------------------


def test_a_quote_that_never_closes_is_reported_where_it_opened(run: Any, in_tmp: Path) -> None:
    # 3,000 rows after the quote: far past 131,072 characters, so the csv module gives up.
    export = write(in_tmp, "export.csv", HEAD + ROW + 'Ada Lovelace,"Closed Won,100,7/1/2026,'
                   '8/1/2026\n' + ROW * 3000)
    for result in both(run, export):
        refused(result, f"{export}:3:2: Stage: error: a quote opened on row 3 is never closed; "
                "everything after it was read as one value", in_tmp)


def test_a_quote_that_never_closes_near_the_end_is_found_too(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", HEAD + ROW * 2 + 'Ada Lovelace,Closed Won,100,7/1/2026,'
                   '"8/1/2026\n' + ROW * 2)
    refused(run("metrics", export, *AS_OF),
            f"{export}:4:5: Close Date: error: a quote opened on row 4 is never closed", in_tmp)


def test_a_quote_that_closes_far_too_late_names_both_rows(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", HEAD + ROW + 'Ada Lovelace,"Closed Won,100,7/1/2026,'
                   '8/1/2026\n' + ROW * 3000 + 'x",100,7/1/2026,8/1/2026\n' + ROW)
    refused(run("metrics", export, *AS_OF),
            f"{export}:3:2: Stage: error: a quote opened on row 3 closes only on row 3004, so "
            "the rows in between were read as one value", in_tmp)


def test_a_quote_followed_by_more_text_is_still_read_as_before(run: Any, in_tmp: Path) -> None:
    # Quotes are read strictly (so a quote that never closes is found) until one is followed
    # by more text, as in `"5" screen`; then the file is read again leniently, as it always was.
    export = write(in_tmp, "export.csv", HEAD + ROW + 'Ada Lovelace,"Closed Won" ,100,7/1/2026,'
                   '8/1/2026\n')
    result = run("metrics", export, *AS_OF, "--json")
    assert result.exit_code == 0, result
    assert json.loads(result.stdout)["reps"][0]["previous_quarter"]["opportunities_won"] == 2


def test_an_unclosed_quote_in_the_header(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", 'Opportunity Owner,"Stage,Amount\n' + ROW * 3000)
    refused(run("metrics", export, *AS_OF),
            f"{export}:1:2: (file): error: a quote opened on row 1 is never closed", in_tmp)


def test_one_huge_value_is_located(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", HEAD + ROW + "Ada Lovelace,Closed Won,"
                   + "9" * 140_000 + ",7/1/2026,8/1/2026\n" + ROW)
    for result in both(run, export):
        refused(result, f"{export}:3:3: Amount: error: the value starting on row 3 is longer "
                "than 131,072 characters", in_tmp)


def test_one_huge_line_of_separators_is_refused_without_splitting_it(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", HEAD + ROW + "," * 1_100_000 + "\n" + ROW)
    refused(run("metrics", export, *AS_OF),
            f"{export}:3:0: (file): error: the row is more than 1,048,576 characters long", in_tmp)


def test_a_big_quotas_cell_is_located(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", HEAD + ROW)
    quotas = write(in_tmp, "quotas.csv", "rep,quarter,quota\nAda Lovelace,2026-Q3,"
                   + "1" * 140_000 + "\n")
    for result in both(run, export, "--quotas", quotas):
        refused(result, f"{quotas}:2:3: quota: error: the value starting on row 2 is longer "
                "than 131,072 characters", in_tmp)


# --- 2. Amounts: the limits and messages of the answers file --------------------------------


@pytest.mark.parametrize(("amount", "message"), [
    ("1e27", "'1e27' is in scientific notation, which may have lost digits"),
    ("1.23E+11", "'1.23E+11' is in scientific notation"),
    ("1000000000000000000000000000", "an amount has 28 digits; that is more than any real figure"),
    ("12345678901234567", "an amount has 17 digits; that is more than any real figure"),
])
def test_amounts_out_of_reach_are_refused_with_the_answers_file_messages(
    run: Any, in_tmp: Path, amount: str, message: str
) -> None:
    export = write(in_tmp, "export.csv", HEAD + ROW + f"Ada Lovelace,Closed Won,{amount},"
                   "7/1/2026,8/1/2026\n")
    for result in both(run, export):
        refused(result, f"{export}:3:3: Amount: error: {message}", in_tmp)


def test_other_digits_and_underscores_are_read_as_the_answers_file_reads_them(
    run: Any, in_tmp: Path
) -> None:
    export = write(in_tmp, "export.csv", HEAD + "Ada Lovelace,Closed Won,\u0661\u0662\u0663,"
                   "7/1/2026,8/1/2026\nAda Lovelace,Closed Won,1_000,7/1/2026,8/1/2026\n"
                   "Ada Lovelace,Closed Won,\uff15,7/1/2026,8/1/2026\n")
    result = run("metrics", export, *AS_OF, "--json")
    assert result.exit_code == 0, result
    ada = json.loads(result.stdout)["reps"][0]["previous_quarter"]
    assert ada["actual_revenue"] == 123 + 1000 + 5


def test_totals_too_large_for_an_answers_file_are_refused(run: Any, in_tmp: Path) -> None:
    big = "Ada Lovelace,Closed Won,9999999999999.99,7/1/2026,8/1/2026\n"
    export = write(in_tmp, "export.csv", HEAD + big * 2)
    for result in both(run, export):
        refused(result, f"{export}:0:3: Amount: error: Ada Lovelace's won amount adds up to "
                "19,999,999,999,999.98, more than any real figure", in_tmp)


@pytest.mark.parametrize(("quota", "message"), [
    ("1e30", "'1e30' is in scientific notation"),
    ("12345678901234567", "an amount has 17 digits; that is more than any real figure"),
    ("-5000", "a quota cannot be negative"),
])
def test_quotas_out_of_reach_are_refused(run: Any, in_tmp: Path, quota: str, message: str) -> None:
    export = write(in_tmp, "export.csv", HEAD + ROW)
    quotas = write(in_tmp, "quotas.csv", f"rep,quarter,quota\nAda Lovelace,2026-Q3,{quota}\n")
    for result in both(run, export, "--quotas", quotas):
        refused(result, f"{quotas}:2:3: quota: error: {message}", in_tmp)


# --- 3. Headers past any real export ---------------------------------------------------------


def test_a_huge_header_line_is_refused_before_it_is_split(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", "Opportunity Owner" + "," * 100_000 + "\n" + ROW)
    for result in both(run, export):
        refused(result, f"{export}:1:1: (file): error: the header line is longer than 65,536 "
                "bytes", in_tmp)


def test_a_header_with_too_many_columns_is_refused(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", HEAD.rstrip("\n") + ",x" * 1000 + "\n" + ROW)
    refused(run("metrics", export, *AS_OF),
            f"{export}:1:1: (file): error: the header has 1,005 columns", in_tmp)


# --- 4. What `new --crm` writes passes `check` -----------------------------------------------


def test_negative_amounts_leave_their_row_out_with_a_warning(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", HEAD + ROW + "Ada Lovelace,Closed Won,-500,7/1/2026,"
                   "8/1/2026\nAda Lovelace,Closed Lost,(250.00),7/1/2026,8/1/2026\n")
    result = run("metrics", export, *AS_OF, "--json")
    assert result.exit_code == 0, result
    assert (f"{export}:3:3: Amount: warning: the amount -500 is negative: a credit or a "
            "correction, not a deal; the row is left out of every figure") in result.stderr
    assert f"{export}:4:3: Amount: warning: the amount (250.00) is negative" in result.stderr
    assert f"{export}:0:0: (file): warning: 2 row(s) with a negative amount were left out" \
        in result.stderr
    ada = json.loads(result.stdout)["reps"][0]["previous_quarter"]
    assert (ada["actual_revenue"], ada["opportunities_won"], ada["opportunities_lost"]) == (100, 1, 0)

    written = run("new", "--crm", export, "--rep", "Ada Lovelace", *AS_OF)
    assert written.exit_code == 0, written
    assert f"{export}:3:3: Amount: warning: the amount -500 is negative" in written.stderr
    assert run("check", in_tmp / "ada-lovelace-2026-Q4.yaml").exit_code == 0


def test_odd_but_acceptable_values_give_a_file_that_check_accepts(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", HEAD
                   + '"Ada\x00 Love\x07lace",Closed Won,100,7/1/2026,8/1/2026\n'
                   + '"Ada\nLovelace\u2028",Closed Lost,50,7/2/2026,8/2/2026\n'
                   + '"Ada Lovelace\x1b[31m",Closed Won,-5,7/2/2026,8/2/2026\n'
                   + f"{COMPOSED},Closed Won,100,7/1/2026,8/1/2026\n"
                   + f"{DECOMPOSED},Closed Won,200,7/1/2026,8/1/2026\n")
    result = run("new", "--crm", export, "--team", "team", *AS_OF)
    assert result.exit_code == 0, result
    assert (f"{export}:2:1: Opportunity Owner: warning: took U+0000, U+0007 (invisible control "
            "characters or line breaks) out of the owner name 'Ada Lovelace'") in result.stderr
    assert f"{export}:4:1: Opportunity Owner: warning: took U+000A, U+2028" in result.stderr
    files = sorted((in_tmp / "team").glob("*.yaml"))
    assert [f.name for f in files] == ["ada-lovelace-2026-Q4.yaml", "jose-nunez-2026-Q4.yaml"]
    checked = run("check", *files)
    assert checked.exit_code == 0, checked
    text = files[0].read_text("utf-8")
    assert "\x00" not in text and "\x07" not in text and "\u2028" not in text
    assert 'account_executive: "Ada Lovelace"' in text
    assert f'account_executive: "{COMPOSED}"' in files[1].read_text("utf-8")


def test_a_name_too_long_to_be_one_is_refused(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", HEAD + "A" * 300 + ",Closed Won,100,7/1/2026,8/1/2026\n")
    refused(run("new", "--crm", export, "--team", "team", *AS_OF),
            f"{export}:2:1: Opportunity Owner: error: the owner name 'AAAA", in_tmp)


# --- 5. UTF-16 without a byte-order mark -----------------------------------------------------


@pytest.mark.parametrize(("encoding", "order"), [("utf-16-le", "little"), ("utf-16-be", "big")])
def test_utf16_without_a_bom_is_named(run: Any, in_tmp: Path, encoding: str, order: str) -> None:
    export = write(in_tmp, "export.csv", HEAD + ROW, encoding)
    for result in both(run, export):
        refused(result, f"{export}:1:1: (file): error: is UTF-16 text ({order}-endian, without a "
                "byte-order mark): every other byte of its first line is NUL; save it as CSV in "
                "UTF-8", in_tmp)


def test_an_excel_workbook_is_named(run: Any, in_tmp: Path) -> None:
    export = in_tmp / "export.csv"
    export.write_bytes(b"PK\x03\x04" + bytes(200))
    refused(run("metrics", export, *AS_OF),
            f"{export}:0:0: (file): error: is an Excel workbook, not a CSV file", in_tmp)


# --- 6. The quotas file ----------------------------------------------------------------------


def test_quotas_for_nobody_in_the_export_are_warned_about_row_by_row(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", HEAD + ROW)
    quotas = write(in_tmp, "quotas.csv", "rep,quarter,quota\nAda Lovelace,2026-Q3,100\n"
                   "Ada Lovelase,2026-Q4,200\nNobody At All,2026-Q4,300\n")
    result = run("new", "--crm", export, "--rep", "Ada Lovelace", "--quotas", quotas, *AS_OF)
    assert result.exit_code == 0, result
    assert (f"{quotas}:3:1: rep: warning: 'Ada Lovelase' owns no opportunities in {export}; did "
            "you mean 'Ada Lovelace'?, so this quota is not used") in result.stderr
    assert f"{quotas}:4:1: rep: warning: 'Nobody At All' owns no opportunities" in result.stderr
    assert run("check", in_tmp / "ada-lovelace-2026-Q4.yaml").exit_code == 0


def test_one_rep_twice_for_one_quarter_names_both_rows(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", HEAD + f"{COMPOSED},Closed Won,100,7/1/2026,8/1/2026\n")
    quotas = write(in_tmp, "quotas.csv", f"rep,quarter,quota\n{COMPOSED},2026-Q3,100\n"
                   f"{DECOMPOSED.upper()}  ,Q3 2026,200\n")
    refused(run("new", "--crm", export, "--rep", COMPOSED, "--quotas", quotas, *AS_OF),
            f"{quotas}:3:1: rep: error: '{DECOMPOSED.upper()}' has a quota for 2026-Q3 on row 2 "
            "too (the same rep, however the name is spelled); keep one of the two rows", in_tmp)


def test_a_quotas_column_twice_names_both_columns(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", HEAD + ROW)
    quotas = write(in_tmp, "quotas.csv", "rep,quarter,quota,Quota\nAda Lovelace,2026-Q3,1,2\n")
    refused(run("metrics", export, "--quotas", quotas, *AS_OF),
            f"{quotas}:1:4: Quota: error: the column 'quota' appears twice (columns 3 and 4)",
            in_tmp)


# --- 7. One person, one rep, however the name is written -------------------------------------


def test_composed_and_decomposed_names_are_one_rep_everywhere(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", HEAD + f"{COMPOSED},Closed Won,100,7/1/2026,8/1/2026\n"
                   f"{DECOMPOSED},Closed Won,200,7/2/2026,8/2/2026\n"
                   f"  {DECOMPOSED.upper()} ,Closed Lost,50,7/3/2026,8/3/2026\n")
    quotas = write(in_tmp, "quotas.csv", f"rep,quarter,quota\n{DECOMPOSED},2026-Q3,1000\n")
    result = run("metrics", export, "--rep", DECOMPOSED.lower(), "--quotas", quotas, *AS_OF,
                 "--json")
    assert result.exit_code == 0, result
    reps = json.loads(result.stdout)["reps"]
    assert [r["rep"] for r in reps] == [COMPOSED]  # the first spelling, NFC
    prev = reps[0]["previous_quarter"]
    assert (prev["actual_revenue"], prev["opportunities_won"], prev["opportunities_lost"],
            prev["quota"]) == (300, 2, 1, 1000)

    team = write(in_tmp, "team.txt", f"{DECOMPOSED}\n")
    written = run("new", "--crm", export, "--team", "team", "--team-list", team, *AS_OF)
    assert written.exit_code == 0, written
    assert [p.name for p in (in_tmp / "team").glob("*.yaml")] == ["jose-nunez-2026-Q4.yaml"]


# --- 8. The team list ------------------------------------------------------------------------


def test_a_team_list_name_that_owns_nothing_writes_nothing(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", HEAD + ROW)
    team = write(in_tmp, "team.txt", "# the team\nAda Lovelase\n")
    refused(run("new", "--crm", export, "--team", "team", "--team-list", team, *AS_OF),
            f"{team}:2:1: (file): error: no opportunities owned by 'Ada Lovelase' in {export}; "
            "did you mean 'Ada Lovelace'?", in_tmp)


def test_a_team_list_naming_one_rep_twice_is_refused(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", HEAD + ROW)
    team = write(in_tmp, "team.txt", "Ada Lovelace\nada  lovelace\n")
    refused(run("new", "--crm", export, "--team", "team", "--team-list", team, *AS_OF),
            f"{team}:2:1: (file): error: 'ada  lovelace' is listed on line 1 too", in_tmp)


# --- 9. Devices, pipes and oversized side files ----------------------------------------------


@pytest.fixture
def alarm() -> Iterator[None]:
    """Fail instead of hanging if a pipe is waited on."""
    def hung(*_: Any) -> None:
        raise TimeoutError("waited on a pipe")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("option", ["export", "--quotas", "--columns", "--team-list"])
def test_a_pipe_is_refused_at_once(run: Any, in_tmp: Path, alarm: None, option: str) -> None:
    pipe = in_tmp / "pipe"
    os.mkfifo(pipe)
    export = write(in_tmp, "export.csv", HEAD + ROW)
    args: list[Any] = ["new", "--crm", pipe if option == "export" else export]
    args += ["--team", "team"] if option == "--team-list" else ["--rep", "Ada Lovelace"]
    if option != "export":
        args += [option, pipe]
    refused(run(*args, *AS_OF), f"{pipe}:0:0: (file): error: is a device, pipe or socket", in_tmp)


def test_a_device_is_refused_at_once(run: Any, in_tmp: Path, alarm: None) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    refused(run("metrics", "/dev/zero", *AS_OF),
            "/dev/zero:0:0: (file): error: is a device, pipe or socket", in_tmp)


def test_side_files_have_a_size_cap(run: Any, in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", HEAD + ROW)
    quotas = write(in_tmp, "quotas.csv", "rep,quarter,quota\n" + "Ada Lovelace,2026-Q3,1\n" * 200_000)
    refused(run("metrics", export, "--quotas", quotas, *AS_OF),
            f"{quotas}:0:0: (file): error: is {quotas.stat().st_size:,} bytes, more than the "
            "4,194,304 bytes a quotas file can be here", in_tmp)
    team = write(in_tmp, "team.txt", "Ada Lovelace\n" * 100_000)
    refused(run("new", "--crm", export, "--team", "team", "--team-list", team, *AS_OF),
            f"{team}:0:0: (file): error: is {team.stat().st_size:,} bytes, more than the "
            "1,048,576 bytes a team list can be here", in_tmp)
