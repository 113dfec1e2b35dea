"""`qsrkit refresh FILE --crm EXPORT`: the CRM numbers of an answers file updated in place.

The numbers are those `qsrkit new --crm` writes (`crm.prefill.prefill_from` for the file's rep
and quarter): this quarter's closed won, open pipeline, weeks to work and as-of date always;
last quarter's actuals (and the quotas) only where the file leaves them blank.

Each value is replaced in its own span of the text, found by composing the YAML with PyYAML's
BaseLoader (which keeps every scalar's start and end), so every byte outside the changed values
(comments, quoting, blank lines, key order, line endings, a BOM) stays as it was by
construction. A key the file lacks (`as_of`, say) gets a line of its own after the last key of
its mapping, indented like it. A value is only changed when its meaning changes: `318,500`
stays `318,500` when the export says 318500. The edited text is loaded again and must be valid.
Nothing here prints; `write` replaces the file atomically, keeping its mode.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from qsrkit.answers.yamlsource import MAX_FILE_BYTES, decode, parse
from qsrkit.crm.prefill import CrmRequest
from qsrkit.errors import InvalidInput, Problem, UsageError, unreadable

# Always refreshed: where the quarter stands now.
NOW = ("current_quarter.calculator.closed_won", "current_quarter.calculator.open_pipeline",
       "current_quarter.calculator.weeks_to_work", "current_quarter.calculator.as_of")
# Filled only where blank: last quarter's actuals and the quotas (never the plan the rep chose).
IF_BLANK = ("previous_quarter.metrics.", "current_quarter.outlook.quota")
# An export whose newest deal was created this long before the as-of date is from another time.
STALE_DAYS = 45
_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Change:
    field: str  # dotted path
    line: int
    old: str  # as written; "" when blank or missing
    new: str  # as it will be written
    note: str


@dataclass
class Refreshed:
    file: Path
    rep: str
    quarter: str
    as_of: dt.date
    export: str
    changes: list[Change]
    data: bytes  # the whole new file
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class _Edit:
    start: int
    end: int
    text: str
    change: Change


def refresh(path: Path, request: CrmRequest, config: Any,
            today: dt.date | None = None) -> Refreshed:
    """The refreshed file (not written yet) and the changes in it, old → new."""
    from qsrkit.answers.loading import validate_document
    from qsrkit.crm.prefill import metrics_for, prefill_for, resolve_dates

    name = str(path)
    opened = open_for_edit(path, config, "refresh changes only")
    prefix, encoding, text = opened.prefix, opened.encoding, opened.text
    model, document = opened.model, opened.document
    for key in ("account_executive", "quarter"):
        if not getattr(model, key):
            line, col = document.position((key,))
            raise InvalidInput.at(name, f"refresh needs {key} to look up the file's numbers in "
                                  "the export; fill it in and run again", line=line,
                                  column=col, field=key)
    quarter, as_of = resolve_dates(config, model.quarter, request.as_of, today)
    first, last = config.calendar.quarter_bounds(quarter)
    if as_of > last:
        raise UsageError(f"--as-of {as_of.isoformat()} is after the end of {quarter} (the "
                         f"quarter of {name}, which ended {last.isoformat()}); a quarter that "
                         "is over is not refreshed")
    request.quarter, request.as_of = quarter, as_of.isoformat()
    check_export_date(request, first, as_of)
    found = metrics_for(request, config, today=today)
    try:
        metrics = found.find(model.account_executive)
    except UsageError as exc:
        line, col = document.position(("account_executive",))
        raise InvalidInput.at(name, f"{exc.message}; {exc.hint}", line=line, column=col,
                              field="account_executive") from None
    prefill = prefill_for(metrics, request)
    wanted: list[tuple[str, Any, str]] = []
    for dotted_path, value in prefill.values.items():
        if dotted_path in NOW or (dotted_path.startswith(IF_BLANK)
                                  and _value(model, dotted_path) is None):
            wanted.append((dotted_path, value, prefill.notes.get(dotted_path, "")))
    edits = _edits(text, name, wanted)
    edited = _apply(text, edits)
    again = validate_document(parse(edited, name), config.answers_model).model
    edits = [e for e in edits if _value(again, e.change.field) != _value(model, e.change.field)]
    edited = _apply(text, edits)
    validate_document(parse(edited, name), config.answers_model)
    return Refreshed(path, metrics.rep, quarter, as_of, request.export.name,
                     [e.change for e in edits], prefix + edited.encode(encoding),
                     list(request.warnings), list(request.notes))


def write(refreshed: Refreshed) -> None:
    """Replace the file atomically (it is the rep's own, so on purpose); it keeps its mode."""
    from qsrkit.fileio import replace_in_place

    replace_in_place(refreshed.file, refreshed.data)


@dataclass
class Opened:
    """An answers file read for an edit in place: its bytes as they are, and what they mean."""

    raw: bytes
    prefix: bytes  # the byte-order mark to write back
    encoding: str
    text: str
    model: Any  # the org's answers model
    document: Any  # the located YAML (positions of every value)


def open_for_edit(path: Path, config: Any, verb: str) -> Opened:
    """`path` read for `refresh` or `check-in`, which edit only a file `qsrkit check` passes
    (`verb`, "refresh changes only", begins the message when it does not)."""
    from qsrkit.answers.checking import check_file
    from qsrkit.answers.loading import validate_document

    name = str(path)
    report = check_file(path, quarter_start=lambda q: config.calendar.quarter_bounds(q)[0],
                        answers_class=config.answers_model)
    if report.errors:
        raise InvalidInput([*report.errors, Problem(
            name, 0, 0, "", f"{verb} a file that `qsrkit check` passes; fix the "
            "error(s) above and run again")])
    raw = read_raw(path)
    prefix, encoding = file_encoding(raw)
    text = decode(raw, name)
    loaded = validate_document(parse(text, name), config.answers_model)
    return Opened(raw, prefix, encoding, text, loaded.model, loaded.document)


def read_raw(path: Path) -> bytes:
    from qsrkit.fileio import open_input

    with open_input(path, "YAML file") as handle:
        try:
            raw = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:  # pragma: no cover - a regular file just opened
            raise unreadable(str(path), exc, "YAML file") from None
    return raw  # larger files were refused by `check_file` already


def file_encoding(raw: bytes) -> tuple[bytes, str]:
    """The byte-order mark to write back and the codec for the rest, as the file had them."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            return bom, codec
    return b"", "utf-8"


def check_export_date(request: CrmRequest, first: dt.date, as_of: dt.date) -> None:
    """An export from another time than the as-of date gives numbers of another quarter."""
    from qsrkit.crm.columns import load_layout
    from qsrkit.crm.deals import read_deals

    layout = load_layout(request.columns) if request.columns else None
    start = min(first, as_of - dt.timedelta(days=STALE_DAYS))
    deals = read_deals(request.export, start.toordinal(), layout)
    name = deals.file
    newest = max((d.created for d in deals.deals), default=0)
    if newest > as_of.toordinal():
        day = dt.date.fromordinal(newest).isoformat()
        raise InvalidInput.at(name, f"has opportunities created after the as-of date "
                              f"{as_of.isoformat()} (the newest on {day}): the export is from a "
                              f"later date; pass --as-of {day} or the export of that day")
    if newest < (as_of - dt.timedelta(days=STALE_DAYS)).toordinal():
        day = dt.date.fromordinal(newest).isoformat() if newest else "none since then"
        raise InvalidInput.at(name, f"no opportunity was created in the {STALE_DAYS} days "
                              f"before the as-of date {as_of.isoformat()} (the newest: {day}): "
                              "it looks like an export from an earlier quarter; export the "
                              "report again, or pass --as-of the date it was exported")


def _value(model: Any, dotted_path: str) -> Any:
    for part in dotted_path.split("."):
        model = getattr(model, part, None)
        if model is None:
            return None
    return model


def _edits(text: str, name: str, wanted: list[tuple[str, Any, str]]) -> list[_Edit]:
    from qsrkit.scaffold.writer import yaml_scalar

    root = yaml.compose(text, Loader=yaml.BaseLoader)
    ending = _LINE_END.search(text)
    newline = ending.group() if ending else "\n"
    edits: list[_Edit] = []
    for dotted_path, value, note in wanted:
        keys = dotted_path.split(".")
        new = yaml_scalar(value)
        parent = _mapping(root, keys[:-1])
        if parent is None:
            if dotted_path in NOW:
                at = _nearest(root, keys)
                raise InvalidInput.at(name, f"the file has no {'.'.join(keys[:-1])} section to "
                                      f"write {keys[-1]} into; add it (as `qsrkit new` writes "
                                      "it) and run again", line=at[0], column=at[1],
                                      field=dotted_path)
            continue  # last quarter's section left out on purpose: nothing to fill
        found = next((v for k, v in parent.value if k.value == keys[-1]), None)
        if found is None:
            edits.append(_insert(text, name, parent, keys, new, note, newline))
            continue
        line = found.start_mark.line + 1
        if not isinstance(found, yaml.ScalarNode) or found.style in ("|", ">"):
            raise InvalidInput.at(name, "is not a single value; write a number here (or leave "
                                  "it blank) and run again", line=line,
                                  column=found.start_mark.column + 1, field=dotted_path)
        start, end = found.start_mark.index, found.end_mark.index
        old = text[start:end]
        blank = start == end
        replacement = (" " + new) if blank and text[start - 1:start] == ":" else new
        shown_old = "" if found.style is None and old.strip() in ("", "~", "null", "Null",
                                                                 "NULL") else old
        edits.append(_Edit(start, end, replacement, Change(dotted_path, line, shown_old, new,
                                                           note)))
    return edits


def _insert(text: str, name: str, parent: yaml.MappingNode, keys: list[str], new: str,
            note: str, newline: str) -> _Edit:
    last_key, last_value = parent.value[-1] if parent.value else (None, None)
    if (parent.flow_style or last_key is None or not isinstance(last_value, yaml.ScalarNode)
            or last_value.style in ("|", ">")):
        line, col = parent.start_mark.line + 1, parent.start_mark.column + 1
        raise InvalidInput.at(name, f"add the line `{keys[-1]}:` to this section (refresh adds "
                              "a key only after a one-line value) and run again", line=line,
                              column=col, field=".".join(keys))
    ending = _LINE_END.search(text, last_value.end_mark.index)
    start = ending.end() if ending else len(text)
    lead = "" if ending else newline
    indent = " " * last_key.start_mark.column
    line = last_value.end_mark.line + 2
    return _Edit(start, start, f"{lead}{indent}{keys[-1]}: {new}{newline}",
                 Change(".".join(keys), line, "", new, note))


def _mapping(root: yaml.Node | None, keys: list[str]) -> yaml.MappingNode | None:
    node = root
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return None
        node = next((v for k, v in node.value if k.value == key), None)
    return node if isinstance(node, yaml.MappingNode) else None


def _nearest(root: yaml.Node | None, keys: list[str]) -> tuple[int, int]:
    node, at = root, (1, 1)
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            break
        pair = next(((k, v) for k, v in node.value if k.value == key), None)
        if pair is None:
            break
        at, node = (pair[0].start_mark.line + 1, pair[0].start_mark.column + 1), pair[1]
    return at


def _apply(text: str, edits: list[_Edit]) -> str:
    out, done = [], 0
    for edit in sorted(edits, key=lambda e: e.start):  # stable: insertions keep their order
        out += [text[done:edit.start], edit.text]
        done = edit.end
    return "".join([*out, text[done:]])

