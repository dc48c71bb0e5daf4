"""The Aiken format (Moodle): a question line, lettered options, then `ANSWER: X`. Single answer only."""

import re

from .interchange import Imported, InterchangeError

_OPTION = re.compile(r"^([A-Z])[.)]\s+(.+)$")
_ANSWER = re.compile(r"^ANSWER:\s*([A-Z])\s*$")


def parse_aiken(text: str, filename: str = "Aiken") -> list[Imported]:
    """Every question in the file; problems raise InterchangeError naming file and line."""
    questions, errors = [], []
    prompt, start, options = None, 0, []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        option, answer = _OPTION.match(line), _ANSWER.match(line)
        if prompt is None:
            if option or answer:
                errors.append(f"{filename}:{number}: expected a question before options and ANSWER")
                continue
            prompt, start, options = line, number, []
        elif option:
            options.append((option.group(1), option.group(2)))
        elif answer:
            letters = [letter for letter, _ in options]
            if len(options) < 2:
                errors.append(f"{filename}:{start}: a question needs at least two options (A. ..., B. ...)")
            elif answer.group(1) not in letters:
                errors.append(
                    f"{filename}:{number}: ANSWER {answer.group(1)} is not one of the options {', '.join(letters)}"
                )
            else:
                questions.append(
                    Imported(
                        prompt=prompt,
                        explanation="",
                        line=start,
                        type="single",
                        options=[(letter.lower(), text, letter == answer.group(1), "") for letter, text in options],
                    )
                )
            prompt = None
        else:
            errors.append(f"{filename}:{number}: expected an option like 'B. text' or 'ANSWER: B'")
    if prompt is not None:
        errors.append(f"{filename}:{start}: question has no 'ANSWER:' line")
    if errors:
        raise InterchangeError(errors)
    if not questions:
        raise InterchangeError([f"{filename}: no questions found"])
    return questions
