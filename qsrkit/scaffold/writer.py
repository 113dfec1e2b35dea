"""`qsrkit new`: write a blank (or partly prefilled) answers file whose comments teach every field."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from qsrkit import SCHEMA_VERSION
from qsrkit.answers.models import Answers
from qsrkit.answers.parse import shown
from qsrkit.answers.prefill import Prefill, from_previous
from qsrkit.answers.questions import Question
from qsrkit.config import CONFIG_NAME, OrgConfig
from qsrkit.errors import UsageError, WriteError
from qsrkit.fileio import check_writable, refuse_inputs, write_all
from qsrkit.filenames import default_file_name

SCHEMA_FILE = "qsrkit-answers.schema.json"
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass
class NewResult:
    path: Path
    schema_path: Path | None  # written beside the answers file, when it was not there yet
    prefilled: int


def yaml_scalar(value: Any) -> str:
    """A value written so that our loader reads back exactly the same thing."""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, bool):  # pragma: no cover - the models hold no booleans
        return json.dumps(str(value).lower())
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(str(value), ensure_ascii=False)


def render_scaffold(
    prefill: Prefill, *, rep: str | None, quarter: str, file_name: str, schema_ref: str,
    questions: Sequence[Question] = (),
) -> str:
    from jinja2 import Environment, StrictUndefined

    from qsrkit.templates_store import read_template

    values = {**prefill.values, "quarter": quarter}
    if rep:
        values["account_executive"] = rep

    def yv(value: Any) -> str:
        return "" if value is None else " " + yaml_scalar(value)

    def val(path: str, help_text: str = "") -> str:
        note = prefill.notes.get(path)
        comment = "; ".join(part for part in (note, help_text) if part)
        return yv(values.get(path)) + (f"  # {comment}" if comment else "")

    def note(path: str) -> str:
        return f"  # {prefill.notes[path]}" if path in prefill.notes else ""

    def rows(path: str, minimum: int) -> list[Any]:
        items: list[Any] = [_Row(i) if isinstance(i, dict) else i for i in values.get(path) or []]
        blank: Any = None if path.split(".")[-1] in _TEXT_LISTS else _Row({})
        return items + [blank] * max(0, minimum - len(items))

    def asked(section: str, indent: str) -> str:
        """The org's added questions of `section`, each with its label as a comment."""
        lines = []
        for q in (q for q in questions if q.section == section):
            hint = {"text": "", "list": f"; at most {q.limit}", "amount": "; an amount",
                    "percent": "; a percent, e.g. 25", "date": "; a date, YYYY-MM-DD"}[q.kind]
            extra = f"; {q.help}" if q.help else ""
            optional = "optional: " if q.optional else ""
            lines.append(f"{indent}# {optional}{q.label}{hint}{extra} (asked by your team)")
            lines.append(f"{indent}{q.key}:" + (f"\n{indent}  -" if q.kind == "list" else ""))
        return "".join("\n" + line for line in lines)

    env = Environment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    template = env.from_string(read_template("answers.yaml.j2"))
    return template.render(
        val=val, yv=yv, note=note, rows=rows, asked=asked, rep=rep, quarter=quarter,
        file_name=file_name, schema_ref=schema_ref, schema_version=SCHEMA_VERSION,
    )


_TEXT_LISTS = {"replicate", "improve", "accuracy", "updates", "forecasting"}


class _Row:
    """A list entry for the template; any field not prefilled is unanswered (None)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    def __getattr__(self, name: str) -> Any:
        return self._values.get(name)


@dataclass
class NewFile:
    """An answers file ready to write: where it goes, its text and how many answers it carries."""

    path: Path
    text: str
    prefilled: int


def prepare_new(
    path: Path | None,
    *,
    rep: str | None,
    quarter: str | None,
    previous: Path | None,
    config: OrgConfig,
    today: dt.date | None = None,
    prefill: Prefill | None = None,
    into_folder: bool = False,
) -> NewFile:
    """The new answers file's path and text, written nowhere yet.

    `path` may be a file or a folder (the default name goes inside it); `into_folder` says the
    user wrote a trailing slash, so `team/` means a folder even before it exists.
    """
    from qsrkit.answers.loading import load_answers
    from qsrkit.answers.values import parse_quarter

    prefill = prefill or Prefill()
    if previous is not None:
        last = load_answers(previous, model=config.answers_model).model
        carried = from_previous(last, previous.name)
        carried.values.update(prefill.values)
        carried.notes.update(prefill.notes)
        prefill = carried
        rep = rep or last.account_executive
        if quarter is None and last.quarter:
            quarter = config.calendar.next_quarter(last.quarter)
    if quarter is None:
        quarter = config.calendar.quarter_of(today or dt.date.today())
    else:
        try:
            quarter = parse_quarter(quarter)
        except ValueError as exc:
            raise UsageError(f"--quarter: {exc}") from None
    if rep is not None and not rep.strip():
        raise UsageError("--rep is empty; give the seller's name, e.g. --rep \"Jordan Lee\"")
    if rep is not None and _CONTROL.search(rep):
        # A line break in the name would end the comment that names the rep at the top of the
        # file and start a line of YAML of its own.
        raise UsageError(f"--rep '{shown(rep)}' has a line break or another control character; "
                         "give the seller's name as one line of text")

    name = default_file_name(rep, quarter)
    target = path if path is not None else Path(name)
    if into_folder and not target.is_dir():
        raise WriteError(
            f"cannot write into {target}{os.sep}: the folder does not exist",
            hint=f"create it first (mkdir {target}), or give a file name without the trailing /",
        )
    if target.is_dir():
        target = target / name
    text = render_scaffold(prefill, rep=rep, quarter=quarter, file_name=target.name,
                           schema_ref=SCHEMA_FILE, questions=config.questions)
    return NewFile(target, text, len(prefill.values))


def write_new(files: list[NewFile], *, force: bool, inputs: Sequence[tuple[Path, str]] = (),
              model: type[Answers] = Answers) -> list[NewResult]:
    """Write every file or none, plus the JSON schema (of `model`, the answers model with the
    org's added questions) beside them where it is missing."""
    config = Path(CONFIG_NAME)
    inputs = [*inputs, *([(config, "org config")] if config.is_file() else [])]
    for file in files:
        refuse_inputs(file.path, inputs)
    payload = [(file.path, file.text.encode("utf-8")) for file in files]
    schemas = sorted({file.path.parent / SCHEMA_FILE for file in files})
    missing = [s for s in schemas if not s.exists()]
    schema = schema_json(model).encode("utf-8") if missing else b""
    write_all(payload + [(s, schema) for s in missing], force=force)
    wrote = set(missing)
    return [NewResult(path=file.path,
                      schema_path=(file.path.parent / SCHEMA_FILE)
                      if file.path.parent / SCHEMA_FILE in wrote else None,
                      prefilled=file.prefilled)
            for file in files]


def new_answers(
    path: Path | None,
    *,
    rep: str | None,
    quarter: str | None,
    previous: Path | None,
    force: bool,
    config: OrgConfig,
    today: dt.date | None = None,
    prefill: Prefill | None = None,
    into_folder: bool = False,
    inputs: Sequence[tuple[Path, str]] = (),
) -> NewResult:
    """Write a new answers file; return where it went. Nothing is written if anything fails."""
    file = prepare_new(path, rep=rep, quarter=quarter, previous=previous, config=config,
                       today=today, prefill=prefill, into_folder=into_folder)
    check_writable(file.path, force=force)
    more = [(previous, "previous quarter's answers file")] if previous is not None else []
    return write_new([file], force=force, inputs=[*inputs, *more], model=config.answers_model)[0]


def schema_json(model: type[Answers] = Answers) -> str:
    """The answers file's JSON schema (with the org's added questions, given its model)."""
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
