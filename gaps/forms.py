"""Every form; forms check shape only, the rules live in `gaps/domain/`."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from gaps.domain.status import STATUS_LABELS


class SignInForm(FlaskForm):
    """E-mail address and password."""

    email = StringField("Email address", widget=GovTextInput(),
                        validators=[DataRequired("Enter your email address"), Length(max=254)])
    password = PasswordField("Password", widget=GovPasswordInput(),
                             validators=[DataRequired("Enter your password"), Length(max=200)])
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class SignOutForm(FlaskForm):
    """A button: signing out changes state, so it is a POST with a CSRF token."""

    submit = SubmitField("Sign out", widget=GovSubmitInput())


class FilterForm(FlaskForm):
    """Base of list filters: read from the query string, no CSRF (they change nothing)."""

    class Meta:
        csrf = False

    q = StringField("Search", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    submit = SubmitField("Apply filters", widget=GovSubmitInput())


class GapFilterForm(FilterForm):
    """Narrow the gap list by key judgement, theme and words."""

    key_judgement = SelectField("Key judgement", widget=GovSelect(), coerce=str,
                                validators=[Optional()])
    theme = SelectField("Theme", widget=GovSelect(), coerce=str, validators=[Optional()])

    def set_choices(self, key_judgements, themes) -> None:
        """Offer the key judgements and themes that exist."""
        self.key_judgement.choices = [SelectChoice("", "Any key judgement")] + [
            SelectChoice(str(judgement.id), f"KJ{judgement.number}: {judgement.text[:70]}…")
            for judgement in key_judgements
        ]
        self.theme.choices = [SelectChoice("", "Any theme")] + [SelectChoice(theme)
                                                                 for theme in themes]


class RequirementFilterForm(FilterForm):
    """Narrow the requirement list by status, owner team and words."""

    status = SelectField("Status", widget=GovSelect(), coerce=str, validators=[Optional()],
                         choices=[SelectChoice("", "Any status")]
                         + [SelectChoice(value, label) for value, label in STATUS_LABELS.items()])
    team = SelectField("Owner team", widget=GovSelect(), coerce=str, validators=[Optional()])

    def set_choices(self, teams) -> None:
        """Offer the teams that exist."""
        self.team.choices = [SelectChoice("", "Any team")] + [
            SelectChoice(str(team.id), team.name) for team in teams
        ]
