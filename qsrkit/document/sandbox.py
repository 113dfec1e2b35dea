"""The QSR template's sandbox: Jinja with StrictUndefined, Markdown escaping, and runaway caps.

The template is Jinja text that sales ops can edit. It runs in a sandbox with StrictUndefined, and
every value it prints is escaped for Markdown, so whatever a seller types (`|`, `*`, `#`, `<`, `&`,
line breaks, emoji, right-to-left text) appears exactly as typed. Filters that build Markdown on
purpose (`bullets`, `link`, `image`, `chart`) return `Markdown` strings, which are printed as they are.
Custom templates are stopped, with the line that ran away, before they exhaust time or memory.
jinja2 is imported inside functions only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qsrkit import formatting as fmt
from qsrkit.document.charts import Chart
from qsrkit.document.docx_body import BULLET_MARK, LINE_BREAK
from qsrkit.errors import QsrError, TemplateError
from qsrkit.templates_store import MissingTemplate, locate_template

if TYPE_CHECKING:
    from jinja2 import Template
    from jinja2.sandbox import SandboxedEnvironment


TEMPLATE = "qsr.md.j2"
BLANK = fmt.BLANK_MONEY  # "______": a line to write on


class Markdown(str):
    """Text that is already Markdown: printed by the template without escaping."""

    __slots__ = ()


_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~#!])")


# Line-start markers only count when followed by a space (or nothing): `1. `, `- `, `+ `, `===`.
_LEADING = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-+])(?=\s|$|[-\s]*$)|^(=)(?==*\s*$)")


_NEWLINES = re.compile("\r\n|\r|\n|\u2029")


def md_escape(value: object) -> str:
    """`value` as Markdown text that reads back exactly as `str(value)`."""
    text = str(value)
    text = text.replace(BULLET_MARK, "\ufffd")
    text = _NEWLINES.sub(LINE_BREAK, text)
    text = _SPECIAL.sub(r"\\\1", text)
    return _LEADING.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3] or m[4]}", text)


def _finalize(value: object) -> object:
    if isinstance(value, Markdown):
        return value
    if value is None:
        return ""
    return md_escape(value)


def _bullets(items: Sequence[object] | None) -> Markdown:
    """A bulleted list inside one table cell."""
    values = [i for i in (items or []) if i not in (None, "")] or [BLANK]
    return Markdown("".join(BULLET_MARK + md_escape(v) for v in values))


def _link(title: object, url: object) -> Markdown:
    text = md_escape(title if title not in (None, "") else url or BLANK)
    if not url:
        return Markdown(text)
    href = str(url).strip().replace(" ", "%20")
    href = re.sub(r"([\\<>])", r"\\\1", _NEWLINES.sub("", href))
    return Markdown(f"[{text}](<{href}>)")


# A screenshot in the Markdown is `![caption](<qsrkit-screenshot:N>)`: a name for a picture the
# context checked and read, never a path. The writers look the name up (docx embeds the bytes,
# HTML a data: URI, Markdown a note); an image with any other address is left out.
IMAGE_SCHEME = "qsrkit-screenshot:"


class Screenshot(str):
    """A dashboard's screenshot as the template sees it: prints as its name inside its folder
    (never the renderer's full path); `image` shows the picture."""

    token: str

    def __new__(cls, name: str, token: str) -> Screenshot:
        value = super().__new__(cls, name)
        value.token = token
        return value


def _image(path: object, alt: object = "") -> Markdown:
    if not path:
        return Markdown("")
    target = path.token if isinstance(path, Screenshot) else Path(str(path)).as_posix()
    target = re.sub(r"([\\<>])", r"\\\1", _NEWLINES.sub("", target))
    return Markdown(f"![{md_escape(alt or '')}](<{target}>)")


def _chart(value: object, alt: object = "") -> Markdown:
    """A chart the context built, as `![its numbers](<qsrkit-chart:NAME>)`; nothing when the
    chart's data are missing (the context gives None), so a template needs no `if`."""
    # `not value` first: a misspelt name (StrictUndefined) raises there, as it does in `{{ }}`,
    # where `isinstance` would let it pass as a chart with no data.
    if not value or not isinstance(value, Chart):
        return Markdown("")
    return Markdown(f"![{md_escape(alt or value.description)}](<{value.token}>)")


@lru_cache(maxsize=8)
def environment(folder: str | None, _anchor: str = "") -> SandboxedEnvironment:
    """The sandbox for templates in `folder` (None: the built-in ones), cached per process.

    `_anchor` is the current folder when `folder` is relative: it is what gives `tpl` its
    meaning, so it is part of the cache key (a library caller may change folders between runs).
    """
    from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound, pass_environment

    root = Path(folder) if folder else None

    class Loader(BaseLoader):
        def get_source(self, env: Any, name: str) -> tuple[str, str, Callable[[], bool]]:
            try:
                source, filename = locate_template(name, root)
            except MissingTemplate:
                # Jinja reports it at the line of the {% include %} that asked for it.
                raise TemplateNotFound(name) from None
            return source, filename, lambda: True

    @pass_environment
    def finalize(env: Any, value: object) -> object:
        return env.spend_output(_finalize(value))

    from qsrkit.document.template_cache import bytecode_cache

    settings: dict[str, Any] = dict(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True,
        trim_blocks=True, lstrip_blocks=True,
    )
    # The generated code depends on these and on the sandbox's intercepted operators.
    cache = bytecode_cache(repr(sorted((k, str(v)) for k, v in settings.items()))
                           + "|finalize(env)|binops:*,**")
    env = _bounded_environment(loader=Loader(), finalize=finalize, bytecode_cache=cache,
                               **settings)
    env.filters.update(
        bullets=_bullets, link=_link, image=_image, chart=_chart, markdown=Markdown,
    )
    env.globals["range"] = env.bounded_range
    bounded: SandboxedEnvironment = env
    return bounded


# A QSR is a few pages. A custom template that produces far more than this, or loops far more
# than this, is stuck, and is stopped with a message instead of filling memory or the disk.
MAX_OUTPUT_CHARS = 2_000_000


MAX_LOOP_ITEMS = 100_000


def _bounded_environment_class() -> type[SandboxedEnvironment]:
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedEnvironment(SandboxedEnvironment):
        """The sandbox, plus limits on string/list repetition, powers and `range` items."""

        intercepted_binops = frozenset({"*", "**"})

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.reset_budgets()

        def reset_budgets(self) -> None:
            self.loop_budget = MAX_LOOP_ITEMS
            self.output_budget = MAX_OUTPUT_CHARS

        def spend_output(self, value: object) -> object:
            # Counted here, inside the template's own call, so the error names the line of the
            # `{{ }}` that ran away; render_markdown still counts literal text as a backstop.
            self.output_budget -= len(str(value))
            if self.output_budget < 0:
                raise TemplateLimit(f"the template produced more than {MAX_OUTPUT_CHARS:,} characters")
            return value

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, int) and abs(right) > 100:
                raise TemplateLimit(f"the power {right} is too large for a template")
            if operator == "*":
                for seq, count in ((left, right), (right, left)):
                    if (isinstance(seq, (str, list, tuple)) and isinstance(count, int)
                            and len(seq) * count > MAX_OUTPUT_CHARS):
                        raise TemplateLimit(
                            f"repeating a value {count:,} times makes more than "
                            f"{MAX_OUTPUT_CHARS:,} characters"
                        )
            return super().call_binop(context, operator, left, right)

        def bounded_range(self, *args: int) -> range:
            items = range(*args)
            self.loop_budget -= len(items)
            if self.loop_budget < 0:
                raise TemplateLimit(
                    f"the template's loops run over more than {MAX_LOOP_ITEMS:,} items in all"
                )
            return items

    return BoundedEnvironment


def _bounded_environment(**kwargs: Any) -> Any:
    return _bounded_environment_class()(**kwargs)


class TemplateLimit(QsrError):
    """A custom template tried to produce or loop over far more than any QSR needs."""


def compile_template(folder: Path | None = None, name: str = TEMPLATE) -> Template:
    """A template of the QSR's family (the QSR itself by default; the team pack and coaching
    notes too), compiled and cached; syntax errors name the file and line."""
    from jinja2 import TemplateSyntaxError

    anchor = str(Path.cwd()) if folder is not None and not folder.is_absolute() else ""
    env = environment(str(folder) if folder else None, anchor)
    try:
        return env.get_template(name)
    except TemplateSyntaxError as exc:
        raise TemplateError.at(
            exc.filename or exc.name or name,
            f"template syntax: {exc.message}; fix the template, or render with the built-in one "
            f"(leave out --templates, or take {name} out of the templates folder)",
            line=exc.lineno,
        ) from None


def render_markdown(context: dict[str, Any], folder: Path | None = None,
                    name: str = TEMPLATE) -> str:
    """Run template `name` over `context` in the sandbox; errors name the template file and line."""
    template = compile_template(folder, name)
    env: Any = template.environment
    env.reset_budgets()
    try:
        chunks: list[str] = []
        size = 0
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateLimit(f"the template produced more than {MAX_OUTPUT_CHARS:,} characters")
            chunks.append(chunk)
        return "".join(chunks)
    except TemplateLimit as exc:
        filename, line = _template_frame(exc, template.filename or name)
        raise TemplateError.at(
            filename,
            f"stopped: {exc.message}; a QSR is a few pages, so look for a loop or repetition "
            "that runs away",
            line=line,
        ) from None
    except QsrError:
        raise
    except Exception as exc:
        filename, line = _template_frame(exc, template.filename or name)
        raise TemplateError.at(filename, _explain_template_error(exc), line=line) from None


def _explain_template_error(exc: Exception) -> str:
    """What went wrong while running a template, and what to do, in a seller-ops' words."""
    from jinja2 import TemplateNotFound, UndefinedError
    from jinja2.exceptions import SecurityError

    if isinstance(exc, UndefinedError):
        return (f"{exc.message}; check the spelling of the names the template uses "
                "(`qsrkit templates export` writes the built-in template, which uses every name)")
    if isinstance(exc, SecurityError):
        return (f"not allowed in a qsrkit template ({exc}); templates can use the answers and "
                "filters, not Python internals")
    if isinstance(exc, TemplateNotFound):
        return (f"cannot include {exc.name!r}: includes name a template file inside the templates "
                "folder (no `..` and no paths outside it)")
    return f"{type(exc).__name__}: {exc}; fix the template, or leave out --templates"


def _template_frame(exc: BaseException, default: str) -> tuple[str, int]:
    """The last traceback frame that belongs to a template (Jinja rewrites them to template lines)."""
    found = (default, 0)
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2") or name == default:
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found
