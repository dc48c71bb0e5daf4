"""Collecting content problems: all of them, each naming file, line and field, raised together."""

from pathlib import Path

import yaml
from pydantic import ValidationError

from .errors import ContentIssue
from .yamlfile import format_path, line_of, load_yaml


class Collector:
    """Every problem found, each with its file (relative to the content root), line and field."""

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


def read_yaml(path: Path, text: str, out: Collector, first_line: int = 1):
    try:
        return load_yaml(text, first_line)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + first_line if mark else None
        out.add(path, line, "", f"not valid YAML: {getattr(exc, 'problem', exc)}")
        return None
