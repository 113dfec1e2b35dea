"""`qsrkit refresh FILE --crm EXPORT`: the CRM numbers updated in place, every other byte kept."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from conftest import EXAMPLE, EXAMPLES

EXPORT = EXAMPLES / "crm" / "opportunities.csv"


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _odd(text: str) -> str:
    """The example with a comment after a number, a quoted one, and blank answers."""
    text = _replace_once(text, "    closed_won: 48000\n",
                         "    closed_won: 48000   # from Friday's forecast call\n")
    text = _replace_once(text, "    open_pipeline: 410000\n", "    open_pipeline: '410000'\n")
    text = _replace_once(text, "    actual_revenue: 318500\n",
                         "    actual_revenue:    # I'll look it up\n")
    return _replace_once(text, "manager: Morgan Ellis\n", "manager: 'Morgan Ellis'  # since May\n")


def test_refresh_changes_only_the_numbers(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "avery.yaml"
    before = _odd(EXAMPLE.read_text(encoding="utf-8"))
    path.write_text(before, encoding="utf-8", newline="")
    path.chmod(0o640)
    result = run("refresh", path, "--crm", EXPORT, "--as-of", "2026-10-05")
    assert result.exit_code == 0, result.stderr
    # Avery's Q4 so far: one deal won, 13,700.00 on 2026-10-04. Open and closing in Q4: 41 deals,
    # 672,008.00 (summed with awk over the export). Weeks: 2026-10-05 to 2026-12-31 is 88 days,
    # 12.57 weeks, 12.6. as_of was missing: a line after weeks_to_work. Last quarter's actual
    # revenue was blank: Avery's Q3 closed won in the export, 268,901.50. Her typed 22% win rate
    # and the other actuals she typed stay as they are.
    expected = _replace_once(before, "    closed_won: 48000   #", "    closed_won: 13700   #")
    expected = _replace_once(expected, "    open_pipeline: '410000'\n",
                             "    open_pipeline: 672008\n")
    expected = _replace_once(expected, "    weeks_to_work: 11\n",
                             "    weeks_to_work: 12.6\n    as_of: 2026-10-05\n")
    expected = _replace_once(expected, "    actual_revenue:    # I'll",
                             "    actual_revenue: 268901.5    # I'll")
    assert path.read_text(encoding="utf-8") == expected
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert "current_quarter.calculator.closed_won: 48000 → 13700" in result.stdout
    assert "open_pipeline: '410000' → 672008" in result.stdout
    assert "current_quarter.calculator.as_of: (blank) → 2026-10-05" in result.stdout
    assert "previous_quarter.metrics.actual_revenue: (blank) → 268901.5" in result.stdout
    assert "win_rate.actual" not in result.stdout
    checked = run("check", path)
    assert checked.exit_code == 0, checked.stdout
    # Run again: nothing changes, nothing is written.
    again = run("refresh", path, "--crm", EXPORT, "--as-of", "2026-10-05")
    assert again.exit_code == 0
    assert "nothing written" in again.stdout
    assert path.read_text(encoding="utf-8") == expected


def test_an_equal_value_keeps_its_spelling(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "avery.yaml"
    text = _replace_once(EXAMPLE.read_text(encoding="utf-8"), "    closed_won: 48000\n",
                         '    closed_won: "13700.00"\n')
    path.write_text(text, encoding="utf-8")
    result = run("refresh", path, "--crm", EXPORT, "--as-of", "2026-10-05")
    assert result.exit_code == 0, result.stderr
    # 13700.00 is what the export says (see above): the rep's spelling stays.
    assert '    closed_won: "13700.00"\n' in path.read_text(encoding="utf-8")
    assert "closed_won" not in result.stdout


def test_dry_run_writes_nothing(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "avery.yaml"
    path.write_bytes(EXAMPLE.read_bytes())
    result = run("refresh", path, "--crm", EXPORT, "--as-of", "2026-10-05", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "closed_won: 48000 → 13700" in result.stdout
    assert "--dry-run" in result.stderr
    assert path.read_bytes() == EXAMPLE.read_bytes()


def test_crlf_and_a_bom_are_kept(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "avery.yaml"
    original = b"\xef\xbb\xbf" + EXAMPLE.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(original)
    result = run("refresh", path, "--crm", EXPORT, "--as-of", "2026-10-05")
    assert result.exit_code == 0, result.stderr
    expected = original.replace(b"closed_won: 48000\r\n", b"closed_won: 13700\r\n").replace(
        b"open_pipeline: 410000\r\n", b"open_pipeline: 672008\r\n").replace(
        b"weeks_to_work: 11\r\n", b"weeks_to_work: 12.6\r\n    as_of: 2026-10-05\r\n")
    assert path.read_bytes() == expected


def test_an_export_from_another_time_is_refused(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "avery.yaml"
    path.write_bytes(EXAMPLE.read_bytes())
    # The export's newest deal was created on 2026-10-04: 72 days before 2026-12-15.
    result = run("refresh", path, "--crm", EXPORT, "--as-of", "2026-12-15")
    assert result.exit_code == 3
    assert "opportunities.csv:0:0: (file): error: no opportunity was created in the 45 days " \
        "before the as-of date 2026-12-15 (the newest: 2026-10-04)" in result.stderr
    # ... and after 2026-10-01.
    result = run("refresh", path, "--crm", EXPORT, "--as-of", "2026-10-01")
    assert result.exit_code == 3
    assert "has opportunities created after the as-of date 2026-10-01 (the newest on " \
        "2026-10-04)" in result.stderr
    result = run("refresh", path, "--crm", EXPORT, "--as-of", "2027-01-05")
    assert result.exit_code == 2
    assert "is after the end of 2026-Q4" in result.stderr
    assert path.read_bytes() == EXAMPLE.read_bytes()


def test_a_rep_not_in_the_export_is_located(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "nobody.yaml"
    text = _replace_once(EXAMPLE.read_text(encoding="utf-8"), "account_executive: Avery Quinn",
                         "account_executive: Nobody Here")
    path.write_text(text, encoding="utf-8")
    result = run("refresh", path, "--crm", EXPORT, "--as-of", "2026-10-05")
    assert result.exit_code == 3
    assert f"{path}:10:1: account_executive: error: no opportunities owned by 'Nobody Here'" \
        in result.stderr
    assert path.read_text(encoding="utf-8") == text


def test_a_file_with_errors_is_not_touched(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    text = _replace_once(EXAMPLE.read_text(encoding="utf-8"), "    closed_won: 48000\n",
                         "    closed_won: lots\n")
    path.write_text(text, encoding="utf-8")
    result = run("refresh", path, "--crm", EXPORT, "--as-of", "2026-10-05")
    assert result.exit_code == 3
    assert "current_quarter.calculator.closed_won: error:" in result.stderr
    assert "refresh changes only a file that `qsrkit check` passes" in result.stderr
    assert path.read_text(encoding="utf-8") == text
    missing = run("refresh", tmp_path / "nope.yaml", "--crm", EXPORT)
    assert missing.exit_code == 3
    assert "nope.yaml:0:0: (file): error: no such file" in missing.stderr
    assert not os.path.exists(tmp_path / "nope.yaml")


def test_quotas_fill_only_blank_quotas(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "avery.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "    quota: 300000\n" in text  # last quarter's, typed: kept
    outlook = text.index("  outlook:\n")
    quota_at = text.index("    quota:", outlook)
    end = text.index("\n", quota_at)
    text = text[:quota_at] + "    quota:" + text[end:]  # this quarter's left blank
    path.write_text(text, encoding="utf-8")
    quotas = tmp_path / "quotas.csv"
    quotas.write_text("rep,quarter,quota\navery quinn,2026-Q3,250000\n"
                      "Avery Quinn,2026-Q4,330000\n", encoding="utf-8")
    result = run("refresh", path, "--crm", EXPORT, "--as-of", "2026-10-05", "--quotas", quotas,
                 "--dry-run")
    assert result.exit_code == 0, result.stderr
    # This quarter's quota was blank: 330000 from the quotas file. Last quarter's was typed
    # (300000), so the file's 250000 for 2026-Q3 does not replace it.
    assert "current_quarter.outlook.quota: (blank) → 330000" in result.stdout
    assert "previous_quarter.metrics.quota" not in result.stdout
    assert path.read_text(encoding="utf-8") == text


def test_old_mac_line_ends_are_kept(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "avery.yaml"
    original = EXAMPLE.read_bytes().replace(b"\n", b"\r")
    path.write_bytes(original)
    result = run("refresh", path, "--crm", EXPORT, "--as-of", "2026-10-05")
    assert result.exit_code == 0, result.stderr
    # The numbers of the first test; the new as_of line ends as the file's lines do.
    expected = original.replace(b"closed_won: 48000\r", b"closed_won: 13700\r").replace(
        b"open_pipeline: 410000\r", b"open_pipeline: 672008\r").replace(
        b"weeks_to_work: 11\r", b"weeks_to_work: 12.6\r    as_of: 2026-10-05\r")
    assert path.read_bytes() == expected
    assert "current_quarter.calculator.as_of: (blank) → 2026-10-05" in result.stdout
    assert "line 107: current_quarter.calculator.as_of" in result.stdout
