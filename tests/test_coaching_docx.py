"""`qsrkit diagnose -o notes.docx` writes Word without python-docx, reproducibly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from test_diagnose import AS_OF, flag_team, write

DRIVER = """
import atexit, json, sys
atexit.register(lambda: sys.__stderr__.write("MODULES=" + json.dumps(sorted(sys.modules)) + "\\n"))
sys.argv = ["qsrkit", *json.loads(sys.argv[1])]
from qsrkit.cli import main
main()
"""


def diagnose(folder: Path, *args: str) -> set[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    proc = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(list(args))], cwd=folder,
                          env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stderr.splitlines() if x.startswith("MODULES="))
    return {m.split(".")[0] for m in json.loads(line[len("MODULES="):])}


def test_coaching_notes_in_word_without_python_docx(tmp_path: Path) -> None:
    write(tmp_path, "qsrkit.yaml", "thresholds:\n  min_decided: 5\n")
    export = write(tmp_path, "export.csv", flag_team())
    modules = diagnose(tmp_path, "diagnose", str(export), *AS_OF, "-o", "one.docx")
    assert not modules.intersection({"docx", "lxml"}), sorted(modules.intersection({"docx", "lxml"}))
    diagnose(tmp_path, "diagnose", str(export), *AS_OF, "-o", "two.docx")
    one, two = (tmp_path / "one.docx").read_bytes(), (tmp_path / "two.docx").read_bytes()
    assert one[:2] == b"PK"
    assert one == two  # SOURCE_DATE_EPOCH: byte for byte the same document
    # Two of the three reps' headings start a page (the first rep's is already on page one).
    assert _document_xml(tmp_path / "one.docx").count(
        "<w:pageBreakBefore/>") == 2


def _document_xml(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode("utf-8")
