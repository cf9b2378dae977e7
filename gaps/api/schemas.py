"""Shapes of the API's JSON: what each object looks like, and the paging envelope."""

import marshmallow as ma
from marshmallow import fields, validate

from gaps.domain.status import STATUSES


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

    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class GapListArgs(PageArgs):
    """Filters of the gap list."""

    assessment_id = fields.Integer()
    key_judgement_id = fields.Integer()
    theme = fields.String(validate=validate.Length(max=80))
    q = fields.String(validate=validate.Length(max=200))


class RequirementListArgs(PageArgs):
    """Filters of the requirement list."""

    status = fields.String(validate=validate.OneOf(STATUSES))
    owner_team_id = fields.Integer()
    gap_id = fields.Integer()
    q = fields.String(validate=validate.Length(max=200))


def _ids(attribute: str):
    return fields.Function(lambda obj: [item.id for item in getattr(obj, attribute)],
                           metadata={"type": "array", "items": {"type": "integer"}})


class AssessmentSchema(ma.Schema):
    """An assessment's metadata (the full text is on the page, not in lists)."""

    id = fields.Integer()
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

    id = fields.Integer()
    assessment_id = fields.Integer()
    number = fields.Integer()
    text = fields.String()
    likelihood = fields.String(allow_none=True)
    confidence = fields.String(allow_none=True)
    version = fields.Integer()
    gap_ids = _ids("gaps")


class GapSchema(ma.Schema):
    """A gap, its paragraphs and its links."""

    id = fields.Integer()
    assessment_id = fields.Integer()
    ref = fields.String()
    title = fields.String()
    statement = fields.String()
    paragraphs = fields.List(fields.Integer())
    section = fields.String()
    theme = fields.String()
    version = fields.Integer()
    key_judgement_ids = _ids("key_judgements")
    requirement_ids = _ids("requirements")


class RequirementSchema(ma.Schema):
    """A requirement as the API shows it."""

    id = fields.Integer()
    ref = fields.String()
    gap_id = fields.Integer()
    parent_id = fields.Integer(allow_none=True)
    question = fields.String()
    rationale = fields.String()
    status = fields.String()
    owner_team = fields.Function(lambda obj: obj.owner_team.name if obj.owner_team else None,
                                 metadata={"type": "string", "nullable": True})
    sources = fields.Function(lambda obj: [source.name for source in obj.sources],
                              metadata={"type": "array", "items": {"type": "string"}})
    ltiov = fields.Date(allow_none=True)
    review_date = fields.Date(allow_none=True)
    marking = fields.String()
    harm = fields.Integer(allow_none=True)
    likelihood = fields.Integer(allow_none=True)
    knowledge_gap = fields.Integer(allow_none=True)
    organisational_position = fields.Integer(allow_none=True)
    key_judgement_changed = fields.Boolean()
    child_ids = _ids("children")
    version = fields.Integer()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class TeamSchema(ma.Schema):
    """A team."""

    id = fields.Integer()
    name = fields.String()
    description = fields.String()


class SourceSchema(ma.Schema):
    """A collection source."""

    id = fields.Integer()
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
            "total": fields.Integer(),
            "page": fields.Integer(),
            "per_page": fields.Integer(),
        }, name=name)
    return _page_schemas[item_schema]


# Writes. Marshmallow refuses unknown fields, so status, id or author cannot be set by the
# back door: a status changes only through a transition.

SCORE = validate.Range(min=1, max=5)


class GapCreateSchema(ma.Schema):
    """A new gap."""

    assessment_id = fields.Integer(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    statement = fields.String(required=True, validate=validate.Length(min=1, max=10000))
    paragraphs = fields.List(fields.Integer(validate=validate.Range(min=1)), load_default=list)
    section = fields.String(load_default="", validate=validate.Length(max=200))
    theme = fields.String(load_default="", validate=validate.Length(max=80))
    ref = fields.String(validate=validate.Length(min=1, max=20))
    key_judgement_ids = fields.List(fields.Integer(), load_default=list)


class GapPatchSchema(ma.Schema):
    """Changes to a gap, with the version they were made from."""

    version = fields.Integer(required=True)
    title = fields.String(validate=validate.Length(min=1, max=200))
    statement = fields.String(validate=validate.Length(min=1, max=10000))
    paragraphs = fields.List(fields.Integer(validate=validate.Range(min=1)))
    section = fields.String(validate=validate.Length(max=200))
    theme = fields.String(validate=validate.Length(max=80))
    ref = fields.String(validate=validate.Length(min=1, max=20))


class KeyJudgementPatchSchema(ma.Schema):
    """A key judgement's new wording; a changed text or likelihood flags its requirements."""

    version = fields.Integer(required=True)
    text = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    likelihood = fields.String(allow_none=True, load_default=None)
    confidence = fields.String(allow_none=True, load_default=None)


class RequirementCreateSchema(ma.Schema):
    """A new draft requirement (or child question, with `parent_id`)."""

    gap_id = fields.Integer(allow_none=True, load_default=None)
    question = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    rationale = fields.String(load_default="", validate=validate.Length(max=4000))
    marking = fields.String(load_default="OFFICIAL")
    parent_id = fields.Integer(allow_none=True, load_default=None)


class RequirementPatchSchema(ma.Schema):
    """Changes to a requirement, with the version they were made from."""

    version = fields.Integer(required=True)
    question = fields.String(validate=validate.Length(min=1, max=2000))
    rationale = fields.String(validate=validate.Length(max=4000))
    owner_team = fields.String(allow_none=True)
    sources = fields.List(fields.String())
    ltiov = fields.Date(allow_none=True)
    review_date = fields.Date(allow_none=True)
    marking = fields.String()
    harm = fields.Integer(allow_none=True, validate=SCORE)
    likelihood = fields.Integer(allow_none=True, validate=SCORE)
    knowledge_gap = fields.Integer(allow_none=True, validate=SCORE)
    organisational_position = fields.Integer(allow_none=True, validate=SCORE)


class TransitionSchema(ma.Schema):
    """A move to another status."""

    to = fields.String(required=True)
    reason = fields.String(allow_none=True, load_default=None,
                           validate=validate.Length(max=4000))
    version = fields.Integer(required=True)


class VersionSchema(ma.Schema):
    """Just the version an action was decided on."""

    version = fields.Integer(required=True)


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

    id = fields.Integer()
    requirement_id = fields.Integer()
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
