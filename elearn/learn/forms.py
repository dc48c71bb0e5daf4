"""Trainee forms: the quiz answer (radios or checkboxes; the domain checks the choice) and the join code."""

from functools import lru_cache

from govuk_frontend_wtf.wtforms_widgets import GovTextArea, GovTextInput
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..web.forms import ButtonForm, Checkboxes, FixedRadios, Radios, choices

CONFIDENCE_CHOICES = [("sure", "I'm sure"), ("unsure", "I'm not sure")]


def confidence_value(data: str | None) -> bool | None:
    """The stored form of the confidence radios: True sure, False not sure, None not said."""
    return {"sure": True, "unsure": False}.get(data or "")


def confidence_choice(confident: bool | None) -> str | None:
    return None if confident is None else ("sure" if confident else "unsure")


def answer_form(options: list[tuple[str, str]], is_multiple: bool, label: str) -> ButtonForm:
    """Choices are validated by domain.grading.validate_selection, one rule for every client."""
    return _answer_form_class(tuple(options), is_multiple, label)()


# A form class per question and option order, made once: making the class cost more than using it, and a
# question bank has a bounded number of them (a draw shuffles a question's options in a few orders).
@lru_cache(maxsize=2048)
def _answer_form_class(options: tuple[tuple[str, str], ...], is_multiple: bool, label: str) -> type[ButtonForm]:
    field = (
        SelectMultipleField(label, choices=choices(options), widget=Checkboxes(), validate_choice=False)
        if is_multiple
        else RadioField(label, choices=choices(options), widget=Radios(), validate_choice=False)
    )

    class AnswerForm(ButtonForm):
        answer = field
        confidence = RadioField(
            "How sure are you of your answer?",
            choices=choices(CONFIDENCE_CHOICES),
            widget=FixedRadios(),
            validators=[Optional()],
            validate_choice=False,  # anything but the two values counts as "not said"
            description="Optional. This does not change your score; it helps your trainer plan the course day.",
        )

    return AnswerForm


class JoinForm(ButtonForm):
    code = StringField(
        "Course join code",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the join code your trainer gave you"), Length(max=20)],
        description="It is 8 letters and numbers, for example K7MQ2XHD",
    )


class ReflectionForm(ButtonForm):
    """One reflection prompt's answer; made with prefix=<reflection id> so several fit on one page."""

    reflection = TextAreaField(
        "Your reflection (optional)",
        widget=GovTextArea(),
        validators=[Length(max=1000, message="Your reflection must be 1000 characters or fewer")],
        description="Only you and the trainers on your course can see what you write. Up to 1000 characters.",
    )
