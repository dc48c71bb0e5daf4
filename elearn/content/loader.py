"""Read modules/ and quizzes/, validate everything, and build the immutable Course.

Every problem is collected (file, line, field) and raised together as one ContentError.
"""

import hashlib
import re
from pathlib import Path

from .banks import build_quiz, load_banks
from .collector import Collector, read_yaml
from .errors import ContentError
from .markdown import render
from .model import Course, Module, Outcome, Page
from .schema import ModuleFile, PageFile
from .yamlfile import format_path, line_of

_MODULE_DIR = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$")
_PAGE_FILE = re.compile(r"^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*\.md$")


def load_course(root: Path | str) -> Course:
    """Load and validate the course under root (which holds modules/ and quizzes/)."""
    root = Path(root)
    out = Collector(root)
    modules_dir, quizzes_dir = root / "modules", root / "quizzes"
    if not modules_dir.is_dir():
        out.add(modules_dir, None, "", "folder not found")
    if not quizzes_dir.is_dir():
        out.add(quizzes_dir, None, "", "folder not found")
    if out.issues:
        raise ContentError(out.issues)

    banks = load_banks(quizzes_dir, out)
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


def _split_front_matter(path: Path, out: Collector) -> tuple[object, str, int] | None:
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
    data = read_yaml(path, "\n".join(lines[1:end]), out, first_line=2)
    if data is None and not out.issues:
        out.add(path, 2, "", "front matter is empty")
    return data, "\n".join(lines[end + 1 :]), end + 2


def _load_module(folder: Path, banks: dict, out: Collector) -> Module | None:
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
    quiz = build_quiz(meta, raw, meta_path, pages, banks[meta.id], out)
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


def _load_pages(folder: Path, out: Collector) -> list[Page]:
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


def _render_body(path: Path, body: str, first_line: int, out: Collector):
    rendered = render(body)
    for level, title in rendered.headings:
        if level == 1:
            line = first_line + next((i for i, ln in enumerate(body.split("\n")) if ln.strip() == f"# {title}"), 0)
            out.add(path, line, "heading", f"'# {title}': use ## or ###; the page title is the level-1 heading")
    for problem in rendered.problems:
        out.add(path, first_line + problem.line, problem.field, problem.message)
    return rendered


def _check_unique_ids(modules: list[Module], banks: dict, out: Collector) -> None:
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


def _check_unique_reflections(modules: list[Module], out: Collector) -> None:
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
