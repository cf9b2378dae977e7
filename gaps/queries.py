"""Every read: functions returning `Select` statements or rows, never writing."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from gaps.domain.review import is_ltiov_passed, is_review_due
from gaps.domain.status import OPEN_STATUSES, STATUSES, Status
from gaps.domain.vocabulary import Role
from gaps.extensions import db
from gaps.models import (
    Assessment,
    AuditEvent,
    Contribution,
    Gap,
    KeyJudgement,
    Requirement,
    Source,
    Team,
    User,
    gap_key_judgement,
    utcnow,
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
        selectinload(Requirement.children),
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


def contributions(requirement_id: int) -> Select:
    """A requirement's contributions in the order things were found."""
    return (select(Contribution).where(Contribution.requirement_id == requirement_id)
            .options(selectinload(Contribution.source), selectinload(Contribution.author),
                     selectinload(Contribution.team))
            .order_by(Contribution.found_on, Contribution.id))


def history(entity_type: str, entity_id: int) -> Select:
    """An object's audit trail, oldest first."""
    return (select(AuditEvent).where(AuditEvent.entity_type == entity_type,
                                     AuditEvent.entity_id == entity_id)
            .order_by(AuditEvent.at, AuditEvent.id))


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


COLLECTING = (Status.TASKED, Status.PARTIALLY_SATISFIED, Status.SATISFIED)


def status_counts(user: User) -> dict[str, int]:
    """How many requirements this user may see are in each status."""
    statement = _need_to_know(select(Requirement.status, func.count(Requirement.id))
                              .group_by(Requirement.status), user)
    counts = dict(db.session.execute(statement).all())
    return {status: counts.get(status, 0) for status in STATUSES}


def _requirement_rows(user: User, *conditions) -> list[Requirement]:
    statement = (select(Requirement).where(*conditions)
                 .options(selectinload(Requirement.owner_team), selectinload(Requirement.gap))
                 .order_by(Requirement.ltiov.nulls_last(), Requirement.ref))
    return db.session.execute(_need_to_know(statement, user)).scalars().all()


def untasked_gaps() -> Select:
    """Gaps no requirement is collecting against yet (none written, or drafts only)."""
    return (select(Gap).where(~Gap.requirements.any(Requirement.status.in_(
        [*COLLECTING, Status.CLOSED]))).options(selectinload(Gap.requirements))
        .order_by(Gap.assessment_id, Gap.ref))


def manager_dashboard(user: User, today: date | None = None) -> dict:
    """What needs a manager's attention today."""
    today = today or utcnow().date()
    is_open = Requirement.status.in_(OPEN_STATUSES)
    return {
        "today": today,
        "counts": status_counts(user),
        "untasked_gaps": db.session.execute(untasked_gaps()).scalars().all(),
        "ltiov_passed": _requirement_rows(user, is_open, Requirement.ltiov < today),
        "review_due": _requirement_rows(user, is_open, Requirement.review_date <= today),
        "awaiting_confirmation": _requirement_rows(user,
                                                   Requirement.status == Status.SATISFIED),
        "flagged": _requirement_rows(user, is_open, Requirement.key_judgement_changed),
    }


def collector_dashboard(user: User, today: date | None = None) -> dict:
    """A collection team's tasks, and which of them are overdue."""
    today = today or utcnow().date()
    tasks = _requirement_rows(user, Requirement.status.in_(COLLECTING))
    overdue = [task for task in tasks if is_ltiov_passed(task.ltiov, today)
               or is_review_due(task.review_date, today)]
    return {"today": today, "tasks": tasks, "overdue": overdue}


def audit_events(actor: str | None = None, action: str | None = None,
                 entity_type: str | None = None, since: date | None = None,
                 until: date | None = None) -> Select:
    """The whole audit trail, newest first, narrowed by the filters."""
    statement = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if actor:
        statement = statement.where(AuditEvent.actor.ilike(_like(actor), escape="\\"))
    if action:
        statement = statement.where(AuditEvent.action == action)
    if entity_type:
        statement = statement.where(AuditEvent.entity_type == entity_type)
    if since:
        statement = statement.where(AuditEvent.at >= datetime.combine(since, time(), UTC))
    if until:
        statement = statement.where(AuditEvent.at < datetime.combine(until, time(), UTC)
                                    + timedelta(days=1))
    return statement
