"""Typed domain errors; views turn them into messages on the page or HTTP status codes."""

from ..formatting import plural


class DomainError(Exception):
    """A business rule refused the action; the message is safe to show to the user.

    field names the form field the message belongs to, if any (views show it there)."""

    field: str | None = None
    status: int | None = None  # set: the whole request fails with this HTTP status (an error page, not a form message)


class NotFound(DomainError):
    """The thing does not exist, or this user may not see it (both look the same: 404)."""

    status = 404


class QuizLocked(DomainError):
    pass


class AttemptAlreadySubmitted(DomainError):
    pass


class InvalidAnswer(DomainError):
    field = "answer"


class InvalidReflection(DomainError):
    field = "reflection"


class WeakPassword(DomainError):
    field = "password"


class DuplicateEmail(DomainError):
    field = "email"


class EmailNotConfirmed(DomainError):
    """A self-registered account has not yet opened the link emailed to its address."""

    field = "code"


class InvalidToken(DomainError):
    """An emailed link that is unknown, expired or already used."""

    status = 404


class CohortError(DomainError):
    """A cohort rule refused the change; field names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class ImportRejected(DomainError):
    """A list of invitees with problems: nothing was written. errors are (row number, reason)."""

    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__(f"{plural(len(errors), 'row needs', 'rows need')} fixing; nothing was imported")
        self.errors = errors


class CompletionChangeRefused(DomainError):
    field = "reason"


class LaunchRefused(DomainError):
    """An LTI launch that elearn will not accept; the message says why in plain words. Nothing is kept."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.status = status
