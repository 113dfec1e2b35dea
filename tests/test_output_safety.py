"""Writing never loses a file: what a seller sees when the output cannot be written.

Failures that need a real broken disk or Windows (disk full, a read-only folder when the tests
run as root, a document open in Word, a crash half-way through a save) are produced by making
the operating-system call fail at the moment qsrkit makes it.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE

DOCX = "avery-quinn-2026-Q4-qsr.docx"
OLD = b"last quarter's document, which must survive"


@pytest.fixture
def seller(in_tmp: Path) -> Path:
    """A folder with the answers file and last run's document in it."""
    shutil.copyfile(EXAMPLE, in_tmp / "answers.yaml")
    (in_tmp / DOCX).write_bytes(OLD)
    return in_tmp


def _left_alone(folder: Path) -> None:
    assert (folder / DOCX).read_bytes() == OLD
    assert sorted(p.name for p in folder.iterdir()) == sorted([DOCX, "answers.yaml"]), (
        "a temporary or partial file was left behind"
    )


def _fail(exc: BaseException):  # type: ignore[no-untyped-def]
    def raiser(*args: object, **kwargs: object) -> None:
        raise exc
    return raiser


def test_existing_document_is_kept_without_force(run, seller: Path) -> None:
    result = run("render", "answers.yaml")
    assert result.exit_code == 4
    assert f"{DOCX} already exists; nothing was changed" in result.stderr
    assert "hint: pass --force to replace it" in result.stderr
    _left_alone(seller)


@pytest.mark.parametrize("command", [("new",), ("schema", "-o"), ("templates", "export")])
def test_other_commands_keep_existing_files(run, in_tmp: Path, command: tuple[str, ...]) -> None:
    target = in_tmp / ("qsr.md.j2" if command[0] == "templates" else "mine.yaml")
    target.write_text("mine", encoding="utf-8")
    where = in_tmp if command[0] == "templates" else target
    result = run(*command, where, *(("--rep", "Avery Quinn") if command[0] == "new" else ()))
    assert result.exit_code == 4, result
    assert "already exists; nothing was changed" in result.stderr
    assert target.read_text(encoding="utf-8") == "mine"


def test_output_is_a_folder(run, seller: Path) -> None:
    (seller / "reviews").mkdir()
    result = run("render", "answers.yaml", "-o", "reviews")
    assert result.exit_code == 2
    assert "'reviews' is a directory" in result.stderr


def test_parent_folder_missing(run, seller: Path) -> None:
    result = run("render", "answers.yaml", "-o", "nowhere/out.docx")
    assert result.exit_code == 4
    assert "cannot write nowhere/out.docx: the folder nowhere does not exist" in result.stderr
    assert "hint: create the folder first" in result.stderr
    assert not (seller / "nowhere").exists()


def test_read_only_folder(run, seller: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # As root, chmod does not stop a write, so the refusal is produced where the OS gives it.
    monkeypatch.setattr("tempfile.mkstemp", _fail(PermissionError(errno.EACCES, "Permission denied")))
    result = run("render", "answers.yaml", "--force")
    assert result.exit_code == 4
    assert f"cannot write {DOCX}: permission denied; nothing was changed" in result.stderr
    assert "hint: choose a folder you can write to" in result.stderr
    _left_alone(seller)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder_for_real(run, seller: Path) -> None:
    seller.chmod(0o555)
    try:
        result = run("render", "answers.yaml", "--force")
    finally:
        seller.chmod(0o755)
    assert result.exit_code == 4
    assert "permission denied; nothing was changed" in result.stderr
    _left_alone(seller)


def test_disk_full(run, seller: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The data is written, then the disk fills while it is flushed: the half-written copy goes.
    monkeypatch.setattr(os, "fsync", _fail(OSError(errno.ENOSPC, "No space left on device")))
    result = run("render", "answers.yaml", "--force")
    assert result.exit_code == 4
    assert f"cannot write {DOCX}: the disk is full; nothing was changed" in result.stderr
    assert "hint: free some space and run again" in result.stderr
    _left_alone(seller)


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="no /dev/full here")
def test_disk_full_for_real(tmp_path: Path) -> None:
    # /dev/full is only ever opened for writing here; qsrkit's own writer refuses to replace a
    # device, so this exercises the same error path through the real kernel error.
    from qsrkit.errors import WriteError
    from qsrkit.fileio import _explain

    with pytest.raises(OSError) as caught, open("/dev/full", "wb") as full:
        full.write(b"x" * 65536)
        full.flush()
    explained = _explain(caught.value, tmp_path / DOCX)
    assert isinstance(explained, WriteError)
    assert "the disk is full" in explained.message


@pytest.mark.parametrize("lock_name", ["~$ery-quinn-2026-Q4-qsr.docx", f"~${DOCX}"])
def test_document_open_in_word(run, seller: Path, monkeypatch: pytest.MonkeyPatch,
                               lock_name: str) -> None:
    # Word on Windows holds the file open and leaves an owner file (~$...) beside it; replacing
    # the document then fails with a permission error.
    (seller / lock_name).write_bytes(b"owner")
    monkeypatch.setattr(os, "replace", _fail(PermissionError(errno.EACCES, "Permission denied")))
    result = run("render", "answers.yaml", "--force")
    assert result.exit_code == 4
    assert f"cannot replace {DOCX}: it is open in Word" in result.stderr
    assert "hint: close it in Word and run again" in result.stderr
    (seller / lock_name).unlink()
    _left_alone(seller)


def test_permission_error_without_word_lock_is_not_blamed_on_word(
        run, seller: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "replace", _fail(PermissionError(errno.EACCES, "Permission denied")))
    result = run("render", "answers.yaml", "--force")
    assert result.exit_code == 4
    assert "open in Word" not in result.stderr
    assert "permission denied; nothing was changed" in result.stderr
    _left_alone(seller)


def test_ctrl_c_while_saving(run, seller: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "replace", _fail(KeyboardInterrupt()))
    result = run("render", "answers.yaml", "--force")
    assert result.exit_code == 130
    assert "interrupted" in result.stderr
    _left_alone(seller)


def test_unexpected_failure_while_saving(run, seller: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "fsync", _fail(RuntimeError("the storage driver fell over")))
    result = run("render", "answers.yaml", "--force")
    assert result.exit_code == 1
    assert "internal error: RuntimeError: the storage driver fell over" in result.stderr
    assert "Traceback" not in result.output
    _left_alone(seller)


_KILL_WHILE_SAVING = """
import os, signal, sys
real_fsync = os.fsync
def fsync(fd):
    # The new document is fully written to the temporary file; the power goes before the rename.
    os.kill(os.getpid(), signal.SIGKILL)
os.fsync = fsync
from qsrkit.cli import main
sys.argv = ["qsrkit", "render", "answers.yaml", "--force"]
main()
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_killed_while_saving_keeps_the_old_document(seller: Path) -> None:
    process = subprocess.run([sys.executable, "-c", _KILL_WHILE_SAVING], cwd=seller,
                             capture_output=True, check=False)
    assert process.returncode == -signal.SIGKILL
    assert (seller / DOCX).read_bytes() == OLD
    # A killed process cannot tidy up; what it leaves is a hidden temporary file, never a
    # half-written document under the real name.
    leftovers = [p.name for p in seller.iterdir() if p.name not in (DOCX, "answers.yaml")]
    assert all(name.startswith(f".{DOCX}.") and name.endswith(".tmp") for name in leftovers)


def test_force_replaces_and_leaves_no_temporary_file(run, seller: Path) -> None:
    result = run("render", "answers.yaml", "--force")
    assert result.exit_code == 0
    assert (seller / DOCX).read_bytes().startswith(b"PK")
    assert sorted(p.name for p in seller.iterdir()) == sorted([DOCX, "answers.yaml"])
