"""Question banks in and out of other tools: the shared shape of an imported question, and writing a
YAML bank from imported questions (which `content check` then validates like any other bank)."""

import re
from dataclasses import dataclass, field

import yaml

# An imported question cannot know these: the bank marks them for a person to fill in, and
# `content check` names each one with its line until they are.
TO_DO = "TO-DO"


class InterchangeError(Exception):
    """A file in another tool's format could not be read; each problem names file and line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Imported:
    prompt: str
    explanation: str
    line: int
    title: str | None = None
    outcome: str | None = None
    type: str = "single"
    options: list[tuple[str, str, bool, str]] = field(default_factory=list)  # id, text, correct, feedback


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "question"


def bank_yaml(questions: list[Imported], module_id: str, outcome: str | None, source: str) -> str:
    """A bank file for module_id. Missing outcomes, explanations, `see` links and feedback are TO-DO."""
    ids: set[str] = set()
    entries = []
    for number, q in enumerate(questions, start=1):
        base = f"{module_id}-q-{slug(q.title or q.prompt)[:40]}".rstrip("-")
        qid = base if base not in ids else f"{base}-{number}"
        ids.add(qid)
        entries.append(
            {
                "id": qid,
                "outcome": q.outcome if q.outcome and slug(q.outcome) == q.outcome else (outcome or TO_DO.lower()),
                "type": q.type,
                "prompt": q.prompt,
                "options": [
                    {"id": oid, "text": text, **({"correct": True} if correct else {}), "feedback": feedback or TO_DO}
                    for oid, text, correct, feedback in q.options
                ],
                "explanation": q.explanation or TO_DO,
                "see": TO_DO.lower(),
                "source": source,
            }
        )
    header = (
        f"# Imported from {source}. Fill in every {TO_DO} (outcome, see, feedback, explanation),\n"
        "# then run `flask --app elearn content check`.\n"
    )
    body = yaml.safe_dump({"module": module_id, "questions": entries}, sort_keys=False, allow_unicode=True, width=100)
    return header + body
