"""Typed domain errors; views turn them into messages on the page or HTTP status codes."""


class DomainError(Exception):
    """A business rule refused the action; the message is safe to show to the user."""


class NotFound(DomainError):
    """The thing does not exist, or this user may not see it (both look the same: 404)."""


class QuizLocked(DomainError):
    pass


class AttemptAlreadySubmitted(DomainError):
    pass


class InvalidAnswer(DomainError):
    pass


class WeakPassword(DomainError):
    pass


class DuplicateEmail(DomainError):
    pass
