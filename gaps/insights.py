"""Insights' reads: times and counts from the audit trail, by period, owner team and key
judgement; a fixed handful of statements whatever the size of the data."""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import (
    Date,
    Float,
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from gaps import queries
from gaps.domain.insights import (
    COUNT_KEYS,
    MEASURE_KEYS,
    OVERDUE_KEYS,
    InsightsRange,
    Measurement,
    Period,
    Summary,
    share,
    summaries,
)
from gaps.domain.permissions import role_may
from gaps.domain.status import OPEN_STATUSES, Status
from gaps.extensions import db
from gaps.models import (
    Assessment,
    AuditEvent,
    KeyJudgement,
    Requirement,
    Team,
    User,
    UTCDateTime,
    gap_key_judgement,
)

REQUIREMENT = "requirement"
STATUS_FIELD = "status"
CONTRIBUTION_FIELD = "contributions"
NO_TEAM = "No owner team"


@dataclass
class Breakdown:
    """The figures for one group (all requirements, one team or one key judgement), with one
    value per period in every list."""

    key: str
    label: str
    durations: dict[str, list[Summary]] = field(default_factory=dict)
    counts: dict[str, list[int]] = field(default_factory=dict)
    share_satisfied: list[float | None] | None = None


@dataclass
class Insights:
    """Everything the insights page, its CSV and the API show."""

    range: InsightsRange
    overall: Breakdown
    teams: list[Breakdown]
    key_judgements: list[Breakdown]

    @property
    def periods(self) -> tuple[Period, ...]:
        """The periods, oldest first."""
        return self.range.periods


def _rows(statement):
    return db.session.connection().execute(statement)


def _status_events():
    return and_(AuditEvent.entity_type == REQUIREMENT, AuditEvent.field == STATUS_FIELD)


def _at(expression):
    return type_coerce(expression, UTCDateTime)


def _first(condition):
    return _at(func.min(case((condition, AuditEvent.at))))


class days_between(FunctionElement):  # noqa: N801 (an SQL function's name)
    """Days (with fractions) from one timestamp to another, worked out by the database."""

    type = Float()
    inherit_cache = True


@compiles(days_between)
def _days_between_sqlite(element, compiler, **kw) -> str:
    start, end = list(element.clauses)
    return (f"(julianday({compiler.process(end, **kw)}) - "
            f"julianday({compiler.process(start, **kw)}))")


@compiles(days_between, "postgresql")
def _days_between_postgresql(element, compiler, **kw) -> str:
    start, end = list(element.clauses)
    return (f"(EXTRACT(EPOCH FROM ({compiler.process(end, **kw)} - "
            f"{compiler.process(start, **kw)})) / 86400.0)")


def _durations_statement(user: User, wanted: InsightsRange):
    """One row per requirement (per key judgement of its gap) that completed a measure in the
    range: for each measure, the period it ended in and the days it took (the database does
    the arithmetic, so only numbers come back)."""
    # One grouped read per field: each walks its own slice of the (type, field, entity, at)
    # index rather than every event of every requirement.
    firsts = (select(
        AuditEvent.entity_id.label("requirement_id"),
        _first(AuditEvent.new == Status.TASKED).label("tasked"),
        _first(AuditEvent.new == Status.SATISFIED).label("proposed"),
        _first(and_(AuditEvent.new == Status.CLOSED,
                    AuditEvent.old == Status.SATISFIED)).label("confirmed"))
        .where(_status_events()).group_by(AuditEvent.entity_id).subquery())
    contributed = (select(AuditEvent.entity_id.label("requirement_id"),
                          _at(func.min(AuditEvent.at)).label("at"))
                   .where(AuditEvent.entity_type == REQUIREMENT,
                          AuditEvent.field == CONTRIBUTION_FIELD)
                   .group_by(AuditEvent.entity_id).subquery())
    spans = {
        "draft_to_tasked": (Requirement.created_at, firsts.c.tasked),
        "tasked_to_first_contribution": (firsts.c.tasked, contributed.c.at),
        "tasked_to_proposed": (firsts.c.tasked, firsts.c.proposed),
        "proposed_to_confirmed": (firsts.c.proposed, firsts.c.confirmed),
    }
    start, end = wanted.periods[0].start_at, wanted.periods[-1].end_at
    columns = []
    for key, (began, ended) in spans.items():
        columns += [_bucket(ended, wanted.periods).label(f"{key}_period"),
                    case((ended >= began, days_between(began, ended))).label(f"{key}_days")]
    statement = (
        select(Requirement.id, Requirement.owner_team_id, gap_key_judgement.c.key_judgement_id,
               *columns)
        .join(firsts, firsts.c.requirement_id == Requirement.id)
        .outerjoin(contributed, contributed.c.requirement_id == Requirement.id)
        .outerjoin(gap_key_judgement, gap_key_judgement.c.gap_id == Requirement.gap_id)
        .where(or_(*(and_(ended >= start, ended < end) for _, ended in spans.values()))))
    return queries.need_to_know(statement, user)


def _bucket(moment, periods: tuple[Period, ...]):
    return case(*((and_(moment >= period.start_at, moment < period.end_at), index)
                  for index, period in enumerate(periods)))


def _counts_statement(user: User, wanted: InsightsRange, key_judgements: bool):
    """How many requirements were opened, closed and cancelled in each period, by owner team
    and by key judgement (a requirement counts once for each key judgement of its gap)."""
    start, end = wanted.periods[0].start_at, wanted.periods[-1].end_at
    happenings = union_all(
        select(AuditEvent.entity_id.label("requirement_id"),
               cast(AuditEvent.new, String).label("kind"), AuditEvent.at.label("at"))
        .where(_status_events(), AuditEvent.new.in_((Status.CLOSED, Status.CANCELLED)),
               AuditEvent.at >= start, AuditEvent.at < end),
        select(Requirement.id, cast(literal("opened"), String), Requirement.created_at)
        .where(Requirement.created_at >= start, Requirement.created_at < end),
    ).subquery()
    bucket = _bucket(_at(happenings.c.at), wanted.periods).label("bucket")
    parts = [queries.need_to_know(
        select(cast(literal("team"), String).label("grouping"), bucket, happenings.c.kind,
               Requirement.owner_team_id.label("group_id"), func.count().label("number"))
        .join(Requirement, Requirement.id == happenings.c.requirement_id)
        .group_by(bucket, happenings.c.kind, Requirement.owner_team_id), user)]
    if key_judgements:
        parts.append(queries.need_to_know(
            select(cast(literal("key_judgement"), String), bucket, happenings.c.kind,
                   gap_key_judgement.c.key_judgement_id, func.count())
            .join(Requirement, Requirement.id == happenings.c.requirement_id)
            .join(gap_key_judgement, gap_key_judgement.c.gap_id == Requirement.gap_id)
            .group_by(bucket, happenings.c.kind, gap_key_judgement.c.key_judgement_id), user))
    return union_all(*parts) if len(parts) > 1 else parts[0]


def _period_ends(periods: tuple[Period, ...]):
    return union_all(*(
        select(cast(literal(index), Integer).label("bucket"),
               literal(period.as_of, Date).label("as_of"),
               literal(period.end_at, UTCDateTime).label("end_at"))
        for index, period in enumerate(periods))).subquery("period_end")


def _overdue_statement(user: User, wanted: InsightsRange, key_judgements: bool):
    """How many requirements were open at each period's end (or today) with their LTIOV
    behind them, and with their review date come, by owner team and by key judgement.
    A requirement's status at a moment is the last status its history records before it
    (a draft until the first)."""
    ends = _period_ends(wanted.periods)
    status_then = (select(AuditEvent.new).where(
        _status_events(), AuditEvent.entity_id == Requirement.id,
        AuditEvent.at < ends.c.end_at)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(1)
        .correlate(Requirement, ends).scalar_subquery())
    past_ltiov = Requirement.ltiov < ends.c.as_of
    past_review = Requirement.review_date <= ends.c.as_of
    overdue = queries.need_to_know(
        select(ends.c.bucket, Requirement.owner_team_id, Requirement.gap_id,
               case((past_ltiov, 1), else_=0).label("past_ltiov"),
               case((past_review, 1), else_=0).label("past_review"))
        .join(ends, true())
        .where(Requirement.created_at < ends.c.end_at, or_(past_ltiov, past_review),
               func.coalesce(status_then, Status.DRAFT.value).in_(OPEN_STATUSES)), user,
    ).cte("overdue").prefix_with("MATERIALIZED")
    parts = [select(cast(literal("team"), String).label("grouping"), overdue.c.bucket,
                    overdue.c.owner_team_id.label("group_id"),
                    func.sum(overdue.c.past_ltiov).label("past_ltiov"),
                    func.sum(overdue.c.past_review).label("past_review"))
             .group_by(overdue.c.bucket, overdue.c.owner_team_id)]
    if key_judgements:
        parts.append(select(cast(literal("key_judgement"), String), overdue.c.bucket,
                            gap_key_judgement.c.key_judgement_id, func.sum(overdue.c.past_ltiov),
                            func.sum(overdue.c.past_review))
                     .join(gap_key_judgement, gap_key_judgement.c.gap_id == overdue.c.gap_id)
                     .group_by(overdue.c.bucket, gap_key_judgement.c.key_judgement_id))
    return union_all(*parts) if len(parts) > 1 else parts[0]


def _share_statement(wanted: InsightsRange):
    """Each key judgement of a published assessment: its gaps, and how many of them had a
    requirement confirmed as satisfied by each period's end."""
    confirmed = (select(AuditEvent.entity_id.label("requirement_id"),
                        func.min(AuditEvent.at).label("at"))
                 .where(_status_events(), AuditEvent.new == Status.CLOSED,
                        AuditEvent.old == Status.SATISFIED)
                 .group_by(AuditEvent.entity_id).subquery())
    gap_first = (select(Requirement.gap_id, func.min(confirmed.c.at).label("at"))
                 .join(confirmed, confirmed.c.requirement_id == Requirement.id)
                 .group_by(Requirement.gap_id).subquery())
    first = _at(gap_first.c.at)
    return (select(KeyJudgement.id, Assessment.reference, KeyJudgement.number,
                   func.count(gap_key_judgement.c.gap_id).label("gaps"),
                   *(func.count(case((first < period.end_at, 1))).label(f"satisfied_{index}")
                     for index, period in enumerate(wanted.periods)))
            .join(Assessment, Assessment.id == KeyJudgement.assessment_id)
            .outerjoin(gap_key_judgement,
                       gap_key_judgement.c.key_judgement_id == KeyJudgement.id)
            .outerjoin(gap_first, gap_first.c.gap_id == gap_key_judgement.c.gap_id)
            .where(KeyJudgement.assessment_id.in_(queries.published_assessment_ids()))
            .group_by(KeyJudgement.id, Assessment.reference, KeyJudgement.number)
            .order_by(Assessment.reference, KeyJudgement.number))


def _team_names(user: User):
    statement = select(Team.id, Team.name).order_by(Team.name)
    if not role_may(user.role, "read_assessments"):
        statement = statement.where(Team.id == user.team_id)
    return statement


def sees_key_judgements(user: User) -> bool:
    """Whether insights break figures down by key judgement for this user (collectors do not
    read assessments, so they see their own team's figures only)."""
    return role_may(user.role, "read_assessments")


def insights(user: User, wanted: InsightsRange) -> Insights:
    """The figures for this range, as far as this user may know (need to know)."""
    by_judgement = sees_key_judgements(user)
    periods = wanted.periods
    duration_rows = _rows(_durations_statement(user, wanted)).all()
    count_rows = _rows(_counts_statement(user, wanted, by_judgement)).all()
    overdue_rows = _rows(_overdue_statement(user, wanted, by_judgement)).all()
    share_rows = _rows(_share_statement(wanted)).all() if by_judgement else []
    team_names = dict(_rows(_team_names(user)).all())

    overall = Breakdown("all", "All requirements")
    teams: dict[int | None, Breakdown] = {}
    judgements: dict[int, Breakdown] = {}
    for row in share_rows:
        judgements[row.id] = Breakdown(str(row.id), f"{row.reference} KJ{row.number}")
        judgements[row.id].share_satisfied = [
            share(getattr(row, f"satisfied_{index}"), row.gaps) for index in range(len(periods))]

    def team(team_id: int | None) -> Breakdown:
        if team_id not in teams:
            teams[team_id] = Breakdown(str(team_id or ""), team_names.get(team_id, NO_TEAM))
        return teams[team_id]

    _durations(duration_rows, periods, overall, team, judgements)
    for breakdown in (overall, *teams.values(), *judgements.values()):
        breakdown.counts = {key: [0] * len(periods) for key in (*COUNT_KEYS, *OVERDUE_KEYS)}
    for row in count_rows:
        if row.bucket is None:
            continue
        targets = ([overall, team(row.group_id)] if row.grouping == "team"
                   else [judgements[row.group_id]] if row.group_id in judgements else [])
        for target in targets:
            target.counts.setdefault(row.kind, [0] * len(periods))
            target.counts[row.kind][row.bucket] += row.number
    for row in overdue_rows:
        targets = ([overall, team(row.group_id)] if row.grouping == "team"
                   else [judgements[row.group_id]] if row.group_id in judgements else [])
        for target in targets:
            for key in OVERDUE_KEYS:
                target.counts.setdefault(key, [0] * len(periods))
                target.counts[key][row.bucket] += int(getattr(row, key) or 0)
    for breakdown in teams.values():
        for key in (*COUNT_KEYS, *OVERDUE_KEYS):
            breakdown.counts.setdefault(key, [0] * len(periods))
    ordered_teams = sorted(teams.values(), key=lambda item: (item.label == NO_TEAM, item.label))
    return _with_every_measure(Insights(wanted, overall, ordered_teams,
                                        list(judgements.values())))


def _durations(duration_rows, periods, overall: Breakdown, team, judgements: dict) -> None:
    """Each group's durations: a requirement counts once overall and for its team, and once
    for each key judgement of its gap."""
    by_requirement: dict[int, list[Measurement]] = {}
    by_team: dict[int | None, dict[int, list[Measurement]]] = defaultdict(dict)
    by_judgement: dict[int, list[list[Measurement]]] = defaultdict(list)
    for row in duration_rows:
        measured = by_requirement.get(row.id)
        if measured is None:
            values = row._mapping
            measured = by_requirement[row.id] = [
                (key, values[f"{key}_period"], values[f"{key}_days"]) for key in MEASURE_KEYS
                if values[f"{key}_period"] is not None and values[f"{key}_days"] is not None]
        by_team[row.owner_team_id][row.id] = measured
        if row.key_judgement_id in judgements:
            by_judgement[row.key_judgement_id].append(measured)
    overall.durations = summaries(by_requirement.values(), len(periods))
    for team_id, found in by_team.items():
        team(team_id).durations = summaries(found.values(), len(periods))
    for judgement_id, breakdown in judgements.items():
        breakdown.durations = summaries(by_judgement.get(judgement_id, ()), len(periods))


def _with_every_measure(found: Insights) -> Insights:
    """Every group with a summary for every measure, even one with no durations."""
    empty = summaries((), len(found.periods))
    for breakdown in (found.overall, *found.teams, *found.key_judgements):
        for key in MEASURE_KEYS:
            breakdown.durations.setdefault(key, empty[key])
    return found
