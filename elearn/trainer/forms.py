"""The trainer's form for the in-person day: attendance and competence outcome."""

from govuk_frontend_wtf.wtforms_widgets import GovTextArea
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ..models import Attendance, Competence
from ..web.forms import ButtonForm, ChoiceField, choices

ATTENDANCE_LABELS = {
    Attendance.NOT_RECORDED: "Not recorded yet",
    Attendance.ATTENDED: "Attended",
    Attendance.DAY_1_ONLY: "Day 1 only",
    Attendance.DAY_2_ONLY: "Day 2 only",
    Attendance.ABSENT: "Absent",
}
COMPETENCE_LABELS = {
    Competence.NOT_ASSESSED: "Not assessed",
    Competence.COMPETENT: "Competent",
    Competence.NOT_YET_COMPETENT: "Not yet competent",
}


class DayOutcomeForm(ButtonForm):
    attendance = ChoiceField("Attendance", validators=[DataRequired(message="Choose the attendance")])
    competence = ChoiceField(
        "Practical competence outcome",
        choices=choices((c.value, label) for c, label in COMPETENCE_LABELS.items()),
        validators=[DataRequired(message="Choose the competence outcome")],
    )
    note = TextAreaField(
        "Note (optional)",
        widget=GovTextArea(),
        validators=[Length(max=2000)],
        description="Required for 'not yet competent': say what the person needs to work on",
    )


def day_outcome_form(days: int, **data) -> DayOutcomeForm:
    form = DayOutcomeForm(**data)
    allowed = [Attendance.ATTENDED, Attendance.ABSENT] if days == 1 else list(Attendance)[1:]
    form.attendance.choices = choices((a.value, ATTENDANCE_LABELS[a]) for a in allowed)
    return form
