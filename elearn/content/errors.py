"""Content errors: every problem found in the course files, each naming file, line and field."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ContentIssue:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ContentError(Exception):
    """Raised with every issue found, so an author can fix them all in one pass."""

    def __init__(self, issues: list[ContentIssue]):
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))
