"""The answer form: radios for one answer, checkboxes for several; the domain checks the choice."""
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput
from wtforms import RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice

from ..web.forms import ButtonForm


def answer_form(choices: list[tuple[str, str]], is_multiple: bool, label: str) -> ButtonForm:
    """Choices are validated by domain.grading.validate_selection, one rule for every client."""
    choices = [SelectChoice(value, label) for value, label in choices]
    field = (
        SelectMultipleField(label, choices=choices, widget=GovCheckboxesInput(), validate_choice=False)
        if is_multiple
        else RadioField(label, choices=choices, widget=GovRadioInput(), validate_choice=False)
    )

    class AnswerForm(ButtonForm):
        answer = field

    return AnswerForm()
