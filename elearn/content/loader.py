"""Read modules/ and quizzes/, validate everything, and build the immutable Course.

Every problem is collected (file, line, field) and raised together as one ContentError.
"""

import hashlib
import re
from collections import Counter
from pathlib import Path

import yaml
from pydantic import ValidationError

from .errors import ContentError, ContentIssue
from .markdown import render, render_inline
from .model import Course, Module, Option, Outcome, Page, Question, QuizBank
from .schema import BankFile, ModuleFile, PageFile
from .yamlfile import format_path, line_of, load_yaml

_MODULE_DIR = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$")
_PAGE_FILE = re.compile(r"^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*\.md$")


class _Collector:
    def __init__(self, root: Path):
        self.root = root
        self.issues: list[ContentIssue] = []

    def add(self, path: Path, line: int | None, field: str, message: str) -> None:
        self.issues.append(ContentIssue(self.rel(path), line, field, message))

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def parse(self, path: Path, model, data):
        """Validate data against a schema model; record each error with its line."""
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                loc = tuple(error["loc"])
                self.add(path, line_of(data, loc), format_path(loc), error["msg"])
            return None


def load_course(root: Path | str) -> Course:
    """Load and validate the course under root (which holds modules/ and quizzes/)."""
    root = Path(root)
    out = _Collector(root)
    modules_dir, quizzes_dir = root / "modules", root / "quizzes"
    if not modules_dir.is_dir():
        out.add(modules_dir, None, "", "folder not found")
    if not quizzes_dir.is_dir():
        out.add(quizzes_dir, None, "", "folder not found")
    if out.issues:
        raise ContentError(out.issues)

    banks = _load_banks(quizzes_dir, out)
    modules = []
    for folder in sorted(p for p in modules_dir.iterdir() if p.is_dir()):
        module = _load_module(folder, banks, out)
        if module:
            modules.append(module)
    _check_unique_ids(modules, banks, out)
    for module_id, (path, _raw, _bank) in banks.items():
        if module_id not in {m.id for m in modules}:
            out.add(path, 1, "module", f"no module has id '{module_id}'")
    if not modules and not out.issues:
        out.add(modules_dir, None, "", "no modules found")
    if out.issues:
        raise ContentError(out.issues)
    return Course(modules=tuple(modules), version=content_version(root))


def content_version(root: Path | str) -> str:
    """A short hash of every content file's path and bytes: changes whenever content does."""
    root = Path(root)
    digest = hashlib.sha256()
    for path in sorted([*root.glob("modules/**/*.md"), *root.glob("quizzes/*.yaml")]):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def _read_yaml(path: Path, text: str, out: _Collector, first_line: int = 1):
    try:
        return load_yaml(text, first_line)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + first_line if mark else None
        out.add(path, line, "", f"not valid YAML: {getattr(exc, 'problem', exc)}")
        return None


def _split_front_matter(path: Path, out: _Collector) -> tuple[object, str, int] | None:
    """Return (front matter data, body, line number of the body's first line)."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        out.add(path, 1, "", "must start with '---' and YAML front matter")
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        out.add(path, 1, "", "front matter is not closed by a '---' line")
        return None
    data = _read_yaml(path, "\n".join(lines[1:end]), out, first_line=2)
    if data is None and not out.issues:
        out.add(path, 2, "", "front matter is empty")
    return data, "\n".join(lines[end + 1 :]), end + 2


def _load_banks(quizzes_dir: Path, out: _Collector) -> dict:
    banks = {}
    for path in sorted(quizzes_dir.glob("*.yaml")):
        raw = _read_yaml(path, path.read_text(encoding="utf-8"), out)
        if raw is None:
            continue
        bank = out.parse(path, BankFile, raw)
        if bank is None:
            continue
        if path.stem != bank.module:
            out.add(path, line_of(raw, ("module",)), "module", f"must match the file name '{path.stem}'")
        banks[bank.module] = (path, raw, bank)
    return banks


def _load_module(folder: Path, banks: dict, out: _Collector) -> Module | None:
    match = _MODULE_DIR.match(folder.name)
    if not match:
        out.add(folder, None, "", "module folder must be named NN-slug, e.g. 01-human-rights")
        return None
    meta_path = folder / "module.md"
    if not meta_path.is_file():
        out.add(meta_path, None, "", "missing module.md")
        return None
    split = _split_front_matter(meta_path, out)
    if split is None:
        return None
    raw, intro, intro_line = split
    meta = out.parse(meta_path, ModuleFile, raw)
    pages = _load_pages(folder, out)
    if meta is None:
        return None
    intro_rendered = _render_body(meta_path, intro, intro_line, out)
    if intro_rendered.reflections:
        out.add(meta_path, intro_line, "reflection", "reflection blocks belong on pages, not in module.md")
    if meta.id not in banks:
        out.add(meta_path, line_of(raw, ("id",)), "id", f"no quiz bank quizzes/{meta.id}.yaml")
        return None
    if not pages:
        out.add(folder, None, "", "a module needs at least one page (NN-slug.md)")
        return None
    quiz = _build_quiz(meta, raw, meta_path, pages, banks[meta.id], out)
    return Module(
        id=meta.id,
        position=int(match.group(1)),
        slug=folder.name,
        title=meta.title,
        summary=meta.summary,
        minutes=meta.minutes,
        is_required=meta.required,
        is_draft=meta.draft,
        intro_html=intro_rendered.html,
        intro_words=len(intro_rendered.plain_text.split()),
        outcomes=tuple(Outcome(o.id, o.text, o.rrn_area) for o in meta.outcomes),
        pages=tuple(pages),
        quiz=quiz,
    )


def _load_pages(folder: Path, out: _Collector) -> list[Page]:
    pages = []
    for path in sorted(folder.glob("*.md")):
        if path.name == "module.md":
            continue
        if not _PAGE_FILE.match(path.name):
            out.add(path, None, "", "page files must be named NN-slug.md, e.g. 02-absolute-rights.md")
            continue
        split = _split_front_matter(path, out)
        if split is None:
            continue
        raw, body, body_line = split
        meta = out.parse(path, PageFile, raw)
        rendered = _render_body(path, body, body_line, out)
        if meta is None:
            continue
        words = len(rendered.plain_text.split())
        if words == 0:
            out.add(path, body_line, "body", "page has no text")
        pages.append(
            Page(
                path.stem, meta.title, rendered.html, rendered.anchors, words, rendered.plain_text, rendered.reflections
            )
        )
    return pages


def _render_body(path: Path, body: str, first_line: int, out: _Collector):
    rendered = render(body)
    for level, title in rendered.headings:
        if level == 1:
            line = first_line + next((i for i, ln in enumerate(body.split("\n")) if ln.strip() == f"# {title}"), 0)
            out.add(path, line, "heading", f"'# {title}': use ## or ###; the page title is the level-1 heading")
    for problem in rendered.problems:
        out.add(path, first_line + problem.line, problem.field, problem.message)
    return rendered


def _build_quiz(meta, module_raw, meta_path: Path, pages: list[Page], bank_entry, out: _Collector) -> QuizBank:
    path, raw, bank = bank_entry
    outcome_ids = [o.id for o in meta.outcomes]
    pages_by_id = {p.id: p for p in pages}
    questions = []
    for index, q in enumerate(bank.questions):
        at = ("questions", index)
        if q.outcome not in outcome_ids:
            out.add(
                path,
                line_of(raw, at + ("outcome",)),
                format_path(at + ("outcome",)),
                f"'{q.outcome}' is not an outcome of module '{meta.id}'",
            )
        _check_options(path, raw, at, q, out)
        page_id, _, anchor = q.see.partition("#")
        page = pages_by_id.get(page_id)
        if page is None:
            out.add(
                path,
                line_of(raw, at + ("see",)),
                format_path(at + ("see",)),
                f"no page '{page_id}' in module '{meta.id}'",
            )
        elif anchor and anchor not in page.anchors:
            out.add(
                path,
                line_of(raw, at + ("see",)),
                format_path(at + ("see",)),
                f"no heading with anchor '#{anchor}' on page '{page_id}' (anchors: {', '.join(page.anchors) or 'none'})",
            )
        questions.append(
            Question(
                id=q.id,
                outcome_id=q.outcome,
                type=q.type,
                prompt=q.prompt,
                options=tuple(Option(o.id, o.text, o.correct, o.feedback) for o in q.options),
                explanation_html=render_inline(q.explanation),
                see_page=page_id,
                see_anchor=anchor or None,
                source=q.source,
                scenario=q.scenario,
                line=line_of(raw, at),
            )
        )
    counts = Counter(q.outcome for q in bank.questions)
    needed = 2 * bank.draw_per_outcome
    for index, outcome_id in enumerate(outcome_ids):
        if counts[outcome_id] < needed:
            out.add(
                meta_path,
                line_of(module_raw, ("outcomes", index)),
                f"outcomes[{index}]",
                f"outcome '{outcome_id}' has {counts[outcome_id]} questions in {path.name}; "
                f"needs at least {needed} (2 x draw_per_outcome) so a retake can avoid repeats",
            )
    return QuizBank(meta.id, bank.pass_mark, bank.draw_per_outcome, bank.support_after, tuple(questions))


def _check_options(path: Path, raw, at: tuple, q, out: _Collector) -> None:
    def add(message: str, field: str = "options") -> None:
        out.add(path, line_of(raw, at + (field,)), format_path(at + (field,)), message)

    ids = [o.id for o in q.options]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        add(f"option id '{dup}' is used more than once")
    correct = sum(o.correct for o in q.options)
    if q.type == "single" and correct != 1:
        add(f"a single-answer question needs exactly 1 correct option, has {correct}")
    elif q.type == "multiple":
        if len(q.options) < 3:
            add("a multiple-answer question needs at least 3 options")
        if correct < 2 or correct == len(q.options):
            add(
                f"a multiple-answer question needs at least 2 correct and 1 wrong option, has {correct} of {len(q.options)} correct"
            )
    elif q.type == "true_false":
        if sorted(ids) != ["false", "true"]:
            add("a true_false question needs exactly two options with ids 'true' and 'false'")
        if correct != 1:
            add(f"a true_false question needs exactly 1 correct option, has {correct}")


def _check_unique_ids(modules: list[Module], banks: dict, out: _Collector) -> None:
    seen_modules: dict[str, str] = {}
    seen_outcomes: dict[str, str] = {}
    for module in modules:
        meta_path = Path(out.root, "modules", module.slug, "module.md")
        if module.id in seen_modules:
            out.add(meta_path, None, "id", f"module id '{module.id}' is also used by {seen_modules[module.id]}")
        seen_modules[module.id] = module.slug
        for outcome in module.outcomes:
            if outcome.id in seen_outcomes:
                out.add(
                    meta_path,
                    None,
                    "outcomes",
                    f"outcome id '{outcome.id}' is also used in {seen_outcomes[outcome.id]}",
                )
            seen_outcomes[outcome.id] = module.slug
    _check_unique_reflections(modules, out)
    seen_questions: dict[str, str] = {}
    for path, raw, bank in banks.values():
        for index, question in enumerate(bank.questions):
            if question.id in seen_questions:
                field = ("questions", index, "id")
                out.add(
                    path,
                    line_of(raw, field),
                    format_path(field),
                    f"question id '{question.id}' is also used in {seen_questions[question.id]}",
                )
            seen_questions[question.id] = path.name


def _check_unique_reflections(modules: list[Module], out: _Collector) -> None:
    seen: dict[str, str] = {}
    for module in modules:
        for page in module.pages:
            path = Path(out.root, "modules", module.slug, f"{page.id}.md")
            for reflection in page.reflections:
                if reflection.id in seen:
                    line = _line_of_reflection(path, reflection.id)
                    out.add(path, line, f"reflection {reflection.id}", f"id is also used in {seen[reflection.id]}")
                seen.setdefault(reflection.id, f"{module.slug}/{page.id}.md")


def _line_of_reflection(path: Path, reflection_id: str) -> int | None:
    """The line of the last ':::reflection <id>' in the file (the repeat, when both are here)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    found = [n for n, ln in enumerate(lines, 1) if ln.split() == [":::reflection", reflection_id]]
    return found[-1] if found else None
