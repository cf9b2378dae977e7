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
