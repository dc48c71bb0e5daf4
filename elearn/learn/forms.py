"""Trainee forms: the quiz answer (radios or checkboxes; the domain checks the choice) and the join code."""

from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import RadioField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length

from ..web.forms import ButtonForm, Checkboxes, Radios, choices


def answer_form(options: list[tuple[str, str]], is_multiple: bool, label: str) -> ButtonForm:
    """Choices are validated by domain.grading.validate_selection, one rule for every client."""
    field = (
        SelectMultipleField(label, choices=choices(options), widget=Checkboxes(), validate_choice=False)
        if is_multiple
        else RadioField(label, choices=choices(options), widget=Radios(), validate_choice=False)
    )

    class AnswerForm(ButtonForm):
        answer = field

    return AnswerForm()


class JoinForm(ButtonForm):
    code = StringField(
        "Course join code",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the join code your trainer gave you"), Length(max=20)],
        description="It is 8 letters and numbers, for example K7MQ2XHD",
    )
