"""Every read: functions returning `Select` statements or rows, never writing."""

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from gaps.domain.vocabulary import Role
from gaps.extensions import db
from gaps.models import (
    Assessment,
    Gap,
    KeyJudgement,
    Requirement,
    Source,
    Team,
    User,
    gap_key_judgement,
)


@dataclass(frozen=True)
class GapFilters:
    """What a gap list may be narrowed by."""

    assessment_id: int | None = None
    key_judgement_id: int | None = None
    theme: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class RequirementFilters:
    """What a requirement list may be narrowed by."""

    status: str | None = None
    owner_team_id: int | None = None
    gap_id: int | None = None
    text: str | None = None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def assessments() -> Select:
    """Every assessment, newest first."""
    return select(Assessment).order_by(Assessment.published_on.desc().nulls_last(),
                                       Assessment.id.desc())


def with_key_judgements() -> tuple:
    """Loader options that fetch assessments' key judgements in one more statement."""
    return (selectinload(Assessment.key_judgements),)


def assessment(assessment_id: int) -> Select:
    """One assessment with its key judgements."""
    return (select(Assessment).where(Assessment.id == assessment_id)
            .options(selectinload(Assessment.key_judgements)))


def key_judgement_gap_counts(assessment_id: int) -> Select:
    """Each key judgement of an assessment with the number of gaps linked to it."""
    return (
        select(KeyJudgement, func.count(gap_key_judgement.c.gap_id).label("gap_count"))
        .outerjoin(gap_key_judgement, gap_key_judgement.c.key_judgement_id == KeyJudgement.id)
        .where(KeyJudgement.assessment_id == assessment_id)
        .group_by(KeyJudgement.id)
        .order_by(KeyJudgement.number)
    )


def key_judgements(assessment_id: int | None = None) -> Select:
    """Key judgements, with their gaps loaded in one more statement."""
    statement = (select(KeyJudgement).options(selectinload(KeyJudgement.gaps))
                 .order_by(KeyJudgement.assessment_id, KeyJudgement.number))
    if assessment_id is not None:
        statement = statement.where(KeyJudgement.assessment_id == assessment_id)
    return statement


def key_judgement(key_judgement_id: int) -> Select:
    """One key judgement with its assessment and its gaps (and their requirements)."""
    return (select(KeyJudgement).where(KeyJudgement.id == key_judgement_id)
            .options(selectinload(KeyJudgement.assessment),
                     selectinload(KeyJudgement.gaps).selectinload(Gap.requirements)))


def gaps(filters: GapFilters = GapFilters()) -> Select:
    """Gaps matching the filters, in reference order, with their links loaded in bulk."""
    statement = select(Gap).options(
        selectinload(Gap.key_judgements), selectinload(Gap.requirements),
        selectinload(Gap.assessment),
    ).order_by(Gap.assessment_id, Gap.ref)
    if filters.assessment_id:
        statement = statement.where(Gap.assessment_id == filters.assessment_id)
    if filters.key_judgement_id:
        statement = statement.where(Gap.key_judgements.any(KeyJudgement.id
                                                           == filters.key_judgement_id))
    if filters.theme:
        statement = statement.where(Gap.theme == filters.theme)
    if filters.text:
        pattern = _like(filters.text)
        statement = statement.where(or_(Gap.title.ilike(pattern, escape="\\"),
                                        Gap.statement.ilike(pattern, escape="\\"),
                                        Gap.ref.ilike(pattern, escape="\\")))
    return statement


def gap(gap_id: int) -> Select:
    """One gap with its assessment, key judgements and requirements."""
    return select(Gap).where(Gap.id == gap_id).options(
        selectinload(Gap.assessment), selectinload(Gap.key_judgements),
        selectinload(Gap.requirements).selectinload(Requirement.owner_team),
    )


def themes() -> Select:
    """The themes gaps are filed under, alphabetically."""
    return select(Gap.theme).where(Gap.theme != "").distinct().order_by(Gap.theme)


def _need_to_know(statement: Select, user: User) -> Select:
    if user.role == Role.COLLECTOR:
        # Need to know: a collector's world is their own team's requirements.
        return statement.where(Requirement.owner_team_id == user.team_id,
                               Requirement.owner_team_id.is_not(None))
    return statement


def requirements(user: User, filters: RequirementFilters = RequirementFilters()) -> Select:
    """Requirements this user may see, matching the filters, with their links in bulk."""
    statement = select(Requirement).options(
        selectinload(Requirement.owner_team), selectinload(Requirement.sources),
        selectinload(Requirement.gap).selectinload(Gap.key_judgements),
    ).order_by(Requirement.ref)
    statement = _need_to_know(statement, user)
    if filters.status:
        statement = statement.where(Requirement.status == filters.status)
    if filters.owner_team_id:
        statement = statement.where(Requirement.owner_team_id == filters.owner_team_id)
    if filters.gap_id:
        statement = statement.where(Requirement.gap_id == filters.gap_id)
    if filters.text:
        pattern = _like(filters.text)
        statement = statement.where(or_(Requirement.question.ilike(pattern, escape="\\"),
                                        Requirement.ref.ilike(pattern, escape="\\")))
    return statement


def requirement(user: User, requirement_id: int) -> Select:
    """One requirement, if this user may know it exists."""
    statement = select(Requirement).where(Requirement.id == requirement_id).options(
        selectinload(Requirement.owner_team), selectinload(Requirement.sources),
        selectinload(Requirement.gap).selectinload(Gap.key_judgements),
        selectinload(Requirement.gap).selectinload(Gap.assessment),
        selectinload(Requirement.children), selectinload(Requirement.parent),
    )
    return _need_to_know(statement, user)


def users() -> Select:
    """Every account with its team, by e-mail address."""
    return select(User).options(selectinload(User.team)).order_by(User.email)


def teams() -> Select:
    """All teams by name."""
    return select(Team).order_by(Team.name)


def sources() -> Select:
    """All collection sources by name."""
    return select(Source).order_by(Source.name)


def page(statement: Select, page_number: int, per_page: int):
    """One page of a statement's results, with the total (two statements, whatever the size)."""
    return db.paginate(statement, page=page_number, per_page=per_page, max_per_page=200,
                       error_out=False, count=True)
