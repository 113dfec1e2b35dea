"""`qsrkit render`, fuzzed field by field.

Every field of the complete example (each scalar, and each list and section as a whole) gets
arbitrary values: any text, markup, numbers written every way, dates real and impossible, lists,
sections, long lists. Sometimes the value is typed by hand into the YAML text instead of being
written by a YAML library. Whatever the value, `render` either writes a .docx that python-docx
opens again, or fails with the input contract: exit 3, one located line per problem
(`file:line:col: field: error: message`) naming the field that was changed, no traceback, and
nothing written (no document, no temporary file).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from conftest import EXAMPLE
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from qsrkit.cli import app

FieldPath = tuple[str | int, ...]

BASE: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))

# The example again with the answers it leaves out, so that they are fuzzed too: the weeks to work
# counted from `as_of` (the other way to give them) and a screenshot (missing here: a warning).
ALTERNATE: dict[str, Any] = copy.deepcopy(BASE)
del ALTERNATE["current_quarter"]["calculator"]["weeks_to_work"]
ALTERNATE["current_quarter"]["calculator"]["as_of"] = dt.date(2026, 10, 5)
ALTERNATE["current_quarter"]["dashboards"][0]["screenshot"] = "board.png"
BASES = (BASE, ALTERNATE)


def _walk(node: Any, prefix: FieldPath = ()) -> Iterator[FieldPath]:
    children: Any = node.items() if isinstance(node, dict) else (
        enumerate(node) if isinstance(node, list) else ())
    for key, child in children:
        yield (*prefix, key)
        yield from _walk(child, (*prefix, key))


def _get(data: Any, path: FieldPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _is_leaf(base: int, path: FieldPath) -> bool:
    return not isinstance(_get(BASES[base], path), (dict, list))


# Every node below the root: scalars, and lists and sections (replaced as a whole), as (base,
# path): the example's, then those only the alternate has.
PATHS_OF = [list(_walk(base)) for base in BASES]
FIELDS: list[tuple[int, FieldPath]] = [(0, p) for p in PATHS_OF[0]]
FIELDS += [(1, p) for p in PATHS_OF[1] if p not in PATHS_OF[0]]
PATHS: list[FieldPath] = [p for _, p in FIELDS]
LEAVES: list[tuple[int, FieldPath]] = [(b, p) for b, p in FIELDS if _is_leaf(b, p)]


def dotted(path: FieldPath) -> str:
    """The field as problems name it: `previous_quarter.focus_skills[0].skill`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _shape(path: FieldPath) -> str:
    return re.sub(r"\[\d+\]", "[]", dotted(path))


# Text fields the built-in template prints (list indices written as `[]`). Not printed:
# screenshots, which become pictures. test_every_field_with_a_nasty_value keeps these lists honest.
PRINTED_TEXT = frozenset({
    "account_executive", "manager", "team_message",
    "previous_quarter.focus_skills[].skill", "previous_quarter.focus_skills[].target",
    "previous_quarter.focus_skills[].actual",
    "previous_quarter.plays[].headline", "previous_quarter.plays[].outcome",
    "previous_quarter.diagnosis.replicate[]", "previous_quarter.diagnosis.improve[]",
    "previous_quarter.lessons.learned", "previous_quarter.lessons.environment",
    "crm_pledge.accuracy[]", "crm_pledge.updates[]", "crm_pledge.forecasting[]",
    "skill_development[].goal", "skill_development[].skill", "skill_development[].target",
    "skill_development[].actual",
    "current_quarter.dashboards[].title", "current_quarter.dashboards[].link",
    "current_quarter.plays[].headline", "current_quarter.plays[].bullets[]",
})
NOT_PRINTED_TEXT: frozenset[str] = frozenset()


# --- values ------------------------------------------------------------------------------------

MARKUP = [
    "{{ x }}", "{{ rep.__class__ }}", "{% if %}", "{#", "#}", "{% raw %}", "<w:p>", "</w:t>",
    "<![CDATA[", "]]>", "<script>alert(1)</script>", "**", "__", "*", "_", "|", "||", "`", "```",
    "[a](javascript:x)", "![i](/etc/passwd)", "<http://x.y>", "&amp;", "&#0;", "&#xD800;", "\\",
    "# ", "1. ", "- ", "+ ", "> ", "---", "===", "___", "$______", "___%", "~~", ":", ": ", " #",
    "'", '"', "%", "@", "!", "&", "*a", "&a", "!!binary", "? ", "\t", "\r\n", "\r", "\n\n",
    "\u2028", "\u2029", "\x85", "\ue001", "\ufeff", "\u200b", "\u202e", "\ufffd", "𝕏", "🚀",
    "שלום", "مرحبا", "e\u0301", "ﬁ", " ", "\u00a0", "\u3000", ":smile:", "[red]x[/red]",
]
NUMBER_TEXT = [
    "19.999", "1,000.50", "1.000,50", "$1000", "1000$", "€5", "25%", "25 %", "%", "0.25", "0.25%",
    "101%", "100%", "-5%", "0%", "0.000000000000001%", "0.0000000000000001", "0.000000000000001",
    "999999999999999", "999999999999999.9", "0." + "0" * 100 + "1", "1e999999", "1e3", "1E-7",
    "5" * 5000, "0" * 200 + "1", "-0",
    "+5", "1_000", "_", "0x1F", "0o17", "0b1", ".5", "5.", ".", "-", "+", "１２", "٣", "½", "NaN",
    "nan", "Infinity", "-inf", ".inf", ".nan", "250k", "2.5M", "1000000000000000",
    "999999999999999.99", "1e15", "12:30", "1:30:00", "007", "yes", "NO", "on", "off", "true",
    "~", "null", "None", "", " ", "0", "0.0", "00.00", "1.005", "3", "150", "2.4", "Q4",
]
DATE_TEXT = [
    "2026-02-30", "2026-13-01", "2026-00-10", "0000-01-01", "9999-12-31", "2026-1-5", "20261005",
    "2026/10/05", "05/10/2026", "2026-10-05T09:00:00", "2026-10-05 09:00", "2024-02-29",
    "2026-Q5", "2026-Q0", "Q4 2026", "2026q4", "q4-2026", "0000-Q1", "99999-Q1", "2026-Q4 ",
]

NASTY_CHAR = st.characters(categories=["Cc", "Cs", "Cf", "Co", "Zl", "Zp", "Zs", "Mn"])
TEXT = st.one_of(
    st.text(),
    st.lists(st.characters() | NASTY_CHAR | st.sampled_from(MARKUP), max_size=30).map("".join),
    st.integers(3990, 4010).map(lambda n: ("ab |*\n" * 700)[:n]),  # around the 4,000 limit
)
SCALAR = st.one_of(
    TEXT,
    st.sampled_from(MARKUP + NUMBER_TEXT + DATE_TEXT),
    st.integers(min_value=-10**20, max_value=10**20),
    st.sampled_from([0, -1, 1, 2**63, -(2**63), 10**15, 10**16, 10**4000]),
    st.floats(),
    st.sampled_from([1e308, -1e308, 5e-324, -0.0, float("nan"), float("inf"), float("-inf")]),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(),
)
KEYS = sorted({str(p[-1]) for p in PATHS if isinstance(p[-1], str)} | {"amount", "percent", "<<"})
VALUE = st.recursive(
    SCALAR | st.just([]) | st.just({}),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=12,
)


# Values typed by hand: unquoted, exactly as a seller would write them after `key: `.
RAW = [
    *(v for v in NUMBER_TEXT + DATE_TEXT if "\n" not in v and v.strip() and len(v) < 6000),
    "'unterminated", '"unterminated', "'it''s'", '"\\x0b"', '"\\0"', '"\\ud800"', '"\\uDFFF x"',
    '"a\\tb"', "a: b", "a:b", "- x", "[1, 2]", "[1, 2", "{a: 1}", "{", "}", "]", "#comment",
    "x #comment", "&anchor x", "*alias", "&a [*a]", "!!str 5", "!!int x", "!!binary AAAA",
    "!local x", "|", ">", "|-", "@at", "`tick", "%TAG", "? key", "a\tb", "x\x0by", "x\x01y",
    "\x0c", "x\x7fy", "x\x85y", "x\u2028y", "\ufeffx", "<<: {a: 1}", "...", "--- x", "25%%",
]
RAW_TEXT = st.text(
    st.characters(exclude_characters="\n\r\x85\u2028\u2029"), min_size=1, max_size=20,
).filter(lambda s: s.strip() != "")


@dataclass
class Case:
    """One answers file: one of BASES with one field changed."""

    path: FieldPath
    value: Any = None
    raw: str | None = None  # typed by hand into the YAML text instead of `value`
    base: int = 0  # which of BASES

    def text(self) -> str:
        if self.raw is None:
            data = copy.deepcopy(BASES[self.base])
            _get(data, self.path[:-1])[self.path[-1]] = self.value
            return _dump(data)
        text, root = _composed(self.base)
        node = _node_at(root, self.path)
        return text[: node.start_mark.index] + self.raw + text[node.end_mark.index:]

    def line(self) -> int:
        """The line the changed value starts on (where a YAML error cannot come before)."""
        return int(_node_at(_composed(self.base)[1], self.path).start_mark.line) + 1

    def __str__(self) -> str:
        return f"{dotted(self.path)} = {self.raw if self.raw is not None else self.value!r}"


class _Dumper(yaml.SafeDumper):
    """Writes a value repeated 50 times out 50 times, as a seller would, not as `*id001`."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


class _FastDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(data: Any) -> str:
    options: dict[str, Any] = {"allow_unicode": True, "sort_keys": False, "width": 1_000_000}
    try:  # libyaml when it can: four times faster, and the tests write a few hundred files
        return str(yaml.dump(data, Dumper=_FastDumper, **options))
    except (yaml.YAMLError, UnicodeError):  # lone surrogates: only PyYAML writes their escapes
        return str(yaml.dump(data, Dumper=_Dumper, **options))


@functools.cache
def _composed(base: int) -> tuple[str, Any]:
    """A base as YAML text, and its nodes: where each value starts and ends in that text."""
    text = _dump(BASES[base])
    return text, yaml.compose(text, Loader=yaml.BaseLoader)


def _node_at(node: Any, path: FieldPath) -> Any:
    for part in path:
        if isinstance(part, int):
            node = node.value[part]
        else:
            node = next(v for k, v in node.value if k.value == part)
    return node


@st.composite
def cases(draw: st.DrawFn) -> Case:
    base = draw(st.sampled_from(range(len(BASES))))
    if draw(st.integers(0, 4)) == 0:  # typed by hand, one time in five
        path = draw(st.sampled_from([p for p in PATHS_OF[base] if _is_leaf(base, p)]))
        return Case(path, raw=draw(st.sampled_from(RAW) | RAW_TEXT), base=base)
    path = draw(st.sampled_from(PATHS_OF[base]))
    original = _get(BASES[base], path)
    # Fifty entries where a list is, or where a value is; a list around it; a section around it.
    fifty = (original * 50)[:50] if isinstance(original, list) else [original] * 50
    if isinstance(original, dict):
        fifty = [original] * 3  # fifty whole sections would only time the YAML parser
    value = draw(st.one_of(VALUE, st.just(fifty), st.just([original]), st.just({"x": original})))
    return Case(path, value, base=base)


# --- running the real command ------------------------------------------------------------------

# One located problem: file:line:col: field: severity: message.
LOCATED = re.compile(r"^(?P<file>\S[^:]*):(?P<line>\d+):(?P<col>\d+): (?P<field>[^:]+): "
                     r"(?P<severity>error|warning): (?P<message>\S.*)$")
SUMMARY = re.compile(r"^error: \d+ problem\(s\)")
# Not XML 1.0: removed from text with a warning (README, "How values are read").
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass
class Outcome:
    source: str  # the answers file, as messages name it
    exit_code: int
    stdout: str
    stderr: str
    files: list[str]  # what the folder holds afterwards
    body: str | None  # the text of the .docx, read back with python-docx


@contextmanager
def _inside(folder: str) -> Iterator[None]:
    """Run from `folder`, so that no qsrkit.yaml around the test run changes the result."""
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def render(text: str) -> Outcome:
    with tempfile.TemporaryDirectory() as folder, _inside(folder):
        source = Path(folder) / "answers.yaml"
        source.write_bytes(text.encode("utf-8", "surrogatepass"))
        out = Path(folder) / "out.docx"
        result = CliRunner().invoke(app, ["render", str(source), "-o", str(out)],
                                    catch_exceptions=False)
        files = sorted(p.name for p in Path(folder).iterdir())
        body = document_text(docx.Document(str(out))) if out.is_file() else None
        return Outcome(str(source), result.exit_code, result.stdout,
                       result.stderr, files, body)


_W = {name: qn(f"w:{name}") for name in ("p", "r", "t", "tab", "br")}
_MARKS = {_W["tab"]: "\t", _W["br"]: "\n"}


def document_text(document: Any) -> str:
    """Every paragraph of the body, tables included, one a line: python-docx's Paragraph.text,
    read from the XML directly, since going through its table objects costs 20 ms a document."""
    lines = []
    for paragraph in document.element.body.iter(_W["p"]):
        lines.append("".join(
            (node.text or "") if node.tag == _W["t"] else _MARKS[node.tag]
            for node in paragraph.iter(_W["t"], _W["tab"], _W["br"])
            if node.getparent().tag == _W["r"]  # not the tab stops in the paragraph's style
        ))
    return "\n".join(lines)


def _related(field: str, path: FieldPath) -> bool:
    """`field` is the changed field, or inside it, or a section or list that holds it."""
    changed = dotted(path)
    return any(a == b or a.startswith(b + ".") or a.startswith(b + "[")
               for a, b in ((field, changed), (changed, field)))


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def expected_text(case: Case) -> str | None:
    """The changed value as the document shows it, when it is text the template prints."""
    if case.raw is not None or not isinstance(case.value, str):
        return None
    if _shape(case.path) not in PRINTED_TEXT:
        return None
    # As YAML reads it back (PyYAML writes U+0085 as a line break, for one), then cleaned.
    value = yaml.load(_dump({"v": case.value}), Loader=yaml.BaseLoader)["v"]
    cleaned = unicodedata.normalize("NFC", UNSTORABLE.sub("", value)).strip()
    return _squeeze(cleaned.replace("\ue001", "\ufffd")) or None  # U+E001 marks bullets


def check(case: Case) -> Outcome:
    """Render `case` and hold the result to the contract; return it for more checks."""
    outcome = render(case.text())
    assert outcome.exit_code in (0, 3), (str(case), outcome)
    assert "Traceback" not in outcome.stderr and "internal error" not in outcome.stderr, str(case)
    assert not [name for name in outcome.files if name.endswith(".tmp")], (str(case), outcome)
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    located = [LOCATED.match(line) for line in lines]

    if outcome.exit_code == 0:
        for line, match in zip(lines, located, strict=True):  # warnings only, one line each
            assert ((match and match["severity"] == "warning" and match["file"] == outcome.source)
                    or line.startswith(f"warning: {outcome.source}: ")), (str(case), line)
        assert outcome.files == ["answers.yaml", "out.docx"], str(case)
        assert outcome.body is not None and "Quarterly Sales Review" in outcome.body, str(case)
        if case.raw is None and isinstance(case.value, str) and UNSTORABLE.search(case.value):
            assert any(m and m["severity"] == "warning" and _related(m["field"], case.path)
                       for m in located), (str(case), outcome.stderr)
        wanted = expected_text(case)
        if wanted is not None:
            assert wanted in _squeeze(outcome.body), (str(case), wanted)
        return outcome

    assert outcome.files == ["answers.yaml"], (str(case), outcome.files)
    for line, match in zip(lines, located, strict=True):
        assert match or SUMMARY.match(line), (str(case), line, outcome.stderr)
    errors = [m for m in located if m and m["severity"] == "error"]
    assert errors, (str(case), outcome.stderr)
    for m in errors:
        assert m["file"] == outcome.source, (str(case), m[0])
        if m["field"] == "(file)":
            # Only YAML that no longer parses is about the file: typed by hand, and located on
            # or after the changed line (everything before it is the example, which is valid).
            assert case.raw is not None, (str(case), m[0])
            assert int(m["line"]) == 0 or int(m["line"]) >= case.line(), (str(case), m[0])
    assert any(_related(m["field"], case.path) or m["field"] == "(file)" for m in errors), (
        str(case), outcome.stderr)
    return outcome


# --- every field, whatever hypothesis draws ----------------------------------------------------


def _id(field: tuple[int, FieldPath]) -> str:
    return dotted(field[1])


def test_the_examples_render_and_every_kind_of_field_is_fuzzed() -> None:
    for base in range(len(BASES)):
        assert check(Case(("manager",), BASE["manager"], base=base)).exit_code == 0
    assert len(FIELDS) > 100 and len(LEAVES) > 70
    shapes = {_shape(p) for _, p in LEAVES}
    assert shapes >= PRINTED_TEXT | NOT_PRINTED_TEXT
    assert {"current_quarter.calculator.as_of", "current_quarter.dashboards[].screenshot",
            "current_quarter.calculator.weeks_to_work"} <= shapes


# One nasty value for every field: text with Markdown, XML and Jinja in it, a control character,
# a lone surrogate, and longer than the 255 characters of a Word property; for a list or a
# section, a list of 50 of them.
MARK = "Fuzzmark"
NASTY = (f"  **{MARK}** | <w:p> {{{{ x }}}} \x0b\ud800 [a](javascript:x) 1,000.50 \u2028 "
         + "long " * 60 + "end  ")


@pytest.mark.parametrize("field", FIELDS, ids=_id)
def test_every_field_with_a_nasty_value(field: tuple[int, FieldPath]) -> None:
    base, path = field
    if not _is_leaf(base, path):
        outcome = check(Case(path, [NASTY] * 50, base=base))
        if _shape(path) != "current_quarter.plays[].bullets":  # the one list without a limit
            assert outcome.exit_code == 3  # a section is not a list; no other list takes 50
        return
    outcome = check(Case(path, NASTY, base=base))  # printed text is found in it there
    if outcome.exit_code == 3:  # every text field takes any text
        assert _shape(path) not in PRINTED_TEXT | NOT_PRINTED_TEXT, dotted(path)
    elif _shape(path) not in PRINTED_TEXT:
        assert outcome.body is not None and MARK not in outcome.body, dotted(path)


@pytest.mark.parametrize("field", LEAVES, ids=_id)
def test_typing_by_hand_replaces_exactly_that_value(field: tuple[int, FieldPath]) -> None:
    """The raw cases below change the value they mean to and nothing else (no render here)."""
    base, path = field
    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    typed = yaml.load(Case(path, raw="1,000.50 | **x** #c", base=base).text(), Loader=loader)
    written = yaml.load(Case(path, "1,000.50 | **x**", base=base).text(), Loader=loader)
    assert typed == written


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_any_value_in_any_field_renders_or_fails_with_the_contract(case: Case) -> None:
    check(case)


# --- what the fuzzer found ---------------------------------------------------------------------

OUTLOOK = ("current_quarter", "outlook")
MEETINGS = ("previous_quarter", "metrics", "weekly_meetings")


def test_a_control_character_typed_raw_is_located_not_a_crash() -> None:
    # PyYAML refuses it in its reader's constructor, which ran outside the try: exit 1.
    outcome = check(Case(("manager",), raw="Morgan\x0bEllis"))
    assert outcome.exit_code == 3
    assert f"{outcome.source}:3:16: (file): error: invisible control character U+000B" in (
        outcome.stderr)


@pytest.mark.parametrize("path", [("quarter",), (*OUTLOOK, "quota"), (*MEETINGS, "goal")],
                         ids=dotted)
def test_text_quoted_in_a_message_stays_on_its_line(path: FieldPath) -> None:
    # A value with a line break in it was quoted as it was: the message went on to a second line.
    outcome = check(Case(path, "2026-Q4\nsecond line\u2028third"))
    assert outcome.exit_code == 3
    assert "2026-Q4\\nsecond line\\u2028third" in outcome.stderr


def test_a_key_with_a_colon_or_a_line_break_stays_inside_the_field() -> None:
    # The key is the field, and `a: b` in it made `file:line:col: field: error:` ambiguous.
    outcome = check(Case(OUTLOOK, {"a: b\nc": 1, "quota": 5}))
    assert outcome.exit_code == 3
    assert 'current_quarter.outlook["a\\x3a b\\nc"]: error: unknown key' in outcome.stderr


@pytest.mark.parametrize("quarter", ["9999-Q4", "0000-Q1"])
def test_weeks_from_as_of_in_a_quarter_at_the_end_of_the_calendar(quarter: str) -> None:
    # Its last day is past 9999-12-31 (or its first before year 1): ValueError, exit 1.
    outcome = check(Case(("quarter",), quarter, base=1))
    assert outcome.exit_code == 0
    assert "calculator was left blank" in outcome.stderr and "weeks_to_work" in outcome.stderr


@pytest.mark.parametrize("goal", [{"amount": "1e400"}, {"amount": "1" * 40}, {"amount": -5},
                                  {"percent": -50}, {"anything": 1}, [150]], ids=str)
def test_a_personal_goal_is_one_value_not_a_section(goal: Any) -> None:
    # A section went to PersonalGoal(**value) unchecked: 1e400 crashed the document
    # (decimal.InvalidOperation); a negative goal or an unknown key went through.
    outcome = check(Case((*OUTLOOK, "personal_goal"), goal))
    assert outcome.exit_code == 3
    assert "current_quarter.outlook.personal_goal: error: write the personal goal" in (
        outcome.stderr)


def test_a_name_longer_than_a_word_property_is_kept_whole_in_the_document() -> None:
    # python-docx refuses a title or author over 255 characters: ValueError, exit 1.
    name = "Avery " + "Quinn-" * 60
    outcome = check(Case(("account_executive",), name))
    assert outcome.exit_code == 0 and outcome.body is not None
    assert f"Account executive: {name}" in outcome.body


def test_a_screenshot_name_too_long_for_the_file_system_is_just_not_found() -> None:
    # Path.is_file() raised OSError (ENAMETOOLONG): exit 1.
    outcome = check(Case(("current_quarter", "dashboards", 0, "screenshot"), "x" * 300, base=1))
    assert outcome.exit_code == 0
    assert "not found; the document shows the link only" in outcome.stderr


def test_zeros_after_the_point_count_as_digits() -> None:
    # 0.000…01 with a hundred zeros was "1 digit": a ratio to it had more digits than a document.
    outcome = check(Case((*MEETINGS, "goal"), "0.0000000000000001"))
    assert outcome.exit_code == 3
    assert "a count has 16 digits" in outcome.stderr
    assert check(Case((*MEETINGS, "goal"), "0." + "0" * 100 + "1")).exit_code == 3


def test_figures_beyond_28_digits_are_shown_not_a_crash() -> None:
    # quantize() in the default decimal context raised InvalidOperation past 28 digits.
    outcome = check(Case(MEETINGS, {"goal": "0.000000000000001", "actual": 999999999999999}))
    assert outcome.exit_code == 0 and outcome.body is not None
    assert "99,999,999,999,999,900,000,000,000,000,000%" in outcome.body
    outlook = {"quota": 999999999999999, "personal_goal": "150%",
               "win_rate": "0.000000000000001%", "average_deal_size": 0.01}
    outcome = check(Case(OUTLOOK, outlook))
    assert outcome.exit_code == 0 and outcome.body is not None
    assert "Complete the outlook" not in outcome.body
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "answers.yaml"
        source.write_text(Case(OUTLOOK, outlook).text(), encoding="utf-8")
        result = CliRunner().invoke(app, ["calc", str(source), "--json"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["targets"][0]["pipeline_needed"] > 9.9e31


def test_a_problem_on_line_100_keeps_its_line_number() -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "answers.yaml"
        source.write_text("#\n" * 99 + "zz_unknown: 1\n" + _dump(BASE), encoding="utf-8")
        result = CliRunner().invoke(app, ["render", str(source), "-o", str(Path(folder) / "o.docx")],
                                    catch_exceptions=False)
    assert result.exit_code == 3
    assert f"{source}:100:1: zz_unknown: error: unknown key" in result.stderr
