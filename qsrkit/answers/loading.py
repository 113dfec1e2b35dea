"""Load an answers file: YAML text → Answers model, with every problem located by file and line."""

from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from qsrkit import SCHEMA_VERSION
from qsrkit.answers.models import Answers, Section
from qsrkit.answers.parse import shown
from qsrkit.answers.timing import late_preparation
from qsrkit.answers.yamlsource import YamlDocument, dotted, load, parse
from qsrkit.errors import InvalidInput, Problem

ModelT = typing.TypeVar("ModelT", bound=BaseModel)


@dataclass
class Loaded(typing.Generic[ModelT]):
    """A validated model together with the warnings found while loading it."""

    model: ModelT
    document: YamlDocument
    warnings: list[Problem] = field(default_factory=list)


def load_answers(path: Path, *, with_warnings: bool = False,
                 model: type[Answers] = Answers) -> Loaded[Answers]:
    """Load and validate an answers file; raise InvalidInput with all problems if it has errors.

    `with_warnings`: the InvalidInput also carries the warnings (answers not given yet) of the
    rest of the file, as `qsrkit check` promises every problem at once. `model`: the answers
    model with the org's added questions (`OrgConfig.answers_model`).
    """
    document = load(path)
    try:
        loaded = validate_document(document, model)
    except InvalidInput as exc:
        if with_warnings:
            exc.problems = sorted([*exc.problems, *_warnings_beside(document, exc.problems, model)],
                                  key=lambda p: (p.line, p.column, p.severity != "error"))
        raise
    loaded.warnings.extend(unanswered(loaded.model, loaded.document))
    late = late_preparation(loaded.model.preparation_date, loaded.model.send_by,
                            loaded.model.review_date)
    if late is not None:
        line, column = loaded.document.position(("preparation_date",))
        loaded.warnings.append(Problem(loaded.document.file, line, column, "preparation_date",
                                       late, severity="warning"))
    if "schema_version" not in (loaded.document.data or {}):
        loaded.warnings.insert(
            0,
            Problem(
                loaded.document.file, 1, 1, "schema_version",
                f"missing; assuming format {SCHEMA_VERSION}. Add `schema_version: "
                f"{SCHEMA_VERSION}` at the top so later qsrkit versions read the file right",
                severity="warning",
            ),
        )
    return loaded


def load_answers_text(text: str, file: str = "<answers>") -> Loaded[Answers]:
    loaded = validate_document(parse(text, file), Answers)
    loaded.warnings.extend(unanswered(loaded.model, loaded.document))
    return loaded


def validate_document(doc: YamlDocument, model: type[ModelT]) -> Loaded[ModelT]:
    """Validate parsed YAML against `model`, turning pydantic's errors into located problems."""
    data = doc.data
    if data is None:
        data = {}
        doc.warnings.append(
            Problem(doc.file, 1, 1, "", "the file is empty; run `qsrkit new` for a filled-in scaffold",
                    severity="warning")
        )
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise InvalidInput(
            [Problem(doc.file, 1, 1, "", f"the file holds {kind}; it must hold `key: value` "
                     "lines like the scaffold from `qsrkit new`")]
        )
    try:
        instance = model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(
            sorted(
                {_problem(error, doc, model) for error in exc.errors(include_url=False)},
                key=lambda p: (p.line, p.column, p.field),
            )
        ) from None
    return Loaded(model=instance, document=doc, warnings=list(doc.warnings))


def _warnings_beside(doc: YamlDocument, errors: list[Problem],
                     model_class: type[Answers] = Answers) -> list[Problem]:
    """The unanswered-field warnings of a file with errors: every value in error is set aside
    (blanked, or dropped if its key is unknown) and the rest validated again; warnings inside
    an error's field are left out."""
    import copy

    if not isinstance(doc.data, dict):
        return list(doc.warnings)
    data = copy.deepcopy(doc.data)
    for _ in range(3):  # a blanked section can reveal one more level; three is plenty
        try:
            model = model_class.model_validate(data)
            break
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                _set_aside(data, tuple(error["loc"]), drop=error["type"] == "extra_forbidden")
    else:
        return list(doc.warnings)
    bad = [p.field for p in errors if p.field]
    kept = [w for w in unanswered(model, doc)
            if not any(w.field == f or w.field.startswith((f + ".", f + "[")) for f in bad)]
    return [*doc.warnings, *kept]


def _set_aside(data: dict[str, Any], loc: tuple[Any, ...], *, drop: bool) -> None:
    node: Any = data
    for part in loc[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return
    if not loc:
        return
    last = loc[-1]
    if isinstance(node, dict) and last in node:
        if drop:
            del node[last]
        else:
            node[last] = None
    elif isinstance(node, list) and isinstance(last, int) and last < len(node):
        node[last] = None


def _problem(error: Any, doc: YamlDocument, root: type[BaseModel]) -> Problem:
    loc = tuple(error["loc"])
    line, column = doc.position(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        message = _unknown_key_message(str(loc[-1]), _model_at(root, loc[:-1]))
    elif kind == "value_error":
        message = str(error.get("ctx", {}).get("error", error["msg"]))
        if message.startswith("must be text"):
            message = _not_text(error.get("input"))
    elif kind in ("model_type", "dict_type"):
        message = "must be a section of `key: value` lines, not a single value or a list"
    elif kind == "list_type":
        message = "must be a list: put each entry on its own line starting with `- `"
    elif kind in ("string_type",):
        message = _not_text(error.get("input"))
    else:
        message = str(error["msg"])
    return Problem(doc.file, line, column, dotted(loc), message)


def _not_text(value: Any) -> str:
    """Why a value meant as text is not text; most often a `: ` inside it that YAML reads as a key."""
    if isinstance(value, dict) and len(value) == 1:
        key, rest = next(iter(value.items()))
        if isinstance(rest, str) and isinstance(key, str):
            typed = f"{key}: {rest}"
            return (f"must be text, but '{shown(typed)}' reads as a key and a value because of "
                    f"the ': ' in it; a value containing ': ' must be quoted, e.g. "
                    f"- \"{shown(typed)}\"")
    return "must be text, not a list or a section"


def _unknown_key_message(key: str, model: type[BaseModel] | None) -> str:
    if model is None:
        return f"unknown key '{shown(key)}'"
    known = list(model.model_fields)
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if not close:
        close = [name for name in known if key.lower().replace("-", "_") == name]
    hint = f"; did you mean '{close[0]}'?" if close else f"; the keys here are: {', '.join(known)}"
    return f"unknown key '{shown(key)}'{hint}"


def _model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that validates the value at `loc`, following fields and list items."""
    current: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """Unwrap Optional, Annotated and list[...] down to a model class if there is one."""
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        if typing.get_origin(arg) in (list, typing.Union) or typing.get_args(arg):
            inner = _inner_model_args(arg)
            if inner is not None:
                return inner
    return None


def _inner_model_args(annotation: Any) -> Any:
    for arg in typing.get_args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        nested = _inner_model_args(arg)
        if nested is not None:
            return nested
    return None


def unanswered(model: BaseModel, doc: YamlDocument) -> list[Problem]:
    """A warning for every answer still empty, in file order."""
    found: list[Problem] = []
    _walk_unanswered(model, (), doc, found)
    return sorted(found, key=lambda p: (p.line, p.column))


def _walk_unanswered(
    model: BaseModel, path: tuple[str | int, ...], doc: YamlDocument, found: list[Problem]
) -> None:
    optional = model.optional_answers if isinstance(model, Section) else frozenset()
    for name in type(model).model_fields:
        value = getattr(model, name)
        here = (*path, name)
        if name in optional:
            # An optional list entry left wholly blank is not "unanswered"; a half-filled one is.
            if isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, BaseModel) and item.model_dump(exclude_defaults=True):
                        _walk_unanswered(item, (*here, index), doc, found)
            continue
        if value is None:
            found.append(_blank(doc, here, "not answered yet"))
        elif isinstance(value, BaseModel) and isinstance(value, Section):
            _walk_unanswered(value, here, doc, found)
        elif isinstance(value, list):
            if not value:
                found.append(_blank(doc, here, "no entries yet; add at least one"))
            for index, item in enumerate(value):
                if item is None:
                    found.append(_blank(doc, (*here, index), "not answered yet"))
                elif isinstance(item, Section):
                    _walk_unanswered(item, (*here, index), doc, found)


def _blank(doc: YamlDocument, path: tuple[str | int, ...], message: str) -> Problem:
    line, column = doc.position(path)
    return Problem(doc.file, line, column, dotted(path), message, severity="warning")
