"""Moodle GIFT format, in and out: parse GIFT questions into bank entries, and write a bank as GIFT.

Supported: single answer (`=right ~wrong`), multiple response (`~%50%right ~%-100%wrong`), true/false
(`{T}`, `{FALSE}`), per-answer feedback (`#...`), general feedback (`####...`), titles (`::id::`),
`$CATEGORY:` lines (taken as the outcome id) and `//` comments. Other GIFT types (matching, numeric,
short answer, essay) are refused with their line: this course has no such question type.
"""

import re
from dataclasses import dataclass, field

from .interchange import Imported, InterchangeError, slug

_SPECIAL = "~=#{}:"


@dataclass
class _Block:
    line: int
    text: str
    category: str | None
    lines: list[str] = field(default_factory=list)


def parse_gift(text: str, filename: str = "GIFT") -> list[Imported]:
    """Every question in the file; any problem raises InterchangeError naming file and line."""
    questions, errors = [], []
    for block in _blocks(text):
        try:
            questions.append(_question(block))
        except ValueError as exc:
            errors.append(f"{filename}:{block.line}: {exc}")
    if errors:
        raise InterchangeError(errors)
    if not questions:
        raise InterchangeError([f"{filename}: no questions found"])
    return questions


def _blocks(text: str) -> list[_Block]:
    blocks, current, category = [], None, None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("//"):
            continue
        if line.startswith("$CATEGORY:"):
            category = line.removeprefix("$CATEGORY:").strip().rsplit("/", 1)[-1] or None
            continue
        if not line:
            current = None
            continue
        if current is None:
            current = _Block(number, "", category)
            blocks.append(current)
        current.lines.append(line)
    for block in blocks:
        block.text = " ".join(block.lines)
    return blocks


def _question(block: _Block) -> Imported:
    text = block.text
    title = None
    match = re.match(r"^::(.*?)::", text)
    if match:
        title, text = match.group(1).strip(), text[match.end() :]
    open_at, close_at = _unescaped(text, "{"), _unescaped(text, "}")
    if open_at < 0 or close_at < open_at:
        raise ValueError("no answer block { ... } found")
    prompt = _unescape((text[:open_at] + " " + text[close_at + 1 :]).strip())
    answers = text[open_at + 1 : close_at].strip()
    if not prompt:
        raise ValueError("the question has no text")
    explanation = ""
    general = answers.find("####")
    if general >= 0:
        answers, explanation = answers[:general].strip(), _unescape(answers[general + 4 :].strip())
    imported = Imported(title=title, prompt=prompt, explanation=explanation, outcome=block.category, line=block.line)
    if re.fullmatch(r"(T|F|TRUE|FALSE)(#.*)?", answers, flags=re.S):
        return _true_false(imported, answers)
    return _choices(imported, answers)


def _true_false(imported: Imported, answers: str) -> Imported:
    key, *feedback = _split(answers, "#")
    is_true = key.strip().upper() in ("T", "TRUE")
    # GIFT: {T#feedback if they answer wrongly#feedback if they answer rightly}
    wrong_fb, right_fb = (feedback + ["", ""])[:2]
    imported.type = "true_false"
    imported.options = [
        ("true", "True", is_true, _unescape((right_fb if is_true else wrong_fb).strip())),
        ("false", "False", not is_true, _unescape((wrong_fb if is_true else right_fb).strip())),
    ]
    return imported


def _choices(imported: Imported, answers: str) -> Imported:
    parts = [p for p in re.split(r"(?<!\\)(?=[=~])", answers) if p.strip()]
    if len(parts) < 2:
        raise ValueError(
            "a question needs at least two answers (=right ~wrong); matching and numeric are not supported"
        )
    options, weighted = [], False
    for index, part in enumerate(parts):
        marker, body = part[0], part[1:]
        weight = re.match(r"^%(-?\d+(?:\.\d+)?)%", body)
        if weight:
            weighted, body = True, body[weight.end() :]
        if "->" in body:
            raise ValueError("matching questions are not supported")
        answer, *feedback = _split(body, "#")
        correct = float(weight.group(1)) > 0 if weight else marker == "="
        option_id = "abcdefghijklmnopqrstuvwxyz"[index]
        options.append((option_id, _unescape(answer.strip()), correct, _unescape(" ".join(feedback).strip())))
    right = sum(o[2] for o in options)
    if right == 0:
        raise ValueError("no answer is marked right (= or a positive %weight%)")
    imported.type = "multiple" if weighted and right > 1 else "single"
    if imported.type == "single" and right > 1:
        raise ValueError("more than one answer marked '=': use %weights% for a multiple-response question")
    imported.options = options
    return imported


def write_gift(bank: dict) -> str:
    """A bank (the YAML file's data) as GIFT, one question per paragraph, outcome as $CATEGORY."""
    out, category = [f"// Quiz bank '{bank['module']}' exported from elearn", ""], None
    for q in bank["questions"]:
        if q["outcome"] != category:
            category = q["outcome"]
            out += [f"$CATEGORY: {category}", ""]
        out += [f"::{q['id']}:: {_escape(q['prompt'])} {{{_answers(q)}}}", ""]
    return "\n".join(out)


def _answers(q: dict) -> str:
    general = f" ####{_escape(_plain(q.get('explanation', '')))}" if q.get("explanation") else ""
    options = q["options"]
    if q["type"] == "true_false":
        right = next(o for o in options if o.get("correct"))
        wrong = next(o for o in options if not o.get("correct"))
        key = "TRUE" if right["id"] == "true" else "FALSE"
        return f"{key}#{_escape(wrong['feedback'])}#{_escape(right['feedback'])}{general}"
    if q["type"] == "multiple":
        right_n = sum(1 for o in options if o.get("correct"))
        wrong_n = len(options) - right_n
        weights = {True: _weight(100 / right_n), False: _weight(-100 / wrong_n)}
        items = [f"~%{weights[bool(o.get('correct'))]}%{_escape(o['text'])}#{_escape(o['feedback'])}" for o in options]
    else:
        items = [f"{'=' if o.get('correct') else '~'}{_escape(o['text'])}#{_escape(o['feedback'])}" for o in options]
    return " ".join(items) + general


def _weight(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _plain(markdown: str) -> str:
    return " ".join(markdown.replace("**", "").split())


def _escape(text: str) -> str:
    return "".join(f"\\{c}" if c in _SPECIAL else c for c in " ".join(str(text).split()))


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _unescaped(text: str, char: str) -> int:
    for match in re.finditer(re.escape(char), text):
        if match.start() == 0 or text[match.start() - 1] != "\\":
            return match.start()
    return -1


def _split(text: str, separator: str) -> list[str]:
    return re.split(rf"(?<!\\){re.escape(separator)}", text)


__all__ = ["parse_gift", "write_gift", "slug"]
