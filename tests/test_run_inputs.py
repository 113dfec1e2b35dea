"""A batch's input index refuses exactly the outputs `fileio.refuse_inputs` refuses, same words."""

from __future__ import annotations

from pathlib import Path

import pytest

from qsrkit.document.run_inputs import RunInputs
from qsrkit.errors import WriteError
from qsrkit.fileio import refuse_inputs


def verdict(check: object, target: Path) -> str:
    try:
        check(target)  # type: ignore[operator]
    except WriteError as exc:
        return exc.message
    return "allowed"


def test_the_index_agrees_with_the_one_by_one_check(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "team").mkdir()
    (tmp_path / "templates").mkdir()
    answers = [tmp_path / "team" / f"rep{n}.yaml" for n in range(5)]
    for path in answers:
        path.write_text("rep: x\n", encoding="utf-8")
    (tmp_path / "hard.yaml").hardlink_to(answers[1])
    (tmp_path / "soft.yaml").symlink_to(answers[2])
    inputs = [(tmp_path / "templates", "templates folder"), (tmp_path / "gone.docx", "reference"),
              *((p, "answers file") for p in answers), (answers[3], "previous answers file")]
    targets = [
        answers[0], tmp_path / "team" / ".." / "team" / "rep4.yaml", tmp_path / "hard.yaml",
        tmp_path / "soft.yaml", tmp_path / "templates" / "qsr.docx", tmp_path / "gone.docx",
        Path("team/rep3.yaml"), tmp_path / "out.docx", tmp_path / "team" / "rep9.docx",
        tmp_path / "templates",
    ]
    index = RunInputs(inputs)
    verdicts = [verdict(index.refuse, t) for t in targets]
    assert verdicts == [verdict(lambda t: refuse_inputs(t, inputs), t) for t in targets]
    # The cases above cover refusals of each kind and outputs that are allowed.
    assert verdicts.count("allowed") == 2
    assert any("inside" in v and "templates folder" in v for v in verdicts)
    assert any("is the answers file" in v for v in verdicts)
    assert any("is the reference" in v for v in verdicts)


def test_a_screenshot_of_one_document_is_refused_too(tmp_path: Path) -> None:
    shot = tmp_path / "pipeline.png"
    shot.write_bytes(b"\x89PNG")
    with pytest.raises(WriteError, match="is the screenshot"):
        RunInputs([]).refuse(shot, [(shot, "screenshot")])
