"""Forms for signing in, setting a password, resetting it and creating an account."""

from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovTextInput
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from ..web.forms import ButtonForm, SingleLine


class SignInForm(ButtonForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter your email address"), Length(max=254)],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[DataRequired(message="Enter your password"), Length(max=256)],
    )


def _password_field(label: str = "Create a password") -> PasswordField:
    return PasswordField(
        label,
        widget=GovPasswordInput(),
        validators=[DataRequired(message="Enter a password"), Length(max=256)],
        description="Use 8 characters or more (15 or more for admins). A few words together are easy to remember and hard to guess.",
    )


class SetPasswordForm(ButtonForm):
    password = _password_field()
    confirm = PasswordField(
        "Confirm your password",
        widget=GovPasswordInput(),
        validators=[
            DataRequired(message="Confirm your password"),
            EqualTo("password", message="The passwords do not match"),
        ],
    )


class RequestResetForm(ButtonForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter your email address"), Length(max=254)],
    )


class CreateAccountForm(SetPasswordForm):
    full_name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter your full name"),
            Length(max=200, message="Full name must be 200 characters or fewer"),
            SingleLine("Full name"),
        ],
    )
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter your email address"),
            Email(message="Enter an email address in the correct format, like name@example.com"),
            Length(max=254),
        ],
    )
    job_title = StringField(
        "Job title (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=200), SingleLine("Job title")]
    )
