"""Form building blocks: CSRF from Flask-WTF, a field-less form for POST buttons, a GOV.UK date field,
radios and checkboxes whose group is always named, and radios that say the configured message."""

import json

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovDateInput, GovRadioInput
from markupsafe import Markup
from wtforms import DateField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError

# Course dates and deadlines: far enough either way for any real course, near enough that date
# arithmetic (deadlines before, refreshers after) never leaves the calendar.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2099


class _LegendFromLabel:
    """The library names a group by its label only when the template passes no fieldset at all, so
    styling the legend left the group nameless to screen readers: keep the label as the legend text."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        legend = params.setdefault("fieldset", {}).setdefault("legend", {})
        if not legend.get("text") and not legend.get("html"):
            legend["text"] = field.label.text
        return params


class _RenderedOnce:
    """The same parameters always give the same HTML: render each distinct set once per process. A quiz
    question's two radio groups were most of its page's time; a few hundred variants cover a course."""

    _rendered: dict[tuple[str, str], Markup] = {}
    _limit = 4096

    def render(self, params):
        key = (self.template, json.dumps(params, sort_keys=True, default=repr))  # repr tells Markup from str
        html = self._rendered.get(key)
        if html is None:
            html = super().render(params)
            if len(self._rendered) < self._limit:
                self._rendered[key] = html
        return html


class Radios(_RenderedOnce, _LegendFromLabel, GovRadioInput):
    pass


class Checkboxes(_RenderedOnce, _LegendFromLabel, GovCheckboxesInput):
    pass


class FixedRadios(_RenderedOnce, GovRadioInput):
    """GOV.UK radios, rendered once per variant (the legend comes from the template's fieldset)."""


class DateInput(_LegendFromLabel, GovDateInput):
    pass


class ChoiceField(RadioField):
    """Radios named by their label; a missing or unknown choice gets the field's own message (ButtonForm)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("widget", Radios())
        super().__init__(label, validators, **kwargs)


class ButtonForm(FlaskForm):
    """A POST with nothing but its CSRF token (sign out, start quiz, submit answers); the base of every form.

    A value WTForms cannot read ('Not a valid integer value.', 'Not a valid time value.') is answered with
    the field's own message (from its first validator that has one), as the GOV.UK pattern asks."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if field.errors and str(field.errors[0]).startswith("Not a valid"):
                own = next((v.message for v in field.validators if getattr(v, "message", None)), None)
                message = own or f"Enter {field.label.text.lower()} in the right format"
                field.errors = list(dict.fromkeys([message, *field.errors[1:]]))
        return valid


TAMPERED_DATE = "Enter the date as a day, month and year"


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
                raise ValueError(TAMPERED_DATE)
            return
        super().process_formdata(valuelist)

    def pre_validate(self, form):
        if self.data is not None and not EARLIEST_YEAR <= self.data.year <= LATEST_YEAR:
            raise StopValidation(f"Enter a year from {EARLIEST_YEAR} to {LATEST_YEAR}")  # not "Enter the date"


class OptionalDate:
    """A date that may be left blank, but not half typed: three empty boxes mean no date; anything else
    must be a whole, real date (Optional() alone would let '', 12, 2026 through as no date at all)."""

    field_flags = {"optional": True}

    def __init__(self, message: str):
        self.message = message

    def __call__(self, _form, field):
        is_blank = not any((value or "").strip() for value in field.raw_data or ())
        is_tampered = TAMPERED_DATE in field.process_errors
        if is_blank and not is_tampered:
            field.errors[:] = []
            raise StopValidation()
        if field.data is None:
            # A tampered form (not three boxes) already says so; otherwise say what a real date is.
            raise StopValidation(None if is_blank else self.message)


class SingleLine:
    """A one-line text box: a line break could only come from a tampered form, and would break
    the email header (a subject) the text may end up in."""

    def __init__(self, label: str):
        self.message = f"{label} must be on one line"

    def __call__(self, _form, field):
        if field.data and ("\r" in field.data or "\n" in field.data):
            raise ValidationError(self.message)


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(str(value), label) for value, label in pairs]
