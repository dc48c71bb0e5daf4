"""Form base classes: CSRF from Flask-WTF; a field-less form for POST-only buttons."""
from flask_wtf import FlaskForm


class ButtonForm(FlaskForm):
    """A POST with nothing but its CSRF token (sign out, start quiz, submit answers)."""
