"""Every form; forms check shape only, the rules live in `gaps/domain/`."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovFileInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from gaps.domain.accounts import MAXIMUM_PASSWORD_LENGTH, MAXIMUM_TOKEN_DAYS, TOKEN_SCOPES
from gaps.domain.actions import ActionDraft
from gaps.domain.grading import HANDLING_CODES, INTELLIGENCE_GRADES, SOURCE_GRADES
from gaps.domain.limits import LARGEST_ID
from gaps.domain.matching import parse_lines, parse_terms
from gaps.domain.review import DUE_LISTS
from gaps.domain.status import STATUS_LABELS
from gaps.domain.vocabulary import CONFIDENCE_LEVELS, MARKINGS, PHIA_LIKELIHOODS, ROLES


class ChoiceField(SelectField):
    """A select whose submitted value is matched to its choices whatever its case.

    GOV.UK's select template (govuk-frontend-jinja) writes every option's value in lower case,
    so a browser sends `official-sensitive` for `OFFICIAL-SENSITIVE`: map it back.
    """

    def pre_validate(self, form) -> None:
        """Take the choice's own spelling of the submitted value, then check it."""
        if isinstance(self.data, str) and self.choices is not None:
            for value, *_ in self.iter_choices():
                if isinstance(value, str) and value.lower() == self.data.lower():
                    self.data = value
                    break
        super().pre_validate(form)


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

    key_judgement = ChoiceField("Key judgement", widget=GovSelect(), coerce=str,
                                validators=[Optional()])
    theme = ChoiceField("Theme", widget=GovSelect(), coerce=str, validators=[Optional()])
    without_requirement = ChoiceField(
        "Requirements", widget=GovSelect(), coerce=str, validators=[Optional()],
        choices=[SelectChoice("", "With or without"),
                 SelectChoice("yes", "No requirement written yet")])

    def set_choices(self, choices) -> None:
        """Offer the key judgements and themes that exist (a FilterChoices)."""
        self.key_judgement.choices = [SelectChoice("", "Any key judgement")] + [
            SelectChoice(str(key), f"KJ{number}: {text[:70]}…")
            for key, number, text in choices.key_judgements]
        self.theme.choices = [SelectChoice("", "Any theme")] + [SelectChoice(theme)
                                                                 for theme in choices.themes]


class RequirementFilterForm(FilterForm):
    """Narrow the requirement list by status, owner team and words."""

    status = ChoiceField("Status", widget=GovSelect(), coerce=str, validators=[Optional()],
                         choices=[SelectChoice("", "Any status")]
                         + [SelectChoice(value, label) for value, label in STATUS_LABELS.items()])
    team = ChoiceField("Owner team", widget=GovSelect(), coerce=str, validators=[Optional()])
    due = ChoiceField("Due", widget=GovSelect(), coerce=str, validators=[Optional()],
                      choices=[SelectChoice("", "Anything")]
                      + [SelectChoice(value, label) for value, label in DUE_LISTS.items()])

    def set_choices(self, teams) -> None:
        """Offer the teams that exist."""
        self.team.choices = [SelectChoice("", "Any team")] + [
            SelectChoice(str(team.id), team.name) for team in teams
        ]


class DateInputs(GovDateInput):
    """GOV.UK's day, month and year inputs, also when a request sent none or only some."""

    def map_gov_params(self, field, **kwargs):
        """Pad missing parts so that the widget always has three to show."""
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = [*field.raw_data, "", "", ""][:3] if field.raw_data else None
        return super().map_gov_params(field, **kwargs)


def _optional_int(value):
    if value in (None, "", "None"):
        return None
    return int(value)


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(str(value), label) for value, label in pairs]


def _likelihood_choices(empty: str) -> list[SelectChoice]:
    return [SelectChoice("", empty)] + _choices(
        (term, f"{term} ({range_})") for term, range_ in PHIA_LIKELIHOODS.items())


def _confidence_choices(empty: str) -> list[SelectChoice]:
    return [SelectChoice("", empty)] + _choices((level, level) for level in CONFIDENCE_LEVELS)


SCORE_CHOICES = [SelectChoice("", "Not scored")] + [
    SelectChoice(str(number), str(number)) for number in range(1, 6)
]


class VersionedForm(FlaskForm):
    """A form that carries the version of the object it was loaded from."""

    version = HiddenField(validators=[DataRequired()])

    def loaded_version(self) -> int | None:
        """The version the user started from."""
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class RequirementForm(FlaskForm):
    """A new requirement or child question."""

    question = TextAreaField("Question", widget=GovTextArea(),
                             validators=[DataRequired("Enter the question"), Length(max=2000)])
    rationale = TextAreaField("Rationale", widget=GovTextArea(),
                              validators=[Optional(), Length(max=4000)])
    marking = ChoiceField("Protective marking", widget=GovSelect(),
                          choices=_choices((marking, marking) for marking in MARKINGS))
    save_anyway = BooleanField("Save anyway: this is not a duplicate of those listed",
                               widget=GovCheckboxInput())
    submit = SubmitField("Save requirement", widget=GovSubmitInput())


class EditRequirementForm(VersionedForm):
    """A requirement's fields, as a manager edits them."""

    question = TextAreaField("Question", widget=GovTextArea(),
                             validators=[DataRequired("Enter the question"), Length(max=2000)])
    short_title = StringField("Short title", widget=GovTextInput(),
                              validators=[Optional(), Length(max=120)])
    rationale = TextAreaField("Rationale", widget=GovTextArea(),
                              validators=[Optional(), Length(max=4000)])
    marking = ChoiceField("Protective marking", widget=GovSelect(),
                          choices=_choices((marking, marking) for marking in MARKINGS))
    owner_team = ChoiceField("Owner team", widget=GovSelect(), validators=[Optional()])
    sources = SelectMultipleField("Collection sources", widget=GovCheckboxesInput(),
                                  validators=[Optional()])
    ltiov = DateField("Latest time of value (LTIOV)", widget=DateInputs(), format="%d %m %Y",
                      validators=[Optional()])
    review_date = DateField("Next review", widget=DateInputs(), format="%d %m %Y",
                            validators=[Optional()])
    harm = ChoiceField("Harm", widget=GovSelect(), choices=SCORE_CHOICES,
                       coerce=_optional_int, validators=[Optional()])
    likelihood = ChoiceField("Likelihood", widget=GovSelect(), choices=SCORE_CHOICES,
                             coerce=_optional_int, validators=[Optional()])
    knowledge_gap = ChoiceField("Knowledge gap", widget=GovSelect(), choices=SCORE_CHOICES,
                                coerce=_optional_int, validators=[Optional()])
    organisational_position = ChoiceField("Organisational position", widget=GovSelect(),
                                          choices=SCORE_CHOICES, coerce=_optional_int,
                                          validators=[Optional()])
    indicators = TextAreaField("Indicators", widget=GovTextArea(),
                               validators=[Optional(), Length(max=16000)])
    match_terms = TextAreaField("Match terms", widget=GovTextArea(),
                                validators=[Optional(), Length(max=12000)])
    exclude_terms = TextAreaField("Exclude terms", widget=GovTextArea(),
                                  validators=[Optional(), Length(max=12000)])
    submit = SubmitField("Save changes", widget=GovSubmitInput())

    FIELDS = ("question", "short_title", "rationale", "marking", "owner_team", "sources",
              "ltiov", "review_date", "harm", "likelihood", "knowledge_gap",
              "organisational_position")
    LIST_FIELDS = ("indicators", "match_terms", "exclude_terms")

    @classmethod
    def initial(cls, values: dict) -> dict:
        """A requirement's values as the form shows them: lists one item a line."""
        return {**values, **{name: "\n".join(values[name]) for name in cls.LIST_FIELDS}}

    def set_choices(self, teams, sources) -> None:
        """Offer the teams and sources that exist."""
        self.owner_team.choices = [SelectChoice("", "Not tasked")] + [
            SelectChoice(team.name) for team in teams]
        self.sources.choices = [SelectChoice(source.name) for source in sources]

    def changes(self) -> dict:
        """The submitted values, as the service takes them."""
        values = {name: getattr(self, name).data for name in self.FIELDS}
        values["owner_team"] = values["owner_team"] or None
        values["sources"] = values["sources"] or []
        values["indicators"] = parse_lines(self.indicators.data)
        values["match_terms"] = parse_terms(self.match_terms.data)
        values["exclude_terms"] = parse_terms(self.exclude_terms.data)
        return values


class TaskForm(VersionedForm):
    """Tasking: owner team, sources, LTIOV and (optionally) the next review."""

    owner_team = ChoiceField("Owner team", widget=GovSelect(),
                             validators=[DataRequired("Choose the team that will collect")])
    sources = SelectMultipleField("Collection sources", widget=GovCheckboxesInput(),
                                  validators=[DataRequired("Choose at least one source")])
    ltiov = DateField("Latest time of value (LTIOV)", widget=DateInputs(), format="%d %m %Y",
                      validators=[DataRequired("Enter the date after which an answer is of no "
                                               "value, like 31 3 2027")])
    review_date = DateField("Next review (leave empty to follow the review cadence)",
                            widget=DateInputs(), format="%d %m %Y", validators=[Optional()])
    submit = SubmitField("Task requirement", widget=GovSubmitInput())

    def set_choices(self, teams, sources) -> None:
        """Offer the teams and sources that exist."""
        self.owner_team.choices = [SelectChoice("", "Choose a team")] + [
            SelectChoice(team.name) for team in teams]
        self.sources.choices = [SelectChoice(source.name) for source in sources]


class TransitionForm(VersionedForm):
    """A move to another status, with a reason when the move needs one."""

    target = HiddenField(validators=[DataRequired()])
    reason = TextAreaField("Reason", widget=GovTextArea(), validators=[Optional(),
                                                                      Length(max=4000)])


class ConfirmMoveForm(VersionedForm):
    """A move that is hard to undo, confirmed with the reason for it."""

    reason = TextAreaField("Why", widget=GovTextArea(),
                           validators=[DataRequired("Say why: it is kept in the history"),
                                       Length(max=4000)])
    submit = SubmitField("Confirm", widget=GovSubmitInput())


class ClearFlagForm(VersionedForm):
    """A manager has reviewed a requirement after its key judgement changed."""

    submit = SubmitField("Reviewed: clear the flag", widget=GovSubmitInput())


def _grading_fields() -> tuple:
    """The 3x5x2 grading's four fields, made afresh for each form that records a grade (so
    each keeps its place among that form's own fields)."""
    def graded(label: str, grades: dict, refusal: str) -> RadioField:
        return RadioField(label, widget=GovRadioInput(), validators=[DataRequired(refusal)],
                          choices=_choices((key, f"{key} – {name}")
                                           for key, name in grades.items()))
    return (graded("Source evaluation", SOURCE_GRADES, "Grade the source"),
            graded("Intelligence assessment", INTELLIGENCE_GRADES, "Grade the intelligence"),
            graded("Handling code", HANDLING_CODES, "Choose the handling code"),
            TextAreaField("Conditions of sharing (handling code C only)", widget=GovTextArea(),
                          validators=[Optional(), Length(max=2000)]))


class ContributionForm(FlaskForm):
    """What a collection team found, graded 3x5x2."""

    text = TextAreaField("What was found", widget=GovTextArea(),
                         validators=[DataRequired("Say what was found"), Length(max=20000)])
    found_on = DateField("Date found", widget=DateInputs(), format="%d %m %Y",
                         validators=[DataRequired("Enter the date it was found, like 3 11 2026")])
    source = ChoiceField("Source", widget=GovSelect(),
                         validators=[DataRequired("Choose the source")])
    source_grade, intelligence_grade, handling_code, handling_conditions = _grading_fields()
    likelihood = ChoiceField("Likelihood (PHIA yardstick, optional)", widget=GovSelect(),
                             choices=_likelihood_choices("None given"), validators=[Optional()])
    confidence = ChoiceField("Analytical confidence (optional)", widget=GovSelect(),
                             choices=_confidence_choices("None given"), validators=[Optional()])
    submit = SubmitField("Record contribution", widget=GovSubmitInput())

    FIELDS = ("text", "found_on", "source", "source_grade", "intelligence_grade",
              "handling_code", "handling_conditions", "likelihood", "confidence")

    def set_choices(self, sources) -> None:
        """Offer the sources that exist."""
        self.source.choices = [SelectChoice("", "Choose a source")] + [
            SelectChoice(source.name) for source in sources]

    def values(self) -> dict:
        """The submitted values, as the service takes them."""
        return {name: getattr(self, name).data for name in self.FIELDS}


class GapForm(FlaskForm):
    """A gap's fields."""

    ref = StringField("Reference (leave empty to number it from its first paragraph)",
                      widget=GovTextInput(), validators=[Optional(), Length(max=20)])
    title = StringField("Short title", widget=GovTextInput(),
                        validators=[DataRequired("Enter a short title"), Length(max=200)])
    statement = TextAreaField("Statement, quoted from the assessment", widget=GovTextArea(),
                              validators=[DataRequired("Quote what the assessment says"),
                                          Length(max=10000)])
    paragraphs = StringField("Paragraph numbers", widget=GovTextInput(),
                             validators=[Optional(), Length(max=200)])
    section = StringField("Section", widget=GovTextInput(),
                          validators=[Optional(), Length(max=200)])
    theme = StringField("Theme", widget=GovTextInput(), validators=[Optional(), Length(max=80)])
    submit = SubmitField("Save gap", widget=GovSubmitInput())

    FIELDS = ("ref", "title", "statement", "paragraphs", "section", "theme")

    def values(self) -> dict:
        """The submitted values, as the service takes them."""
        return {name: (getattr(self, name).data or "") for name in self.FIELDS}


class NewGapForm(GapForm):
    """A new gap, with the key judgements it undermines."""

    key_judgements = SelectMultipleField("Key judgements it undermines",
                                         widget=GovCheckboxesInput(), coerce=int,
                                         validators=[Optional()])
    save_anyway = BooleanField("Save anyway: this is not a duplicate of those listed",
                               widget=GovCheckboxInput())

    def set_choices(self, judgements) -> None:
        """Offer the assessment's key judgements."""
        self.key_judgements.choices = [SelectChoice(judgement.id, f"KJ{judgement.number}: "
                                                                  f"{judgement.text}")
                                       for judgement in judgements]


class EditGapForm(VersionedForm, GapForm):
    """A gap's fields, with the version they were loaded at."""


class LinkKeyJudgementForm(FlaskForm):
    """Link a gap to one more key judgement."""

    key_judgement = ChoiceField("Key judgement", widget=GovSelect(), coerce=int,
                                validators=[DataRequired("Choose a key judgement")])
    submit = SubmitField("Link key judgement", widget=GovSubmitInput())

    def set_choices(self, judgements) -> None:
        """Offer the key judgements not linked yet."""
        self.key_judgement.choices = [SelectChoice(judgement.id, f"KJ{judgement.number}: "
                                                                 f"{judgement.text[:80]}…")
                                      for judgement in judgements]


class KeyJudgementForm(VersionedForm):
    """A key judgement's wording, likelihood and confidence."""

    text = TextAreaField("Judgement", widget=GovTextArea(),
                         validators=[DataRequired("Enter the judgement"), Length(max=4000)])
    likelihood = ChoiceField("Likelihood (PHIA yardstick)", widget=GovSelect(),
                             choices=_likelihood_choices("None stated"), validators=[Optional()])
    confidence = ChoiceField("Analytical confidence", widget=GovSelect(),
                             choices=_confidence_choices("None stated"), validators=[Optional()])
    submit = SubmitField("Save key judgement", widget=GovSubmitInput())


class AuditFilterForm(FilterForm):
    """Narrow the audit trail by person, action, kind of object and dates."""

    actor = StringField("Who (e-mail contains)", widget=GovTextInput(),
                        validators=[Optional(), Length(max=254)])
    action = StringField("Action", widget=GovTextInput(), validators=[Optional(),
                                                                      Length(max=40)])
    entity_type = ChoiceField("Kind of object", widget=GovSelect(), validators=[Optional()],
                              choices=[SelectChoice("", "Any")] + [
                                  SelectChoice(kind) for kind in (
                                      "requirement", "gap", "key_judgement", "assessment",
                                      "user", "contribution", "register_snapshot",
                                      "action", "report")])
    since = DateField("From", widget=DateInputs(), format="%d %m %Y", validators=[Optional()])
    until = DateField("To", widget=DateInputs(), format="%d %m %Y", validators=[Optional()])


class RegisterFilterForm(FilterForm):
    """Narrow and group the register."""

    key_judgement = ChoiceField("Key judgement", widget=GovSelect(), validators=[Optional()])
    theme = ChoiceField("Theme", widget=GovSelect(), validators=[Optional()])
    team = ChoiceField("Owner team", widget=GovSelect(), validators=[Optional()])
    status = ChoiceField("Status", widget=GovSelect(), validators=[Optional()],
                         choices=[SelectChoice("", "Any open status")] + [
                             SelectChoice(value, label) for value, label in STATUS_LABELS.items()
                             if value not in ("closed", "cancelled")])
    overdue = ChoiceField("Overdue", widget=GovSelect(), validators=[Optional()],
                          choices=[SelectChoice("", "Overdue or not"),
                                   SelectChoice("yes", "Only overdue (LTIOV passed or review "
                                                       "due)")])
    group = ChoiceField("Group by", widget=GovSelect(), validators=[Optional()],
                        choices=[SelectChoice("", "No grouping"),
                                 SelectChoice("key_judgement", "Key judgement"),
                                 SelectChoice("theme", "Theme")])

    def set_choices(self, choices) -> None:
        """Offer the key judgements, themes and teams that exist (a FilterChoices)."""
        self.key_judgement.choices = [SelectChoice("", "Any key judgement")] + [
            SelectChoice(str(key), f"KJ{number}: {text[:60]}…")
            for key, number, text in choices.key_judgements]
        self.theme.choices = [SelectChoice("", "Any theme")] + [SelectChoice(theme)
                                                                 for theme in choices.themes]
        self.team.choices = [SelectChoice("", "Any team")] + [
            SelectChoice(str(key), name) for key, name in choices.teams]


class PlanFilterForm(RegisterFilterForm):
    """Narrow the collection plan as the register is narrowed, by band, and to requirements
    with no source."""

    group = None  # the plan is one table: no grouping
    band = ChoiceField("Priority band", widget=GovSelect(), validators=[Optional()],
                       choices=[SelectChoice("", "Any band"), SelectChoice("high", "High"),
                                SelectChoice("medium", "Medium"), SelectChoice("low", "Low")])
    without_source = ChoiceField("Sources", widget=GovSelect(), validators=[Optional()],
                                 choices=[SelectChoice("", "Tasked or not"),
                                          SelectChoice("yes", "Only requirements with no "
                                                              "source")])


class SnapshotForm(FlaskForm):
    """Take a snapshot of the register."""

    title = StringField("Snapshot title", widget=GovTextInput(),
                        validators=[DataRequired("Give the snapshot a title"), Length(max=200)])
    submit = SubmitField("Take a snapshot", widget=GovSubmitInput())


class ActionRowsForm(FlaskForm):
    """A few optional action rows (what, owner, due date, requirement), so that several
    actions are written in one go without JavaScript; an empty row is no action."""

    ROWS = (1, 2, 3)
    PARTS = ("text", "owner", "due", "requirement")
    ERROR_PARTS = {"text": "text", "owner": "owner", "due_on": "due", "requirement":
                   "requirement"}

    def set_owner_choices(self, choices) -> None:
        """Offer active managers and teams (OwnerChoice rows) as owners."""
        offered = [SelectChoice("", "Choose an owner")] + [
            SelectChoice(f"{choice.kind}:{choice.id}",
                         f"{choice.label} (manager)" if choice.kind == "manager"
                         else f"Team: {choice.label}") for choice in choices]
        for number in self.ROWS:
            self.row_field(number, "owner").choices = offered

    def row_field(self, number: int, part: str):
        """One field of one action row."""
        return self[f"action_{number}_{part}"]

    def used_rows(self) -> list[int]:
        """The rows with anything filled in."""
        return [number for number in self.ROWS
                if any(_filled(self.row_field(number, part)) for part in self.PARTS)]

    def drafts(self) -> list[ActionDraft]:
        """The filled-in rows as drafts, numbered by their row."""
        drafts = []
        for number in self.used_rows():
            kind, _, owner_id = (self.row_field(number, "owner").data or "").partition(":")
            drafts.append(ActionDraft(
                text=self.row_field(number, "text").data,
                owner_user_id=int(owner_id) if kind == "manager" else None,
                owner_team_id=int(owner_id) if kind == "team" else None,
                due_on=self.row_field(number, "due").data,
                requirement_ref=self.row_field(number, "requirement").data or None,
                number=number))
        return drafts

    def field_for_error(self, name: str):
        """The field a service's error is about: `actions.<index>.<field>` is a row's field,
        `actions` the first row's text."""
        if name == "actions":
            return self.row_field(self.ROWS[0], "text")
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "actions" and parts[1].isdigit() \
                and int(parts[1]) + 1 in self.ROWS and parts[2] in self.ERROR_PARTS:
            return self.row_field(int(parts[1]) + 1, self.ERROR_PARTS[parts[2]])
        return getattr(self, name, None)


def _filled(field) -> bool:
    return any(isinstance(value, str) and value.strip() for value in field.raw_data or ())


for _number in ActionRowsForm.ROWS:
    setattr(ActionRowsForm, f"action_{_number}_text", TextAreaField(
        "What is to be done", widget=GovTextArea(), validators=[Optional(), Length(max=2000)]))
    setattr(ActionRowsForm, f"action_{_number}_owner", ChoiceField(
        "Owner", widget=GovSelect(), coerce=str, validators=[Optional()]))
    setattr(ActionRowsForm, f"action_{_number}_due", DateField(
        "Due by", widget=DateInputs(), format="%d %m %Y", validators=[Optional()]))
    setattr(ActionRowsForm, f"action_{_number}_requirement", StringField(
        "Requirement reference (optional)", widget=GovTextInput(),
        validators=[Optional(), Length(max=20)]))


class DecisionForm(ActionRowsForm):
    """The governance group's decision on a snapshot, with the actions it directs."""

    decision = RadioField("The group's decision", widget=GovRadioInput(),
                          choices=[SelectChoice("approved", "Approved"),
                                   SelectChoice("returned", "Returned with a direction")],
                          validators=[DataRequired("Choose the decision")])
    direction = TextAreaField("Direction (when returned)", widget=GovTextArea(),
                              validators=[Optional(), Length(max=4000)])
    submit = SubmitField("Record the decision", widget=GovSubmitInput())


class AddActionsForm(ActionRowsForm):
    """More actions on a snapshot the group has decided on."""

    submit = SubmitField("Add actions", widget=GovSubmitInput())


class CloseActionForm(VersionedForm):
    """Close an action with a note saying what was done."""

    note = TextAreaField("What was done", widget=GovTextArea(),
                         validators=[DataRequired("Say what was done: the note is kept with the "
                                                  "action"), Length(max=4000)])
    submit = SubmitField("Close action", widget=GovSubmitInput())


class ActionFilterForm(FilterForm):
    """Narrow the list of actions by state, owner and words."""

    state = ChoiceField("State", widget=GovSelect(), coerce=str, validators=[Optional()],
                        choices=[SelectChoice("", "Any state"),
                                 SelectChoice("open", "Open (overdue included)"),
                                 SelectChoice("overdue", "Overdue"),
                                 SelectChoice("closed", "Closed")])
    owner = ChoiceField("Owner", widget=GovSelect(), coerce=str, validators=[Optional()])

    def set_owner_choices(self, choices) -> None:
        """Offer active managers and teams (OwnerChoice rows)."""
        self.owner.choices = [SelectChoice("", "Anyone")] + [
            SelectChoice(f"{choice.kind}:{choice.id}",
                         choice.label if choice.kind == "manager" else f"Team: {choice.label}")
            for choice in choices]

    def owner_ids(self) -> tuple[int | None, int | None]:
        """The chosen owner as (manager's account id, team id)."""
        kind, _, owner_id = (self.owner.data or "").partition(":")
        if not owner_id.isdigit():
            return None, None
        return (int(owner_id), None) if kind == "manager" else (None, int(owner_id))


class OverrideRankForm(VersionedForm):
    """Pin a requirement at a rank, with the rationale (empty rank clears the override)."""

    rank = IntegerField("Rank", widget=GovTextInput(),
                        validators=[Optional(), NumberRange(min=1, max=LARGEST_ID)])
    rationale = TextAreaField("Rationale", widget=GovTextArea(),
                              validators=[Optional(), Length(max=4000)])
    submit = SubmitField("Save override", widget=GovSubmitInput())


class ScoringForm(FlaskForm):
    """Scoring weights, urgency horizons and priority band thresholds."""

    harm = DecimalField("Weight of harm", widget=GovTextInput(),
                        validators=[InputRequired(), NumberRange(min=0, max=10)])
    likelihood = DecimalField("Weight of likelihood", widget=GovTextInput(),
                              validators=[InputRequired(), NumberRange(min=0, max=10)])
    knowledge_gap = DecimalField("Weight of knowledge gap", widget=GovTextInput(),
                                 validators=[InputRequired(), NumberRange(min=0, max=10)])
    organisational_position = DecimalField("Weight of organisational position",
                                           widget=GovTextInput(),
                                           validators=[InputRequired(),
                                                       NumberRange(min=0, max=10)])
    urgency = DecimalField("Weight of urgency", widget=GovTextInput(),
                           validators=[InputRequired(), NumberRange(min=0, max=10)])
    horizons = StringField("Urgency horizons in days (urgency 5/4/3/2 up to each)",
                           widget=GovTextInput(), validators=[DataRequired(), Length(max=40)])
    high = DecimalField("High priority from score", widget=GovTextInput(),
                        validators=[InputRequired(), NumberRange(min=0, max=100)])
    medium = DecimalField("Medium priority from score", widget=GovTextInput(),
                          validators=[InputRequired(), NumberRange(min=0, max=100)])
    submit = SubmitField("Save scoring", widget=GovSubmitInput())

    WEIGHTS = ("harm", "likelihood", "knowledge_gap", "organisational_position", "urgency")


class UploadAssessmentForm(FlaskForm):
    """A new assessment's document: plain text or PDF."""

    document = FileField("Assessment document (plain text or PDF)", widget=GovFileInput(),
                         validators=[FileRequired("Choose the document to import")])
    title = StringField("Title (leave empty to take it from the document)",
                        widget=GovTextInput(), validators=[Optional(), Length(max=300)])
    submit = SubmitField("Import", widget=GovSubmitInput())


class AcceptCandidateForm(VersionedForm):
    """Accept a proposed gap, optionally with a first draft requirement."""

    title = StringField("Short title", widget=GovTextInput(),
                        validators=[DataRequired("Give the gap a short title"),
                                    Length(max=200)])
    statement = TextAreaField("Statement", widget=GovTextArea(),
                              validators=[DataRequired("Quote what the assessment says")])
    key_judgements = SelectMultipleField("Key judgements it undermines",
                                         widget=GovCheckboxesInput(), coerce=int,
                                         validators=[Optional()])
    save_anyway = BooleanField("Save anyway: this is not a duplicate of those listed",
                               widget=GovCheckboxInput())
    theme = StringField("Theme", widget=GovTextInput(), validators=[Optional(), Length(max=80)])
    question = TextAreaField("Draft requirement (optional): the question to collect against",
                             widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Accept as a gap", widget=GovSubmitInput())

    def set_choices(self, judgements) -> None:
        """Offer the assessment's key judgements."""
        self.key_judgements.choices = [SelectChoice(judgement.id, f"KJ{judgement.number}")
                                       for judgement in judgements]


class EditCandidateForm(VersionedForm):
    """Correct a proposed gap's title or statement before deciding."""

    title = StringField("Short title", widget=GovTextInput(),
                        validators=[DataRequired("Give it a short title"), Length(max=200)])
    statement = TextAreaField("Statement", widget=GovTextArea(),
                              validators=[DataRequired("Quote what the assessment says")])
    submit = SubmitField("Save", widget=GovSubmitInput())


class MergeCandidateForm(FlaskForm):
    """Merge another proposed gap into this one."""

    other = ChoiceField("Merge with", widget=GovSelect(), coerce=int,
                        validators=[DataRequired("Choose the proposed gap to merge")])
    submit = SubmitField("Merge", widget=GovSubmitInput())

    def set_choices(self, candidates) -> None:
        """Offer the other proposed gaps of the same assessment."""
        self.other.choices = [SelectChoice(candidate.id, candidate.title)
                              for candidate in candidates]


class MarkGapForm(FlaskForm):
    """Propose a gap by hand on a paragraph."""

    statement = TextAreaField("Sentence that admits the gap (empty: the whole paragraph)",
                              widget=GovTextArea(), validators=[Optional(), Length(max=10000)])
    submit = SubmitField("Mark as a gap", widget=GovSubmitInput())


class ButtonForm(FlaskForm):
    """A button that changes state: a POST with a CSRF token and nothing else."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class ContinueGapForm(FlaskForm):
    """Mark a gap as continuing a gap of an earlier assessment."""

    earlier = ChoiceField("Continues", widget=GovSelect(), coerce=_optional_int,
                          validators=[Optional()])
    submit = SubmitField("Save", widget=GovSubmitInput())

    def set_choices(self, gaps) -> None:
        """Offer the gaps of other assessments."""
        self.earlier.choices = [SelectChoice("", "No earlier gap")] + [
            SelectChoice(str(gap.id), f"{gap.ref} ({gap.assessment.reference} "
                                      f"v{gap.assessment.version}): {gap.title}")
            for gap in gaps]


def _current_password() -> PasswordField:
    return PasswordField("Your current password", widget=GovPasswordInput(),
                         validators=[DataRequired("Enter your current password"),
                                     Length(max=MAXIMUM_PASSWORD_LENGTH)])


TOKEN_SCOPE_LABELS = {"read": "Read only", "write": "Read and write"}


class ApiTokenForm(FlaskForm):
    """A new API token: its name, scope and lifetime, after the current password."""

    name = StringField("Name (what the token is for)", widget=GovTextInput(),
                       validators=[DataRequired("Give the token a name"), Length(max=100)])
    scope = RadioField("Scope", widget=GovRadioInput(), default="read",
                       choices=[SelectChoice(scope, TOKEN_SCOPE_LABELS[scope])
                                for scope in TOKEN_SCOPES],
                       validators=[InputRequired("Choose what the token may do")])
    expires_days = IntegerField("Expires after (days)", widget=GovTextInput(),
                                validators=[Optional(),
                                            NumberRange(min=1, max=MAXIMUM_TOKEN_DAYS)])
    current_password = _current_password()
    submit = SubmitField("Create token", widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    """Someone's own new password, given twice, after the current one."""

    current_password = _current_password()
    new_password = PasswordField("New password (at least 12 characters)",
                                 widget=GovPasswordInput(),
                                 validators=[DataRequired("Enter a new password"),
                                             Length(max=MAXIMUM_PASSWORD_LENGTH)])
    confirm_password = PasswordField("New password again", widget=GovPasswordInput(),
                                     validators=[DataRequired("Enter the new password again"),
                                                 EqualTo("new_password",
                                                         "The two new passwords differ")])
    revoke_tokens = BooleanField("Also revoke all my API tokens", widget=GovCheckboxInput())
    submit = SubmitField("Change password", widget=GovSubmitInput())


def _team_choices(teams, empty: str) -> list[SelectChoice]:
    return [SelectChoice("", empty)] + [SelectChoice(str(team.id), team.name) for team in teams]


class RoleAndTeamForm(FlaskForm):
    """An account's role and team, after the admin's current password."""

    role = ChoiceField("Role", widget=GovSelect(),
                       choices=[SelectChoice(role, role) for role in ROLES],
                       validators=[DataRequired("Choose a role")])
    team = ChoiceField("Team (collectors must have one)", widget=GovSelect(),
                       coerce=_optional_int, validators=[Optional()])
    current_password = _current_password()
    submit = SubmitField("Save role and team", widget=GovSubmitInput())

    def set_choices(self, teams) -> None:
        """Offer every team, or none."""
        self.team.choices = _team_choices(teams, "No team")


class NewAccountForm(RoleAndTeamForm):
    """A new account: e-mail, name, role, team and an optional first password."""

    email = StringField("Email address", widget=GovTextInput(),
                        validators=[DataRequired("Enter the email address"), Length(max=254)])
    name = StringField("Full name", widget=GovTextInput(),
                       validators=[Optional(), Length(max=200)])
    password = PasswordField("First password (leave empty to generate one, shown once)",
                             widget=GovPasswordInput(),
                             validators=[Optional(), Length(max=MAXIMUM_PASSWORD_LENGTH)])
    submit = SubmitField("Create account", widget=GovSubmitInput())

    FIELD_ORDER = ("email", "name", "role", "team", "password", "current_password")


class ResetPasswordForm(FlaskForm):
    """Give an account a new generated password, after the admin's current one."""

    current_password = _current_password()
    submit = SubmitField("Reset password", widget=GovSubmitInput())


class InsightsForm(FlaskForm):
    """The period insights cover: from and to (YYYY-MM-DD), by quarter or by month."""

    class Meta:
        csrf = False

    start = StringField("From", name="from", widget=GovTextInput(),
                        validators=[Optional(), Length(max=10)],
                        description="For example, 2026-01-01")
    end = StringField("To", name="to", widget=GovTextInput(),
                      validators=[Optional(), Length(max=10)],
                      description="For example, 2026-12-31")
    by = ChoiceField("By", widget=GovSelect(), validators=[Optional()],
                     choices=[SelectChoice("quarter", "Quarter"), SelectChoice("month", "Month")])
    submit = SubmitField("Show figures", widget=GovSubmitInput())

    def field_for_error(self, name: str):
        """The field a range error names (`from`, `to` or `by`)."""
        return {"from": self.start, "to": self.end, "by": self.by}.get(name)


class DigestPreferenceForm(FlaskForm):
    """Whether to receive the daily e-mail of what is due."""

    receives_digest = SelectMultipleField(
        "Daily e-mail", widget=GovCheckboxesInput(),
        choices=[SelectChoice("yes", "Send me a daily e-mail of what is due for me")],
        validators=[Optional()])
    submit = SubmitField("Save e-mail settings", widget=GovSubmitInput())


class ReportForm(FlaskForm):
    """An incoming intelligence report, graded 3x5x2."""

    title = StringField("Title", widget=GovTextInput(),
                        validators=[DataRequired("Enter the report's title"), Length(max=300)])
    text = TextAreaField("Text of the report", widget=GovTextArea(),
                         validators=[DataRequired("Enter the report's text"),
                                     Length(max=50000)])
    source = ChoiceField("Source", widget=GovSelect(),
                         validators=[DataRequired("Choose the source")])
    found_on = DateField("Date found", widget=DateInputs(), format="%d %m %Y",
                         validators=[DataRequired("Enter the date it was found, like 3 11 2026")])
    source_grade, intelligence_grade, handling_code, handling_conditions = _grading_fields()
    marking = ChoiceField("Protective marking", widget=GovSelect(),
                          choices=_choices((marking, marking) for marking in MARKINGS))
    submit = SubmitField("Record report", widget=GovSubmitInput())

    FIELDS = ("title", "text", "source", "found_on", "source_grade", "intelligence_grade",
              "handling_code", "handling_conditions", "marking")

    def set_choices(self, sources) -> None:
        """Offer the sources that exist."""
        self.source.choices = [SelectChoice("", "Choose a source")] + [
            SelectChoice(source.name) for source in sources]

    def values(self) -> dict:
        """The submitted values, as the service takes them."""
        return {name: getattr(self, name).data for name in self.FIELDS}


class MatchDecisionForm(FlaskForm):
    """Confirm or reject a proposed match (the page draws it once per proposal)."""

    decision = ChoiceField("Decision", choices=_choices((value, value)
                                                        for value in ("confirm", "reject")),
                           validators=[DataRequired("Choose confirm or reject")])
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=2000)])


class ReportFilterForm(FilterForm):
    """Filter of the report list: those waiting for triage, or all."""

    state = ChoiceField("Show", widget=GovSelect(), validators=[Optional()],
                        choices=[SelectChoice("", "All reports"),
                                 SelectChoice("waiting", "Waiting for triage")])
    submit = SubmitField("Filter", widget=GovSubmitInput())
