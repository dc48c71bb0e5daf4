"""Emails the domain asks to send: what and to whom. Rendering and delivery live in elearn/mail.py."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    template: str  # templates/email/<template>.txt and .html
    context: dict = field(default_factory=dict)
    cc: tuple[str, ...] = ()
