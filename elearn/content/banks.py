"""Quiz banks: read quizzes/*.yaml and build each module's QuizBank, checking options, outcomes and `see` links."""

from collections import Counter
from pathlib import Path

from .collector import Collector, read_yaml
from .markdown import render_inline
from .model import Option, Page, Question, QuizBank
from .schema import BankFile
from .yamlfile import format_path, line_of


def load_banks(quizzes_dir: Path, out: Collector) -> dict:
    banks = {}
    for path in sorted(quizzes_dir.glob("*.yaml")):
        raw = read_yaml(path, path.read_text(encoding="utf-8"), out)
        if raw is None:
            continue
        bank = out.parse(path, BankFile, raw)
        if bank is None:
            continue
        if path.stem != bank.module:
            out.add(path, line_of(raw, ("module",)), "module", f"must match the file name '{path.stem}'")
        banks[bank.module] = (path, raw, bank)
    return banks


def build_quiz(meta, module_raw, meta_path: Path, pages: list[Page], bank_entry, out: Collector) -> QuizBank:
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


def _check_options(path: Path, raw, at: tuple, q, out: Collector) -> None:
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
