"""The YAML fast path (libyaml's C parser feeding our Python composer) reads exactly what the
pure-Python loader reads: the same values, the same line and column for every key and value, the
same warnings, and on any problem the same located message, because the pure-Python loader then
reads the file again and words it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLE, EXAMPLES, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qsrkit.answers import yamlfast, yamlsource
from qsrkit.errors import InvalidInput

CORPUS = ROOT / "tests" / "corpus"
FILES = sorted([*CORPUS.glob("*/*.yaml"), *EXAMPLES.rglob("*.yaml")])
LIBYAML = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")


def _text(path: Path) -> str | None:
    try:
        return yamlsource.decode(path.read_bytes(), path.name)
    except InvalidInput:
        return None  # latin-1.yaml: refused before any YAML is read


def _tree(loader: type[Any], text: str) -> list[tuple[Any, ...]] | str:
    """Every node in document order: kind, value, quoted or not, and where it starts (the only
    mark parse() reads; libyaml places where an empty value ends elsewhere, unused)."""
    instance = loader(text)
    try:
        root = instance.get_single_node()
    except yaml.YAMLError as exc:
        return f"error: {type(exc).__name__}"
    finally:
        instance.dispose()
    out: list[tuple[Any, ...]] = []

    def walk(node: yaml.Node) -> None:
        where = (node.start_mark.line, node.start_mark.column)
        if isinstance(node, yaml.ScalarNode):
            out.append(("scalar", node.value, node.style or None, *where))
        elif isinstance(node, yaml.SequenceNode):
            out.append(("sequence", *where))
            for child in node.value:
                walk(child)
        else:
            out.append(("mapping", *where))
            for key, value in node.value:
                walk(key)
                walk(value)

    if root is not None:
        walk(root)
    return out


def _outcome(text: str, fast: bool) -> Any:
    """What parse() gives: the data, positions and warnings, or the problems, as plain values."""
    kept = yamlsource._FastLoader
    yamlsource._FastLoader = kept if fast else None
    try:
        doc = yamlsource.parse(text, "f.yaml")
    except InvalidInput as exc:
        return ("problems", [str(p) for p in exc.problems])
    finally:
        yamlsource._FastLoader = kept
    return ("ok", doc.data, doc.positions, [str(w) for w in doc.warnings])


@LIBYAML
def test_libyaml_is_used_when_present() -> None:
    assert yamlsource._FastLoader is not None


@LIBYAML
@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_both_loaders_give_every_node_the_same_place(path: Path) -> None:
    text = _text(path)
    if text is None or yamlsource._unprintable(text, path.name):
        return  # refused before any YAML is read
    expected = _tree(yamlsource._NoAliasLoader, text)
    if isinstance(expected, str):
        return  # refused by the pure-Python loader; the next test checks the message
    if not yamlfast.libyaml_reads_alike(text):
        return  # never given to libyaml
    got = _tree(yamlsource._FastLoader, text)  # type: ignore[arg-type]
    if isinstance(got, str):
        # libyaml refuses the "\ud800" escape PyYAML reads; the pure-Python loader reads it again
        assert path.name == "control-characters.yaml", got
        return
    assert got == expected


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_parse_gives_the_same_with_and_without_libyaml(path: Path) -> None:
    text = _text(path)
    if text is None:
        return
    assert _outcome(text, fast=True) == _outcome(text, fast=False)


def test_the_example_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """A valid file is read once, by libyaml; the pure-Python loader is not started."""
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML built without libyaml")
    started: list[str] = []

    class Counting(yamlsource._NoAliasLoader):
        def __init__(self, stream: str) -> None:
            started.append(stream)
            super().__init__(stream)

    monkeypatch.setattr(yamlsource, "_NoAliasLoader", Counting)
    doc = yamlsource.load(EXAMPLE)
    assert doc.data and doc.positions and not started


TRICKY = {
    "windows line ends": "manager: Morgan\r\nplays:\r\n  - a\r\n  -\r\n  - c: d\r\n",
    "old Mac line ends": "manager: Morgan\rteam: x\r",
    "tab after the colon": "manager:\tMorgan\n",
    "tab inside a plain value": "manager: Morgan\tEllis\n",
    "tab inside quotes": 'manager: "Morgan\tEllis"\n',
    "tab indent": "a:\n\tb: c\n",
    "tab after a list dash": "a:\n-\tb\n",
    "BOM inside": "a: b\n\ufeffc: d\n",
    "NEL line break": "a: b\x85c: d\n",
    "line separator": "a: b\u2028c: d\n",
    "blanks": "a: ~\nb: null\nc: ''\nd:\ne: NULL\nf: \"\"\n",
    "flow": "a: [x:y, {p: q}, 'r', \"s\"]\nb: {c: [d, e]}\n",
    "block scalars": "a: |\n  x\n   y\nb: >-\n  p\n  q\n",
    "explicit key": "? a\n: b\n",
    "directive": "%YAML 1.1\n---\na: b\n...\n",
    "two documents": "a: b\n---\nc: d\n",
    "emoji and accents": "a: 😀 José\nb: Muñoz 😀\n",
    "escapes": 'a: "\\x0b x"\nb: "\\ud800"\nc: "\\u00e9"\n',
    "alias": "a: &x b\nc: *x\n",
    "merge key": "a: &x {b: c}\nd:\n  <<: *x\n",
    "duplicate key": "a: b\na: c\n",
    "flow key": "[a]: b\n",
    "unclosed quote": "a: 'b\n",
    "colon in value": "a: b: c\n",
    "bad indentation": "a:\n  b: c\n d: e\n",
    "a long key": "k" * 1100 + ": v\n",
    "a long accented key": "é" * 600 + ": v\n",
    "tag": "a: !!int 3\nb: !custom x\n",
    "nested too deep": "a: " + "[" * 60 + "]" * 60 + "\n",
    # found by fuzzing: libyaml reads these, PyYAML's scanner refuses them
    "comment stuck to a block scalar header": "a: >#\n  x\n",
    "question mark in a flow value": "a: [b?, {c: d?}]\n",
    "malformed tag": "--- !b:!s c\n",
    "question mark in a flow value after a CR": "\r{\\u0?@}",
    "too many values": "".join(f"- {n}\n" for n in range(yamlsource.MAX_NODES + 5)),
}


@pytest.mark.parametrize("text", TRICKY.values(), ids=list(TRICKY))
def test_tricky_text_reads_the_same_with_and_without_libyaml(text: str) -> None:
    assert _outcome(text, fast=True) == _outcome(text, fast=False)


def test_tabs_keep_their_message() -> None:
    """libyaml would accept `key:<TAB>value`; PyYAML's scanner does not, and neither do we."""
    with pytest.raises(InvalidInput) as caught:
        yamlsource.parse("manager:\tMorgan\n", "f.yaml")
    problem = caught.value.problems[0]
    assert (problem.line, problem.column, problem.message) == (1, 9, (
        "YAML syntax: found character '\\t' that cannot start any token; indent with spaces, "
        "not tabs"))


# Text made of what YAML's syntax turns on, so that most of it is valid and much is not.
_YAMLISH = st.text(st.sampled_from(list("ab: -#'\"[]{}|>?&*!,.\n\r\n  é😀0~")), max_size=60)


@LIBYAML
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_YAMLISH)
def test_any_text_reads_the_same_with_and_without_libyaml(text: str) -> None:
    assert _outcome(text, fast=True) == _outcome(text, fast=False)


_WITHOUT_LIBYAML = """
import json, sys
sys.modules["yaml._yaml"] = None  # as if PyYAML had been built without libyaml
import yaml
from qsrkit.answers import yamlfast, yamlsource
from qsrkit.errors import InvalidInput
doc = yamlsource.load(yamlsource.Path(sys.argv[1]))
try:
    yamlsource.parse("a:\\n  - 'b\\n", "f.yaml")
except InvalidInput as exc:
    problem = str(exc.problems[0])
print(json.dumps({"libyaml": yaml.__with_libyaml__, "fast": yamlsource._FastLoader is not None,
                  "data": doc.data, "positions": sorted([list(k), list(v)]
                                                        for k, v in doc.positions.items()),
                  "problem": problem}))
"""


def test_without_libyaml_the_pure_python_loader_reads_alike() -> None:
    proc = subprocess.run([sys.executable, "-c", _WITHOUT_LIBYAML, str(EXAMPLE)],
                          capture_output=True, text=True, check=True)
    seen = json.loads(proc.stdout)
    assert not seen["libyaml"] and not seen["fast"]
    doc = yamlsource.load(EXAMPLE)
    assert seen["data"] == json.loads(json.dumps(doc.data))
    assert seen["positions"] == sorted([list(k), list(v)] for k, v in doc.positions.items())
    with pytest.raises(InvalidInput) as caught:
        yamlsource.parse("a:\n  - 'b\n", "f.yaml")
    assert seen["problem"] == str(caught.value.problems[0])
