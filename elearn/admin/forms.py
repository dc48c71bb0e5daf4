"""Admin forms: cohorts, trainers, invitations (typed or CSV), direct enrolment, organisations."""

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    EmailField,
    Form,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from ..models import CourseType
from ..web.forms import ButtonForm, Checkboxes, ChoiceField, DayMonthYearField, OptionalDate, SingleLine, choices


class CohortForm(ButtonForm):
    title = StringField(
        "Course title",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter a course title"), Length(max=200), SingleLine("Course title")],
    )
    course_type = ChoiceField(
        "Course type",
        default=CourseType.INITIAL.value,
        choices=choices([(CourseType.INITIAL.value, "Initial course"), (CourseType.REFRESHER.value, "Refresher")]),
        validators=[DataRequired(message="Choose the course type")],
    )
    organisation_id = SelectField(
        "Organisation",
        widget=GovSelect(),
        validators=[Optional()],
        description="Leave as 'Open to all' for a course any organisation can book on",
    )
    venue = StringField(
        "Venue",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the venue"), Length(max=200), SingleLine("Venue")],
    )
    address = TextAreaField("Address", widget=GovTextArea(), validators=[Optional(), Length(max=500)])
    starts_on = DayMonthYearField(
        "Course date",
        validators=[DataRequired(message="Enter the course date, for example 27 3 2027")],
        description="For example, 27 3 2027",
    )
    days = ChoiceField(
        "Length",
        default="1",
        choices=choices([("1", "1 day"), ("2", "2 days")]),
        validators=[DataRequired(message="Choose the length of the course")],
    )
    start_time = TimeField(
        "Start time",
        widget=GovTextInput(),
        default=None,
        description="24-hour clock, for example 09:30",
        validators=[DataRequired(message="Enter a start time, for example 09:30")],
    )
    end_time = TimeField(
        "End time",
        widget=GovTextInput(),
        description="24-hour clock, for example 16:30",
        validators=[DataRequired(message="Enter an end time, for example 16:30")],
    )
    capacity = IntegerField(
        "Places",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the number of places"),
            NumberRange(min=1, max=500, message="Places must be between 1 and 500"),
        ],
    )
    deadline_on = DayMonthYearField(
        "Pre-learning deadline (optional)",
        validators=[Optional()],
        description="Leave blank for 2 days before the course date",
    )


class TrainersForm(ButtonForm):
    trainers = SelectMultipleField("Trainers", widget=Checkboxes(), validate_choice=False)


class InviteForm(ButtonForm):
    people = TextAreaField(
        "People to invite",
        widget=GovTextArea(),
        validators=[DataRequired(message="Enter at least one person"), Length(max=50_000)],
        description="One person a line: full name, email. For example: Sam Okafor, sam@example.org",
    )


class UploadForm(ButtonForm):
    file = FileField(
        "CSV file",
        widget=GovFileInput(),
        validators=[FileRequired(message="Choose a CSV file"), FileAllowed(["csv"], "The file must be a CSV file")],
        description="Columns: full name, email, job title, organisation. The first row must be these headings.",
    )


class EnrolForm(ButtonForm):
    email = EmailField(
        "Email address of an existing trainee",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the trainee's email address"), Length(max=254)],
    )


class OrganisationForm(ButtonForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the organisation's name"), Length(max=200), SingleLine("Name")],
    )
    training_contact_email = EmailField(
        "Training contact email (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Email(message="Enter an email address in the correct format"), Length(max=254)],
    )


class UserForm(ButtonForm):
    full_name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the person's full name"), Length(max=200), SingleLine("Full name")],
    )
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter an email address"),
            Email(message="Enter an email address in the correct format"),
            Length(max=254),
        ],
    )
    job_title = StringField(
        "Job title (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=200), SingleLine("Job title")]
    )
    role = ChoiceField(
        "Role",
        default="trainee",
        choices=choices(
            [
                ("trainee", "Trainee"),
                ("trainer", "Trainer"),
                ("manager", "Manager of organisations"),
                ("admin", "Admin"),
            ]
        ),
        validators=[DataRequired(message="Choose a role")],
    )
    organisation_id = SelectField("Organisation", widget=GovSelect(), validators=[Optional()])
    manages = SelectMultipleField(
        "Organisations they manage (managers only)",
        widget=Checkboxes(),
        description="A manager sees readiness, completions, refreshers and exports for these organisations' staff only.",
    )


class ReasonForm(ButtonForm):
    reason = StringField(
        "Reason",
        widget=GovTextInput(),
        validators=[DataRequired(message="Give a reason"), Length(max=500)],
        description="Recorded in the audit log. For example: erasure request received 1 March 2027",
    )


class AuditFilterForm(Form):
    """The audit log's filters, read from the query string (a GET form: nothing changes, so no CSRF token)."""

    person = StringField(
        "Person",
        widget=GovTextInput(),
        description="Part of an email address or name: who acted, or who it was about",
        validators=[Optional(), Length(max=200)],
    )
    action = SelectField("Action", widget=GovSelect(), validators=[Optional()], validate_choice=False)
    since = DayMonthYearField("From", validators=[Optional()], description="For example, 1 12 2026")
    until = DayMonthYearField("To", validators=[Optional()], description="For example, 31 12 2026")


def _date_filter(label: str, name: str, example: str) -> DayMonthYearField:
    return DayMonthYearField(
        label,
        name=name,
        validators=[OptionalDate(f"{label} must be a real date, for example {example}")],
        description=f"For example, {example}",
    )


class ExportFilterForm(ButtonForm):
    """The exports page's filters. Posted (with its CSRF token) by every button: a prepared file is a
    write; the page and the streamed CSV and XLSX are then GET addresses holding the same filters."""

    organisation = SelectField("Organisation", widget=GovSelect(), validate_choice=False)
    cohort = SelectField("Cohort", widget=GovSelect(), validate_choice=False)
    course_from = _date_filter("Course date from", "from", "1 9 2026")
    course_to = _date_filter("Course date to", "to", "31 8 2027")
    course_type = SelectField("Course type", widget=GovSelect(), validate_choice=False)
    state = SelectField("Readiness", widget=GovSelect(), validate_choice=False)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name, label in (("organisation", "organisation"), ("cohort", "cohort"), ("course_type", "course type"),
                            ("state", "readiness")):  # fmt: skip
            field = self[name]
            if field.data and field.data not in {choice.value for choice in field.choices}:
                field.errors = [f"Choose the {label} from the list"]
                valid = False
        start, end = self.course_from.data, self.course_to.data
        if start and end and end < start and not self.course_to.errors:
            self.course_to.errors = ["Course date to must be the same as or after course date from"]
            valid = False
        return valid
