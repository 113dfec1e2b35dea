"""What an attacker or a careless user found in rendering (issue 10), through the real CLI.

Screenshots come only from the answers file's folder (or the org's screenshots_folder) and never
carry the renderer's paths into Markdown or HTML; an empty table cell renders; the org config's
wording mistakes are located; dashboards are limited and cost linear time.
"""

from __future__ import annotations

import base64
import io
import struct
import time
import zlib
from pathlib import Path

import docx
import pytest
from conftest import EXAMPLE, Result

ANSWERS = "answers.yaml"
LINK_ONLY = "the document shows the link only"
FIELD = "current_quarter.dashboards[0].screenshot"


def png(width: int = 4, height: int = 3) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def answers_with(folder: Path, *screenshots: str) -> Path:
    """An answers file in `folder` with one dashboard per screenshot path (the first
    `screenshot:` key is on line 8, column 7)."""
    boards = "".join(
        f"    - title: Board {i}\n      link: https://crm.example.com/{i}\n"
        f"      screenshot: {shot}\n" for i, shot in enumerate(screenshots))
    path = folder / ANSWERS
    path.write_text("schema_version: 1\naccount_executive: Sam\nquarter: 2026-Q4\n"
                    f"current_quarter:\n  dashboards:\n{boards}", encoding="utf-8")
    return path


def warned(result: Result, where: str, field: str, message: str) -> None:
    """The render went through (exit 0, no traceback) and said `message` about `field`, which
    stands in `where` (`answers.yaml:8:7`, `/org/qsrkit.yaml:7:5`).

    Until batch.render_one passes the answers file's positions to render() (see
    test_screenshot_warning_names_its_line), a warning about the answers file comes unlocated,
    as `warning: answers.yaml: FIELD: MESSAGE`, and one about the org config as
    `warning: answers.yaml: WHERE: FIELD: MESSAGE`; afterwards both are `WHERE: FIELD: warning:
    MESSAGE`. Either is accepted here."""
    assert result.exit_code == 0, result
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = [" ".join(line.split()) for line in result.stderr.splitlines()]
    before = (f"warning: {ANSWERS}: {field}: {message}" if where.startswith(f"{ANSWERS}:")
              else f"warning: {ANSWERS}: {where}: {field}: {message}")
    assert before in lines or f"{where}: {field}: warning: {message}" in lines, result.stderr


def pictures(path: Path) -> int:
    return len(docx.Document(str(path)).inline_shapes)


def body_text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


# --- 2. screenshots only from the answers file's folder ------------------------------------------


@pytest.fixture
def outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A picture the renderer owns outside the rep's folder, and the rep's folder as cwd."""
    (tmp_path / "private.png").write_bytes(png())
    rep = tmp_path / "rep"
    (rep / "shots").mkdir(parents=True)
    (rep / "shots" / "board.png").write_bytes(png())
    monkeypatch.chdir(rep)
    return tmp_path / "private.png"


@pytest.mark.parametrize("how", ["absolute", "parent", "deep parent", "link", "linked folder"])
def test_a_screenshot_outside_the_answers_folder_is_left_out_with_the_reason(
        run, outside: Path, how: str) -> None:
    rep = outside.parent / "rep"
    if how == "link":
        (rep / "shots" / "innocent.png").symlink_to(outside)
    if how == "linked folder":
        (rep / "shots" / "more").symlink_to(outside.parent, target_is_directory=True)
    typed = {"absolute": str(outside), "parent": "../private.png",
             "deep parent": "shots/" + "../" * (len(rep.parts) + 2) + "/".join(outside.parts[1:]),
             "link": "shots/innocent.png", "linked folder": "shots/more/private.png"}[how]
    answers_with(rep, typed)
    reason = (f"is a link to {outside}, outside the answers file's folder"
              if how in ("link", "linked folder") else "is outside the answers file's folder")
    message = (f"{typed} {reason}, where screenshots must be: copy the picture into the answers "
               f"file's folder and name it from there; {LINK_ONLY}")
    for fmt in ("docx", "md", "html"):
        result = run("render", ANSWERS, "-o", f"out.{fmt}", "-f", fmt)
        warned(result, f"{ANSWERS}:8:7", FIELD, message)
    assert pictures(rep / "out.docx") == 0
    assert "https://crm.example.com/0" in body_text(rep / "out.docx")
    for fmt in ("md", "html"):
        text = (rep / f"out.{fmt}").read_text(encoding="utf-8")
        assert "https://crm.example.com/0" in text
        assert "<img" not in text and "![" not in text and str(outside.parent) not in text


def test_a_screenshot_inside_the_folder_shows_in_every_format_without_paths(
        run, outside: Path) -> None:
    rep = outside.parent / "rep"
    answers_with(rep, "shots/board.png", str(rep / "shots" / "board.png"))  # relative, absolute
    for fmt in ("docx", "md", "html"):
        result = run("render", ANSWERS, "-o", f"out.{fmt}", "-f", fmt)
        assert result.exit_code == 0 and result.stderr == "", result
    assert pictures(rep / "out.docx") == 2
    html = (rep / "out.html").read_text(encoding="utf-8")
    data = base64.b64encode(png()).decode()
    assert html.count(f'<img src="data:image/png;base64,{data}" alt="Screenshot of Board') == 2
    markdown = (rep / "out.md").read_text(encoding="utf-8")
    for index in (0, 1):
        assert (f"*Screenshot of Board {index} (shots/board.png): the picture is in the Word "
                "and HTML versions*") in markdown
    for text in (html, markdown):
        assert str(rep) not in text and "qsrkit-screenshot" not in text and "![" not in text


def test_a_missing_unreadable_or_wrong_screenshot_says_why(run, outside: Path) -> None:
    rep = outside.parent / "rep"
    (rep / "shots" / "notes.txt").write_text("not a picture", encoding="utf-8")
    with (rep / "shots" / "huge.png").open("wb") as handle:
        handle.write(png())
        handle.truncate(11 * 1024 * 1024)
    (rep / "shots" / "folder.png").mkdir()
    answers_with(rep, "shots/gone.png", "shots/notes.txt", "shots/huge.png", "shots/folder.png",
                 "shots/board.png")
    result = run("render", ANSWERS, "-o", "out.docx")
    field = "current_quarter.dashboards[{}].screenshot"
    for index, message in enumerate([
        "shots/gone.png (relative to the answers file's folder) not found",
        "shots/notes.txt is not a PNG, JPEG or GIF picture: save the screenshot as one",
        "shots/huge.png is 11.0 MB, more than the 10 MB a screenshot can be: crop it or save it "
        "as JPEG",
        "shots/folder.png is a folder, not a picture",
    ]):
        warned(result, f"{ANSWERS}:{8 + 3 * index}:7", field.format(index), f"{message}; {LINK_ONLY}")
    assert pictures(rep / "out.docx") == 1


def test_org_config_screenshots_come_from_its_own_folder(run, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    org = tmp_path / "org"
    (org / "shots").mkdir(parents=True)
    (org / "shots" / "team.png").write_bytes(png())
    (tmp_path / "elsewhere.png").write_bytes(png())
    (org / "qsrkit.yaml").write_text(
        "dashboards:\n  - title: Team\n    link: https://crm.example.com/team\n"
        "    screenshot: shots/team.png\n"
        "  - title: Other\n    link: https://crm.example.com/other\n"
        "    screenshot: ../elsewhere.png\n", encoding="utf-8")
    rep = tmp_path / "rep"
    rep.mkdir()
    monkeypatch.chdir(rep)  # neither the config's folder nor where its pictures are
    (rep / ANSWERS).write_text("account_executive: Sam\nquarter: 2026-Q4\n", encoding="utf-8")
    result = run("render", ANSWERS, "-o", "out.docx", "--config", org / "qsrkit.yaml")
    warned(result, f"{org / 'qsrkit.yaml'}:7:5", "dashboards[1].screenshot",
           "../elsewhere.png is outside the folder of qsrkit.yaml, where screenshots must be: "
           f"copy the picture into the folder of qsrkit.yaml and name it from there; {LINK_ONLY}")
    assert pictures(rep / "out.docx") == 1


def test_screenshots_folder_in_the_org_config_is_shared_by_every_answers_file(
        run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "team-shots").mkdir()
    (tmp_path / "team-shots" / "pipeline.png").write_bytes(png())
    rep = tmp_path / "rep"
    rep.mkdir()
    monkeypatch.chdir(rep)
    answers_with(rep, "../team-shots/pipeline.png")
    refused = run("render", ANSWERS, "-o", "refused.docx")
    warned(refused, f"{ANSWERS}:8:7", FIELD,
           "../team-shots/pipeline.png is outside the answers file's folder, where screenshots "
           f"must be: copy the picture into the answers file's folder and name it from there; "
           f"{LINK_ONLY}")
    assert pictures(rep / "refused.docx") == 0
    (tmp_path / "qsrkit.yaml").write_text("screenshots_folder: team-shots\n", encoding="utf-8")
    result = run("render", ANSWERS, "-o", "out.md", "-f", "md", "--config",
                 tmp_path / "qsrkit.yaml")
    assert result.exit_code == 0 and result.stderr == "", result
    assert "(pipeline.png): the picture is in the Word" in (rep / "out.md").read_text("utf-8")
    # Still nothing outside both folders.
    answers_with(rep, "../qsrkit.yaml")
    result = run("render", ANSWERS, "-o", "out.docx", "--config", tmp_path / "qsrkit.yaml")
    warned(result, f"{ANSWERS}:8:7", FIELD,
           "../qsrkit.yaml is outside the answers file's folder and the screenshots_folder of "
           "qsrkit.yaml, where screenshots must be: copy the picture into the answers file's "
           f"folder and name it from there; {LINK_ONLY}")


def test_a_template_cannot_embed_other_files(run, in_tmp: Path) -> None:
    (in_tmp / "tpl-image").mkdir()
    (in_tmp / "secret.png").write_bytes(png())
    (in_tmp / "tpl-image" / "qsr.md.j2").write_text(
        f'# {{{{ rep }}}}\n\n{{{{ "{in_tmp / "secret.png"}" | image("x") }}}}\n\n'
        "{{ '![y](/etc/hostname)' | markdown }}\n", encoding="utf-8")
    (in_tmp / ANSWERS).write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    for fmt in ("docx", "html"):
        result = run("render", ANSWERS, "--templates", "tpl-image", "-o", f"out.{fmt}", "-f", fmt)
        assert result.exit_code == 0, result
        for src in (in_tmp / "secret.png", "/etc/hostname"):
            assert (f"warning: {ANSWERS}: image {src} was left out: a QSR shows only the "
                    "dashboards' screenshots (`d.screenshot | image` in the template)"
                    ) in " ".join(result.stderr.split())
    assert pictures(in_tmp / "out.docx") == 0
    assert "<img" not in (in_tmp / "out.html").read_text(encoding="utf-8")


def test_screenshot_warning_names_its_line_when_the_caller_gives_positions(
        tmp_path: Path) -> None:
    """What batch.render_one gets once it passes `source=loaded.document` to render()."""
    from qsrkit.answers.loading import load_answers
    from qsrkit.config import OrgConfig
    from qsrkit.document.pipeline import RenderOptions, render
    from qsrkit.errors import Problem

    source = answers_with(tmp_path, "../x.png")
    loaded = load_answers(source)
    done = render(loaded.model, RenderOptions(OrgConfig()), answers_dir=tmp_path,
                  source=loaded.document)
    assert done.problems == [Problem(
        str(source), 8, 7, FIELD, "../x.png is outside the answers file's folder, where "
        "screenshots must be: copy the picture into the answers file's folder and name it from "
        f"there; {LINK_ONLY}", severity="warning")]
    assert done.warnings == []


def test_screenshot_warning_names_its_line(run, in_tmp: Path) -> None:
    answers_with(in_tmp, "../x.png")
    result = run("render", ANSWERS, "-o", "out.docx")
    assert result.exit_code == 0, result
    assert (f"{ANSWERS}:8:7: {FIELD}: warning: ../x.png is outside the answers file's folder, "
            "where screenshots must be: copy the picture into the answers file's folder and name "
            f"it from there; {LINK_ONLY}") in result.stderr.splitlines()


def test_check_warns_about_a_screenshot_as_render_does(run, in_tmp: Path) -> None:
    answers_with(in_tmp, "../x.png")
    result = run("check", ANSWERS)
    assert result.exit_code == 0, result
    assert (f"{ANSWERS}:8:7: {FIELD}: warning: ../x.png is outside the answers file's folder, "
            "where screenshots must be: copy the picture into the answers file's folder and name "
            f"it from there; {LINK_ONLY}") in result.stdout.splitlines()
    # A picture in the org's screenshots_folder (outside the answers file's folder) is fine for
    # check as for render, and refused without that setting.
    (in_tmp / "team-shots").mkdir()
    (in_tmp / "team-shots" / "board.png").write_bytes(png())
    (in_tmp / "rep").mkdir()
    answers = answers_with(in_tmp / "rep", "../team-shots/board.png")
    (in_tmp / "org.yaml").write_text("screenshots_folder: team-shots\n", encoding="utf-8")
    (in_tmp / "bare.yaml").write_text("company: Acme\n", encoding="utf-8")
    assert "screenshot" not in run("check", answers, "--config", "org.yaml").stdout
    assert "is outside the answers file's folder" in run("check", answers, "--config",
                                                         "bare.yaml").stdout


# --- 3. an empty table cell -----------------------------------------------------------------------


def test_a_template_table_with_an_empty_column_renders(run, in_tmp: Path) -> None:
    (in_tmp / "tpl-empty").mkdir()
    (in_tmp / "tpl-empty" / "qsr.md.j2").write_text(
        "# {{ rep }}\n\n| Name | | Notes |\n|---|---|---|\n| {{ rep }} | | |\n|  |  |  |\n",
        encoding="utf-8")
    result = run("render", EXAMPLE, "--templates", "tpl-empty", "-o", "out.docx")
    assert result.exit_code == 0 and "Traceback" not in result.stderr, result
    [table] = docx.Document(str(in_tmp / "out.docx")).tables
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Name", "", "Notes"], ["Avery Quinn", "", ""], ["", "", ""]]


def test_an_empty_label_in_the_org_config_renders(run, in_tmp: Path) -> None:
    (in_tmp / "qsrkit.yaml").write_text('wording:\n  win_rate: ""\n  metric: ""\n',
                                        encoding="utf-8")
    result = run("render", EXAMPLE, "-o", "out.docx")
    assert result.exit_code == 0 and "Traceback" not in result.stderr, result
    tables = docx.Document(str(in_tmp / "out.docx")).tables
    metrics = next([[c.text for c in row.cells] for row in t.rows] for t in tables
                   if t.rows[0].cells[1].text == "Goal")
    assert metrics[0][0] == "" and [row[0] for row in metrics].count("") == 2


# --- 4. the org config's wording, located ---------------------------------------------------------


def test_an_unknown_wording_key_is_located_with_the_closest_label(run, in_tmp: Path) -> None:
    (in_tmp / "qsrkit.yaml").write_text("company: Northwind\nwording:\n  sectoin2: Typo\n"
                                        "  zzz: Nothing like it\n", encoding="utf-8")
    result = run("render", EXAMPLE, "-o", "out.docx")
    assert result.exit_code == 3, result
    lines = result.stderr.splitlines()
    config = in_tmp / "qsrkit.yaml"
    assert (f"{config}:3:3: wording.sectoin2: error: unknown key 'sectoin2'; did you mean "
            "'section2'?") in lines
    assert any(line.startswith(f"{config}:4:3: wording.zzz: error: unknown key 'zzz'; the keys "
                               "here are: title, account_executive, manager,") for line in lines)
    assert "Traceback" not in result.stderr and not (in_tmp / "out.docx").exists()


@pytest.mark.parametrize("blank", ["", " null", " ~", " Null"])
def test_an_empty_label_says_so(run, in_tmp: Path, blank: str) -> None:
    (in_tmp / "qsrkit.yaml").write_text(f"wording:\n  title:{blank}\n", encoding="utf-8")
    result = run("render", EXAMPLE, "-o", "out.docx")
    assert result.exit_code == 3, result
    assert result.stderr.splitlines() == [
        f"{in_tmp / 'qsrkit.yaml'}:2:3: wording.title: error: a label cannot be empty; write "
        'the text (or "" for no text), or delete the line to keep the default']
    assert not (in_tmp / "out.docx").exists()


# --- 5. dashboards: a handful, in linear time ----------------------------------------------------


def test_more_than_ten_dashboards_in_an_answers_file_are_refused(run, in_tmp: Path) -> None:
    boards = "".join(f"    - title: Board {i}\n      link: https://crm.example.com/{i}\n"
                     for i in range(11))
    (in_tmp / ANSWERS).write_text(f"schema_version: 1\ncurrent_quarter:\n  dashboards:\n{boards}",
                                  encoding="utf-8")
    message = (f"{ANSWERS}:3:3: current_quarter.dashboards: error: has 11 entries; the QSR keeps "
               "at most 10: a QSR links the few dashboards the review is run from; keep the ones "
               "you will open in the meeting and link the rest from one of them")
    for command in (("check", ANSWERS), ("render", ANSWERS, "-o", "out.docx")):
        result = run(*command)
        assert result.exit_code == 3, result
        assert message in result.output.splitlines(), result
    assert not (in_tmp / "out.docx").exists()


def test_more_than_ten_dashboards_in_the_org_config_are_refused(run, in_tmp: Path) -> None:
    # (Thousands of them stop earlier, at the YAML reader's 10,000-value cap: test_bad_input.)
    boards = "".join(f"  - title: Board {i}\n    link: https://crm.example.com/{i}\n"
                     for i in range(1_500))
    (in_tmp / "qsrkit.yaml").write_text(f"company: Northwind\ndashboards:\n{boards}",
                                        encoding="utf-8")
    started = time.perf_counter()
    result = run("render", EXAMPLE, "-o", "out.docx")
    assert result.exit_code == 3, result
    assert result.stderr.splitlines() == [
        f"{in_tmp / 'qsrkit.yaml'}:2:1: dashboards: error: has 1500 entries; the QSR keeps at "
        "most 10: a QSR links the few dashboards the review is run from; keep the ones you will "
        "open in the meeting and link the rest from one of them"]
    assert time.perf_counter() - started < 30  # was 65 s and more, rendering them all


def test_twenty_dashboards_at_the_limit_all_show(run, in_tmp: Path) -> None:
    org = "".join(f"  - title: Org {i}\n    link: https://crm.example.com/org/{i}\n"
                  for i in range(10))
    (in_tmp / "qsrkit.yaml").write_text(f"dashboards:\n{org}", encoding="utf-8")
    own = "".join(f"    - title: Own {i}\n      link: https://crm.example.com/own/{i}\n"
                  for i in range(10))
    (in_tmp / ANSWERS).write_text(f"current_quarter:\n  dashboards:\n{own}", encoding="utf-8")
    result = run("render", ANSWERS, "-o", "out.docx")
    assert result.exit_code == 0, result
    document = docx.Document(str(in_tmp / "out.docx"))
    links = [r.target_ref for r in document.part.rels.values() if r.is_external]
    assert sorted(links) == sorted([f"https://crm.example.com/org/{i}" for i in range(10)]
                                   + [f"https://crm.example.com/own/{i}" for i in range(10)])


def test_links_cost_linear_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """python-docx's relate_to scans every relationship per new link (quadratic: 15,000 links
    took a minute); the body writer numbers its own. Counted, not timed, so it cannot flake."""
    from docx.opc.rel import Relationships

    from qsrkit.document.docx_writer import DocMeta, write_docx

    scans = 0
    original = Relationships._get_matching

    def counted(self: Relationships, *args: object, **kwargs: object) -> object:
        nonlocal scans
        scans += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Relationships, "_get_matching", counted)
    markdown = "".join(f"- [Board {i}](<https://crm.example.com/{i}>)\n" for i in range(3000))
    markdown += "- [again](<https://crm.example.com/7>)\n"
    data, warnings = write_docx(markdown, DocMeta("t", "a", "", "", ""))
    assert warnings == [] and scans < 20, scans
    document = docx.Document(io.BytesIO(data))
    external = [r for r in document.part.rels.values() if r.is_external]
    assert len(external) == 3000  # one relationship per address, reused
    ids = list(document.part.rels)
    assert len(ids) == len(set(ids))


def test_pictures_cost_linear_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """python-docx's get_or_add_image scans every image part twice per picture and every
    relationship once (4,000 distinct pictures took 267 s); equal pictures still share a part."""
    from docx.opc.rel import Relationships
    from docx.package import ImageParts

    from qsrkit.answers.screenshots import Picture
    from qsrkit.document.docx_writer import DocMeta, write_docx

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a scan of every image part")

    for name in ("_get_by_sha1", "_next_image_partname"):
        monkeypatch.setattr(ImageParts, name, refuse)
    scans = 0
    original = Relationships._get_matching

    def counted(self: Relationships, *args: object, **kwargs: object) -> object:
        nonlocal scans
        scans += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Relationships, "_get_matching", counted)
    pictures = {f"qsrkit-screenshot:{i}": Picture(png(4 + i, 3), "png", f"shots/{i}.png")
                for i in range(1, 51)}
    pictures["qsrkit-screenshot:51"] = pictures["qsrkit-screenshot:1"]
    markdown = "".join(f"![Board {i}](<qsrkit-screenshot:{i}>)\n\n" for i in range(1, 52))
    data, warnings = write_docx(markdown, DocMeta("t", "a", "", "", ""), pictures=pictures)
    assert warnings == [] and scans < 10, scans  # the header and footer, not the pictures
    document = docx.Document(io.BytesIO(data))
    assert len(document.inline_shapes) == 51
    media = [p for p in document.part.package.iter_parts() if "/media/" in str(p.partname)]
    assert len(media) == 50
