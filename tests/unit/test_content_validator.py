"""The content validator: every rule, each error naming file, line and field; all errors at once."""

import shutil

import pytest

from elearn.content import ContentError, load_course

from ..conftest import FIXTURE_CONTENT, PROJECT_ROOT


@pytest.fixture
def content(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    return root


def issues(root) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_course(root)
    return [str(issue) for issue in caught.value.issues]


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_fixture_course_is_valid():
    course = load_course(FIXTURE_CONTENT)
    assert [m.id for m in course.modules] == ["alpha", "beta", "gamma"]
    assert [m.id for m in course.published_modules] == ["alpha", "beta"]
    assert course.module("alpha").pages[0].anchors == ("absolute-rights",)


def test_real_course_content_is_valid():
    course = load_course(PROJECT_ROOT)
    assert len(course.published_modules) >= 1


def test_version_changes_with_any_content_file(content):
    before = load_course(content).version
    edit(content / "modules/02-beta/01-only.md", "Beta words.", "Beta words, changed.")
    assert load_course(content).version != before


def test_yaml_syntax_error_names_file_and_line(content):
    edit(content / "quizzes/beta.yaml", "pass_mark: 80", "pass_mark: [80")
    assert any(i.startswith("quizzes/beta.yaml:") and "not valid YAML" in i for i in issues(content))


def test_schema_errors_name_the_field_and_line(content):
    edit(content / "quizzes/beta.yaml", "pass_mark: 80", "pass_mark: 180")
    edit(content / "modules/02-beta/module.md", "minutes: 10", "minutes: ten")
    found = issues(content)
    assert "quizzes/beta.yaml:2: pass_mark: Input should be less than or equal to 100" in found
    assert any(i.startswith("modules/02-beta/module.md:5: minutes:") for i in found)


def test_unknown_field_is_reported(content):
    edit(
        content / "quizzes/beta.yaml", "    prompt: Prompt for be-q1?", "    promt: typo\n    prompt: Prompt for be-q1?"
    )
    assert any("questions[0].promt: Extra inputs are not permitted" in i for i in issues(content))


def test_missing_required_field(content):
    edit(content / "quizzes/beta.yaml", "    source: Test Act 2000\n", "")
    assert any("quizzes/beta.yaml:" in i and "questions[0].source: Field required" in i for i in issues(content))


def test_every_error_is_collected_not_just_the_first(content):
    edit(content / "quizzes/beta.yaml", "pass_mark: 80", "pass_mark: 0")
    edit(content / "quizzes/alpha.yaml", "see: 01-first#absolute-rights", "see: 01-first#nowhere")
    edit(content / "modules/01-alpha/module.md", "title: Alpha basics", "title: ''")
    assert len(issues(content)) >= 3


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "      - {id: a, text: Right answer be-q1, correct: true, feedback: Yes for be-q1.}",
            "      - {id: a, text: Right answer be-q1, feedback: Yes for be-q1.}",
            "needs exactly 1 correct option, has 0",
        ),
        (
            "      - {id: b, text: Wrong answer B be-q1, feedback: No B for be-q1.}",
            "      - {id: b, text: Wrong answer B be-q1, correct: true, feedback: No B for be-q1.}",
            "needs exactly 1 correct option, has 2",
        ),
        (
            "      - {id: b, text: Wrong answer B be-q1, feedback: No B for be-q1.}",
            "      - {id: a, text: Wrong answer B be-q1, feedback: No B for be-q1.}",
            "option id 'a' is used more than once",
        ),
        (
            '      - {id: "false", text: "False", feedback: No it is true for be-q2.}',
            '      - {id: "no", text: "False", feedback: No it is true for be-q2.}',
            "needs exactly two options with ids 'true' and 'false'",
        ),
    ],
)
def test_option_rules_for_each_type(content, old, new, message):
    edit(content / "quizzes/beta.yaml", old, new)
    found = issues(content)
    assert any(i.startswith("quizzes/beta.yaml:") and message in i for i in found), found


def test_multiple_needs_two_correct_and_one_wrong(content):
    edit(
        content / "quizzes/alpha.yaml",
        "      - {id: b, text: Also right al-q2, correct: true, feedback: Yes B for al-q2.}",
        "      - {id: b, text: Also right al-q2, feedback: Yes B for al-q2.}",
    )
    assert any("at least 2 correct and 1 wrong option, has 1 of 3" in i for i in issues(content))


def test_outcome_coverage_needs_twice_the_draw(content):
    path = content / "quizzes/beta.yaml"
    edit(path, "draw_per_outcome: 1", "draw_per_outcome: 2")
    found = issues(content)
    assert any(
        i.startswith("modules/02-beta/module.md:7: outcomes[0]:") and "has 2 questions" in i and "needs at least 4" in i
        for i in found
    ), found


def test_question_for_unknown_outcome(content):
    edit(content / "quizzes/beta.yaml", "    outcome: be-1", "    outcome: be-9")
    assert any("questions[0].outcome: 'be-9' is not an outcome of module 'beta'" in i for i in issues(content))


def test_see_must_name_a_real_page_and_heading(content):
    edit(content / "quizzes/beta.yaml", "see: 01-only#beta-section", "see: 01-only#missing")
    edit(content / "quizzes/beta.yaml", "see: 01-only\n", "see: 07-gone\n")
    found = issues(content)
    assert any("no heading with anchor '#missing' on page '01-only' (anchors: beta-section)" in i for i in found)
    assert any("no page '07-gone' in module 'beta'" in i for i in found)


def test_duplicate_ids_across_files(content):
    edit(content / "quizzes/beta.yaml", "  - id: be-q2", "  - id: al-q1")
    edit(content / "modules/02-beta/module.md", "id: be-1", "id: al-1")
    found = issues(content)
    assert any("question id 'al-q1' is also used in alpha.yaml" in i for i in found)
    assert any("outcome id 'al-1' is also used in 01-alpha" in i for i in found)


def test_missing_bank_misnamed_bank_and_orphan_bank(content):
    (content / "quizzes/beta.yaml").unlink()
    (content / "quizzes/gamma.yaml").rename(content / "quizzes/delta.yaml")
    edit(content / "quizzes/alpha.yaml", "module: alpha", "module: omega")
    (content / "quizzes/omega.yaml").write_text((content / "quizzes/alpha.yaml").read_text())
    (content / "quizzes/alpha.yaml").unlink()
    found = issues(content)
    assert "modules/02-beta/module.md:2: id: no quiz bank quizzes/beta.yaml" in found
    assert "quizzes/delta.yaml:1: module: must match the file name 'delta'" in found
    assert "quizzes/omega.yaml:1: module: no module has id 'omega'" in found


def test_file_naming_and_front_matter(content):
    (content / "modules/02-beta/notes.md").write_text("---\ntitle: x\n---\ntext\n")
    (content / "modules/02-beta/02-broken.md").write_text("no front matter here\n")
    (content / "modules/02-beta/03-open.md").write_text("---\ntitle: never closed\n")
    (content / "modules/bad folder").mkdir()
    found = issues(content)
    assert any("notes.md: page files must be named NN-slug.md" in i for i in found)
    assert any("02-broken.md:1: must start with '---'" in i for i in found)
    assert any("03-open.md:1: front matter is not closed" in i for i in found)
    assert any("bad folder: module folder must be named NN-slug" in i for i in found)


def test_level_one_heading_is_refused(content):
    edit(content / "modules/02-beta/01-only.md", "## Beta section", "# Beta section")
    assert any(i.startswith("modules/02-beta/01-only.md:4: heading:") for i in issues(content))


def test_markdown_is_sanitised_and_headings_get_anchors():
    from elearn.content.markdown import render

    rendered = render(
        "## Article 3: no torture\n\n## Article 3: no torture\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))"
    )
    assert rendered.anchors == ("article-3-no-torture", "article-3-no-torture-2")
    assert "<img" not in rendered.html and 'href="javascript' not in rendered.html


def test_questions_may_be_marked_as_scenario_items(content):
    course = load_course(FIXTURE_CONTENT)
    assert course.module("alpha").quiz.question("al-q1").scenario is False
    edit(
        content / "quizzes/beta.yaml",
        "    prompt: Prompt for be-q1?",
        "    scenario: true\n    prompt: Prompt for be-q1?",
    )
    assert load_course(content).module("beta").quiz.question("be-q1").scenario is True
    edit(content / "quizzes/beta.yaml", "    scenario: true", "    scenario: sometimes")
    assert any(i.startswith("quizzes/beta.yaml:8: questions[0].scenario:") for i in issues(content))


def test_reflection_block_renders_as_an_inset_with_a_collapsible_answer():
    page = load_course(FIXTURE_CONTENT).module("alpha").page("02-second")
    (reflection,) = page.reflections
    assert reflection.id == "al-ref-second"
    assert reflection.prompt_html == "<p>Think about the second thing.</p>\n"
    assert reflection.answer_html == "<p>The second thing matters because it comes next.</p>\n"
    assert (
        '<div class="govuk-inset-text app-reflection"><h3 class="govuk-heading-s app-reflection__heading">Reflect</h3>'
        in page.html
    )
    assert (
        '<details class="govuk-details"><summary class="govuk-details__summary">'
        '<span class="govuk-details__summary-text">One way to think about it</span></summary>'
        '<div class="govuk-details__text"><p>The second thing matters'
    ) in page.html
    assert ":::" not in page.html and page.anchors == ("second-section",)


def test_reflection_heading_sits_one_level_below_its_section_and_content_is_sanitised():
    from elearn.content.markdown import render

    block = ":::reflection x-ref-a\nAsk <script>alert(1)</script> [x](javascript:alert(1))\n:::answer\n<b onclick=x>A</b>\n:::"
    top = render(block)
    assert '<h2 class="govuk-heading-s app-reflection__heading">Reflect</h2>' in top.html
    assert "<script" not in top.html and "<b " not in top.html and 'href="javascript' not in top.html
    assert "&lt;script&gt;" in top.reflections[0].prompt_html
    nested = render("## A\n\n### B\n\n" + block.replace("x-ref-a", "x-ref-b"))
    assert '<h4 class="govuk-heading-s app-reflection__heading">' in nested.html
    assert nested.problems == ()


def test_only_the_panel_classes_survive_sanitising():
    from elearn.content.markdown import sanitise

    dirty = '<div class="govuk-inset-text evil" style="x" onclick="y">t</div><span class="govuk-button">u</span>'
    assert sanitise(dirty) in (
        '<div class="govuk-inset-text">t</div><span class="">u</span>',
        '<div class="govuk-inset-text">t</div><span>u</span>',
    )


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        (":::reflection al-ref-x\nPrompt.\n:::answer\nAnswer.\n", 12, "reflection al-ref-x: not closed"),
        (":::reflection al-ref-x\nPrompt.\n:::\n", 12, "reflection al-ref-x: needs an ':::answer' line"),
        (
            ":::reflection al-ref-x\nPrompt.\n:::answer\n\n:::\n",
            12,
            "reflection al-ref-x: the ':::answer' part is empty",
        ),
        (":::reflection al-ref-x\n:::answer\nAnswer.\n:::\n", 12, "reflection al-ref-x: has no prompt text"),
        (":::reflection Al_Ref\nPrompt.\n:::answer\nAnswer.\n:::\n", 12, "reflection: id 'Al_Ref' must be lower case"),
        (":::reflection\nPrompt.\n:::answer\nAnswer.\n:::\n", 12, "reflection: id '' must be"),
        ("Text.\n:::answer\n", 13, "reflection: ':::answer' is not inside a reflection block"),
        (":::reflection al-ref-x\nP.\n:::answer\nA.\n:::answer\nB.\n:::\n", 16, "has more than one ':::answer'"),
    ],
)
def test_reflection_errors_name_file_line_and_field(content, body, line, message):
    path = content / "modules/01-alpha/01-first.md"
    path.write_text(path.read_text() + "\n" + body)
    found = issues(content)
    assert any(i.startswith(f"modules/01-alpha/01-first.md:{line}: ") and message in i for i in found), found


def test_reflection_ids_are_unique_across_the_course(content):
    path = content / "modules/02-beta/01-only.md"
    path.write_text(path.read_text() + "\n:::reflection al-ref-second\nP.\n:::answer\nA.\n:::\n")
    found = issues(content)
    assert any(
        i.startswith("modules/02-beta/01-only.md:")
        and "reflection al-ref-second: id is also used in 01-alpha/02-second.md" in i
        for i in found
    ), found


def test_reflections_belong_on_pages_not_module_intro(content):
    path = content / "modules/02-beta/module.md"
    path.write_text(path.read_text() + "\n:::reflection be-ref-x\nP.\n:::answer\nA.\n:::\n")
    assert any(i.startswith("modules/02-beta/module.md:") and "belong on pages" in i for i in issues(content))


def test_reflection_labels_do_not_count_as_page_words():
    page = load_course(FIXTURE_CONTENT).module("alpha").page("02-second")
    assert "Reflect" not in page.plain_text and "One way to think" not in page.plain_text
    assert page.plain_text.endswith("Think about the second thing. The second thing matters because it comes next.")
