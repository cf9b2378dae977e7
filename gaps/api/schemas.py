"""Shapes of the API's JSON: what each object looks like, and the paging envelope."""

import marshmallow as ma
from flask_login import current_user
from marshmallow import fields, validate

from gaps.domain.actions import (
    ACTION_STATES,
    ACTION_TEXT_LIMIT,
    CLOSING_NOTE_LIMIT,
    DECISIONS,
    MOST_ACTIONS_AT_ONCE,
    REQUIREMENT_REF_LIMIT,
)
from gaps.domain.limits import LARGEST_ID, LARGEST_PAGE
from gaps.domain.reports import (
    MATCH_DECISIONS,
    REASON_LIMIT,
    REPORT_STATES,
    TEXT_LIMIT,
    TITLE_LIMIT,
)
from gaps.domain.status import STATUSES
from gaps.domain.vocabulary import MARKINGS
from gaps.models import utcnow
from gaps.policy import may_know_of


class Integer(fields.Integer):
    """A whole number that fits the database's integer columns (a larger one is a 422)."""

    def __init__(self, *args, validate=None, **kwargs) -> None:
        validators = [validate] if callable(validate) else list(validate or [])
        super().__init__(*args, validate=[validate_bounds, *validators], **kwargs)


validate_bounds = validate.Range(min=-LARGEST_ID - 1, max=LARGEST_ID)


class ErrorSchema(ma.Schema):
    """The body of every error: {"error": {"code": …, "message": …}}."""

    class ErrorBody(ma.Schema):
        code = fields.String(required=True)
        message = fields.String(required=True)
        field = fields.String()
        fields_ = fields.Dict(data_key="fields")

    error = fields.Nested(ErrorBody, required=True)


class PageArgs(ma.Schema):
    """`?page=` and `?per_page=` (at most 200)."""

    page = Integer(load_default=1, validate=validate.Range(min=1, max=LARGEST_PAGE))
    per_page = Integer(load_default=50, validate=validate.Range(min=1, max=200))


class SnapshotPageArgs(PageArgs):
    """A page of a snapshot's rows: 200 unless asked for fewer."""

    per_page = Integer(load_default=200, validate=validate.Range(min=1, max=200))


class GapListArgs(PageArgs):
    """Filters of the gap list."""

    assessment_id = Integer()
    key_judgement_id = Integer()
    theme = fields.String(validate=validate.Length(max=80))
    q = fields.String(validate=validate.Length(max=200))


class RequirementListArgs(PageArgs):
    """Filters of the requirement list."""

    status = fields.String(validate=validate.OneOf(STATUSES))
    owner_team_id = Integer()
    gap_id = Integer()
    q = fields.String(validate=validate.Length(max=200))


def _ids(attribute: str):
    return fields.Function(lambda obj: [item.id for item in getattr(obj, attribute)],
                           metadata={"type": "array", "items": {"type": "integer"}})


class AssessmentSchema(ma.Schema):
    """An assessment's metadata (the full text is on the page, not in lists)."""

    id = Integer()
    title = fields.String()
    reference = fields.String()
    version = fields.String()
    published_on = fields.Date(allow_none=True)
    marking = fields.String()
    handling_note = fields.String()
    collection_period = fields.String()
    author = fields.String()
    status = fields.String()
    key_judgement_ids = _ids("key_judgements")


class KeyJudgementSchema(ma.Schema):
    """A key judgement and the gaps linked to it."""

    id = Integer()
    assessment_id = Integer()
    number = Integer()
    text = fields.String()
    likelihood = fields.String(allow_none=True)
    confidence = fields.String(allow_none=True)
    version = Integer()
    gap_ids = _ids("gaps")


class GapSchema(ma.Schema):
    """A gap, its paragraphs and its links."""

    id = Integer()
    assessment_id = Integer()
    ref = fields.String()
    title = fields.String()
    statement = fields.String()
    paragraphs = fields.List(Integer())
    section = fields.String()
    theme = fields.String()
    version = Integer()
    key_judgement_ids = _ids("key_judgements")
    requirement_ids = _ids("requirements")


class RequirementSchema(ma.Schema):
    """A requirement as the API shows it."""

    id = Integer()
    ref = fields.String()
    gap_id = Integer()
    parent_id = fields.Function(
        lambda obj: obj.parent_id if obj.parent is None or may_know_of(current_user, obj.parent)
        else None, metadata={"type": "integer", "nullable": True,
                             "description": "null when held by another team"})
    parent_held_by_another_team = fields.Function(
        lambda obj: obj.parent is not None and not may_know_of(current_user, obj.parent),
        metadata={"type": "boolean"})
    question = fields.String()
    short_title = fields.String()
    rationale = fields.String()
    status = fields.String()
    owner_team = fields.Function(lambda obj: obj.owner_team.name if obj.owner_team else None,
                                 metadata={"type": "string", "nullable": True})
    sources = fields.Function(lambda obj: [source.name for source in obj.sources],
                              metadata={"type": "array", "items": {"type": "string"}})
    ltiov = fields.Date(allow_none=True)
    review_date = fields.Date(allow_none=True)
    marking = fields.String()
    harm = Integer(allow_none=True)
    likelihood = Integer(allow_none=True)
    knowledge_gap = Integer(allow_none=True)
    organisational_position = Integer(allow_none=True)
    key_judgement_changed = fields.Boolean()
    rank_override = Integer(allow_none=True)
    rank_override_rationale = fields.String(allow_none=True)
    indicators = fields.List(fields.String(), metadata={
        "description": "what would answer it, one piece of information each"})
    match_terms = fields.List(fields.String(), metadata={
        "description": "terms or phrases that suggest a report is relevant"})
    exclude_terms = fields.List(fields.String(), metadata={
        "description": "terms or phrases that mean a report is not about it"})
    child_ids = fields.Function(
        lambda obj: [child.id for child in obj.children if may_know_of(current_user, child)],
        metadata={"type": "array", "items": {"type": "integer"},
                  "description": "child questions the caller may know of"})
    children_held_by_another_team = fields.Function(
        lambda obj: sum(1 for child in obj.children if not may_know_of(current_user, child)),
        metadata={"type": "integer"})
    version = Integer()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class TeamSchema(ma.Schema):
    """A team."""

    id = Integer()
    name = fields.String()
    description = fields.String()


class SourceSchema(ma.Schema):
    """A collection source."""

    id = Integer()
    name = fields.String()
    kind = fields.String()
    description = fields.String()


_page_schemas: dict[type, type] = {}


def page_of(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    """The paging envelope around a list: {"items": […], "total": n, "page": p, "per_page": k}."""
    if item_schema not in _page_schemas:
        name = item_schema.__name__.removesuffix("Schema") + "Page"
        _page_schemas[item_schema] = ma.Schema.from_dict({
            "items": fields.List(fields.Nested(item_schema)),
            "total": Integer(),
            "page": Integer(),
            "per_page": Integer(),
        }, name=name)
    return _page_schemas[item_schema]


# Writes. Marshmallow refuses unknown fields, so status, id or author cannot be set by the
# back door: a status changes only through a transition.

SCORE = validate.Range(min=1, max=5)


class GapCreateSchema(ma.Schema):
    """A new gap."""

    assessment_id = Integer(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    statement = fields.String(required=True, validate=validate.Length(min=1, max=10000))
    paragraphs = fields.List(Integer(validate=validate.Range(min=1)), load_default=list)
    section = fields.String(load_default="", validate=validate.Length(max=200))
    theme = fields.String(load_default="", validate=validate.Length(max=80))
    ref = fields.String(validate=validate.Length(min=1, max=20))
    key_judgement_ids = fields.List(Integer(), load_default=list)


class GapPatchSchema(ma.Schema):
    """Changes to a gap, with the version they were made from."""

    version = Integer(required=True)
    title = fields.String(validate=validate.Length(min=1, max=200))
    statement = fields.String(validate=validate.Length(min=1, max=10000))
    paragraphs = fields.List(Integer(validate=validate.Range(min=1)))
    section = fields.String(validate=validate.Length(max=200))
    theme = fields.String(validate=validate.Length(max=80))
    ref = fields.String(validate=validate.Length(min=1, max=20))


class KeyJudgementPatchSchema(ma.Schema):
    """A key judgement's new wording; a changed text or likelihood flags its requirements."""

    version = Integer(required=True)
    text = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    likelihood = fields.String(allow_none=True, load_default=None)
    confidence = fields.String(allow_none=True, load_default=None)


class RequirementCreateSchema(ma.Schema):
    """A new draft requirement (or child question, with `parent_id`)."""

    gap_id = Integer(allow_none=True, load_default=None)
    question = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    rationale = fields.String(load_default="", validate=validate.Length(max=4000))
    marking = fields.String(load_default="OFFICIAL")
    parent_id = Integer(allow_none=True, load_default=None)


class RequirementPatchSchema(ma.Schema):
    """Changes to a requirement, with the version they were made from."""

    version = Integer(required=True)
    question = fields.String(validate=validate.Length(min=1, max=2000))
    short_title = fields.String(validate=validate.Length(max=120))
    rationale = fields.String(validate=validate.Length(max=4000))
    owner_team = fields.String(allow_none=True)
    sources = fields.List(fields.String())
    ltiov = fields.Date(allow_none=True)
    review_date = fields.Date(allow_none=True)
    marking = fields.String()
    harm = Integer(allow_none=True, validate=SCORE)
    likelihood = Integer(allow_none=True, validate=SCORE)
    knowledge_gap = Integer(allow_none=True, validate=SCORE)
    organisational_position = Integer(allow_none=True, validate=SCORE)
    indicators = fields.List(fields.String())
    match_terms = fields.List(fields.String())
    exclude_terms = fields.List(fields.String())


class TransitionSchema(ma.Schema):
    """A move to another status."""

    to = fields.String(required=True)
    reason = fields.String(allow_none=True, load_default=None,
                           validate=validate.Length(max=4000))
    version = Integer(required=True)


class VersionSchema(ma.Schema):
    """Just the version an action was decided on."""

    version = Integer(required=True)


class ContributionCreateSchema(ma.Schema):
    """What was found, graded 3x5x2."""

    text = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    source = fields.String(required=True)
    grading = fields.String(required=True)
    handling_conditions = fields.String(allow_none=True, load_default=None)
    likelihood = fields.String(allow_none=True, load_default=None)
    confidence = fields.String(allow_none=True, load_default=None)
    found_on = fields.Date(allow_none=True, load_default=None)


class ContributionSchema(ma.Schema):
    """A recorded contribution."""

    id = Integer()
    requirement_id = Integer()
    text = fields.String()
    source = fields.Function(lambda obj: obj.source.name, metadata={"type": "string"})
    grading = fields.String()
    handling_conditions = fields.String(allow_none=True)
    likelihood = fields.String(allow_none=True)
    confidence = fields.String(allow_none=True)
    found_on = fields.Date()
    author = fields.Function(lambda obj: obj.author.email, metadata={"type": "string"})
    team = fields.Function(lambda obj: obj.team.name if obj.team else None,
                           metadata={"type": "string", "nullable": True})
    report_id = Integer(allow_none=True, metadata={
        "description": "the report it was confirmed from, if any"})
    created_at = fields.AwareDateTime()


class HistorySchema(ma.Schema):
    """One entry of an object's audit trail."""

    at = fields.AwareDateTime()
    user = fields.String(attribute="actor")
    action = fields.String()
    field = fields.String(allow_none=True)
    old = fields.String(allow_none=True)
    new = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)


OPEN_STATUSES_LIST = ("draft", "tasked", "partially_satisfied", "satisfied")


class RegisterFilterArgs(ma.Schema):
    """Filters of the register (the same as the page's)."""

    key_judgement_id = Integer()
    theme = fields.String(validate=validate.Length(max=80))
    owner_team_id = Integer()
    status = fields.String(validate=validate.OneOf(OPEN_STATUSES_LIST))
    overdue = fields.Boolean(load_default=False)
    q = fields.String(validate=validate.Length(max=200))


class RegisterArgs(PageArgs, RegisterFilterArgs):
    """A page of the register, filtered."""


class RegisterExportArgs(RegisterFilterArgs):
    """The export's format and the register's filters (every filtered row is exported)."""

    format = fields.String(required=True, validate=validate.OneOf(("csv", "xlsx", "pdf",
                                                                   "json")))


class RegisterItemSchema(ma.Schema):
    """A ranked register row: its rank, score and breakdown, and the requirement's fields."""

    rank = Integer()
    natural_rank = Integer()
    score = fields.Float()
    band = fields.String()
    title = fields.String()
    score_breakdown = fields.Dict()
    score_complete = fields.Boolean()
    movement = fields.String()
    override_rationale = fields.String(allow_none=True)
    id = Integer(attribute="requirement_id")
    ref = fields.String()
    question = fields.String()
    gap_id = Integer()
    gap_ref = fields.String()
    key_judgements = fields.List(fields.String())
    theme = fields.String()
    owner_team = fields.String(allow_none=True)
    status = fields.String()
    ltiov = fields.Date(allow_none=True)
    review_date = fields.Date(allow_none=True)
    last_activity = fields.AwareDateTime(allow_none=True)
    marking = fields.String()


class SnapshotRowSchema(ma.Schema):
    """A frozen snapshot row."""

    rank = Integer()
    natural_rank = Integer()
    requirement_id = Integer()
    ref = fields.String()
    question = fields.String()
    gap_ref = fields.String()
    key_judgements = fields.String()
    theme = fields.String()
    owner_team = fields.String(allow_none=True)
    status = fields.String()
    score = fields.Float()
    score_breakdown = fields.Dict()
    ltiov = fields.Date(allow_none=True)
    last_activity = fields.AwareDateTime(allow_none=True)
    marking = fields.String()
    override_rationale = fields.String(allow_none=True)
    indicators = fields.List(fields.String())
    match_terms = fields.List(fields.String())
    exclude_terms = fields.List(fields.String())


class SnapshotSchema(ma.Schema):
    """A register snapshot and the group's decision on it."""

    id = Integer()
    title = fields.String()
    taken_at = fields.AwareDateTime()
    taken_by = fields.Function(lambda obj: obj.taken_by.email if obj.taken_by else None,
                               metadata={"type": "string", "nullable": True})
    marking = fields.String()
    decision = fields.String(allow_none=True)
    direction = fields.String(allow_none=True)
    decided_by = fields.Function(lambda obj: obj.decided_by.email if obj.decided_by else None,
                                 metadata={"type": "string", "nullable": True})
    decided_at = fields.AwareDateTime(allow_none=True)
    row_count = Integer()


class SnapshotDetailSchema(SnapshotSchema):
    """A snapshot with one page of its rows (`?page=`, `?per_page=` up to 200)."""

    rows = fields.Function(lambda obj: SnapshotRowSchema(many=True).dump(obj.rows.items),
                           metadata={"type": "array", "items": {"type": "object"}})
    page = fields.Function(lambda obj: obj.rows.page, metadata={"type": "integer"})
    per_page = fields.Function(lambda obj: obj.rows.per_page, metadata={"type": "integer"})
    actions = fields.List(fields.Nested(lambda: ActionSchema()))


class SnapshotCreateSchema(ma.Schema):
    """A new snapshot's title."""

    title = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ActionCreateSchema(ma.Schema):
    """A new action: what is to be done, one owner (a manager's account or a team), when it is
    due (not in the past) and, optionally, the requirement it is about (by id or reference)."""

    text = fields.String(required=True, validate=validate.Length(min=1, max=ACTION_TEXT_LIMIT))
    owner_user_id = Integer(allow_none=True, load_default=None)
    owner_team_id = Integer(allow_none=True, load_default=None)
    due_on = fields.Date(required=True)
    requirement_id = Integer(allow_none=True, load_default=None)
    requirement_ref = fields.String(allow_none=True, load_default=None,
                                    validate=validate.Length(max=REQUIREMENT_REF_LIMIT))


_ACTIONS = fields.List(fields.Nested(ActionCreateSchema), load_default=list,
                       validate=validate.Length(max=MOST_ACTIONS_AT_ONCE))


class DecisionSchema(ma.Schema):
    """The governance group's decision; `returned` needs a direction and at least one action."""

    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    direction = fields.String(allow_none=True, load_default=None,
                              validate=validate.Length(max=4000))
    actions = _ACTIONS


class ActionsCreateSchema(ma.Schema):
    """Actions to add to a snapshot the group has decided on."""

    actions = fields.List(fields.Nested(ActionCreateSchema), required=True,
                          validate=validate.Length(min=1, max=MOST_ACTIONS_AT_ONCE))


class ActionSchema(ma.Schema):
    """An action the governance group directed, and where it stands today."""

    id = Integer()
    ref = fields.String()
    snapshot_id = Integer()
    snapshot_title = fields.Function(lambda obj: obj.snapshot.title, metadata={"type": "string"})
    text = fields.String()
    owner = fields.Function(lambda obj: obj.owner_name, metadata={"type": "string"})
    owner_user_id = Integer(allow_none=True)
    owner_team_id = Integer(allow_none=True)
    due_on = fields.Date()
    state = fields.Function(lambda obj: str(obj.state(utcnow().date())),
                            metadata={"type": "string", "enum": list(ACTION_STATES)})
    requirement_id = Integer(allow_none=True)
    requirement_ref = fields.Function(
        lambda obj: obj.requirement.ref if obj.requirement else None,
        metadata={"type": "string", "nullable": True})
    created_by = fields.Function(lambda obj: obj.created_by.email, metadata={"type": "string"})
    created_at = fields.AwareDateTime()
    closed_by = fields.Function(lambda obj: obj.closed_by.email if obj.closed_by else None,
                                metadata={"type": "string", "nullable": True})
    closed_at = fields.AwareDateTime(allow_none=True)
    closing_note = fields.String(allow_none=True)
    version = Integer()


class ActionsSchema(ma.Schema):
    """The actions just added."""

    actions = fields.List(fields.Nested(ActionSchema))


class ActionListArgs(PageArgs):
    """Filters of the list of actions."""

    state = fields.String(validate=validate.OneOf(ACTION_STATES))
    owner_user_id = Integer()
    owner_team_id = Integer()
    snapshot_id = Integer()
    requirement_id = Integer()
    q = fields.String(validate=validate.Length(max=200))


class ActionCloseSchema(ma.Schema):
    """Close an action: what was done, and the version it was read at."""

    note = fields.String(required=True, validate=validate.Length(min=1, max=CLOSING_NOTE_LIMIT))
    version = Integer(required=True)


class SnapshotDecisionSchema(SnapshotSchema):
    """A snapshot with the group's decision and its actions."""

    actions = fields.List(fields.Nested(ActionSchema))


class DiffArgs(ma.Schema):
    """The snapshot to compare with (none: the register now)."""

    against = Integer()


def _side(side: str, attribute: str, json_type: str) -> fields.Function:
    """A field of the earlier (`old`) or later (`new`) register entry, null when absent."""
    return fields.Function(
        lambda change: getattr(getattr(change, side), attribute, None),
        metadata={"type": json_type, "nullable": True})


class EntryChangeSchema(ma.Schema):
    """One requirement's change between two registers."""

    requirement_id = Integer()
    ref = fields.String()
    title = fields.String()
    kinds = fields.List(fields.String())
    description = fields.Function(lambda change: change.describe(), metadata={"type": "string"})
    places = Integer()
    old_rank = _side("old", "rank", "integer")
    new_rank = _side("new", "rank", "integer")
    old_score = _side("old", "score", "number")
    new_score = _side("new", "score", "number")
    old_status = _side("old", "status", "string")
    new_status = _side("new", "status", "string")
    old_owner_team = _side("old", "owner_team", "string")
    new_owner_team = _side("new", "owner_team", "string")
    status_now = fields.String(allow_none=True)


class DiffSchema(ma.Schema):
    """Every difference between a snapshot and a later one (or now)."""

    snapshot_id = Integer(metadata={"description": "the earlier snapshot"})
    against = Integer(allow_none=True, metadata={"description": "the later one; null: now"})
    against_label = fields.String()
    unchanged = Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    changes = fields.List(fields.Nested(EntryChangeSchema))


class RankOverrideSchema(ma.Schema):
    """Pin a requirement at a rank with a rationale; a null rank clears the override."""

    version = Integer(required=True)
    rank = Integer(allow_none=True, load_default=None)
    rationale = fields.String(allow_none=True, load_default=None,
                              validate=validate.Length(max=4000))


class ReportListArgs(PageArgs):
    """Filters of the report list: `waiting` (a proposal you may triage waits) or `all`."""

    state = fields.String(load_default="all", validate=validate.OneOf(REPORT_STATES))
    q = fields.String(validate=validate.Length(max=200))


class ReportCreateSchema(ma.Schema):
    """An incoming report, graded 3x5x2 like `2/B/P` (`C` needs `handling_conditions`)."""

    title = fields.String(required=True, validate=validate.Length(min=1, max=TITLE_LIMIT))
    text = fields.String(required=True, validate=validate.Length(min=1, max=TEXT_LIMIT))
    source = fields.String(required=True, metadata={"description": "a source's name"})
    found_on = fields.Date(required=True)
    grading = fields.String(required=True)
    handling_conditions = fields.String(allow_none=True, load_default=None)
    marking = fields.String(load_default="OFFICIAL", validate=validate.OneOf(MARKINGS))


class ReportMatchSchema(ma.Schema):
    """A requirement the report may answer, as the caller may know of it."""

    requirement_id = Integer()
    ref = fields.String()
    score = fields.Float()
    matched_terms = fields.List(fields.String())
    indicators_matched = fields.List(fields.String())
    explanation = fields.List(fields.String())
    state = fields.String(metadata={"description": "proposed, confirmed or rejected"})
    reason = fields.String(allow_none=True)
    contribution_id = Integer(allow_none=True)


class ReportSchema(ma.Schema):
    """A report with the matches the caller may know of, best first (proposals first)."""

    id = Integer()
    ref = fields.String()
    title = fields.String()
    text = fields.String()
    source = fields.String()
    found_on = fields.Date()
    grading = fields.String()
    handling_conditions = fields.String(allow_none=True)
    marking = fields.String()
    recorded_by = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    proposed_matches = fields.List(fields.Nested(ReportMatchSchema))


class MatchDecisionSchema(ma.Schema):
    """Confirm (a contribution on the requirement) or reject (never proposed again)."""

    decision = fields.String(required=True, validate=validate.OneOf(MATCH_DECISIONS))
    reason = fields.String(allow_none=True, load_default=None,
                           validate=validate.Length(max=REASON_LIMIT))


class PlanArgs(PageArgs, RegisterFilterArgs):
    """A page of the collection plan, filtered as the register is, by band, and to requirements
    with no source."""

    band = fields.String(validate=validate.OneOf(("high", "medium", "low")))
    without_source = fields.Boolean(load_default=False)


class PlanSourceSchema(ma.Schema):
    """A column of the plan: a source, its abbreviation and how many open requirements (of
    those the filters leave) are tasked to it."""

    id = Integer()
    name = fields.String()
    kind = fields.String()
    abbreviation = fields.String()
    open_tasking = Integer()


class PlanCellSchema(ma.Schema):
    """One source in a row of the plan: tasked or not, and its contributions."""

    source_id = Integer()
    tasked = fields.Boolean()
    contributions = Integer()


class PlanRowSchema(ma.Schema):
    """A row of the plan: an open requirement (its rank that of the whole register) and the
    sources it is tasked to or had contributions from (other sources are left out)."""

    rank = Integer()
    requirement_id = Integer()
    ref = fields.String()
    title = fields.String()
    band = fields.String()
    score = fields.Float()
    status = fields.String()
    owner_team = fields.String(allow_none=True)
    ltiov = fields.Date(allow_none=True)
    marking = fields.String()
    without_source = fields.Boolean()
    cells = fields.Function(
        lambda row: [{"source_id": source_id, "tasked": cell.tasked,
                      "contributions": cell.contributions}
                     for source_id, cell in sorted(row.cells.items())],
        metadata={"type": "array", "items": {"type": "object", "properties": {
            "source_id": {"type": "integer"}, "tasked": {"type": "boolean"},
            "contributions": {"type": "integer"}}}})


class PlanPageSchema(ma.Schema):
    """A page of the collection plan: its rows, every source, and what stands out."""

    items = fields.List(fields.Nested(PlanRowSchema))
    total = Integer()
    page = Integer()
    per_page = Integer()
    sources = fields.List(fields.Nested(PlanSourceSchema))
    without_source = Integer(metadata={"description": "rows with no source tasked"})
    sources_without_open_tasking = fields.List(
        Integer(), metadata={"description": "ids of sources no open requirement is tasked to"})


class SimilarSchema(ma.Schema):
    """An open requirement or gap that reads like the one just written."""

    id = Integer()
    ref = fields.String()
    title = fields.String()
    similarity = fields.Float(metadata={"description": "0 to 1; listed from 0.55"})


class RequirementCreatedSchema(RequirementSchema):
    """A requirement just written, with the similar open ones the caller may know of."""

    similar = fields.List(fields.Nested(SimilarSchema))


class GapCreatedSchema(GapSchema):
    """A gap just recorded, with the similar open gaps."""

    similar = fields.List(fields.Nested(SimilarSchema))


class InsightsArgs(ma.Schema):
    """The period of insights: from and to (YYYY-MM-DD), by quarter or month."""

    start = fields.String(data_key="from", validate=validate.Length(max=40))
    end = fields.String(data_key="to", validate=validate.Length(max=40))
    by = fields.String(validate=validate.Length(max=40))


class InsightsPeriodSchema(ma.Schema):
    """A quarter or month: its label and its first and last days."""

    label = fields.String()
    start = fields.String()
    end = fields.String()


class InsightsSchema(ma.Schema):
    """Insights: the periods, then for all requirements, each owner team and each key
    judgement, one value per period of each measure (durations: count, median and 90th
    percentile days) and each count; with the definition of every measure."""

    start = fields.String(data_key="from", attribute="from")
    end = fields.String(data_key="to", attribute="to")
    by = fields.String()
    periods = fields.List(fields.Nested(InsightsPeriodSchema))
    overall = fields.Dict()
    teams = fields.List(fields.Dict())
    key_judgements = fields.List(fields.Dict())
    definitions = fields.Dict(keys=fields.String(), values=fields.String())
