"""The fast Markdown path gives the same document as markdown-it, byte for byte.

`fastmarkdown` ports the part of markdown-it the templates use and hands anything else to
markdown-it. Each test renders both ways and compares: the .docx bytes (SOURCE_DATE_EPOCH-style
fixed dates) for whole documents, the tokens the docx writer reads for generated Markdown.
The generated Markdown is deliberately hostile to the fast path (indentation, list markers,
thematic breaks, code, emphasis of every kind), so a wrong guess shows up as a difference.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qsrkit.answers.loading import load_answers
from qsrkit.config import OrgConfig
from qsrkit.document.context import Findings, build_context
from qsrkit.document.docx_body import BULLET_MARK, LINE_BREAK
from qsrkit.document.docx_writer import DocMeta, write_docx
from qsrkit.document.fastinline import markdown_parser
from qsrkit.document.fastmarkdown import block_tokens
from qsrkit.document.sandbox import md_escape, render_markdown
from qsrkit.errors import QsrError

META = DocMeta("Title", "Author", "Left", "Right", "Foot",
               timestamp=dt.datetime(2026, 1, 1), reproducible=True)


def _tokens(tokens: list[Any]) -> list[tuple[Any, ...]]:
    """What the docx writer reads of each token (empty text tokens write nothing)."""
    out = []
    for t in tokens:
        attrs = tuple(sorted((k, v) for k, v in (t.attrs or {}).items()
                             if k in ("href", "src", "style", "start")))
        children = None
        if t.type == "inline":
            children = _tokens([c for c in t.children or []
                                if not (c.type == "text" and not c.content)])
        content = t.content if t.type in ("inline", "text", "image", "code_inline", "fence",
                                          "code_block") else ""
        out.append((t.type, t.tag, attrs, content, children))
    return out


def same_tokens(markdown: str) -> None:
    fast = _tokens(block_tokens(markdown))
    slow = _tokens(markdown_parser().parse(markdown))
    assert fast == slow, markdown


def same_document(markdown: str, pictures: Any = None) -> bytes:
    same_tokens(markdown)
    fast, fast_warnings = write_docx(markdown, META, pictures=pictures)
    slow, slow_warnings = write_docx(markdown, META, pictures=pictures, fast=False)
    assert fast == slow
    assert fast_warnings == slow_warnings
    return fast


def _markdown(path: Path, *, blank: bool = False, templates: Path | None = None) -> str:
    loaded = load_answers(path)
    context = build_context(loaded.model, OrgConfig(), answers_dir=path.parent, found=Findings(),
                            instructions=blank)
    return render_markdown(context, templates)


def test_the_example_and_the_blank_document_are_the_same_both_ways() -> None:
    for blank in (False, True):
        data = same_document(_markdown(EXAMPLE, blank=blank))
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            body = archive.read("word/document.xml").decode()
        assert "Avery Quinn" in body  # the comparison compared a real document


def _loadable(paths: list[Path]) -> list[Path]:
    """The corpus files that load (the others are bad input, which tests/test_bad_input.py
    covers): a file that does not load has no document to compare."""
    from qsrkit.answers.loading import load_answers

    found = []
    for path in paths:
        try:
            load_answers(path)
        except QsrError:
            continue
        found.append(path)
    return found


CORPUS = _loadable(sorted((ROOT / "tests" / "corpus" / "values").glob("*.yaml")) + sorted(
    (ROOT / "tests" / "corpus" / "yaml").glob("*.yaml")))


def test_the_corpus_holds_documents_to_compare() -> None:
    assert len(CORPUS) >= 5


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_the_corpus_is_the_same_both_ways(path: Path) -> None:
    same_document(_markdown(path))


def test_a_custom_template_with_more_markdown_is_the_same_both_ways(tmp_path: Path) -> None:
    """New sections other helpers add (check-ins with tables, a dashboard with lists and
    charts) and Markdown the fast path hands to markdown-it (code, `_`, rules, loose lists)."""
    (tmp_path / "qsr.md.j2").write_text(
        "# {{ label.title }}\n\n## Check-ins\n\n| Month | Note |\n|---|:-:|\n"
        "| Oct | {{ rep }} *on track* |\n| Nov | **behind** \\| catching up |\n\n"
        "### CRM dashboard\n\n- Pipeline: **$410k**\n  - stalled: 3\n- Win rate\n\n"
        "1. first\n2. second\n   continued\n\n![Pipeline](<qsrkit-chart:pipeline>)\n\n"
        "Some `code` and _under_ and ~~gone~~ and <http://x.y> &amp; more.\n\n---\n\n"
        "- loose\n\n- list\n\n    indented code\n\n> a quote\n> on two lines\n",
        encoding="utf-8")
    same_document(_markdown(EXAMPLE, templates=tmp_path))


MARKUP = [*"|*_#<>&`[]()!\\~-+=.1 \n\t:;'\"{}", "&amp;", "&#35;", "http://x.y", "___", "---"]
SELLER_TEXT = st.lists(
    st.characters(blacklist_categories=("Cs", "Cc"),
                  blacklist_characters=BULLET_MARK + LINE_BREAK + "\u2029")
    | st.sampled_from(MARKUP), min_size=1, max_size=30,
).map("".join)
PLACES = [
    "{}", "> {}", "- {}", "1. **{}**", "**Label:** {}\\\n**Next:** x",
    "| a | b |\n|---|--:|\n| {} | x |", "{} and {}", "**A:** {}\\\n**B:** {} ___%",
    "- [{}](<https://crm.example.com/a?b=1&c=2>): {}", "![{}](<qsrkit-screenshot:1>)",
    "| **{}** | " + BULLET_MARK + "{}" + BULLET_MARK + "x |",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SELLER_TEXT)
def test_any_seller_text_gives_the_same_tokens_wherever_it_is_placed(text: str) -> None:
    for place in PLACES:
        same_tokens(f"## Heading\n\n{place.replace('{}', md_escape(text))}\n\nafter\n")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SELLER_TEXT, min_size=3, max_size=3))
def test_seller_texts_give_the_same_document(texts: list[str]) -> None:
    a, b, c = (md_escape(t) for t in texts)
    same_document(f"# T\n\n**A:** {a}\\\n**B:** {b}\n\n| x | y |\n|:--|--:|\n| {c} | {a} |\n\n"
                  f"1. **{b}**\n   - {c}\n")


PREFIXES = ["", "", "", " ", "  ", "   ", "    ", "\t", "- ", "* ", "+ ", "1. ", "2) ", "3. ",
            "# ", "### ", "####### ", "#", "> ", ">", "|", "  - ", "   1. ", "- - ", "1. - ",
            "[a]: ", "```", "~~~ ", "-", "=", "***", "___", "    - "]
PIECES = ["word", "two words", "**", "*", "_", "~~", "~", "`", "\\", "\\*", "\\\n", " ", "  ",
          "[t](<http://x.y/a_b>)", "[t](http://x.y)", "[t]", "![c](<qsrkit-screenshot:1>)",
          "![c](<qsrkit-chart:a>)", "&amp;", "&", "&x", "<", "<b>", "|", "\\|", " | ", "\u2028",
          BULLET_MARK, "1.", "#", "---", ":--", "--:", "|--|", "[", "]", "(", "!", "é", "\u00a0",
          "**bold**", "*em*", "***", "a*b*c", "**a *b* c**", "[**x**](<y>)", "\\\\"]
LINE = st.tuples(st.sampled_from(PREFIXES), st.lists(st.sampled_from(PIECES), max_size=6)).map(
    lambda t: t[0] + "".join(t[1]))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE | st.just("") | st.just("| a | b |\n|:-|-:|"), min_size=1, max_size=12))
def test_generated_markdown_gives_the_same_tokens(lines: list[str]) -> None:
    same_tokens("\n".join(lines))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE | st.just(""), min_size=1, max_size=10))
def test_generated_markdown_gives_the_same_document(lines: list[str]) -> None:
    same_document("\n".join(lines))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcXYZ09-._~:/?#@!$&'()*+,;=%", max_size=30))
def test_the_urls_the_fast_path_keeps_are_the_ones_markdown_it_keeps(url: str) -> None:
    same_tokens(f"[x](<{url}>) and ![y](<{url}>)")
    same_tokens(f"[x](<http://{url}>)")


def test_the_shipped_bundled_base_is_the_bundled_template_prepared() -> None:
    """templates/reference.prepared.docx is what python-docx makes of templates/reference.docx
    (else run `python -m qsrkit.document.reference_doc`)."""
    from qsrkit.document.reference_doc import bundled_base, prepare_bundled

    shipped, made = bundled_base(), prepare_bundled()
    assert vars(shipped) | {"data": b""} == vars(made) | {"data": b""}
    with zipfile.ZipFile(io.BytesIO(shipped.data)) as a, zipfile.ZipFile(io.BytesIO(made.data)) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        for name in a.namelist():
            assert a.read(name) == b.read(name), name
