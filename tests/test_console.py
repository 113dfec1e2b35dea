"""Messages written without rich (to a file or a pipe) are the bytes rich would have printed."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable

import pytest
from conftest import EXAMPLE
from rich.console import Console

from qsrkit import console
from qsrkit.errors import Problem, UsageError

MESSAGES = [
    "wrote jordan-lee-2026-Q4-qsr.docx",
    "[red]not a tag[/red] [bold]x[/] \\[escaped] ends with a backslash \\",
    ":smile: file:100:3: stays as typed",
    "李伟 Иван Петров José Núñez עברית مرحبا 🚀",
    "control \x1b[31m bell \x07 cr \r vt \x0b rlo \u202e end",
    "a long line " + "word " * 60,
    "two\nlines",
    "trailing spaces   ",
    "",
]


def rich_reference(markup: str) -> str:
    """What the old console printed: rich markup through a non-terminal Console."""
    buffer = io.StringIO()
    Console(file=buffer, highlight=False, soft_wrap=True, emoji=False).print(markup)
    return buffer.getvalue()


CASES: list[tuple[str, Callable[[str], None], Callable[[str], str], bool]] = [
    ("success", console.success, lambda m: f"[green]✓[/green] {console.escape(m)}", False),
    ("summary", console.summary, lambda m: console.escape(m), False),
    ("note", console.note, lambda m: console.escape(m), True),
    ("warning", console.warning, lambda m: f"[yellow]warning:[/yellow] {console.escape(m)}", True),
    ("error", lambda m: console.error(UsageError(m, hint=m)),
     lambda m: f"[red]error:[/red] {console.escape(m)}"
     + (f"\n[dim]hint:[/dim] {console.escape(m)}" if m else ""), True),
    ("problem", lambda m: console.problems([Problem("a.yaml", 3, 5, "quota", m)]),
     lambda m: f"[red]{console.escape(Problem('a.yaml', 3, 5, 'quota', m).format())}[/red]", True),
]


@pytest.mark.parametrize("message", MESSAGES)
@pytest.mark.parametrize(("name", "say", "markup", "stderr"), CASES, ids=[c[0] for c in CASES])
def test_plain_output_is_what_rich_printed(
    name: str, say: Callable[[str], None], markup: Callable[[str], str], stderr: bool,
    message: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    for variable in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(variable, raising=False)
    say(message)
    plain = capsys.readouterr()
    assert (plain.out if stderr else plain.err) == ""
    # The terminal's way, through rich (to a non-terminal, so without colours).
    monkeypatch.setattr(console, "_colourless", lambda stream: False)
    monkeypatch.setattr(console, "_console", lambda stderr: Console(
        file=sys.stderr if stderr else sys.stdout, highlight=False, soft_wrap=True, emoji=False))
    say(message)
    through_rich = capsys.readouterr()
    assert (plain.err if stderr else plain.out) == (through_rich.err if stderr else through_rich.out)
    if not message.endswith("\\"):
        # The old way, rich markup, agrees too; it printed a trailing backslash twice.
        assert (plain.err if stderr else plain.out) == rich_reference(markup(message))


def test_a_tab_goes_through_rich_which_lines_it_up(capsys: pytest.CaptureFixture[str]) -> None:
    console.note("李\tx")
    # rich counts the CJK letter as two cells: the tab fills to column 8 with six spaces.
    assert capsys.readouterr().err == "李      x\n"


def test_check_and_render_to_a_pipe_do_not_import_rich(tmp_path: object) -> None:
    driver = ("import atexit, sys\n"
              "atexit.register(lambda: sys.__stderr__.write('RICH=%s\\n' % ('rich' in sys.modules)))\n"
              "sys.argv = ['qsrkit', *sys.argv[1:]]\n"
              "from qsrkit.cli import main\nmain()\n")
    for args in (["check", str(EXAMPLE)],
                 ["render", str(EXAMPLE), "-f", "md", "-o", f"{tmp_path}/qsr.md"]):
        # cwd: `python -c` puts it first on sys.path, so the checkout would shadow the install
        proc = subprocess.run([sys.executable, "-c", driver, *args], capture_output=True,
                              text=True, check=False, cwd=str(tmp_path))
        assert proc.returncode == 0, proc.stderr
        assert "RICH=False" in proc.stderr
        assert proc.stdout.startswith("✓ ")
