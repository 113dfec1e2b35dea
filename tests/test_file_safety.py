"""Nothing lost, nothing leaked: file names, collisions, modes, open documents, inputs, signals.

Every case runs the real command and checks what a user would see: the exit code, the message,
and the files left in the folder afterwards.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE

AS_OF = ("--as-of", "2026-10-05")
HEADER = "Opportunity Owner,Opportunity Name,Stage,Amount,Created Date,Close Date\n"


def export(folder: Path, *owners: str) -> Path:
    """A Salesforce export with one won deal in Q3 for each owner."""
    rows = [f'"{owner}",Deal {i},Closed Won,1000,7/1/2026,7/31/2026\n' for i, owner in enumerate(owners)]
    path = folder / "export.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --- file names from any script ------------------------------------------------------------------


def test_team_names_in_any_script_get_their_own_files(run: Any, in_tmp: Path) -> None:
    source = export(in_tmp, "李伟", "Иван Петров", "José Núñez", "Ann Lee")
    result = run("new", "--crm", source, "--team", "team", *AS_OF)
    assert result.exit_code == 0, result
    assert files_in(in_tmp / "team") == [
        "ann-lee-2026-Q4.yaml", "ivan-petrov-2026-Q4.yaml", "jose-nunez-2026-Q4.yaml",
        "li-wei-2026-Q4.yaml", "qsrkit-answers.schema.json",
    ]
    assert "account_executive: \"李伟\"" in (in_tmp / "team" / "li-wei-2026-Q4.yaml").read_text(
        encoding="utf-8")
    assert "4 written, 0 skipped" in result.stderr


def test_two_reps_sharing_a_file_name_stop_the_team_run_before_anything_is_written(
        run: Any, in_tmp: Path) -> None:
    source = export(in_tmp, "Ann Lee", "Ann-Lee", "Bob Stone")
    for force in ((), ("--force",)):
        result = run("new", "--crm", source, "--team", "team", *AS_OF, *force)
        assert result.exit_code == 4, result
        assert ('"Ann Lee" and "Ann-Lee" would both be written to team/ann-lee-2026-Q4.yaml; '
                "nothing was written") in result.stderr
        assert files_in(in_tmp / "team") == []


def test_a_team_run_that_fails_half_way_leaves_nothing(run: Any, in_tmp: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    source = export(in_tmp, "Ann Lee", "Bob Stone", "Cy Young")
    real_link = os.link
    calls = []

    def link_then_fail(src: Any, dst: Any) -> None:
        calls.append(dst)
        if len(calls) == 3:  # the third file appears (a rep made it) just before it is published
            raise FileExistsError(17, "File exists")
        real_link(src, dst)

    monkeypatch.setattr(os, "link", link_then_fail)
    result = run("new", "--crm", source, "--team", "team", *AS_OF)
    assert result.exit_code == 4, result
    assert "team/cy-young-2026-Q4.yaml already exists; nothing was changed" in result.stderr
    assert files_in(in_tmp / "team") == []  # the two published first were taken back


def test_forced_team_run_that_fails_restores_the_files_it_replaced(
        run: Any, in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = export(in_tmp, "Ann Lee", "Bob Stone")
    assert run("new", "--crm", source, "--team", "team", *AS_OF).exit_code == 0
    ann = in_tmp / "team" / "ann-lee-2026-Q4.yaml"
    ann.write_text("# typed by Ann\n", encoding="utf-8")
    real_replace = os.replace
    calls = []

    def replace_then_fail(src: Any, dst: Any) -> None:
        calls.append(dst)
        if str(dst).endswith("bob-stone-2026-Q4.yaml"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_then_fail)
    result = run("new", "--crm", source, "--team", "team", "--force", *AS_OF)
    assert result.exit_code == 4, result
    assert ann.read_text(encoding="utf-8") == "# typed by Ann\n"
    assert not [n for n in files_in(in_tmp / "team") if n.startswith(".")]


def test_team_folder_that_cannot_be_made_is_a_write_error(run: Any, in_tmp: Path) -> None:
    source = export(in_tmp, "Ann Lee")
    (in_tmp / "blocker").write_text("a file, not a folder", encoding="utf-8")
    result = run("new", "--crm", source, "--team", "blocker/team", *AS_OF)
    assert result.exit_code == 4, result
    assert "cannot create the folder blocker/team" in result.stderr
    assert "Traceback" not in result.output


def test_a_trailing_slash_means_a_folder(run: Any, in_tmp: Path) -> None:
    result = run("new", "team/", "--rep", "Ann Lee", "--quarter", "2026-Q4")
    assert result.exit_code == 4, result
    assert f"cannot write into team{os.sep}: the folder does not exist" in result.stderr
    assert files_in(in_tmp) == []
    (in_tmp / "team").mkdir()
    assert run("new", "team/", "--rep", "Ann Lee", "--quarter", "2026-Q4").exit_code == 0
    assert "ann-lee-2026-Q4.yaml" in files_in(in_tmp / "team")


def test_render_batch_refuses_both_files_that_share_a_name(run: Any, in_tmp: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    (in_tmp / "a.yaml").write_text(text.replace("Avery Quinn", "Ann Lee"), encoding="utf-8")
    (in_tmp / "b.yaml").write_text(text.replace("Avery Quinn", "ANN-LEE"), encoding="utf-8")
    (in_tmp / "c.yaml").write_text(text.replace("Avery Quinn", "李伟"), encoding="utf-8")
    result = run("render", "a.yaml", "b.yaml", "c.yaml", "--out-dir", "out", "--force")
    assert result.exit_code == 4, result
    assert ('out/ann-lee-2026-Q4-qsr.docx would be written for both "a.yaml" and "b.yaml"; '
            "neither was written") in result.stderr
    assert files_in(in_tmp / "out") == ["li-wei-2026-Q4-qsr.docx"]


def test_render_batch_skips_existing_documents_and_lists_them(run: Any, in_tmp: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    for name in ("Ann Lee", "Bob Stone"):
        (in_tmp / f"{name[:3]}.yaml").write_text(text.replace("Avery Quinn", name),
                                                 encoding="utf-8")
    assert run("render", "Ann.yaml", "Bob.yaml", "--out-dir", "out").exit_code == 0
    again = run("render", "Ann.yaml", "Bob.yaml", "--out-dir", "out")
    assert again.exit_code == 0, again
    assert "skipped out/ann-lee-2026-Q4-qsr.docx: it exists (use --force to replace it)" in again.stderr
    single = run("render", "Ann.yaml", "-o", "out/ann-lee-2026-Q4-qsr.docx")
    assert single.exit_code == 4  # one named file that exists is still an error
    assert "already exists; nothing was changed" in single.stderr


# --- inputs are never outputs --------------------------------------------------------------------


def test_render_never_replaces_its_own_answers_file(run: Any, in_tmp: Path) -> None:
    answers = in_tmp / "self.yaml"
    shutil.copy(EXAMPLE, answers)
    before = answers.read_bytes()
    for target in ("self.yaml", "./sub/../self.yaml"):
        (in_tmp / "sub").mkdir(exist_ok=True)
        result = run("render", "self.yaml", "-o", target, "--force")
        assert result.exit_code == 4, result
        assert "is the answers file of this run; nothing was changed" in result.stderr
    assert answers.read_bytes() == before


def test_render_never_replaces_the_config_reference_or_templates(run: Any, in_tmp: Path) -> None:
    shutil.copy(EXAMPLE, in_tmp / "a.yaml")
    (in_tmp / "org.yaml").write_text("company: Acme\n", encoding="utf-8")
    assert run("templates", "export", "tpl").exit_code == 0
    cases = [
        (("--config", "org.yaml", "-o", "org.yaml"), "is the org config of this run"),
        (("--templates", "tpl", "-o", "tpl/qsr.md.j2"), "is inside tpl, the templates folder"),
        (("--reference-doc", "tpl/reference.docx", "-o", "tpl/reference.docx"),
         "is the reference document of this run"),
    ]
    for args, message in cases:
        before = {p: p.read_bytes() for p in in_tmp.rglob("*") if p.is_file()}
        result = run("render", "a.yaml", *args, "--force")
        assert result.exit_code == 4, (args, result)
        assert message in result.stderr
        assert {p: p.read_bytes() for p in in_tmp.rglob("*") if p.is_file()} == before


def test_new_never_replaces_the_file_it_carries_forward(run: Any, in_tmp: Path) -> None:
    shutil.copy(EXAMPLE, in_tmp / "last.yaml")
    before = (in_tmp / "last.yaml").read_bytes()
    result = run("new", "last.yaml", "--previous", "last.yaml", "--force")
    assert result.exit_code == 4, result
    assert "is the previous quarter's answers file of this run" in result.stderr
    assert (in_tmp / "last.yaml").read_bytes() == before


def test_a_control_character_in_an_output_name_is_refused(run: Any, in_tmp: Path) -> None:
    shutil.copy(EXAMPLE, in_tmp / "a.yaml")
    result = run("render", "a.yaml", "-o", "two\nlines.docx")
    assert result.exit_code == 4, result
    assert "the file name two\\nlines.docx has a line break or another control character" in result.stderr
    assert files_in(in_tmp) == ["a.yaml"]


# --- modes and open documents --------------------------------------------------------------------


def test_new_files_follow_the_umask_and_replaced_files_keep_their_mode(run: Any,
                                                                      in_tmp: Path) -> None:
    shutil.copy(EXAMPLE, in_tmp / "a.yaml")
    old = os.umask(0o022)
    try:
        assert run("render", "a.yaml", "-o", "shared.docx").exit_code == 0
        assert stat.S_IMODE((in_tmp / "shared.docx").stat().st_mode) == 0o644
        os.chmod(in_tmp / "shared.docx", 0o664)  # a team folder, group-writable
        assert run("render", "a.yaml", "-o", "shared.docx", "--force").exit_code == 0
        assert stat.S_IMODE((in_tmp / "shared.docx").stat().st_mode) == 0o664
    finally:
        os.umask(old)


@pytest.mark.parametrize(("lock", "program"), [
    ("~$avery.docx", "Word"), ("~$ery.docx", "Word"), (".~lock.avery.docx#", "LibreOffice"),
])
def test_a_document_open_in_an_editor_is_not_replaced(run: Any, in_tmp: Path, lock: str,
                                                      program: str) -> None:
    shutil.copy(EXAMPLE, in_tmp / "a.yaml")
    (in_tmp / "avery.docx").write_bytes(b"the copy open in the editor")
    (in_tmp / lock).write_bytes(b"")
    result = run("render", "a.yaml", "-o", "avery.docx", "--force")
    assert result.exit_code == 4, result
    assert f"cannot replace avery.docx: it is open in {program}; nothing was changed" in result.stderr
    assert f"delete the leftover lock file {lock}" in result.stderr
    assert (in_tmp / "avery.docx").read_bytes() == b"the copy open in the editor"


# --- inputs that are not files ---------------------------------------------------------------------


def test_a_named_pipe_as_answers_file_is_refused_at_once(run: Any, in_tmp: Path) -> None:
    os.mkfifo(in_tmp / "pipe.yaml")
    started = time.monotonic()
    result = run("check", "pipe.yaml")
    assert time.monotonic() - started < 5  # no writer ever comes: it must not wait
    assert result.exit_code == 3, result
    assert "pipe.yaml:0:0: (file): error: is a device, pipe or socket, not a YAML file" in result.stdout


# --- signals and worker processes --------------------------------------------------------------------

QSRKIT = Path(sys.executable).parent / "qsrkit"


def _team(folder: Path, count: int) -> list[str]:
    text = EXAMPLE.read_text(encoding="utf-8")
    names = []
    for n in range(count):
        (folder / f"r{n}.yaml").write_text(text.replace("Avery Quinn", f"Rep {n}"),
                                           encoding="utf-8")
        names.append(f"r{n}.yaml")
    return names


def _group(pgid: int) -> list[int]:
    """Live processes in the process group `pgid` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir() or not QSRKIT.exists(),
                    reason="needs Linux /proc and the installed qsrkit command")
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_during_a_batch_ends_every_worker(tmp_path: Path, signum: int, code: int) -> None:
    names = _team(tmp_path, 400)
    proc = subprocess.Popen([str(QSRKIT), "render", *names, "--out-dir", "out"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while len(_group(proc.pid)) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # wait for the workers: the parent, the forkserver and two workers
    assert proc.poll() is None, "the batch ended before the signal could be sent"
    os.kill(proc.pid, signum)
    # communicate() returns only once every process holding stdout has closed it.
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stderr
    assert f"stopped by {signal.Signals(signum).name}" in stderr
    assert "Traceback" not in stderr
    for _ in range(50):
        if not _group(proc.pid):
            break
        time.sleep(0.1)
    assert _group(proc.pid) == []
    out = tmp_path / "out"
    assert not [n for n in files_in(out) if n.startswith(".")]  # no temp file left


@pytest.mark.skipif(not QSRKIT.exists(), reason="needs the installed qsrkit command")
def test_workers_import_the_installed_package_whatever_the_current_folder_holds(
        tmp_path: Path) -> None:
    # Run from a folder that has its own `qsrkit/` (a clone of this repository, say).
    fake = tmp_path / "qsrkit"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ImportError('the wrong qsrkit was imported')\n",
                                      encoding="utf-8")
    names = _team(tmp_path, 8)
    result = subprocess.run([str(QSRKIT), "render", *names, "--out-dir", "out"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "out").glob("*.docx"))) == 8


def test_a_signal_while_saving_leaves_no_temp_file(run: Any, in_tmp: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from qsrkit.errors import Stopped

    shutil.copy(EXAMPLE, in_tmp / "a.yaml")

    def stopped(*_: Any) -> None:
        raise Stopped(signal.SIGTERM)

    monkeypatch.setattr(os, "link", stopped)
    result = run("render", "a.yaml", "-o", "a.docx")
    assert result.exit_code == 143, result
    assert "stopped by SIGTERM" in result.stderr
    assert files_in(in_tmp) == ["a.yaml"]


# --- standard output -------------------------------------------------------------------------------


def test_dash_writes_the_document_to_standard_output(run: Any, in_tmp: Path) -> None:
    shutil.copy(EXAMPLE, in_tmp / "a.yaml")
    result = run("render", "a.yaml", "-f", "md", "-o", "-")
    assert result.exit_code == 0, result
    assert result.stdout.startswith("# Quarterly Sales Review")
    assert "**Account executive:** Avery Quinn" in result.stdout
    assert files_in(in_tmp) == ["a.yaml"]  # no file called "-"


@pytest.mark.skipif(not QSRKIT.exists(), reason="needs the installed qsrkit command")
def test_dash_writes_a_docx_to_a_pipe(tmp_path: Path) -> None:
    import io

    import docx

    result = subprocess.run([str(QSRKIT), "render", str(EXAMPLE), "-o", "-"], cwd=tmp_path,
                            capture_output=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    document = docx.Document(io.BytesIO(result.stdout))
    assert any("Avery Quinn" in p.text for p in document.paragraphs)
    assert list(tmp_path.iterdir()) == []


def test_dash_refuses_a_binary_docx_on_a_terminal(in_tmp: Path) -> None:
    from qsrkit.document.batch import prepare
    from qsrkit.errors import UsageError

    with pytest.raises(UsageError, match=r"-o - would print a binary \.docx on the terminal"):
        prepare([EXAMPLE], output=Path("-"), stdout_is_terminal=True)
    assert prepare([EXAMPLE], output=Path("-"), fmt="md", stdout_is_terminal=True).to_stdout


def test_dash_names_the_pdf_format_it_refuses_on_a_terminal(
        in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qsrkit.document.batch import prepare
    from qsrkit.errors import UsageError

    monkeypatch.setattr("qsrkit.document.pdf.ready", lambda: None)  # LibreOffice or not
    with pytest.raises(UsageError, match=r"binary \.pdf on the terminal") as refused:
        prepare([EXAMPLE], output=Path("-"), fmt="pdf", stdout_is_terminal=True)
    assert ".docx" not in str(refused.value) and "> qsr.pdf" in str(refused.value.hint)


def test_a_rep_name_with_a_line_break_is_refused(run: Any, in_tmp: Path) -> None:
    result = run("new", "--rep", "Ada\nfoo: [", "--quarter", "2026-Q4")
    assert result.exit_code == 2, result
    assert "--rep 'Ada\\nfoo: [' has a line break or another control character" in result.stderr
    assert files_in(in_tmp) == []


def test_render_never_replaces_a_screenshot_it_embeds(run: Any, in_tmp: Path) -> None:
    import zlib

    # The smallest valid PNG: one white pixel.
    def chunk(kind: bytes, data: bytes) -> bytes:
        import struct
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", bytes.fromhex("00000001000000010802000000"))
           + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))
    (in_tmp / "board.png").write_bytes(png)
    (in_tmp / "a.yaml").write_text(
        "schema_version: 1\naccount_executive: Sam\nquarter: 2026-Q4\ncurrent_quarter:\n"
        "  dashboards:\n    - title: Board\n      link: https://crm.example.com/1\n"
        "      screenshot: board.png\n", encoding="utf-8")
    result = run("render", "a.yaml", "-o", "board.png", "--force")
    assert result.exit_code == 4, result
    assert "board.png is the screenshot of this run; nothing was changed" in result.stderr
    assert (in_tmp / "board.png").read_bytes() == png


def test_terminal_escapes_in_echoed_values_are_shown_not_sent(run: Any, in_tmp: Path) -> None:
    source = export(in_tmp, "Ann Lee")
    # An OSC sequence would retitle the terminal window; ESC [ 2J would clear the screen.
    result = run("new", "--crm", source, "--rep", "\x1b]0;pwned\x07Ann\x1b[2J", *AS_OF)
    assert result.exit_code == 2, result
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\x1b]0;pwned\\x07Ann\\x1b[2J" in result.stderr
