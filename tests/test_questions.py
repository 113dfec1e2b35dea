"""Questions sales operations add in qsrkit.yaml: scaffolded, checked like built-in answers, and
shown in their section. Every test runs the real commands in a temporary folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import docx

CONFIG = """\
questions:
  - section: previous_quarter
    key: biggest_competitor
    label: Competitor met most often
  - section: skill_development
    key: coach
    label: Who will coach you
  - section: current_quarter
    key: partner_deals
    label: Deals to close with a partner
    kind: list
    limit: 2
  - section: current_quarter
    key: marketing_budget
    label: Marketing budget asked for
    kind: amount
    optional: true
"""


def setup(run: Any, folder: Path) -> Path:
    (folder / "qsrkit.yaml").write_text(CONFIG, encoding="utf-8")
    assert run("new", "--rep", "Sam Ortiz", "--quarter", "2026-Q4").exit_code == 0
    return folder / "sam-ortiz-2026-Q4.yaml"


def answer(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_new_scaffolds_the_added_questions_in_their_sections(run: Any, in_tmp: Path) -> None:
    text = setup(run, in_tmp).read_text(encoding="utf-8")
    previous, current = text.split("current_quarter:", 1)
    assert "  # Competitor met most often (asked by your team)\n  biggest_competitor:" in previous
    assert text.count("    # Who will coach you (asked by your team)\n    coach:") == 2  # a skill each
    assert ("  # Deals to close with a partner; at most 2 (asked by your team)\n"
            "  partner_deals:\n    -") in current
    assert "  # optional: Marketing budget asked for; an amount (asked by your team)" in current
    schema = json.loads((in_tmp / "qsrkit-answers.schema.json").read_text(encoding="utf-8"))
    assert "biggest_competitor" in json.dumps(schema)


def test_check_reads_added_answers_by_the_same_rules(run: Any, in_tmp: Path) -> None:
    path = setup(run, in_tmp)
    result = run("check", path)
    assert result.exit_code == 0, result
    out = result.stdout
    assert "previous_quarter.biggest_competitor: warning: not answered yet" in out
    assert "skill_development[0].coach: warning: not answered yet" in out
    assert "marketing_budget" not in out  # optional: not listed while blank
    answer(path, "  marketing_budget:", "  marketing_budget: $15,000")
    answer(path, "  partner_deals:\n    -", "  partner_deals:\n    - A\n    - B\n    - C")
    answer(path, "  biggest_competitor:", "  biggest_competitr: Globex\n  biggest_competitor:")
    bad = run("check", path)
    assert bad.exit_code == 3, bad
    assert ("current_quarter.marketing_budget: error: write an amount as a plain number without "
            "a currency sign or thousands separators, e.g. 15000") in bad.stdout
    assert ("current_quarter.partner_deals: error: has 3 entries; the QSR keeps at most 2: sales "
            "operations keep 'Deals to close with a partner' to 2") in bad.stdout
    assert ("previous_quarter.biggest_competitr: error: unknown key 'biggest_competitr'; did you "
            "mean 'biggest_competitor'?") in bad.stdout


def test_the_document_shows_added_answers_in_their_sections(run: Any, in_tmp: Path) -> None:
    path = setup(run, in_tmp)
    answer(path, "  biggest_competitor:", "  biggest_competitor: Globex")
    answer(path, "    coach:", "    coach: Morgan Ellis")
    answer(path, "  partner_deals:\n    -", "  partner_deals:\n    - Initech renewal\n    - Hooli")
    answer(path, "  marketing_budget:", "  marketing_budget: 15000")
    assert run("render", path, "-o", "out.docx").exit_code == 0
    body = [p.text for p in docx.Document(str(in_tmp / "out.docx")).paragraphs]
    section2 = body.index("Section 2 — CRM and data pledge")
    section4 = body.index("Section 4 — Current quarter plan")
    competitor = body.index("Competitor met most often: Globex")
    assert competitor < section2  # in Section 1
    assert "Deals to close with a partner: Initech renewal; Hooli" in body[section4:]
    assert "Marketing budget asked for: $15,000" in body[section4:]
    assert any(p.endswith("Who will coach you: Morgan Ellis") for p in body)


def test_without_the_org_config_an_added_answer_is_an_unknown_key(run: Any, in_tmp: Path) -> None:
    path = setup(run, in_tmp)
    (in_tmp / "qsrkit.yaml").unlink()
    result = run("check", path)
    assert result.exit_code == 3
    assert "previous_quarter.biggest_competitor: error: unknown key 'biggest_competitor'" in result.stdout


def test_bad_question_declarations_are_located_in_qsrkit_yaml(run: Any, in_tmp: Path) -> None:
    cases = {
        "questions:\n  - section: previous_quarter\n    key: BigCompetitor\n    label: X\n":
            "qsrkit.yaml:3:5: questions[0].key: error: 'BigCompetitor' is not a key qsrkit can "
            "use; write it in snake_case",
        "questions:\n  - section: previous_quarter\n    key: diagnosis\n    label: X\n":
            "questions: error: questions[0]: 'diagnosis' is already an answer of previous_quarter",
        "questions:\n  - section: section9\n    key: x\n    label: X\n":
            "questions[0].section: error:",
    }
    for config, message in cases.items():
        (in_tmp / "qsrkit.yaml").write_text(config, encoding="utf-8")
        result = run("new", "--rep", "A", "--quarter", "2026-Q4", "--force")
        assert result.exit_code == 3, (config, result)
        assert message in result.stderr, (message, result.stderr)


def test_a_custom_template_can_use_the_added_answers(run: Any, in_tmp: Path) -> None:
    path = setup(run, in_tmp)
    answer(path, "  biggest_competitor:", "  biggest_competitor: Globex")
    (in_tmp / "tpl").mkdir()
    (in_tmp / "tpl" / "qsr.md.j2").write_text(
        "# {{ rep }}\n\n{% for q in asked.previous_quarter %}{{ q.key }} = {{ q.value }}\n"
        "{% endfor %}", encoding="utf-8")
    result = run("render", path, "--templates", "tpl", "-f", "md", "-o", "-")
    assert result.exit_code == 0, result
    assert "biggest\\_competitor = Globex" in result.stdout
