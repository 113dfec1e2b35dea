"""Render many answers files: keep going past a bad one, use both cores when there are many.

Workers load and render; the parent writes every file (atomically, never over an existing one
without `force`, never over one of the run's inputs) once all are rendered, so that two inputs
that would produce the same file name are both refused before anything is written, instead of
one silently replacing the other. With more than one input, an existing document is skipped
and listed (`--force` replaces it), as `qsrkit new --team` does; a single input that names an
existing file is an error. Nothing here prints: progress goes through a callback.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from qsrkit.document.pipeline import RenderOptions
from qsrkit.errors import ExitCode, Problem, QsrError, WriteError

# Below this many files one process is faster than starting workers.
PARALLEL_FROM = 8
# What each worker process needs, imported once by the forkserver before workers fork from it.
# (python-docx and markdown-it are not among them: the bundled template renders without them.)
PRELOAD = ("qsrkit.document.batch", "qsrkit.answers.loading", "qsrkit.document.pipeline",
           "qsrkit.document.docx_writer", "qsrkit.document.fastmarkdown", "jinja2.sandbox")


@dataclass
class Job:
    source: Path | None  # None: the blank template
    output: Path | None  # None: the default name in out_dir


@dataclass
class Outcome:
    source: str
    output: Path | None = None
    warnings: list[str] = field(default_factory=list)
    # Located warnings about the input itself (characters removed, file empty); unanswered
    # fields are left to `qsrkit check`, since a half-filled file renders on purpose.
    input_warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # located input problems
    error: str | None = None
    hint: str | None = None
    exit_code: ExitCode = ExitCode.OK
    skipped: bool = False  # the output existed and was kept (no --force)
    document: bytes | None = None  # the rendered bytes, kept when they go to standard output

    @property
    def ok(self) -> bool:
        return self.exit_code == ExitCode.OK


@dataclass
class _Rendered:
    outcome: Outcome
    data: bytes | None = None
    name: str | None = None
    inputs: list[Path] = field(default_factory=list)  # the screenshots it read


def render_one(job: Job, options: RenderOptions) -> _Rendered:
    """Load and render one input; every QsrError becomes a failed Outcome, never an exception."""
    from qsrkit.document.pipeline import render
    from qsrkit.errors import InvalidInput

    label = str(job.source) if job.source else "(blank template)"
    outcome = Outcome(label)
    source = None
    try:
        if job.source is None:
            answers, folder, fallback = options.config.answers_model(), None, "qsr-template"
        else:
            from qsrkit.answers.loading import load_answers

            loaded = load_answers(job.source, model=options.config.answers_model)
            answers, source = loaded.model, loaded.document
            outcome.input_warnings = list(loaded.document.warnings)
            folder, fallback = job.source.parent, f"{job.source.stem}-qsr"
        result = render(answers, options, answers_dir=folder, fallback_name=fallback,
                        source=source)
    except InvalidInput as exc:
        outcome.problems = [p for p in exc.problems if p.severity == "error"]
        outcome.error = exc.message
        outcome.exit_code = exc.exit_code
        return _Rendered(outcome)
    except QsrError as exc:
        outcome.error, outcome.hint, outcome.exit_code = exc.message, exc.hint, exc.exit_code
        return _Rendered(outcome)
    outcome.warnings = result.warnings
    # Screenshots refused or missing, located in the answers file (or the org config).
    outcome.input_warnings.extend(result.problems)
    return _Rendered(outcome, result.data, result.name, result.inputs)


def _worker(args: tuple[Job, RenderOptions]) -> _Rendered:
    return render_one(*args)


def render_all(
    jobs: Sequence[Job],
    options: RenderOptions,
    *,
    out_dir: Path,
    force: bool = False,
    on_done: Callable[[Outcome], None] | None = None,
    workers: int | None = None,
    inputs: Sequence[tuple[Path, str]] = (),
    to_stdout: bool = False,
) -> list[Outcome]:
    """Render every job, then write each document; one Outcome per job, in order.

    `inputs` are the files the whole run reads (org config, templates, reference document),
    which no document may replace; each job's answers file is added to them.
    """
    from qsrkit.document.run_inputs import RunInputs
    from qsrkit.fileio import write_atomic
    from qsrkit.filenames import path_key, quoted_list

    pdf = options.format == "pdf"  # workers write .docx; one LibreOffice run converts them all
    rendered = []
    for item in _rendered(jobs, replace(options, format="docx") if pdf else options, workers):
        if pdf and item.name:
            item.name = str(Path(item.name).with_suffix(".pdf"))
        rendered.append(item)
        if on_done is not None:
            on_done(item.outcome)
    targets = [job.output or out_dir / (item.name or "qsr.docx")
               for job, item in zip(jobs, rendered, strict=True)]
    if pdf:
        _convert([item for item, target in zip(rendered, targets, strict=True) if item.data
                  is not None and (to_stdout or force or not target.exists())])
    if to_stdout:  # `-o -`: the caller writes the one document to standard output
        for item in rendered:
            item.outcome.document = item.data
        return [item.outcome for item in rendered]
    writers: dict[str, list[str]] = {}
    for item, target in zip(rendered, targets, strict=True):
        if item.data is not None:
            writers.setdefault(path_key(target), []).append(item.outcome.source)
    every_input = RunInputs([*inputs, *((job.source, "answers file") for job in jobs if job.source)])
    many = len(jobs) > 1
    for item, target in zip(rendered, targets, strict=True):
        outcome = item.outcome
        if item.data is None:
            continue
        try:
            sources = writers[path_key(target)]
            if len(sources) > 1:
                raise WriteError(
                    f"{target} would be written for both {quoted_list(sources)}; neither was "
                    "written",
                    hint="two answers files have the same rep and quarter; fix one, or render "
                    "them separately with -o",
                )
            every_input.refuse(target, [(p, "screenshot") for p in item.inputs])
            if many and not force and target.exists():
                outcome.output, outcome.skipped = target, True
                continue
            write_atomic(target, item.data, force=force)
            outcome.output = target
        except QsrError as exc:
            outcome.error, outcome.hint, outcome.exit_code = exc.message, exc.hint, exc.exit_code
    return [item.outcome for item in rendered]


def _convert(items: list[_Rendered]) -> None:
    """Each item's .docx becomes its PDF; one LibreOffice failed on, a failed outcome."""
    from qsrkit.document.pdf import convert

    for item, result in zip(items, convert([i.data or b"" for i in items]), strict=True):
        if isinstance(result, QsrError):
            item.data, out = None, item.outcome
            out.error, out.hint, out.exit_code = result.message, result.hint, result.exit_code
        else:
            item.data = result


def _rendered(jobs: Sequence[Job], options: RenderOptions,
              workers: int | None) -> Iterator[_Rendered]:
    """Rendered jobs in order, each as soon as it is ready (so progress moves while they render)."""
    count = workers if workers is not None else min(os.cpu_count() or 1, len(jobs))
    if count < 2 or len(jobs) < PARALLEL_FROM:
        for job in jobs:
            yield render_one(job, options)
        return
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=count, mp_context=_context(options))
    try:
        chunk = max(1, len(jobs) // (count * 4))
        with _installed_package_first(), signals_held():
            results = pool.map(_worker, [(job, options) for job in jobs], chunksize=chunk)
        yield from results
    except BaseException:
        # Ctrl-C, SIGTERM, SIGHUP or a failure: no worker may outlive this process, holding
        # the caller's standard output open and a script that waits on it.
        stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _context(options: RenderOptions) -> Any:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods and sys.version_info >= (3, 11):
        # Workers fork from a clean server that has imported the rendering libraries once: fast
        # to start, and safe while the parent runs threads (the progress bar), unlike fork.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(PRELOAD))
        return context
    if "fork" in methods and sys.version_info >= (3, 11):  # pragma: no cover - no forkserver
        _warm(options)  # workers inherit the warm caches
        return multiprocessing.get_context("fork")
    # Python 3.10 cannot keep the current folder off the forkserver's import path; spawn
    # workers start from the parent's import path instead.
    return multiprocessing.get_context("spawn")  # pragma: no cover - Python 3.10


@contextlib.contextmanager
def _installed_package_first() -> Iterator[None]:
    """Start worker processes without the current folder on their import path.

    The forkserver runs `python -c ...`, which puts the current folder first on `sys.path`: run
    from a clone of this repository, it would import the source tree (which has no
    `qsrkit.templates`) instead of the package the parent imported. PYTHONSAFEPATH (Python
    3.11+) leaves that folder out; it is set only while the workers start.
    """
    before = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PYTHONSAFEPATH", None)
        else:
            os.environ["PYTHONSAFEPATH"] = before


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP while worker processes start (a fraction of a second).

    A signal that stops the parent half-way through starting a worker leaves the worker
    without its instructions, and it dies with a traceback on the user's terminal; held, the
    signal arrives a moment later and every worker is ended cleanly.
    """
    import signal

    held = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
            if hasattr(signal, name)}
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def stop_workers(pool: Any) -> None:
    # The executor keeps its worker processes in a private attribute; there is no public way
    # to end them at once (shutdown waits for the tasks they are running).
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=5)


def _warm(options: RenderOptions) -> None:
    from qsrkit.answers.models import Answers
    from qsrkit.document.pipeline import render

    with contextlib.suppress(QsrError):  # the workers report the same error for each file
        render(Answers(), options)


def exit_code(outcomes: Sequence[Outcome]) -> ExitCode:
    """3 when any input was invalid, else 4 when any write failed, else the first other failure."""
    codes = {o.exit_code for o in outcomes if not o.ok}
    if not codes:
        return ExitCode.OK
    for code in (ExitCode.INVALID_INPUT, ExitCode.WRITE_FAILED):
        if code in codes:
            return code
    return min(codes)


@dataclass
class Request:
    jobs: list[Job]
    options: RenderOptions
    out_dir: Path
    warnings: list[str] = field(default_factory=list)  # about the set-up, said once per run
    inputs: list[tuple[Path, str]] = field(default_factory=list)  # no output may replace these
    to_stdout: bool = False  # `-o -`


def prepare(
    files: Sequence[Path],
    *,
    output: Path | None = None,
    out_dir: Path | None = None,
    blank: bool = False,
    fmt: str = "docx",
    templates: Path | None = None,
    reference: Path | None = None,
    config_path: Path | None = None,
    stdout_is_terminal: bool = False,
    crm: Path | None = None,
    columns: Path | None = None,
    as_of: str | None = None,
) -> Request:
    """Check the options of `qsrkit render` and turn them into jobs; UsageError if they clash."""
    from qsrkit.config import load_config
    from qsrkit.document.pipeline import FORMATS
    from qsrkit.errors import UsageError

    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt}: use one of {', '.join(FORMATS)}")
    if blank and files:
        raise UsageError("--blank renders the empty template; give either --blank or answers files")
    if not blank and not files:
        raise UsageError("give one or more answers files to render, or --blank for the empty template",
                         hint="e.g. qsrkit render examples/*.yaml --out-dir out")
    if output is not None and len(files) > 1:
        raise UsageError("-o/--output names one file; with several inputs use --out-dir DIR")
    if output is not None and out_dir is not None:
        raise UsageError("give either -o/--output or --out-dir, not both")
    to_stdout = output is not None and str(output) == "-"
    if ((columns or as_of) and crm is None) or (blank and crm is not None):
        raise UsageError("--columns and --as-of go with --crm EXPORT, which needs answers files")
    if fmt == "pdf":
        from qsrkit.document.pdf import ready

        ready()  # before any work: without LibreOffice, no PDF
    if to_stdout and fmt in ("docx", "pdf") and stdout_is_terminal:
        raise UsageError(
            "-o - would print a binary .docx on the terminal",
            hint="redirect it to a file (qsrkit render FILE -o - > qsr.docx), or use -f md or "
            "-f html to read it on the terminal",
        )
    loaded = load_config(config_path)
    config = loaded.config
    base = loaded.path.parent if loaded.path else Path.cwd()
    if templates is None and config.templates:
        templates = base / config.templates
    if reference is None and config.reference_doc:
        reference = base / config.reference_doc
    if templates is not None and not templates.is_dir():
        raise UsageError(f"--templates {templates}: no such folder",
                         hint="create it with `qsrkit templates export DIR`")
    target_dir = out_dir or Path(".")
    if out_dir is not None:
        if out_dir.exists() and not out_dir.is_dir():
            raise WriteError(f"--out-dir {out_dir} is a file, not a folder")
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteError(f"cannot create the folder {out_dir}: {exc.strerror}") from None
    sources: list[Path | None] = [None] if blank else list(files)
    jobs = [Job(source, None if to_stdout else output) for source in sources]
    from qsrkit.crm.dashboard_export import open_crm  # read once, for every document

    crm_data = open_crm(crm, columns=columns, as_of=as_of) if crm is not None else None
    options = RenderOptions(config=config, format=fmt, templates=templates, reference=reference,
                            blank=blank, crm=crm_data)
    named = [(loaded.path, "org config"), (templates, "templates folder"),
             (reference, "reference document"), (crm, "CRM export"), (columns, "mapping file")]
    inputs = [(path, role) for path, role in named if path is not None]
    said = [p.format() for p in crm_data.warnings] if crm_data else []
    return Request(jobs, options, target_dir, said + check_setup(options), inputs, to_stdout)


def check_setup(options: RenderOptions) -> list[str]:
    """Fail once, before any file, when the template does not compile or the reference document
    cannot be used, rather than once per file; return the warnings about them, also said once."""
    from qsrkit.document.pipeline import reference_for
    from qsrkit.document.sandbox import compile_template
    from qsrkit.document.wording import labels_for

    labels_for(options.config)
    compile_template(options.templates)
    if options.format in ("docx", "pdf"):
        from qsrkit.document.reference_doc import reference_warnings

        return reference_warnings(reference_for(options))
    return []
