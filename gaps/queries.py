"""Every read: functions returning `Select` statements or rows, never writing."""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from gaps.domain.priority import DIMENSIONS, ScoringSettings
from gaps.domain.register import (
    RegisterDiff,
    RegisterEntry,
    RegisterInput,
    RegisterRow,
    diff_registers,
    rank_requirements,
)
from gaps.domain.review import is_ltiov_passed, is_review_due
from gaps.domain.status import OPEN_STATUSES, STATUSES, Status
from gaps.domain.vocabulary import Role
from gaps.extensions import db
from gaps.models import (
    Assessment,
    AuditEvent,
    CandidateGap,
    Contribution,
    Gap,
    KeyJudgement,
    Paragraph,
    RegisterSnapshot,
    RegisterSnapshotRow,
    Requirement,
    Setting,
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


SCORING_SETTING = "scoring"


@dataclass(frozen=True)
class RegisterFilters:
    """What the register may be narrowed by."""

    key_judgement_id: int | None = None
    theme: str | None = None
    owner_team_id: int | None = None
    status: str | None = None
    overdue: bool = False
    text: str | None = None

    def describe(self) -> str:
        """The filters in words, for exports."""
        parts = [f"{name.replace('_', ' ')}: {value}" for name, value in vars(self).items()
                 if value not in (None, False, "")]
        return "; ".join(parts) or "all open requirements"


def scoring_settings() -> ScoringSettings:
    """The scoring weights and horizons in force (an admin may change them)."""
    stored = db.session.get(Setting, SCORING_SETTING)
    if stored is None:
        return ScoringSettings()
    value = stored.value
    return ScoringSettings(weights=dict(value["weights"]),
                           urgency_horizons_days=tuple(value["urgency_horizons_days"]),
                           band_thresholds=tuple(value["band_thresholds"]))


def _last_activity() -> Select:
    return (select(AuditEvent.entity_id, func.max(AuditEvent.at))
            .where(AuditEvent.entity_type == "requirement").group_by(AuditEvent.entity_id))


def latest_snapshot() -> Select:
    """The most recent register snapshot."""
    return select(RegisterSnapshot).order_by(RegisterSnapshot.taken_at.desc(),
                                             RegisterSnapshot.id.desc()).limit(1)


def snapshot_rows(snapshot_id: int) -> Select:
    """A snapshot's frozen rows in rank order."""
    return (select(RegisterSnapshotRow).where(RegisterSnapshotRow.snapshot_id == snapshot_id)
            .order_by(RegisterSnapshotRow.rank))


def register(filters: RegisterFilters = RegisterFilters(), today: date | None = None,
             with_movement: bool = True) -> list[RegisterRow]:
    """The priority register: every open requirement ranked, then filtered.

    Ranks are over the whole register, so a filtered list keeps each requirement's rank.
    The number of statements does not depend on the number of requirements.
    """
    today = today or utcnow().date()
    requirements_ = db.session.execute(
        select(Requirement).where(Requirement.status.in_(OPEN_STATUSES)).options(
            selectinload(Requirement.owner_team),
            selectinload(Requirement.gap).selectinload(Gap.key_judgements))
    ).scalars().all()
    last_activity = dict(db.session.execute(_last_activity()).all())
    ranked = rank_requirements(
        (RegisterInput(requirement.id, requirement.ref,
                       {dimension: getattr(requirement, dimension) for dimension in DIMENSIONS},
                       requirement.ltiov, requirement.rank_override)
         for requirement in requirements_), today, scoring_settings())
    by_id = {requirement.id: requirement for requirement in requirements_}
    rows = [_register_row(item, by_id[item.requirement_id],
                          last_activity.get(item.requirement_id)) for item in ranked]
    if with_movement:
        rows = _with_movement(rows)
    return [row for row in rows if _matches(row, filters, today)]


def _register_row(item, requirement: Requirement, last_activity) -> RegisterRow:
    gap = requirement.gap
    return RegisterRow(
        rank=item.rank, natural_rank=item.natural_rank, requirement_id=requirement.id,
        ref=requirement.ref, question=requirement.question, gap_id=gap.id, gap_ref=gap.ref,
        gap_title=gap.title,
        key_judgements=tuple(f"KJ{judgement.number}" for judgement in gap.key_judgements),
        key_judgement_ids=tuple(judgement.id for judgement in gap.key_judgements),
        theme=gap.theme, owner_team=requirement.owner_team.name if requirement.owner_team
        else None, owner_team_id=requirement.owner_team_id, status=requirement.status,
        score=item.score.total, score_breakdown=item.score.breakdown(),
        score_complete=item.score.complete, ltiov=requirement.ltiov,
        review_date=requirement.review_date, last_activity=last_activity,
        marking=requirement.marking,
        override_rationale=requirement.rank_override_rationale
        if requirement.rank_override is not None else None,
    )


def _with_movement(rows: list[RegisterRow]) -> list[RegisterRow]:
    snapshot = db.session.execute(latest_snapshot()).scalar_one_or_none()
    if snapshot is None:
        return rows
    before = [_snapshot_entry(row) for row in
              db.session.execute(snapshot_rows(snapshot.id)).scalars()]
    movement = diff_registers(before, [row.as_entry() for row in rows]).movement()
    return [replace(row, movement=movement.get(row.requirement_id, "")) for row in rows]


def _matches(row: RegisterRow, filters: RegisterFilters, today: date) -> bool:
    return ((filters.key_judgement_id is None or filters.key_judgement_id in row.key_judgement_ids)
            and (not filters.theme or row.theme == filters.theme)
            and (filters.owner_team_id is None or row.owner_team_id == filters.owner_team_id)
            and (not filters.status or row.status == filters.status)
            and (not filters.overdue or row.is_overdue(today))
            and (not filters.text or filters.text.casefold() in
                 f"{row.ref} {row.question} {row.gap_ref}".casefold()))


def snapshots() -> Select:
    """Every snapshot, newest first, with who took and decided it."""
    return (select(RegisterSnapshot).options(selectinload(RegisterSnapshot.taken_by),
                                             selectinload(RegisterSnapshot.decided_by))
            .order_by(RegisterSnapshot.taken_at.desc(), RegisterSnapshot.id.desc()))


def snapshot(snapshot_id: int) -> Select:
    """One snapshot with its rows."""
    return (select(RegisterSnapshot).where(RegisterSnapshot.id == snapshot_id)
            .options(selectinload(RegisterSnapshot.rows), selectinload(RegisterSnapshot.taken_by),
                     selectinload(RegisterSnapshot.decided_by)))


def requirement_statuses(requirement_ids: list[int]) -> dict[int, str]:
    """The current status of each of these requirements."""
    if not requirement_ids:
        return {}
    return dict(db.session.execute(select(Requirement.id, Requirement.status)
                                   .where(Requirement.id.in_(requirement_ids))).all())


def traceability() -> Select:
    """Key judgements with their gaps and the gaps' requirements, for the coverage matrix."""
    return (select(KeyJudgement).options(
        selectinload(KeyJudgement.assessment),
        selectinload(KeyJudgement.gaps).selectinload(Gap.requirements))
        .order_by(KeyJudgement.assessment_id, KeyJudgement.number))


def gaps_without_requirements() -> Select:
    """Gaps no requirement has been written for."""
    return (select(Gap).where(~Gap.requirements.any()).options(selectinload(Gap.assessment))
            .order_by(Gap.assessment_id, Gap.ref))


def status_by_key_judgement() -> dict[str, dict[str, int]]:
    """For each key judgement, how many of its requirements are in each status."""
    statement = (select(KeyJudgement.number, Requirement.status, func.count(Requirement.id))
                 .join(gap_key_judgement, gap_key_judgement.c.key_judgement_id
                       == KeyJudgement.id)
                 .join(Requirement, Requirement.gap_id == gap_key_judgement.c.gap_id)
                 .group_by(KeyJudgement.number, Requirement.status)
                 .order_by(KeyJudgement.number))
    counts: dict[str, dict[str, int]] = {}
    for number, status, count in db.session.execute(statement):
        counts.setdefault(f"KJ{number}", {})[status] = count
    return counts


def open_requirement_ages(today: date | None = None) -> list[int]:
    """How many days each open requirement has been open."""
    today = today or utcnow().date()
    created = db.session.execute(select(Requirement.created_at).where(
        Requirement.status.in_(OPEN_STATUSES))).scalars()
    return [(today - moment.date()).days for moment in created]


@dataclass(frozen=True)
class Comparison:
    """A snapshot compared with a later snapshot, or with the register as it is now."""

    diff: RegisterDiff
    later: RegisterSnapshot | None

    @property
    def later_label(self) -> str:
        """What the snapshot was compared with, in words."""
        return f"“{self.later.title}”" if self.later else "the register now"


def _snapshot_entry(row: RegisterSnapshotRow) -> RegisterEntry:
    return RegisterEntry(row.requirement_id, row.ref, row.rank, row.score, row.status,
                         row.owner_team)


def _snapshot_entries(taken: RegisterSnapshot) -> list[RegisterEntry]:
    return [_snapshot_entry(row) for row in taken.rows]


def compare_snapshot(earlier: RegisterSnapshot, against_id: int | None) -> Comparison | None:
    """What changed since a snapshot: against another snapshot, or (no id) against now."""
    later = None
    if against_id is None:
        after = [row.as_entry() for row in register(with_movement=False)]
    else:
        later = db.session.execute(snapshot(against_id)).scalar_one_or_none()
        if later is None:
            return None
        after = _snapshot_entries(later)
    before = _snapshot_entries(earlier)
    gone = list({entry.requirement_id for entry in before}
                - {entry.requirement_id for entry in after})
    return Comparison(diff_registers(before, after, requirement_statuses(gone)), later)


def candidates(assessment_id: int) -> Select:
    """An imported assessment's proposed gaps, in document order."""
    return (select(CandidateGap).join(Paragraph, CandidateGap.paragraph_id == Paragraph.id)
            .where(CandidateGap.assessment_id == assessment_id)
            .options(selectinload(CandidateGap.gap))
            .order_by(Paragraph.index, CandidateGap.id))


def candidate(candidate_id: int) -> Select:
    """One proposed gap with its paragraph and assessment."""
    return select(CandidateGap).where(CandidateGap.id == candidate_id).options(
        selectinload(CandidateGap.paragraph).selectinload(Paragraph.assessment))


def paragraph(paragraph_id: int) -> Select:
    """One imported paragraph."""
    return select(Paragraph).where(Paragraph.id == paragraph_id)


def paragraphs(assessment_id: int) -> Select:
    """An imported assessment's paragraphs in document order."""
    return select(Paragraph).where(Paragraph.assessment_id == assessment_id).order_by(
        Paragraph.index)


def earlier_versions(assessment: Assessment) -> Select:
    """Other versions of the same assessment, newest first."""
    return (select(Assessment).where(Assessment.reference == assessment.reference,
                                     Assessment.id != assessment.id)
            .order_by(Assessment.created_at.desc(), Assessment.id.desc()))


def gaps_not_carried_forward(assessment: Assessment, earlier: Assessment) -> Select:
    """Gaps of an earlier version that no gap of this version continues."""
    continued = select(Gap.continues_gap_id).where(Gap.assessment_id == assessment.id,
                                                   Gap.continues_gap_id.is_not(None))
    return (select(Gap).where(Gap.assessment_id == earlier.id, Gap.id.not_in(continued))
            .order_by(Gap.ref))


def gaps_of_other_assessments(assessment_id: int) -> Select:
    """Gaps a gap of this assessment could continue."""
    return (select(Gap).where(Gap.assessment_id != assessment_id)
            .options(selectinload(Gap.assessment)).order_by(Gap.assessment_id, Gap.ref))


def gap_lineage(gap: Gap) -> list[Gap]:
    """The gap and the earlier gaps it continues, oldest first (one statement per step)."""
    chain, step, seen = [], gap, set()
    while step is not None and step.id not in seen:
        seen.add(step.id)
        chain.append(step)
        step = step.continues
    return list(reversed(chain))
