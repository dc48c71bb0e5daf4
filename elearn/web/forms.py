"""Form building blocks: CSRF from Flask-WTF, a field-less form for POST buttons, a GOV.UK date field,
radios and checkboxes whose group is always named, and radios that say the configured message."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovDateInput, GovRadioInput
from wtforms import DateField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError


class _LegendFromLabel:
    """The library names a group by its label only when the template passes no fieldset at all, so
    styling the legend left the group nameless to screen readers: keep the label as the legend text."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        legend = params.setdefault("fieldset", {}).setdefault("legend", {})
        if not legend.get("text") and not legend.get("html"):
            legend["text"] = field.label.text
        return params


class Radios(_LegendFromLabel, GovRadioInput):
    pass


class Checkboxes(_LegendFromLabel, GovCheckboxesInput):
    pass


class DateInput(_LegendFromLabel, GovDateInput):
    pass


class ChoiceField(RadioField):
    """Radios that answer a missing or unknown choice with the field's own message (from its first
    validator with one), never WTForms' 'Not a valid choice.'"""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("widget", Radios())
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            message = next((v.message for v in self.validators if getattr(v, "message", None)), None)
            raise StopValidation(message or f"Choose {self.label.text.lower()}") from None


class ButtonForm(FlaskForm):
    """A POST with nothing but its CSRF token (sign out, start quiz, submit answers)."""


class DayMonthYearField(DateField):
    """A date typed as day, month and year boxes (GOV.UK date input), e.g. 27 3 2027.

    A tampered form may send fewer or more than three boxes: that is a clear error, not a crash.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format="%d %m %Y", widget=DateInput(), **kwargs)

    def process_formdata(self, valuelist):
        if len(valuelist) != 3:
            self.raw_data = ["", "", ""]  # the widget always shows three boxes
            self.data = None
            if valuelist:
                raise ValueError("Enter the date as a day, month and year")
            return
        super().process_formdata(valuelist)


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(str(value), label) for value, label in pairs]
