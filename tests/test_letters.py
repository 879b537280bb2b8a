"""Letter templates: the real ones validate and render safely; broken ones are reported with file:line."""

from __future__ import annotations

import datetime as dt
import io
import re
import textwrap
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX

from bot.cli.letters import main
from bot.content.letters import (
    FACTS,
    LetterTemplate,
    article_ids_in,
    letters_for_article,
    load_letters,
    parse_letter,
)
from bot.content.render_letter import (
    LETTER_QUESTIONS,
    askable_blank,
    format_letter_date,
    letter_to_docx,
    letter_to_txt,
    render_letter,
)

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
LETTERS = KNOWLEDGE / "letters"
TODAY = dt.date(2026, 11, 23)
REAL_ARTICLE_IDS = {p.stem for p in (KNOWLEDGE / "articles").glob("*.md")}
REQUIRED_LETTERS = {
    "ask-school-confirm-exclusion-or-return",
    "request-ehc-assessment",
    "chase-missed-ehc-deadline",
    "secure-section-f-provision",
    "request-early-annual-review",
    "request-section-19-education",
    "complaint-to-school",
    "complaint-to-council",
    "review-reduced-timetable",
}

# A small valid template that tests copy and break on purpose. Line numbers matter: the front matter
# runs from line 1 to line 18 and the letter starts on line 19.
VALID_LETTER = textwrap.dedent(
    """\
    ---
    id: sample-letter
    title: Ask the council for an assessment
    articles: [request-ehc-assessment]
    last_reviewed: 2026-11-01
    review_by: 2027-05-01
    owner: SEND law content lead
    sources:
      - key: cfa-s36
        title: Children and Families Act 2014, section 36
        citation: Children and Families Act 2014, s.36(1)
        url: https://www.legislation.gov.uk/ukpga/2014/6/section/36
    placeholders:
      child_name: {label: "your child's name", private: true}
      letter_date: {label: "today's date", from: today}
      year_group: {label: "your child's year group", from: year_group}
      deadline_date: {label: "the date the deadline fell"}
    ---
    {{letter_date}}

    Dear Sir or Madam,

    I ask for an education, health and care (EHC) needs assessment for {{child_name}}, {{year_group}}, under section 36 of the Children and Families Act 2014 [@cfa-s36].

    Please reply by {{deadline_date}}:
    - with the date you received this; and
    - the name of the officer dealing with it.

    Yours faithfully,
    """
)
FIXTURE_ARTICLES = {"request-ehc-assessment"}
LAW_LINE = 23  # the paragraph with the citation


def write_letter(folder: Path, text: str, name: str = "sample-letter") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return path


def load_one(tmp_path: Path, text: str, name: str = "sample-letter", today: dt.date = TODAY):
    folder = tmp_path / "letters"
    path = write_letter(folder, text, name)
    templates, problems = load_letters(folder, FIXTURE_ARTICLES, today)
    return path, templates, problems


@pytest.fixture(scope="module")
def real_templates() -> list[LetterTemplate]:
    templates, problems = load_letters(LETTERS, REAL_ARTICLE_IDS, TODAY)
    assert [str(p) for p in problems] == []
    return templates


# --------------------------------------------------------------------------------------
# The real templates
# --------------------------------------------------------------------------------------


def test_every_real_template_validates(real_templates: list[LetterTemplate]) -> None:
    ids = {t.id for t in real_templates}
    assert ids >= REQUIRED_LETTERS
    assert len(real_templates) == len(list(LETTERS.glob("*.md")))
    for template in real_templates:
        assert template.articles and set(template.articles) <= REAL_ARTICLE_IDS
        assert template.sources and template.owner and template.title


def test_article_ids_come_from_the_article_files() -> None:
    assert article_ids_in(KNOWLEDGE) == REAL_ARTICLE_IDS
    assert "informal-exclusion" in REAL_ARTICLE_IDS


def test_real_templates_cite_the_law_they_rely_on(real_templates: list[LetterTemplate]) -> None:
    by_id = {t.id: t for t in real_templates}
    citations = {key: {s.citation for s in by_id[key].sources} for key in REQUIRED_LETTERS}
    assert any("s.36" in c for c in citations["request-ehc-assessment"])
    assert any("reg 5(1)" in c for c in citations["chase-missed-ehc-deadline"])
    assert any("reg 13(2)" in c for c in citations["chase-missed-ehc-deadline"])
    assert any("s.42" in c for c in citations["secure-section-f-provision"])
    assert any("s.19" in c for c in citations["request-section-19-education"])


def test_no_personal_detail_is_ever_collected(real_templates: list[LetterTemplate]) -> None:
    for template in real_templates:
        for placeholder in template.placeholders:
            if re.search(r"name|address|birth", placeholder.name):
                assert placeholder.private, f"{template.id}: {placeholder.name}"
            if placeholder.from_fact is not None:
                assert placeholder.from_fact in FACTS


@pytest.mark.parametrize("facts", [{}, {"year_group": "year 9", "date": "2026-11-20", "duration": "6 weeks"}])
def test_every_placeholder_is_filled_or_visibly_blank(real_templates: list[LetterTemplate], facts) -> None:
    for template in real_templates:
        rendered = render_letter(template, facts, TODAY)
        assert "{{" not in rendered.text and "}}" not in rendered.text, template.id
        assert "[@" not in rendered.text, template.id
        used = set(re.findall(r"\{\{\s*([a-z0-9_]+)\s*\}\}", template.body))
        assert set(rendered.filled) | set(rendered.blanks) == used
        assert not set(rendered.filled) & set(rendered.blanks)
        for name in rendered.blanks:
            assert template.placeholder(name).blank in rendered.text  # e.g. "[your child's name]"
        assert format_letter_date(TODAY) in rendered.text  # every letter is dated


def test_private_placeholders_are_never_filled(real_templates: list[LetterTemplate]) -> None:
    for template in real_templates:
        facts = {p.name: f"LEAK-{p.name}" for p in template.placeholders}
        facts.update({fact: f"LEAK-{fact}" for fact in FACTS})
        rendered = render_letter(template, facts, TODAY)
        private = {p.name for p in template.placeholders if p.private}
        assert private <= set(rendered.blanks), template.id
        leaked = {m for m in re.findall(r"LEAK-([a-z_]+)", rendered.text) if m in private}
        assert leaked == set(), template.id


def test_facts_fill_values_and_dates_read_like_a_letter(real_templates: list[LetterTemplate]) -> None:
    chase = next(t for t in real_templates if t.id == "chase-missed-ehc-deadline")
    rendered = render_letter(
        chase,
        {"request_date": "2026-09-01", "deadline_date": "2027-01-19", "child_name": "Sam"},
        TODAY,
    )
    assert "The council received my request on 1 September 2026." in rendered.text
    assert "It fell on 19 January 2027" in rendered.text
    assert "23 November 2026" in rendered.text
    assert {"request_date", "deadline_date", "letter_date"} <= set(rendered.filled)
    assert "Sam" not in rendered.text and "child_name" in rendered.blanks
    assert rendered.title == chase.title

    timetable = next(t for t in real_templates if t.id == "review-reduced-timetable")
    rendered = render_letter(timetable, {"year_group": "year 9", "duration": "6 weeks"}, TODAY)
    assert "Year 9" in rendered.text
    assert "part-time timetable for 6 weeks" in rendered.text


def test_citation_markers_are_removed_without_leaving_gaps(real_templates: list[LetterTemplate]) -> None:
    assessment = next(t for t in real_templates if t.id == "request-ehc-assessment")
    text = render_letter(assessment, {}, TODAY).text
    assert "under section 36 of the Children and Families Act 2014." in text
    assert " ." not in text and "  " not in text


def test_letters_are_offered_with_their_articles(real_templates: list[LetterTemplate]) -> None:
    offered = {t.id for t in letters_for_article(real_templates, "informal-exclusion")}
    assert "ask-school-confirm-exclusion-or-return" in offered
    assert "request-ehc-assessment" in {t.id for t in letters_for_article(real_templates, "request-ehc-assessment")}


def test_command_line_check_passes_on_the_real_letters(capsys) -> None:
    assert main(["--dir", str(KNOWLEDGE), "check"]) == 0
    assert "0 error(s)" in capsys.readouterr().out


# --------------------------------------------------------------------------------------
# The fixture: valid, then broken on purpose
# --------------------------------------------------------------------------------------


def test_valid_fixture_loads_and_renders(tmp_path: Path) -> None:
    path, templates, problems = load_one(tmp_path, VALID_LETTER)
    assert problems == []
    (template,) = templates
    assert template.id == "sample-letter" and template.path == str(path)
    assert template.review_by == dt.date(2027, 5, 1)
    assert [p.name for p in template.placeholders] == ["child_name", "letter_date", "year_group", "deadline_date"]
    rendered = render_letter(template, {"year_group": "year 4", "deadline_date": "2027-01-08"}, TODAY)
    assert rendered.text.splitlines()[0] == "23 November 2026"
    assert (
        "I ask for an education, health and care (EHC) needs assessment for [your child's name], Year 4, "
        "under section 36 of the Children and Families Act 2014." in rendered.text
    )
    assert "Please reply by 8 January 2027:\n- with the date you received this; and\n- the name" in rendered.text
    assert rendered.filled == ("letter_date", "year_group", "deadline_date")
    assert rendered.blanks == ("child_name",)


def test_missing_facts_become_visible_blanks(tmp_path: Path) -> None:
    _, (template,), _ = load_one(tmp_path, VALID_LETTER)
    rendered = render_letter(template, {"year_group": "  ", "deadline_date": None}, TODAY)
    assert "[your child's year group]" in rendered.text
    assert "[the date the deadline fell]" in rendered.text
    assert rendered.blanks == ("child_name", "year_group", "deadline_date")


def test_fact_values_cannot_inject_template_syntax(tmp_path: Path) -> None:
    _, (template,), _ = load_one(tmp_path, VALID_LETTER)
    rendered = render_letter(template, {"year_group": "{{child_name}} [x]"}, TODAY)
    assert "{{" not in rendered.text and "[x]" not in rendered.text


@pytest.mark.parametrize(
    ("change", "line", "expected"),
    [
        # Front matter YAML that does not parse.
        (lambda t: t.replace("title: Ask the council for", "title: Ask the council: for"), 3, "not valid YAML"),
        # A placeholder used in the letter but never declared: reported where it is used.
        (
            lambda t: t.replace("Dear Sir or Madam,", "Dear {{officer_name}},"),
            21,
            "placeholder '{{officer_name}}' is not declared",
        ),
        # Declared but never used: reported where it is declared.
        (
            lambda t: t.replace("Please reply by {{deadline_date}}:", "Please reply:"),
            17,
            "placeholder 'deadline_date' is declared but never used",
        ),
        (
            lambda t: t.replace("articles: [request-ehc-assessment]", "articles: [request-ehc-assesment]"),
            4,
            "unknown article 'request-ehc-assesment'",
        ),
        # A citation with no matching source.
        (lambda t: t.replace("[@cfa-s36].", "[@cfa-s39]."), LAW_LINE, "citation [@cfa-s39] does not match any source"),
        # A source with no citation.
        (
            lambda t: t.replace("    citation: Children and Families Act 2014, s.36(1)\n", ""),
            9,
            "source 1 is missing citation",
        ),
        (lambda t: t.replace("[@cfa-s36].", "[@CFA s36]."), LAW_LINE, "'[@CFA s36]' is not a valid citation"),
        (lambda t: t.replace(" [@cfa-s36]", ""), 8, "source 'cfa-s36' is never cited"),
        (
            lambda t: t.replace("url: https://www.legislation", "url: http://www.legislation"),
            9,
            "is not a valid https address",
        ),
        (
            lambda t: t.replace("under section 36 of the Children and Families Act 2014", "as the law allows"),
            LAW_LINE,
            "does not name the law in words",
        ),
        (
            lambda t: t.replace('child_name: {label: "your child\'s name", private: true}', "child_name: {label: x}"),
            14,
            "holds personal details: add private: true",
        ),
        (
            lambda t: t.replace("from: year_group}", "from: favourite_colour}"),
            16,
            "from 'favourite_colour' is not a fact the assistant knows",
        ),
        (
            lambda t: t.replace("from: year_group}", "from: year_group, private: true}"),
            16,
            "cannot be private and also filled from 'year_group'",
        ),
        (lambda t: t.replace("from: today}", "form: today}"), 15, "unknown setting(s) form"),
        (lambda t: t.replace('{label: "the date the deadline fell"}', "{private: false}"), 17, "needs a label"),
        (
            lambda t: t.replace("Please reply by {{deadline_date}}:", "Please reply by [date] {{deadline_date}}:"),
            25,
            "square brackets",
        ),
        (
            lambda t: t.replace("Please reply by {{deadline_date}}:", "Please reply by {deadline_date}}:"),
            25,
            "stray '{' or '}'",
        ),
        (
            lambda t: t.replace("Please reply by {{deadline_date}}:", "Please reply by {{Deadline Date}}:"),
            25,
            "not a valid placeholder",
        ),
        (lambda t: t.replace("Dear Sir or Madam,", "# Dear Sir or Madam,"), 21, "remove the '#' heading"),
        (lambda t: t.replace("education, health and care (EHC) needs", "EHC needs"), LAW_LINE, "'EHC' is used before"),
        (lambda t: t.replace("id: sample-letter", "id: other-letter"), 2, "must match the file name"),
        (lambda t: t.replace("owner: SEND law content lead\n", ""), 2, "missing required field 'owner'"),
        (lambda t: t.replace("review_by: 2027-05-01", "review_by: 2026-10-01"), 6, "review_by must be after"),
        (lambda t: t.replace("last_reviewed: 2026-11-01", "last_reviewed: 1 Nov 2026"), 5, "must be a date written"),
        (lambda t: t.replace("last_reviewed: 2026-11-01", "last_reviewed: 2026-12-01"), 5, "in the future"),
    ],
)
def test_broken_template_is_reported_with_file_and_line(tmp_path: Path, change, line: int, expected: str) -> None:
    broken = change(VALID_LETTER)
    assert broken != VALID_LETTER, "the change did not apply"
    path, templates, problems = load_one(tmp_path, broken)
    errors = [str(p) for p in problems if p.severity == "error"]
    assert any(e.startswith(f"{path}:{line}: error: ") and expected in e for e in errors), errors
    assert templates == []  # a template with errors is never offered


def test_no_citation_at_all_is_an_error(tmp_path: Path) -> None:
    text = VALID_LETTER.replace(" [@cfa-s36]", "").replace(
        "sources:\n  - key: cfa-s36\n    title: Children and Families Act 2014, section 36\n"
        "    citation: Children and Families Act 2014, s.36(1)\n"
        "    url: https://www.legislation.gov.uk/ukpga/2014/6/section/36\n",
        "",
    )
    path, _, problems = load_one(tmp_path, text)
    messages = [str(p) for p in problems]
    assert f"{path}:2: error: missing required field 'sources'" in messages
    assert any("the letter cites no law" in m for m in messages)


def test_passed_review_date_is_a_warning_not_an_error(tmp_path: Path) -> None:
    path, templates, problems = load_one(tmp_path, VALID_LETTER, today=dt.date(2027, 6, 1))
    assert [str(p) for p in problems] == [
        f"{path}:6: warning: review was due on 2027-05-01: please re-check this letter"
    ]
    assert len(templates) == 1


def test_unknown_field_is_a_warning(tmp_path: Path) -> None:
    path, templates, problems = load_one(tmp_path, VALID_LETTER.replace("owner:", "notes: draft\nowner:"))
    assert [str(p) for p in problems] == [f"{path}:7: warning: unknown field 'notes' is ignored (check the spelling)"]
    assert len(templates) == 1


def test_article_check_is_skipped_without_article_ids(tmp_path: Path) -> None:
    path = write_letter(tmp_path / "letters", VALID_LETTER.replace("[request-ehc-assessment]", "[anything]"))
    template, problems = parse_letter(path, None, TODAY)
    assert template is not None and problems == []


def test_missing_folder_is_reported(tmp_path: Path) -> None:
    templates, problems = load_letters(tmp_path / "nowhere", None, TODAY)
    assert templates == [] and problems[0].severity == "error"


# --------------------------------------------------------------------------------------
# Files for the parent
# --------------------------------------------------------------------------------------


def test_docx_opens_and_contains_the_letter(real_templates: list[LetterTemplate]) -> None:
    template = next(t for t in real_templates if t.id == "request-ehc-assessment")
    rendered = render_letter(template, {"year_group": "year 3"}, TODAY)
    data = letter_to_docx(rendered)
    assert data[:2] == b"PK"  # a .docx is a zip file
    document = docx.Document(io.BytesIO(data))
    assert document.core_properties.title == template.title
    assert document.core_properties.language == "en-GB"
    body = "\n".join(p.text for p in document.paragraphs)
    for line in rendered.text.splitlines():
        assert line.removeprefix("- ") in body
    blank_runs = [r for p in document.paragraphs for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert {r.text for r in blank_runs} == {template.placeholder(n).blank for n in rendered.blanks}
    assert all(r.text.startswith("[") and r.text.endswith("]") for r in blank_runs)
    bullets = [p for p in document.paragraphs if p.style.name == "List Bullet"]
    assert len(bullets) == 3 and bullets[0].text.startswith("confirm in writing")


def test_every_real_template_makes_a_docx(real_templates: list[LetterTemplate]) -> None:
    for template in real_templates:
        document = docx.Document(io.BytesIO(letter_to_docx(render_letter(template, {}, TODAY))))
        assert "Yours" in "\n".join(p.text for p in document.paragraphs), template.id


def test_txt_is_utf8_plain_text(tmp_path: Path) -> None:
    _, (template,), _ = load_one(tmp_path, VALID_LETTER)
    rendered = render_letter(template, {"year_group": "Année 5 – Zoë’s class"}, TODAY)
    data = letter_to_txt(rendered)
    assert data.decode("utf-8") == rendered.text + "\n"
    assert "Année 5 – Zoë’s class".encode() in data
    assert rendered.filename("txt") == "sample-letter.txt"


# --- values worked out from the conversation's facts ---------------------------------------------------------


def by_id(templates: list[LetterTemplate], letter_id: str) -> LetterTemplate:
    return next(t for t in templates if t.id == letter_id)


def test_the_missed_deadline_and_its_date_are_worked_out_from_the_request_date(real_templates) -> None:
    chase = by_id(real_templates, "chase-missed-ehc-deadline")
    rendered = render_letter(chase, {"request_date": "2026-03-03"}, TODAY)
    assert "The deadline that has passed is the 6-week deadline to decide whether to assess." in rendered.text
    assert "It fell on 14 April 2026" in rendered.text
    assert {"missed_deadline", "deadline_date", "request_date"} <= set(rendered.filled)
    # Once the council has agreed to assess, the 20 weeks apply (21 July 2026), never before.
    assessing = render_letter(chase, {"request_date": "2026-03-03", "council_decision": "assessing"}, TODAY)
    assert "the 20-week deadline for the final plan. It fell on 21 July 2026" in assessing.text


def test_a_deadline_that_has_not_passed_stays_blank(real_templates) -> None:
    chase = by_id(real_templates, "chase-missed-ehc-deadline")
    rendered = render_letter(chase, {"request_date": "2026-11-01"}, TODAY)  # 6 weeks: 13 December 2026
    assert "[the date that deadline fell]" in rendered.text and "deadline_date" in rendered.blanks
    assert askable_blank(chase, rendered, {"request_date": "2026-11-01"}, []) is None  # nothing to ask


def test_how_long_is_worked_out_from_when_it_started(real_templates) -> None:
    timetable = by_id(real_templates, "review-reduced-timetable")
    rendered = render_letter(timetable, {"since_date": "2026-09-01"}, TODAY)
    assert "on a part-time timetable for 11 weeks and 6 days, since 1 September 2026," in rendered.text
    part_days = render_letter(timetable, {"duration": "most afternoons for about 3 weeks"}, TODAY)
    assert "on a part-time timetable for about 3 weeks," in part_days.text


def test_the_one_blank_to_ask_about_is_a_fact_not_asked_before(real_templates) -> None:
    chase = by_id(real_templates, "chase-missed-ehc-deadline")
    rendered = render_letter(chase, {}, TODAY)
    assert askable_blank(chase, rendered, {}, []) == ("request_date", "the date the council received your request")
    assert askable_blank(chase, rendered, {}, ["request_date"]) is None
    # Private blanks (names, addresses) are never asked about.
    assert all(fact in LETTER_QUESTIONS for letter in real_templates for fact in worked_out_facts(letter))


def worked_out_facts(template: LetterTemplate) -> list[str]:
    rendered = render_letter(template, {}, TODAY)
    found, asked = [], []
    while (blank := askable_blank(template, rendered, {}, asked)) is not None:
        found.append(blank[0])
        asked.append(blank[0])
    return found


def test_a_request_date_with_no_deadline_passed_says_why_the_blank_stays(real_templates) -> None:
    from bot.content.render_letter import deadline_note

    assert deadline_note({"request_date": "2026-11-01"}, TODAY) == (
        "Counting from the date you gave, the council has until 13 December 2026, so no deadline has passed "
        "yet: I've left that part blank."
    )
    assert deadline_note({"request_date": "2026-03-03"}, TODAY) is None  # passed: the letter says so
    assert deadline_note({}, TODAY) is None
