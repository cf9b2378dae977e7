"""Every read: functions returning `Select` statements or rows, never writing."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from sqlalchemy import (
    Date,
    Integer,
    Select,
    String,
    Text,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import joinedload, selectinload

from gaps.domain import collection_plan
from gaps.domain.actions import ActionState
from gaps.domain.collection_plan import CollectionPlan, PlanRow, PlanSource
from gaps.domain.figures import AGE_BUCKETS, SCORE_BANDS
from gaps.domain.permissions import may_see_requirement, role_may
from gaps.domain.priority import DIMENSIONS, ScoringSettings, priority_score
from gaps.domain.register import (
    RegisterDiff,
    RegisterEntry,
    RegisterRow,
    diff_registers,
    movement,
)
from gaps.domain.review import LTIOV_SOON_DAYS
from gaps.domain.similarity import CANDIDATE_LIMIT, Similar, most_similar, search_words
from gaps.domain.status import OPEN_STATUSES, STATUS_LABELS, STATUSES, Status
from gaps.domain.vocabulary import Role
from gaps.extensions import db
from gaps.models import (
    Action,
    ApiToken,
    Assessment,
    AuditEvent,
    CandidateGap,
    Contribution,
    Gap,
    KeyJudgement,
    Paragraph,
    RegisterPosition,
    RegisterSnapshot,
    RegisterSnapshotRow,
    Report,
    ReportMatch,
    Requirement,
    Setting,
    Source,
    Team,
    User,
    gap_key_judgement,
    requirement_source,
    utcnow,
)


@dataclass(frozen=True)
class GapFilters:
    """What a gap list may be narrowed by."""

    assessment_id: int | None = None
    key_judgement_id: int | None = None
    theme: str | None = None
    text: str | None = None
    without_requirement: bool = False


@dataclass(frozen=True)
class RequirementFilters:
    """What a requirement list may be narrowed by."""

    status: str | None = None
    owner_team_id: int | None = None
    gap_id: int | None = None
    text: str | None = None
    due: str | None = None  # one of DUE_LISTS
    today: date | None = None
    tasked_since: datetime | None = None  # tasked (again) at or after this moment


COLLECTING = (Status.TASKED, Status.PARTIALLY_SATISFIED, Status.SATISFIED)



PUBLISHED = "published"


def published_assessment_ids() -> Select:
    """The assessments whose content may be seen: only published ones. Every list, count,
    search, dashboard, chart, the register, exports and the API go through this; a draft
    import is seen on its review page (and by those who may edit it, from there)."""
    return select(Assessment.id).where(Assessment.status == PUBLISHED)


def _published_gap_ids() -> Select:
    return select(Gap.id).where(Gap.assessment_id.in_(published_assessment_ids()))


def _reaches_drafts(user: User | None) -> bool:
    """Managers and admins open a draft's gaps and requirements from its review page."""
    return user is not None and user.role is not None and role_may(user.role, "edit_content")


def _rows(statement, parameters: dict | None = None):
    """Plain rows of a statement that selects columns, through the session's connection: the
    ORM's result machinery is for objects, and costs more than the query on a busy page."""
    return db.session.connection().execute(statement, parameters or {})


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass
class Page:
    """One page of a list read from the database, with what pagination links need."""

    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages the whole list fills (at least one)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        """Whether there is a page before this one."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """Whether there is a page after this one."""
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        """The number of the page before, if any."""
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        """The number of the page after, if any."""
        return self.page + 1 if self.has_next else None

    def iter_pages(self) -> Iterator[int | None]:
        """Page numbers to offer, with None for a gap, as Flask-SQLAlchemy does."""
        shown = {1, self.pages, *range(self.page - 2, self.page + 3)}
        previous = 0
        for number in range(1, self.pages + 1):
            if number in shown:
                if number - previous > 1:
                    yield None
                yield number
                previous = number


def clamp_page(page_number: int, total: int, per_page: int) -> int:
    """A page number within the pages a list of `total` rows fills."""
    return min(max(page_number, 1), max(1, -(-total // per_page)))


# Typed empty cells for the branches of a UNION (PostgreSQL will not guess a NULL's type).
_NO_INTEGER = cast(null(), Integer)
_NO_TEXT = cast(null(), Text)


@dataclass(frozen=True)
class FilterChoices:
    """What list filters offer: key judgements, themes and teams that exist."""

    key_judgements: list[tuple[int, int, str]]
    themes: list[str]
    teams: list[tuple[int, str]]


@lru_cache(maxsize=1)
def _filter_choices_statement():
    label = cast(KeyJudgement.text, Text).label("label")
    return union_all(
        select(literal("key_judgement").label("kind"), KeyJudgement.id.label("id"),
               KeyJudgement.number.label("number"), label)
        .where(KeyJudgement.assessment_id.in_(published_assessment_ids())),
        select(literal("theme"), _NO_INTEGER, _NO_INTEGER, cast(Gap.theme, Text))
        .where(Gap.theme != "", Gap.assessment_id.in_(published_assessment_ids())).distinct(),
        select(literal("team"), Team.id, _NO_INTEGER, cast(Team.name, Text)),
    )


def filter_choices() -> FilterChoices:
    """Key judgements, themes and teams for filter forms, read in one statement."""
    found: dict[str, list] = {"key_judgement": [], "theme": [], "team": []}
    for row in _rows(_filter_choices_statement()):
        found[row.kind].append(row)
    return FilterChoices(
        key_judgements=sorted((row.id, row.number, row.label) for row in found["key_judgement"]),
        themes=sorted(row.label for row in found["theme"]),
        teams=sorted(((row.id, row.label) for row in found["team"]), key=lambda team: team[1]))


def assessments(user: User | None = None) -> Select:
    """Published assessments, newest first (and drafts, for those who may edit them)."""
    statement = select(Assessment).order_by(Assessment.published_on.desc().nulls_last(),
                                            Assessment.id.desc())
    if not _reaches_drafts(user):
        statement = statement.where(Assessment.status == PUBLISHED)
    return statement


def with_key_judgements() -> tuple:
    """Loader options that fetch assessments' key judgements in one more statement."""
    return (selectinload(Assessment.key_judgements),)


def assessment(assessment_id: int, user: User | None = None) -> Select:
    """One assessment with its key judgements, if published (or the user may edit drafts)."""
    statement = (select(Assessment).where(Assessment.id == assessment_id)
                 .options(selectinload(Assessment.key_judgements)))
    if not _reaches_drafts(user):
        statement = statement.where(Assessment.status == PUBLISHED)
    return statement


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
    """Key judgements of published assessments, with their gaps in one more statement."""
    statement = (select(KeyJudgement).options(selectinload(KeyJudgement.gaps))
                 .where(KeyJudgement.assessment_id.in_(published_assessment_ids()))
                 .order_by(KeyJudgement.assessment_id, KeyJudgement.number))
    if assessment_id is not None:
        statement = statement.where(KeyJudgement.assessment_id == assessment_id)
    return statement


def key_judgement(key_judgement_id: int, user: User | None = None) -> Select:
    """One key judgement with its assessment, if its assessment is published (or the user may
    edit drafts); its gaps are read a page at a time (`key_judgement_gaps`)."""
    statement = (select(KeyJudgement).where(KeyJudgement.id == key_judgement_id)
                 .options(joinedload(KeyJudgement.assessment)))
    if not _reaches_drafts(user):
        statement = statement.where(KeyJudgement.assessment_id.in_(published_assessment_ids()))
    return statement


def gaps(filters: GapFilters = GapFilters()) -> Select:
    """Gaps matching the filters, in reference order, with their links loaded in bulk."""
    statement = select(Gap).options(
        selectinload(Gap.key_judgements), selectinload(Gap.requirements),
        joinedload(Gap.assessment),
    ).where(Gap.assessment_id.in_(published_assessment_ids())).order_by(Gap.assessment_id,
                                                                      Gap.ref)
    if filters.without_requirement:
        statement = statement.where(~Gap.requirements.any())
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


def gap(gap_id: int, user: User | None = None) -> Select:
    """One gap with its assessment, key judgements and requirements (and their teams), if
    its assessment is published (or the user may edit drafts)."""
    statement = select(Gap).where(Gap.id == gap_id).options(
        joinedload(Gap.assessment), selectinload(Gap.key_judgements),
        selectinload(Gap.requirements).joinedload(Requirement.owner_team),
    )
    if not _reaches_drafts(user):
        statement = statement.where(Gap.assessment_id.in_(published_assessment_ids()))
    return statement


def themes() -> Select:
    """The themes gaps of published assessments are filed under, alphabetically."""
    return (select(Gap.theme).where(Gap.theme != "",
                                    Gap.assessment_id.in_(published_assessment_ids()))
            .distinct().order_by(Gap.theme))


def _need_to_know(statement: Select, user: User, drafts: bool = False) -> Select:
    """The one rule for which requirements a user may know of: those of published assessments
    (with `drafts`, also a draft's, for those who may edit it) and, for a collector, only
    their own team's."""
    if not (drafts and _reaches_drafts(user)):
        statement = statement.where(Requirement.gap_id.in_(_published_gap_ids()))
    if user.role == Role.COLLECTOR:
        # Need to know: a collector's world is their own team's requirements.
        return statement.where(Requirement.owner_team_id == user.team_id,
                               Requirement.owner_team_id.is_not(None))
    return statement


def need_to_know(statement: Select, user: User) -> Select:
    """The need-to-know rule (published content; a collector, only their own team's) for
    another area's reads of requirements, such as insights and digests."""
    return _need_to_know(statement, user)


def _due_condition(due: str, today: date):
    is_open = Requirement.status.in_(OPEN_STATUSES)
    if due == "ltiov_passed":
        return and_(is_open, Requirement.ltiov < today)
    if due == "review_due":
        return and_(is_open, Requirement.review_date <= today)
    if due == "flagged":
        return and_(is_open, Requirement.key_judgement_changed.is_(True))
    if due == "ltiov_soon":
        return and_(is_open, Requirement.ltiov >= today,
                    Requirement.ltiov <= today + timedelta(days=LTIOV_SOON_DAYS))
    if due == "overdue":
        return and_(Requirement.status.in_(COLLECTING),
                    or_(Requirement.ltiov < today, Requirement.review_date <= today))
    if due == "collecting":
        return Requirement.status.in_(COLLECTING)
    return None


def _requirement_conditions(filters: RequirementFilters) -> list:
    conditions = []
    if filters.status:
        conditions.append(Requirement.status == filters.status)
    if filters.owner_team_id:
        conditions.append(Requirement.owner_team_id == filters.owner_team_id)
    if filters.gap_id:
        conditions.append(Requirement.gap_id == filters.gap_id)
    if filters.due:
        due = _due_condition(filters.due, filters.today or utcnow().date())
        if due is not None:
            conditions.append(due)
    if filters.tasked_since is not None:
        conditions.append(Requirement.status.in_(COLLECTING))
        conditions.append(Requirement.id.in_(
            select(AuditEvent.entity_id).where(
                AuditEvent.entity_type == "requirement", AuditEvent.field == "status",
                AuditEvent.new == Status.TASKED, AuditEvent.at >= filters.tasked_since)))
    if filters.text:
        pattern = _like(filters.text)
        conditions.append(or_(Requirement.question.ilike(pattern, escape="\\"),
                              Requirement.ref.ilike(pattern, escape="\\")))
    return conditions


def requirements(user: User, filters: RequirementFilters = RequirementFilters(),
                 with_links: bool = False) -> Select:
    """Requirements this user may see, matching the filters, with their team and gap; with
    `with_links`, also their sources and child questions (one statement each, in bulk)."""
    options = [joinedload(Requirement.owner_team), joinedload(Requirement.gap)]
    if with_links:
        options += [selectinload(Requirement.sources), selectinload(Requirement.children),
                    joinedload(Requirement.parent)]
    statement = (select(Requirement).options(*options)
                 .where(*_requirement_conditions(filters)).order_by(Requirement.ref))
    return _need_to_know(statement, user)


def requirement(user: User, requirement_id: int) -> Select:
    """One requirement, if this user may know it exists, with its team, gap, assessment,
    parent and place in the register in the same statement."""
    statement = select(Requirement).where(Requirement.id == requirement_id).options(
        joinedload(Requirement.owner_team),
        joinedload(Requirement.gap).joinedload(Gap.assessment),
        joinedload(Requirement.parent), joinedload(Requirement.position),
    )
    return _need_to_know(statement, user, drafts=True)


@dataclass(frozen=True)
class RequirementLinks:
    """What a requirement's page shows around it: its collection sources, its gap's key
    judgements, its child questions (and theirs) that the user may see, and how many more
    are held by teams the user may not know about (never which, nor what they ask); and the
    reports matched to it (confirmed, and with proposals those waiting for triage)."""

    sources: list[str]
    key_judgements: list[tuple[int, int, str]]
    children: list
    hidden_children: int = 0
    reports: list = ()


_NO_DATE = cast(null(), Date)


def requirement_links(user: User, requirement: Requirement,
                      with_proposals: bool = False) -> RequirementLinks:
    """A requirement's sources, key judgements, descendants and matched reports (the newest
    MATCHED_REPORTS_SHOWN), read in one statement."""
    tree_columns = (Requirement.id, Requirement.parent_id, Requirement.ref, Requirement.question,
                    Requirement.status, Requirement.owner_team_id)
    tree = select(*tree_columns).where(Requirement.parent_id == requirement.id).cte(
        "tree", recursive=True)
    tree = tree.union_all(select(*tree_columns).join(tree, Requirement.parent_id == tree.c.id))
    children = select(literal("child"), tree.c.id, tree.c.parent_id, _NO_INTEGER,
                      cast(tree.c.ref, Text), cast(tree.c.question, Text),
                      cast(tree.c.status, Text), tree.c.owner_team_id, _NO_DATE)
    states = (MATCH_CONFIRMED, MATCH_PROPOSED) if with_proposals else (MATCH_CONFIRMED,)
    matched = (select(Report.id, Report.title, Report.found_on, ReportMatch.state,
                      (Report.source_grade + "/" + Report.intelligence_grade + "/"
                       + Report.handling_code).label("grading"), Report.created_at)
               .join(ReportMatch, ReportMatch.report_id == Report.id)
               .where(ReportMatch.requirement_id == requirement.id,
                      ReportMatch.state.in_(states))
               .order_by(Report.created_at.desc(), Report.id.desc())
               .limit(MATCHED_REPORTS_SHOWN).subquery())
    statement = union_all(
        select(literal("source").label("kind"), Source.id.label("id"),
               _NO_INTEGER.label("parent_id"), _NO_INTEGER.label("number"),
               cast(Source.name, Text).label("ref"), _NO_TEXT.label("text"),
               _NO_TEXT.label("status"), _NO_INTEGER.label("owner_team_id"),
               _NO_DATE.label("found_on"))
        .join(requirement_source, requirement_source.c.source_id == Source.id)
        .where(requirement_source.c.requirement_id == requirement.id),
        select(literal("key_judgement"), KeyJudgement.id, _NO_INTEGER, KeyJudgement.number,
               _NO_TEXT, cast(KeyJudgement.text, Text), _NO_TEXT, _NO_INTEGER, _NO_DATE)
        .join(gap_key_judgement, gap_key_judgement.c.key_judgement_id == KeyJudgement.id)
        .where(gap_key_judgement.c.gap_id == requirement.gap_id),
        children,
        select(literal("report"), matched.c.id, _NO_INTEGER, _NO_INTEGER,
               cast(matched.c.grading, Text), cast(matched.c.title, Text),
               cast(matched.c.state, Text), _NO_INTEGER, matched.c.found_on),
    )
    rows = list(_rows(statement))
    descendants = [row for row in rows if row.kind == "child"]
    # A child is shown when the user may see it and every question between it and this one.
    known = {requirement.id}
    shown = []
    for row in sorted(descendants, key=lambda row: len(row.ref)):
        if row.parent_id in known and may_see_requirement(user.role, user.team_id,
                                                          row.owner_team_id):
            known.add(row.id)
            shown.append(row)
    return RequirementLinks(
        sources=sorted(row.ref for row in rows if row.kind == "source"),
        key_judgements=sorted((row.number, row.id, row.text) for row in rows
                              if row.kind == "key_judgement"),
        children=sorted(shown, key=lambda row: row.ref),
        hidden_children=len(descendants) - len(shown),
        reports=sorted((row for row in rows if row.kind == "report"),
                       key=lambda row: -row.id))


def requirement_score(requirement: Requirement, today: date | None = None):
    """How a requirement's priority score is made today, with the settings in force."""
    return priority_score({name: getattr(requirement, name) for name in DIMENSIONS},
                          requirement.ltiov, today or utcnow().date(), scoring_settings())


def user_by_email(email: str) -> Select:
    """The account with this e-mail address."""
    return select(User).where(User.email == email.strip().lower())


def users() -> Select:
    """Every account with its team, by e-mail address."""
    return select(User).options(selectinload(User.team)).order_by(User.email)


def account(user_id: int) -> Select:
    """One account with its team."""
    return select(User).where(User.id == user_id).options(joinedload(User.team))


def api_tokens_of(user_id: int) -> Select:
    """An account's API tokens, newest first (revoked and expired ones too)."""
    return (select(ApiToken).where(ApiToken.user_id == user_id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))


def contributions(requirement_id: int) -> Select:
    """A requirement's contributions in the order things were found."""
    return (select(Contribution).where(Contribution.requirement_id == requirement_id)
            .options(joinedload(Contribution.source), joinedload(Contribution.author),
                     joinedload(Contribution.team))
            .order_by(Contribution.found_on, Contribution.id))


def history(entity_type: str, entity_id: int) -> Select:
    """An object's audit trail, newest first."""
    return (select(AuditEvent).where(AuditEvent.entity_type == entity_type,
                                     AuditEvent.entity_id == entity_id)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))


@dataclass(frozen=True)
class Slice:
    """A page of a long list read without counting it: whether there are newer or older."""

    items: list
    page: int
    has_newer: bool
    has_older: bool


def slice_of(statement: Select, page_number: int, per_page: int) -> Slice:
    """One page of a statement's objects, read with one more row to know whether another
    page follows (one statement, however long the list)."""
    page_number = max(page_number, 1)
    found = list(db.session.execute(statement.limit(per_page + 1)
                                    .offset((page_number - 1) * per_page)).scalars())
    return Slice(found[:per_page], page_number, page_number > 1, len(found) > per_page)


def teams() -> Select:
    """All teams by name."""
    return select(Team).order_by(Team.name)


def sources() -> Select:
    """All collection sources by name."""
    return select(Source).order_by(Source.name)


def page(statement: Select, page_number: int, per_page: int) -> Page:
    """One page of a statement's objects, with the total (two statements, whatever the size,
    plus one per collection the statement loads with it)."""
    total = count_of(statement)
    page_number = clamp_page(page_number, total, per_page)
    items = db.session.execute(statement.limit(per_page).offset((page_number - 1) * per_page)
                               ).scalars().all()
    return Page(list(items), total, page_number, per_page)


DASHBOARD_LIST_LENGTH = 20


def status_counts(user: User) -> dict[str, int]:
    """How many requirements this user may see are in each status."""
    statement = _need_to_know(select(Requirement.status, func.count(Requirement.id))
                              .group_by(Requirement.status), user)
    counts = dict(_rows(statement).all())
    return {status: counts.get(status, 0) for status in STATUSES}


@dataclass(frozen=True)
class DashboardList:
    """The first rows of one of a dashboard's lists, with how many there are in all."""

    key: str
    total: int
    rows: list


def _dashboard_lists(user: User, wanted: dict[str, RequirementFilters]) -> dict[str, list]:
    """The first rows of several requirement lists, highest priority first, in one statement
    (every list is of open requirements, so each row has its place in the register)."""
    found: dict[str, list] = {key: [] for key in wanted}
    if not wanted:
        return found
    parts = []
    for key, filters in wanted.items():
        inner = _need_to_know(
            select(literal(key).label("list"), RegisterPosition.rank, Requirement.id,
                   Requirement.ref, Requirement.question, Requirement.status, Requirement.ltiov,
                   Requirement.review_date, Requirement.marking, Team.name.label("owner_team"))
            .join(Requirement, Requirement.id == RegisterPosition.requirement_id)
            .outerjoin(Team, Team.id == Requirement.owner_team_id)
            .where(*_requirement_conditions(filters))
            .order_by(RegisterPosition.rank).limit(DASHBOARD_LIST_LENGTH), user).subquery()
        parts.append(select(inner))
    for row in _rows(union_all(*parts) if len(parts) > 1 else parts[0]):
        found[row.list].append(row)
    for rows in found.values():
        rows.sort(key=lambda row: row.rank)
    return found


def _dashboard_counts(user: User, wanted: dict[str, RequirementFilters],
                      extra: dict | None = None) -> dict[str, int]:
    """How many requirements each list holds, in one statement (each count uses an index)."""
    columns = [_need_to_know(select(func.count(Requirement.id))
                             .where(*_requirement_conditions(filters)), user)
               .scalar_subquery().label(key) for key, filters in wanted.items()]
    columns += [value.label(key) for key, value in (extra or {}).items()]
    return dict(_rows(select(*columns)).one()._mapping)


def _dashboard(user: User, wanted: dict[str, RequirementFilters], extra=None) -> dict:
    counts = _dashboard_counts(user, wanted, extra)
    lists = _dashboard_lists(user, {key: filters for key, filters in wanted.items()
                                    if counts[key]})
    return {key: DashboardList(key, counts[key], lists.get(key, [])) for key in wanted} | {
        key: counts[key] for key in (extra or {})}


def due_lists(user: User, wanted: dict[str, RequirementFilters]) -> dict[str, DashboardList]:
    """Several lists of open requirements this user may know of: how many each holds and
    its first rows, highest priority first (what dashboards and digests show)."""
    return _dashboard(user, wanted)


def manager_dashboard(user: User, today: date | None = None) -> dict:
    """What needs a manager's attention today: counts, and the first rows of each list, with
    the governance group's open actions (how many, how many overdue, the first by due date)."""
    today = today or utcnow().date()
    wanted = {
        "awaiting_confirmation": RequirementFilters(status=Status.SATISFIED, today=today),
        "ltiov_passed": RequirementFilters(due="ltiov_passed", today=today),
        "review_due": RequirementFilters(due="review_due", today=today),
        "flagged": RequirementFilters(due="flagged", today=today),
        "to_task": RequirementFilters(status=Status.DRAFT, today=today),
    }
    without = (select(func.count(Gap.id)).where(
        ~Gap.requirements.any(), Gap.assessment_id.in_(published_assessment_ids()))
        .scalar_subquery())
    found = _dashboard(user, wanted, {
        "gaps_without_requirement": without,
        "reports_waiting": reports_waiting_count(user),
        "open_actions": _action_count(ActionFilters(state=ActionState.OPEN, today=today)),
        "overdue_actions": _action_count(ActionFilters(state=ActionState.OVERDUE, today=today)),
    })
    found["open_actions"] = DashboardList(
        "open_actions", found["open_actions"],
        list(_rows(open_action_rows(today))) if found["open_actions"] else [])
    return {"today": today, "counts": status_counts(user), **found}


def collector_dashboard(user: User, today: date | None = None) -> dict:
    """A collection team's tasks, and which of them are overdue: counts and first rows."""
    today = today or utcnow().date()
    wanted = {"overdue": RequirementFilters(due="overdue", today=today),
              "tasks": RequirementFilters(due="collecting", today=today)}
    return {"today": today, **_dashboard(user, wanted,
                                         {"reports_waiting": reports_waiting_count(user)})}


@dataclass(frozen=True)
class ActionFilters:
    """What a list of the governance group's actions may be narrowed by."""

    state: str | None = None  # open (overdue included), overdue or closed
    owner_user_id: int | None = None
    owner_team_id: int | None = None
    snapshot_id: int | None = None
    requirement_id: int | None = None
    text: str | None = None
    today: date | None = None
    due_by: date | None = None

    def describe(self) -> str:
        """The filters in words, for an export's subtitle."""
        words = [f"{self.state} actions" if self.state else "all actions"]
        if self.owner_user_id or self.owner_team_id:
            words.append("of one owner")
        if self.text:
            words.append(f"containing “{self.text}”")
        return " ".join(words).capitalize()


def _action_conditions(filters: ActionFilters) -> list:
    conditions = []
    today = filters.today or utcnow().date()
    if filters.state in (ActionState.OPEN, ActionState.OVERDUE):
        conditions.append(Action.closed_at.is_(None))
    if filters.state == ActionState.OVERDUE:
        conditions.append(Action.due_on < today)
    if filters.state == ActionState.CLOSED:
        conditions.append(Action.closed_at.is_not(None))
    if filters.due_by is not None:
        conditions.append(Action.due_on <= filters.due_by)
    for column, value in ((Action.owner_user_id, filters.owner_user_id),
                          (Action.owner_team_id, filters.owner_team_id),
                          (Action.snapshot_id, filters.snapshot_id),
                          (Action.requirement_id, filters.requirement_id)):
        if value is not None:
            conditions.append(column == value)
    if filters.text:
        conditions.append(Action.text.ilike(_like(filters.text), escape="\\"))
    return conditions


def _action_count(filters: ActionFilters):
    return (select(func.count(Action.id)).where(*_action_conditions(filters))
            .scalar_subquery())


def _with_action_links(statement: Select) -> Select:
    return statement.options(
        joinedload(Action.snapshot), joinedload(Action.owner_user), joinedload(Action.owner_team),
        joinedload(Action.requirement), joinedload(Action.created_by),
        joinedload(Action.closed_by))


def actions(filters: ActionFilters = ActionFilters()) -> Select:
    """The governance group's actions matching the filters, with their snapshot, owner,
    requirement and people in the same statement: open ones first by due date, then closed."""
    return (_with_action_links(select(Action)).where(*_action_conditions(filters))
            .order_by(Action.closed_at.is_not(None), Action.due_on, Action.id))


def snapshot_actions(snapshot_id: int) -> Select:
    """A snapshot's actions in the order they were written."""
    return (_with_action_links(select(Action)).where(Action.snapshot_id == snapshot_id)
            .order_by(Action.id))


def actions_by_id(action_ids: list[int]) -> Select:
    """These actions, in the order they were written."""
    return (_with_action_links(select(Action)).where(Action.id.in_(action_ids))
            .order_by(Action.id))


def action(action_id: int) -> Select:
    """One action with its snapshot, owner, requirement and people."""
    return _with_action_links(select(Action)).where(Action.id == action_id)


def open_action_rows(today: date, limit: int = DASHBOARD_LIST_LENGTH) -> Select:
    """The first open actions by due date, as plain rows for a dashboard (one statement)."""
    return (select(Action.id, Action.text, Action.due_on, (Action.due_on < today).label("overdue"),
                   Action.owner_user_id, User.email.label("owner_email"),
                   Team.name.label("owner_team"), Action.snapshot_id,
                   RegisterSnapshot.title.label("snapshot_title"), RegisterSnapshot.marking,
                   Action.requirement_id, Requirement.ref.label("requirement_ref"))
            .join(RegisterSnapshot, RegisterSnapshot.id == Action.snapshot_id)
            .outerjoin(User, User.id == Action.owner_user_id)
            .outerjoin(Team, Team.id == Action.owner_team_id)
            .outerjoin(Requirement, Requirement.id == Action.requirement_id)
            .where(Action.closed_at.is_(None)).order_by(Action.due_on, Action.id).limit(limit))


@dataclass(frozen=True)
class OwnerChoice:
    """Someone who may own an action: a manager's account or a team."""

    kind: str  # "manager" or "team"
    id: int
    label: str


def action_owner_choices() -> list[OwnerChoice]:
    """Active managers by e-mail address, then teams by name, read in one statement."""
    statement = union_all(
        select(literal("manager").label("kind"), User.id.label("id"),
               cast(User.email, Text).label("label"))
        .where(User.role == Role.MANAGER, User.active.is_(True)),
        select(literal("team"), Team.id, cast(Team.name, Text)),
    )
    rows = sorted(_rows(statement), key=lambda row: (row.kind != "manager", row.label.lower()))
    return [OwnerChoice(row.kind, row.id, row.label) for row in rows]


def published_requirement(requirement_id: int | None = None, ref: str | None = None) -> Select:
    """A requirement of a published assessment, by id or by reference (whatever its case:
    r-059 finds R-059, the exact spelling first)."""
    statement = select(Requirement).where(Requirement.gap_id.in_(_published_gap_ids()))
    if requirement_id is not None:
        statement = statement.where(Requirement.id == requirement_id)
    if ref is not None:
        statement = (statement.where(func.upper(Requirement.ref) == ref.upper())
                     .order_by((Requirement.ref == ref).desc()).limit(1))
    return statement


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
    band: str | None = None

    def describe(self) -> str:
        """The filters in words, for exports."""
        parts = [f"{name.replace('_', ' ')}: {value}" for name, value in vars(self).items()
                 if value not in (None, False, "")]
        return "; ".join(parts) or "all open requirements"


def scoring_settings() -> ScoringSettings:
    """The scoring weights and horizons in force (an admin may change them)."""
    stored = db.session.get(Setting, SCORING_SETTING)
    return _settings_from(stored.value if stored is not None else None)


def _settings_from(value: dict | None) -> ScoringSettings:
    if value is None:
        return ScoringSettings()
    return ScoringSettings(weights=dict(value["weights"]),
                           urgency_horizons_days=tuple(value["urgency_horizons_days"]),
                           band_thresholds=tuple(value["band_thresholds"]))


RANKING_STATE = "register_ranking"


CONTENT_STATE = "content_token"


# Built once: every request runs one or the other, and building a statement costs more than
# running it.
_REGISTER_STATE = select(Setting.key, Setting.value).where(
    Setting.key.in_((SCORING_SETTING, RANKING_STATE)))
_CONTENT_TOKEN = select(Setting.value).where(Setting.key == CONTENT_STATE)


def with_content_token(statement: Select) -> Select:
    """A statement that also reads the token of the database's last change, as its last
    column: a request learns it with the first thing it reads anyway."""
    return statement.add_columns(_CONTENT_TOKEN.scalar_subquery().label("content_token"))


def register_state() -> tuple[ScoringSettings, date | None]:
    """The scoring settings in force and the day the register was last ranked (one read)."""
    stored = dict(_rows(_REGISTER_STATE).all())
    ranking = stored.get(RANKING_STATE) or {}
    ranked_on = date.fromisoformat(ranking["ranked_on"]) if ranking.get("ranked_on") else None
    return _settings_from(stored.get(SCORING_SETTING)), ranked_on


def content_token() -> Select:
    """The token of the database's last change (gaps/page_cache.py)."""
    return _CONTENT_TOKEN


def ranking_inputs() -> Select:
    """What ranking needs of every open requirement, as light rows."""
    return select(Requirement.id, Requirement.ref, Requirement.harm, Requirement.likelihood,
                  Requirement.knowledge_gap, Requirement.organisational_position,
                  Requirement.ltiov, Requirement.rank_override
                  ).where(Requirement.status.in_(OPEN_STATUSES),
                          Requirement.gap_id.in_(_published_gap_ids()))


def register_positions() -> Select:
    """Every stored register position."""
    return select(RegisterPosition.requirement_id, RegisterPosition.rank,
                  RegisterPosition.natural_rank, RegisterPosition.score, RegisterPosition.band)


def last_activity_of(entity_type: str, entity_id) -> Select:
    """When an object last changed: one look into the audit trail's index."""
    return (select(func.max(AuditEvent.at)).where(AuditEvent.entity_type == entity_type,
                                                  AuditEvent.entity_id == entity_id)
            .scalar_subquery())


REGISTER_SORTS = {
    "rank": (RegisterPosition.rank,),
    "ref": (Requirement.ref,),
    "score": (RegisterPosition.score.desc(), RegisterPosition.rank),
    "status": (Requirement.status, RegisterPosition.rank),
    "owner": (Team.name.nulls_last(), RegisterPosition.rank),
    "ltiov": (Requirement.ltiov.nulls_last(), RegisterPosition.rank),
}


# Today's date in the register's statements: a parameter, so that a statement built once serves
# every day (building a statement costs more than running it).
TODAY = bindparam("today", type_=Date)
BASELINE = bindparam("baseline_id", type_=Integer)


def _register_conditions(filters: RegisterFilters, today=TODAY) -> list:
    conditions = []
    if filters.key_judgement_id is not None:
        conditions.append(Requirement.gap_id.in_(
            select(gap_key_judgement.c.gap_id)
            .where(gap_key_judgement.c.key_judgement_id == filters.key_judgement_id)))
    if filters.theme:
        conditions.append(Gap.theme == filters.theme)
    if filters.owner_team_id is not None:
        conditions.append(Requirement.owner_team_id == filters.owner_team_id)
    if filters.status:
        conditions.append(Requirement.status == filters.status)
    if filters.band:
        conditions.append(RegisterPosition.band == filters.band)
    if filters.overdue:
        conditions.append(or_(Requirement.ltiov < today, Requirement.review_date <= today))
    if filters.text:
        pattern = _like(filters.text)
        conditions.append(or_(Requirement.ref.ilike(pattern, escape="\\"),
                              Requirement.question.ilike(pattern, escape="\\"),
                              Gap.ref.ilike(pattern, escape="\\")))
    return conditions


def _register_from(statement: Select) -> Select:
    return (statement.join(Requirement, Requirement.id == RegisterPosition.requirement_id)
            .join(Gap, Gap.id == Requirement.gap_id)
            .outerjoin(Team, Team.id == Requirement.owner_team_id))


@lru_cache(maxsize=256)
def register_rows_statement(filters: RegisterFilters, sort: str = "rank",
                            detail: bool = True) -> Select:
    """The register's rows in rank order (or another order), with the row's rank in the
    snapshot `:baseline_id` for its movement; with `detail`, also each row's last activity
    and key judgements (exports and the API show them; the page does not). Run it with the
    parameters `today` and `baseline_id` (see `register_parameters`)."""
    key_judgements = (select(func.aggregate_strings(cast(KeyJudgement.number, String), ","))
                      .select_from(gap_key_judgement)
                      .join(KeyJudgement, KeyJudgement.id == gap_key_judgement.c.key_judgement_id)
                      .where(gap_key_judgement.c.gap_id == Gap.id).correlate(Gap)
                      .scalar_subquery())
    statement = _register_from(select(
        RegisterPosition.rank, RegisterPosition.natural_rank, RegisterPosition.score,
        RegisterPosition.band, Requirement.id.label("requirement_id"), Requirement.ref,
        Requirement.question, Requirement.short_title, Requirement.status,
        Requirement.owner_team_id, Requirement.ltiov,
        Requirement.review_date, Requirement.marking, Requirement.rank_override,
        Requirement.rank_override_rationale, Requirement.harm, Requirement.likelihood,
        Requirement.knowledge_gap, Requirement.organisational_position,
        Gap.id.label("gap_id"), Gap.ref.label("gap_ref"), Gap.title.label("gap_title"),
        Gap.theme, Team.name.label("owner_team"),
        (key_judgements if detail else null()).label("key_judgement_numbers"),
        (last_activity_of("requirement", Requirement.id) if detail else null())
        .label("last_activity"),
        RegisterSnapshotRow.rank.label("previous_rank"),
    )).outerjoin(RegisterSnapshotRow, and_(RegisterSnapshotRow.requirement_id == Requirement.id,
                                          RegisterSnapshotRow.snapshot_id == BASELINE))
    return (statement.where(*_register_conditions(filters))
            .order_by(*REGISTER_SORTS.get(sort, REGISTER_SORTS["rank"])))


def register_parameters(today: date, baseline_id: int | None) -> dict:
    """The values the register's statements are run with."""
    return {"today": today, "baseline_id": baseline_id}


@lru_cache(maxsize=256)
def _register_count_statement(filters: RegisterFilters) -> Select:
    statement = select(func.count()).select_from(RegisterPosition)
    conditions = _register_conditions(filters)
    if conditions:
        statement = (statement.join(Requirement, Requirement.id == RegisterPosition.requirement_id)
                     .join(Gap, Gap.id == Requirement.gap_id).where(*conditions))
    return statement


def register_count(filters: RegisterFilters, today: date) -> int:
    """How many open requirements the filtered register holds (joining only what the filters
    need: the whole register is counted from its positions alone)."""
    return _rows(_register_count_statement(filters), {"today": today}).scalar_one()


def _register_row(row, today: date, settings: ScoringSettings | None,
                  has_baseline: bool) -> RegisterRow:
    numbers = sorted(int(number) for number in (row.key_judgement_numbers or "").split(",")
                     if number)
    breakdown, complete = None, True
    if settings is not None:
        score = priority_score({name: getattr(row, name) for name in DIMENSIONS}, row.ltiov,
                               today, settings)
        breakdown, complete = score.breakdown(), score.complete
    overdue = ((row.ltiov is not None and row.ltiov < today)
               or (row.review_date is not None and row.review_date <= today))
    return RegisterRow(
        rank=row.rank, natural_rank=row.natural_rank, requirement_id=row.requirement_id,
        ref=row.ref, question=row.question, gap_id=row.gap_id, gap_ref=row.gap_ref,
        gap_title=row.gap_title, title=row.short_title or row.gap_title,
        key_judgements=tuple(f"KJ{number}" for number in numbers),
        theme=row.theme, owner_team=row.owner_team, owner_team_id=row.owner_team_id,
        status=row.status, score=row.score, band=row.band, score_breakdown=breakdown,
        score_complete=complete, ltiov=row.ltiov, review_date=row.review_date,
        last_activity=row.last_activity, marking=row.marking,
        override_rationale=row.rank_override_rationale if row.rank_override is not None
        else None,
        movement=movement(row.rank, row.previous_rank, has_baseline), overdue=overdue,
    )


def register_page(filters: RegisterFilters, today: date, settings: ScoringSettings | None,
                  baseline_id: int | None, page_number: int, per_page: int,
                  sort: str = "rank", detail: bool = True) -> Page:
    """One page of the register: its rows (two statements, whatever the register's size),
    with each score's breakdown when the scoring `settings` are given."""
    total = register_count(filters, today)
    page_number = clamp_page(page_number, total, per_page)
    statement = (register_rows_statement(filters, sort, detail)
                 .limit(per_page).offset((page_number - 1) * per_page))
    rows = [_register_row(row, today, settings, baseline_id is not None)
            for row in _rows(statement, register_parameters(today, baseline_id))]
    return Page(rows, total, page_number, per_page)


def register_rows(filters: RegisterFilters, today: date, baseline_id: int | None = None,
                  settings: ScoringSettings | None = None) -> Iterator[RegisterRow]:
    """Every row of the filtered register in rank order, read in batches (for exports and
    snapshots); breakdowns only when `settings` are given."""
    statement = register_rows_statement(filters).execution_options(yield_per=1000)
    for row in db.session.execute(statement, register_parameters(today, baseline_id)):
        yield _register_row(row, today, settings, baseline_id is not None)


@lru_cache(maxsize=256)
def _register_export_statement(filters: RegisterFilters) -> Select:
    # The register's own statement (same joins, filters and order) cut down to the columns a
    # file shows, in their order: reading fewer columns is a fifth cheaper at 10,000 rows.
    full = register_rows_statement(filters)
    column = full.selected_columns
    return full.with_only_columns(
        column.rank, column.ref, column.question, column.gap_ref, column.key_judgement_numbers,
        column.owner_team, column.status, column.score, column.ltiov, column.last_activity,
        column.previous_rank, column.rank_override, column.rank_override_rationale)


def register_export_rows(filters: RegisterFilters, today: date,
                         baseline_id: int | None = None) -> Iterator[list]:
    """Every row of the filtered register as export cells (EXPORT_COLUMNS), in rank order,
    read in batches: straight from the database rows, with no object per row."""
    has_baseline = baseline_id is not None
    statement = _register_export_statement(filters).execution_options(yield_per=1000)
    # Plain rows through the session's connection: no ORM result machinery for every row.
    connection = db.session.connection()
    # A few dozen sets of key judgements recur across thousands of rows: each is written once.
    key_judgement_labels: dict[str | None, str] = {None: "", "": ""}
    for (rank, ref, question, gap_ref, numbers, owner_team, status, score, ltiov, last_activity,
         previous_rank, rank_override, override_rationale) in connection.execute(
            statement, register_parameters(today, baseline_id)):
        key_judgements = key_judgement_labels.get(numbers)
        if key_judgements is None:
            key_judgements = key_judgement_labels[numbers] = ", ".join(
                f"KJ{number}" for number in sorted(int(number) for number in numbers.split(",")))
        yield [rank, ref, question, gap_ref, key_judgements, owner_team or "", status, score,
               ltiov, last_activity, movement(rank, previous_rank, has_baseline),
               override_rationale if rank_override is not None else ""]


def register_print_rows(filters: RegisterFilters, today: date, baseline_id: int | None,
                        limit: int) -> Iterator[list]:
    """The first `limit` rows of the filtered register as the printed register shows them
    (PRINT_COLUMNS): the page's compact row, for a PDF."""
    has_baseline = baseline_id is not None
    statement = register_rows_statement(filters, detail=False).limit(limit)
    for row in db.session.connection().execute(statement,
                                               register_parameters(today, baseline_id)):
        yield [row.rank, row.ref, row.short_title or row.gap_title, row.band.capitalize(),
               row.score,
               STATUS_LABELS.get(row.status, row.status), row.owner_team or "", row.ltiov,
               movement(row.rank, row.previous_rank, has_baseline)]


def latest_snapshot() -> Select:
    """The most recent register snapshot."""
    return select(RegisterSnapshot).order_by(RegisterSnapshot.taken_at.desc(),
                                             RegisterSnapshot.id.desc()).limit(1)


def snapshot_rows(snapshot_id: int) -> Select:
    """A snapshot's frozen rows in rank order."""
    return (select(RegisterSnapshotRow).where(RegisterSnapshotRow.snapshot_id == snapshot_id)
            .order_by(RegisterSnapshotRow.rank))


def snapshots() -> Select:
    """Every snapshot, newest first, with who took and decided it."""
    return (select(RegisterSnapshot).options(selectinload(RegisterSnapshot.taken_by),
                                             selectinload(RegisterSnapshot.decided_by))
            .order_by(RegisterSnapshot.taken_at.desc(), RegisterSnapshot.id.desc()))


def snapshot(snapshot_id: int) -> Select:
    """One snapshot with who took and decided it (its rows are read a page at a time)."""
    return (select(RegisterSnapshot).where(RegisterSnapshot.id == snapshot_id)
            .options(joinedload(RegisterSnapshot.taken_by),
                     joinedload(RegisterSnapshot.decided_by)))


@dataclass(frozen=True)
class SnapshotPage:
    """A snapshot with one page of its frozen rows, and its actions."""

    snapshot: RegisterSnapshot
    rows: Page
    actions: list

    def __getattr__(self, name: str):
        return getattr(self.snapshot, name)


def snapshot_page(taken: RegisterSnapshot, page_number: int, per_page: int) -> SnapshotPage:
    """A snapshot, one page of its rows in rank order, and its actions."""
    return SnapshotPage(taken, page(snapshot_rows(taken.id), page_number, per_page),
                        list(db.session.execute(snapshot_actions(taken.id)).scalars()))


@dataclass(frozen=True)
class SnapshotActions:
    """A snapshot with its actions (what recording its decision answers)."""

    snapshot: RegisterSnapshot
    actions: list

    def __getattr__(self, name: str):
        return getattr(self.snapshot, name)


def with_actions(taken: RegisterSnapshot) -> SnapshotActions:
    """A snapshot and its actions, read in one statement."""
    return SnapshotActions(taken, list(db.session.execute(snapshot_actions(taken.id)).scalars()))


def requirement_statuses(requirement_ids: list[int]) -> dict[int, str]:
    """The current status of each of these requirements."""
    if not requirement_ids:
        return {}
    return dict(db.session.execute(select(Requirement.id, Requirement.status)
                                   .where(Requirement.id.in_(requirement_ids))).all())


def traceability() -> list:
    """Each key judgement of a published assessment with its coverage counted by the database:
    gaps, requirements (not cancelled), those answered (satisfied or closed), and gaps that
    no answered requirement closes."""
    answered = [Status.SATISFIED, Status.CLOSED]
    linked = gap_key_judgement.c
    gap_count = (select(func.count()).where(linked.key_judgement_id == KeyJudgement.id)
                 .correlate(KeyJudgement).scalar_subquery())
    requirement_count = (
        select(func.count(Requirement.id))
        .join(gap_key_judgement, linked.gap_id == Requirement.gap_id)
        .where(linked.key_judgement_id == KeyJudgement.id,
               Requirement.status != Status.CANCELLED).correlate(KeyJudgement)
        .scalar_subquery())
    answered_count = (
        select(func.count(Requirement.id))
        .join(gap_key_judgement, linked.gap_id == Requirement.gap_id)
        .where(linked.key_judgement_id == KeyJudgement.id, Requirement.status.in_(answered))
        .correlate(KeyJudgement).scalar_subquery())
    unanswered = (
        select(func.count()).select_from(gap_key_judgement)
        .where(linked.key_judgement_id == KeyJudgement.id,
               ~select(Requirement.id).where(Requirement.gap_id == linked.gap_id,
                                             Requirement.status.in_(answered)).exists())
        .correlate(KeyJudgement).scalar_subquery())
    statement = (select(KeyJudgement.id, KeyJudgement.number, KeyJudgement.text,
                        Assessment.title.label("assessment_title"), Assessment.marking,
                        gap_count.label("gaps"), requirement_count.label("requirements"),
                        answered_count.label("answered"), unanswered.label("unanswered"))
                 .join(Assessment, Assessment.id == KeyJudgement.assessment_id)
                 .where(Assessment.status == PUBLISHED)
                 .order_by(Assessment.published_on.desc().nulls_last(), Assessment.id.desc(),
                           KeyJudgement.number))
    return list(_rows(statement))


def key_judgement_gaps(key_judgement_id: int) -> Select:
    """The gaps linked to a key judgement, in reference order, with their requirements."""
    return (select(Gap).join(gap_key_judgement, gap_key_judgement.c.gap_id == Gap.id)
            .where(gap_key_judgement.c.key_judgement_id == key_judgement_id)
            .options(selectinload(Gap.requirements)).order_by(Gap.ref))


def count_gaps_without_requirements() -> int:
    """How many gaps of published assessments have no requirement yet."""
    return _rows(select(func.count(Gap.id)).where(
        ~Gap.requirements.any(), Gap.assessment_id.in_(published_assessment_ids()))
    ).scalar_one()


def gaps_without_requirements() -> Select:
    """Gaps no requirement has been written for."""
    return (select(Gap).where(~Gap.requirements.any(),
                              Gap.assessment_id.in_(published_assessment_ids()))
            .options(selectinload(Gap.assessment)).order_by(Gap.assessment_id, Gap.ref))


def status_by_key_judgement() -> dict[str, dict[str, int]]:
    """For each key judgement, how many of its requirements are in each status."""
    statement = (select(KeyJudgement.number, Requirement.status, func.count(Requirement.id))
                 .join(gap_key_judgement, gap_key_judgement.c.key_judgement_id
                       == KeyJudgement.id)
                 .join(Requirement, Requirement.gap_id == gap_key_judgement.c.gap_id)
                 .where(KeyJudgement.assessment_id.in_(published_assessment_ids()))
                 .group_by(KeyJudgement.number, Requirement.status)
                 .order_by(KeyJudgement.number))
    counts: dict[str, dict[str, int]] = {}
    for number, status, count in db.session.execute(statement):
        counts.setdefault(f"KJ{number}", {})[status] = count
    return counts


def open_requirement_age_counts(today: date) -> dict[str, int]:
    """How many open requirements fall in each age bucket, counted by the database."""
    midnight = datetime.combine(today, time(), UTC)
    bucket = case(*((Requirement.created_at > midnight - timedelta(days=below), label)
                    for label, below in AGE_BUCKETS if below != float("inf")),
                  else_=AGE_BUCKETS[-1][0])
    counts = dict(db.session.execute(
        select(bucket, func.count()).where(Requirement.status.in_(OPEN_STATUSES),
                                           Requirement.gap_id.in_(_published_gap_ids()))
        .group_by(bucket)).all())
    return {label: counts.get(label, 0) for label, _ in AGE_BUCKETS}


def score_band_counts() -> dict[str, int]:
    """How many register rows score within each 10-point band, counted by the database."""
    bucket = case(*((RegisterPosition.score < (index + 1) * 10, label)
                    for index, label in enumerate(SCORE_BANDS[:-1])), else_=SCORE_BANDS[-1])
    counts = dict(db.session.execute(select(bucket, func.count()).group_by(bucket)).all())
    return {label: counts.get(label, 0) for label in SCORE_BANDS}


def latest_snapshot_id() -> int | None:
    """The id of the most recent snapshot, the baseline of the register's movement."""
    return _rows(latest_snapshot().with_only_columns(RegisterSnapshot.id)).scalar_one_or_none()


def register_markings_counted(filters: RegisterFilters, today: date) -> dict[str, int]:
    """How many of the filtered register's rows carry each protective marking (one read
    gives an export both its marking and its row count)."""
    return dict(db.session.execute(
        _register_from(select(Requirement.marking, func.count()).select_from(RegisterPosition))
        .where(*_register_conditions(filters)).group_by(Requirement.marking),
        {"today": today}).all())


def snapshot_export_rows(snapshot_id: int) -> Iterator[RegisterSnapshotRow]:
    """A snapshot's rows in rank order, read in batches when first asked for."""
    yield from in_batches(snapshot_rows(snapshot_id))


def in_batches(statement: Select) -> Iterator:
    """The objects a statement finds, read a thousand at a time when first asked for (an
    export starts reading only once its download is recorded)."""
    yield from db.session.execute(statement.execution_options(yield_per=1000)).scalars()


def count_of(statement: Select) -> int:
    """How many rows a statement finds, without reading them."""
    return db.session.execute(select(func.count()).select_from(
        statement.order_by(None).options().subquery())).scalar_one()


def markings_of(statement: Select, marking, join=None) -> list[str]:
    """The protective markings among the rows a statement finds."""
    query = statement.order_by(None).with_only_columns(marking)
    if join is not None:
        query = query.join(join)
    return list(db.session.execute(query.distinct()).scalars())


@dataclass(frozen=True)
class Comparison:
    """An earlier snapshot compared with a later one, or with the register as it is now."""

    earlier: RegisterSnapshot
    later: RegisterSnapshot | None
    diff: RegisterDiff

    @property
    def later_label(self) -> str:
        """What the earlier snapshot was compared with, in words."""
        return f"“{self.later.title}”" if self.later else "the register now"


def _snapshot_entries(taken: RegisterSnapshot) -> list[RegisterEntry]:
    statement = select(RegisterSnapshotRow.requirement_id, RegisterSnapshotRow.ref,
                       RegisterSnapshotRow.rank, RegisterSnapshotRow.score,
                       RegisterSnapshotRow.status, RegisterSnapshotRow.owner_team,
                       RegisterSnapshotRow.question
                       ).where(RegisterSnapshotRow.snapshot_id == taken.id)
    return [RegisterEntry(*row) for row in _rows(statement)]


def _taken_before(first: RegisterSnapshot, second: RegisterSnapshot) -> bool:
    return (first.taken_at, first.id) < (second.taken_at, second.id)


def compare_snapshot(taken: RegisterSnapshot, against_id: int | None) -> Comparison | None:
    """What changed between a snapshot and another (always from the older to the newer,
    whichever was asked about first), or (no other) between it and the register now."""
    if against_id is None:
        earlier, later = taken, None
        after = [row.as_entry() for row in register_rows(RegisterFilters(), utcnow().date())]
    else:
        other = db.session.execute(snapshot(against_id)).scalar_one_or_none()
        if other is None:
            return None
        earlier, later = (taken, other) if _taken_before(taken, other) else (other, taken)
        after = _snapshot_entries(later)
    before = _snapshot_entries(earlier)
    gone = list({entry.requirement_id for entry in before}
                - {entry.requirement_id for entry in after})
    return Comparison(earlier, later, diff_registers(before, after, requirement_statuses(gone)))


def recent_snapshots(limit: int = 12) -> Select:
    """The most recent snapshots, for comparing one with another."""
    return snapshots().limit(limit)


def candidates(assessment_id: int) -> Select:
    """An imported assessment's proposed gaps, in document order."""
    return (select(CandidateGap).join(Paragraph, CandidateGap.paragraph_id == Paragraph.id)
            .where(CandidateGap.assessment_id == assessment_id)
            .options(selectinload(CandidateGap.gap))
            .order_by(Paragraph.index, CandidateGap.id))


REVIEW_PAGE_SIZE = 20
DOCUMENT_PAGE_SIZE = 40
MERGE_NEIGHBOURHOOD = 3  # paragraphs either side where a duplicate proposal is looked for


def review_candidates(assessment_id: int) -> Select:
    """An import's proposed gaps, those still to decide first, then in document order."""
    return (select(CandidateGap).join(Paragraph, CandidateGap.paragraph_id == Paragraph.id)
            .where(CandidateGap.assessment_id == assessment_id)
            .options(joinedload(CandidateGap.paragraph), joinedload(CandidateGap.gap))
            .order_by((CandidateGap.status != "proposed"), Paragraph.index, CandidateGap.id))


def candidate_counts(assessment_id: int) -> dict[str, int]:
    """How many of an import's proposed gaps are in each state (proposed, accepted…)."""
    return dict(_rows(select(CandidateGap.status, func.count())
                      .where(CandidateGap.assessment_id == assessment_id)
                      .group_by(CandidateGap.status)).all())


def first_undecided(assessment_id: int) -> CandidateGap | None:
    """The first proposed gap still to decide, in document order."""
    return db.session.execute(review_candidates(assessment_id).where(
        CandidateGap.status == "proposed").limit(1)).unique().scalar_one_or_none()


def merge_partners(candidate: CandidateGap) -> Select:
    """Other proposed gaps near this one (within a few paragraphs), which a duplicate is."""
    index = candidate.paragraph.index
    return (select(CandidateGap).join(Paragraph, CandidateGap.paragraph_id == Paragraph.id)
            .where(CandidateGap.assessment_id == candidate.assessment_id,
                   CandidateGap.status == "proposed", CandidateGap.id != candidate.id,
                   Paragraph.index.between(index - MERGE_NEIGHBOURHOOD,
                                           index + MERGE_NEIGHBOURHOOD))
            .order_by(Paragraph.index, CandidateGap.id))


def candidates_in(paragraph_ids: list[int]) -> Select:
    """The proposed gaps of these paragraphs."""
    return (select(CandidateGap).where(CandidateGap.paragraph_id.in_(paragraph_ids))
            .options(joinedload(CandidateGap.gap)).order_by(CandidateGap.id))


def document_page_of(paragraph: Paragraph) -> int:
    """Which page of the paged document text a paragraph is on."""
    before = _rows(select(func.count()).select_from(Paragraph).where(
        Paragraph.assessment_id == paragraph.assessment_id,
        Paragraph.index < paragraph.index)).scalar_one()
    return before // DOCUMENT_PAGE_SIZE + 1


def candidate(candidate_id: int) -> Select:
    """One proposed gap with its paragraph and assessment."""
    return select(CandidateGap).where(CandidateGap.id == candidate_id).options(
        selectinload(CandidateGap.paragraph).selectinload(Paragraph.assessment))


def paragraph(paragraph_id: int) -> Select:
    """One imported paragraph, with its assessment."""
    return (select(Paragraph).where(Paragraph.id == paragraph_id)
            .options(joinedload(Paragraph.assessment)))


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


@dataclass(frozen=True)
class Viewer:
    """Who reads, as far as need to know cares (their role and team): a cache key where a
    user object cannot be one."""

    role: str
    team_id: int | None


def viewer_of(user: User) -> Viewer:
    """The need-to-know view of a user."""
    return Viewer(str(user.role), user.team_id)


def _tasked_to_no_source():
    return ~select(requirement_source.c.source_id).where(
        requirement_source.c.requirement_id == Requirement.id).exists()


def _plan_conditions(filters: RegisterFilters, without_source: bool) -> list:
    conditions = _register_conditions(filters)
    if without_source:
        conditions.append(_tasked_to_no_source())
    return conditions


@lru_cache(maxsize=256)
def _plan_summary_statement(filters: RegisterFilters, without_source: bool,
                            viewer: Viewer) -> Select:
    untasked = func.coalesce(func.sum(case((_tasked_to_no_source(), 1), else_=0)), 0)
    return _need_to_know(
        _register_from(select(func.count().label("total"), untasked.label("without_source"))
                       .select_from(RegisterPosition))
        .where(*_plan_conditions(filters, without_source)), viewer)


PLAN_LIMIT = bindparam("plan_limit", type_=Integer)
PLAN_OFFSET = bindparam("plan_offset", type_=Integer)


@lru_cache(maxsize=256)
def plan_rows_statement(filters: RegisterFilters, without_source: bool, viewer: Viewer,
                        paged: bool = True) -> Select:
    """The collection plan's rows: open requirements the viewer may know of, in register order,
    each with the sources it is tasked to and the source of each of its contributions (as
    comma-separated ids, looked up by index for the rows of the page only). Run with `today`
    and, when `paged`, `plan_limit` and `plan_offset`."""
    chosen = _need_to_know(
        _register_from(select(RegisterPosition.requirement_id.label("id"),
                              RegisterPosition.rank.label("rank")))
        .where(*_plan_conditions(filters, without_source)).order_by(RegisterPosition.rank),
        viewer)
    if paged:
        chosen = chosen.limit(PLAN_LIMIT).offset(PLAN_OFFSET)
    chosen = chosen.subquery("chosen")
    tasked = (select(func.aggregate_strings(cast(requirement_source.c.source_id, String), ","))
              .where(requirement_source.c.requirement_id == chosen.c.id)
              .correlate(chosen).scalar_subquery())
    contributed = (select(func.aggregate_strings(cast(Contribution.source_id, String), ","))
                   .where(Contribution.requirement_id == chosen.c.id)
                   .correlate(chosen).scalar_subquery())
    return (select(
        chosen.c.rank, RegisterPosition.band, RegisterPosition.score,
        Requirement.id.label("requirement_id"), Requirement.ref, Requirement.short_title,
        Requirement.question, Requirement.status, Requirement.ltiov, Requirement.marking,
        Gap.title.label("gap_title"), Team.name.label("owner_team"),
        tasked.label("tasked_source_ids"), contributed.label("contribution_source_ids"))
        .select_from(chosen)
        .join(RegisterPosition, RegisterPosition.requirement_id == chosen.c.id)
        .join(Requirement, Requirement.id == chosen.c.id)
        .join(Gap, Gap.id == Requirement.gap_id)
        .outerjoin(Team, Team.id == Requirement.owner_team_id)
        .order_by(chosen.c.rank))


@lru_cache(maxsize=256)
def _plan_sources_statement(filters: RegisterFilters, viewer: Viewer) -> Select:
    # Open tasking counted in one pass over the tasking, grouped by source.
    tasking = _need_to_know(
        select(requirement_source.c.source_id, func.count().label("open_tasking"))
        .join(RegisterPosition, RegisterPosition.requirement_id
              == requirement_source.c.requirement_id)
        .join(Requirement, Requirement.id == RegisterPosition.requirement_id)
        .join(Gap, Gap.id == Requirement.gap_id)
        .where(*_register_conditions(filters)), viewer
    ).group_by(requirement_source.c.source_id).subquery()
    return (select(Source.id, Source.name, Source.kind,
                   func.coalesce(tasking.c.open_tasking, 0).label("open_tasking"))
            .outerjoin(tasking, tasking.c.source_id == Source.id))


@lru_cache(maxsize=256)
def _plan_markings_statement(filters: RegisterFilters, without_source: bool,
                             viewer: Viewer) -> Select:
    return _need_to_know(
        _register_from(select(Requirement.marking).select_from(RegisterPosition))
        .where(*_plan_conditions(filters, without_source)).distinct(), viewer)


def plan_sources(filters: RegisterFilters, today: date, viewer: Viewer) -> list[PlanSource]:
    """The plan's columns: every source, grouped by kind, with how many open requirements (of
    those the filters and need to know leave) are tasked to it."""
    return collection_plan.plan_sources(
        _rows(_plan_sources_statement(filters, viewer), {"today": today}))


def _plan_row(row) -> PlanRow:
    return PlanRow(
        rank=row.rank, requirement_id=row.requirement_id, ref=row.ref,
        title=row.short_title or row.gap_title, question=row.question, band=row.band,
        score=row.score, status=row.status, owner_team=row.owner_team, ltiov=row.ltiov,
        marking=row.marking,
        cells=collection_plan.plan_cells(row.tasked_source_ids, row.contribution_source_ids))


def collection_plan_page(filters: RegisterFilters, today: date, viewer: Viewer,
                         page_number: int, per_page: int,
                         without_source: bool = False) -> CollectionPlan:
    """One page of the collection plan (open requirements in register order, ranks those of the
    whole register) against every source, with its summary: three statements, whatever the
    size of the register or the number of sources."""
    parameters = {"today": today}
    summary = _rows(_plan_summary_statement(filters, without_source, viewer),
                    parameters).one()
    page_number = clamp_page(page_number, summary.total, per_page)
    rows = [_plan_row(row) for row in _rows(
        plan_rows_statement(filters, without_source, viewer),
        {**parameters, "plan_limit": per_page, "plan_offset": (page_number - 1) * per_page})]
    return CollectionPlan(rows=Page(rows, summary.total, page_number, per_page),
                          sources=plan_sources(filters, today, viewer),
                          without_source=summary.without_source)


def plan_count(filters: RegisterFilters, today: date, viewer: Viewer,
               without_source: bool = False) -> int:
    """How many rows the filtered plan holds."""
    return _rows(_plan_summary_statement(filters, without_source, viewer),
                 {"today": today}).one().total


def plan_markings(filters: RegisterFilters, today: date, viewer: Viewer,
                  without_source: bool = False) -> list[str]:
    """The protective markings among the filtered plan's rows."""
    return list(_rows(_plan_markings_statement(filters, without_source, viewer),
                      {"today": today}).scalars())


def plan_rows(filters: RegisterFilters, today: date, viewer: Viewer,
              without_source: bool = False) -> Iterator[PlanRow]:
    """Every row of the filtered plan in register order, read a thousand at a time."""
    statement = plan_rows_statement(filters, without_source, viewer,
                                    paged=False).execution_options(yield_per=1000)
    for row in db.session.connection().execute(statement, {"today": today}):
        yield _plan_row(row)


def _search_fragment(word: str) -> str:
    # A stem that ends in y (study) is looked for without it, to find "studies" too.
    return word[:-1] if word.endswith("y") and len(word) > 4 else word


def _candidates_ranked(columns: tuple, searched: tuple, text: str, same=None,
                       limit: int = CANDIDATE_LIMIT) -> Select | None:
    """Rows sharing the most of the text's telling words (or `same` gap), best first, at most
    `limit`: the bounded set the pure similarity is worked out on."""
    matches = []
    for word in search_words(text):
        pattern = _like(_search_fragment(word))
        matches.append(or_(*(column.ilike(pattern, escape="\\") for column in searched)))
    if not matches and same is None:
        return None
    shared = sum((case((match, 1), else_=0) for match in matches), literal(0))
    wanted = [*matches, *([same] if same is not None else [])]
    closeness = shared + (case((same, 2), else_=0) if same is not None else literal(0))
    return select(*columns).where(or_(*wanted)).order_by(closeness.desc()).limit(limit)


def question_lineage_ids(parent: Requirement | None) -> tuple[int, ...]:
    """A would-be child question's parent and the questions above it (one statement per step):
    a child refines these, so it is not their duplicate."""
    found: list[int] = []
    while parent is not None and parent.id not in found:
        found.append(parent.id)
        parent = parent.parent
    return tuple(found)


def similar_requirements(user: User, text: str, gap_id: int | None = None,
                         exclude_ids: tuple[int, ...] = ()) -> list[Similar]:
    """Open requirements this user may know of whose question reads like `text` (similarity
    at or above the threshold), the most similar first, leaving out `exclude_ids`. The
    database picks at most CANDIDATE_LIMIT sharing the most telling words (or the same gap);
    only those are scored."""
    statement = _candidates_ranked(
        (Requirement.id, Requirement.ref, func.coalesce(func.nullif(Requirement.short_title, ""),
                                                        Gap.title), Requirement.question),
        (Requirement.question,), text,
        same=(Requirement.gap_id == gap_id) if gap_id is not None else None)
    if statement is None:
        return []
    statement = _need_to_know(statement.join(Gap, Gap.id == Requirement.gap_id)
                              .where(Requirement.status.in_(OPEN_STATUSES),
                                     Requirement.id.not_in(exclude_ids or (0,))), user)
    return most_similar(text, (tuple(row) for row in _rows(statement)))


def similar_gaps(text: str, assessment_id: int | None = None) -> list[Similar]:
    """Open gaps (of published assessments, or of this one) whose title and statement read
    like `text`, the most similar first; a gap is open until every one of its requirements is
    closed or cancelled."""
    statement = _candidates_ranked(
        (Gap.id, Gap.ref, Gap.title, Gap.title + literal(" ") + Gap.statement),
        (Gap.title, Gap.statement), text)
    if statement is None:
        return []
    visible = Gap.assessment_id.in_(published_assessment_ids())
    if assessment_id is not None:
        visible = or_(visible, Gap.assessment_id == assessment_id)
    answered = and_(Gap.requirements.any(),
                    ~Gap.requirements.any(Requirement.status.in_(OPEN_STATUSES)))
    statement = statement.where(visible, ~answered)
    return most_similar(text, (tuple(row) for row in _rows(statement)))


# Reports and their matches to requirements. Matches are stored for every requirement; which
# a user sees is decided here, by the one need-to-know rule (`_need_to_know`).

MATCHABLE_STATUSES = (Status.DRAFT, Status.TASKED, Status.PARTIALLY_SATISFIED)
MATCH_PROPOSED, MATCH_CONFIRMED, MATCH_REJECTED = "proposed", "confirmed", "rejected"
MATCHED_REPORTS_SHOWN = 20


@dataclass(frozen=True)
class ReportFilters:
    """What the report list may be narrowed by: `waiting` (a proposal to triage) or all."""

    state: str | None = None
    text: str | None = None


def _report_conditions(user: User, filters: ReportFilters) -> list:
    conditions = [_waiting(user)] if filters.state == "waiting" else []
    if filters.text:
        pattern = _like(filters.text)
        conditions.append(or_(Report.title.ilike(pattern, escape="\\"),
                              Report.text.ilike(pattern, escape="\\")))
    return conditions


def matching_versions() -> Select:
    """Light rows of every requirement a report may be matched to (open, not proposed
    satisfied, of a published assessment): id and the versions of it and its gap, so that
    the term index restems only what changed."""
    return (select(Requirement.id, Requirement.version, Gap.version.label("gap_version"))
            .join(Gap, Gap.id == Requirement.gap_id)
            .where(Requirement.status.in_(MATCHABLE_STATUSES),
                   Gap.assessment_id.in_(published_assessment_ids())))


def matching_fingerprint() -> Select:
    """One row that changes whenever the set of matchable requirements or any of their
    versions (or their gaps') does: how many, and their versions added up."""
    versions = matching_versions().subquery()
    return select(func.count(), func.coalesce(func.sum(versions.c.version), 0),
                  func.coalesce(func.sum(versions.c.gap_version), 0),
                  func.coalesce(func.sum(versions.c.id), 0))


def matching_criteria(requirement_ids: list[int]) -> Select:
    """What matching reads of these requirements, as plain columns."""
    return (select(Requirement.id, Requirement.ref, Requirement.question,
                   Gap.statement.label("gap_statement"), Requirement.indicators,
                   Requirement.match_terms, Requirement.exclude_terms)
            .join(Gap, Gap.id == Requirement.gap_id).where(Requirement.id.in_(requirement_ids)))


def matched_pairs(report_id: int) -> set[int]:
    """The requirements a report has a match row for, whatever its state (never again)."""
    return set(_rows(select(ReportMatch.requirement_id)
                     .where(ReportMatch.report_id == report_id)).scalars())


def open_requirement_criteria() -> dict[int, dict]:
    """Open requirements' indicators and match criteria, by id (for a snapshot)."""
    statement = select(Requirement.id, Requirement.indicators, Requirement.match_terms,
                       Requirement.exclude_terms).where(Requirement.status.in_(OPEN_STATUSES))
    return {row.id: {"indicators": row.indicators or [], "match_terms": row.match_terms or [],
                     "exclude_terms": row.exclude_terms or []} for row in _rows(statement)}


def _visible_matches(user: User, *conditions) -> Select:
    """Match rows this user may know of: those of requirements they may know of."""
    return _need_to_know(select(ReportMatch.id).join(
        Requirement, Requirement.id == ReportMatch.requirement_id).where(*conditions), user)


def _waiting(user: User):
    """Whether the outer report has a proposal this user may see, waiting for triage."""
    return _visible_matches(user, ReportMatch.report_id == Report.id,
                            ReportMatch.state == MATCH_PROPOSED).exists()


def _reports_visible(statement: Select, user: User) -> Select:
    """Reports a user may read: all, except that a collector reads those their team recorded
    and those matched to their own team's requirements."""
    if user.role != Role.COLLECTOR:
        return statement
    team_members = select(User.id).where(User.team_id == user.team_id)
    return statement.where(or_(
        Report.recorded_by_id.in_(team_members),
        _visible_matches(user, ReportMatch.report_id == Report.id).exists()))


def reports_waiting_count(user: User):
    """How many reports have a proposal this user may see waiting for triage (a column)."""
    return (_visible_matches(user, ReportMatch.state == MATCH_PROPOSED)
            .with_only_columns(func.count(func.distinct(ReportMatch.report_id)))
            .scalar_subquery())


def reports_page(user: User, filters: ReportFilters, page_number: int, per_page: int) -> Page:
    """A page of the reports this user may read, newest first, each with how many of its
    proposals they may see wait for triage (two statements, whatever the size)."""
    conditions = _report_conditions(user, filters)
    waiting = (_visible_matches(user, ReportMatch.report_id == Report.id,
                                ReportMatch.state == MATCH_PROPOSED)
               .with_only_columns(func.count(ReportMatch.id)).scalar_subquery())
    counted = _reports_visible(select(func.count(Report.id)).where(*conditions), user)
    total = _rows(counted).scalar_one()
    page_number = clamp_page(page_number, total, per_page)
    statement = _reports_visible(
        select(Report.id, Report.title, Report.found_on, Report.marking, Report.created_at,
               Report.source_grade, Report.intelligence_grade, Report.handling_code,
               Source.name.label("source"), waiting.label("waiting"))
        .join(Source, Source.id == Report.source_id).where(*conditions)
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(per_page).offset((page_number - 1) * per_page), user)
    return Page(list(_rows(statement)), total, page_number, per_page)


def reports_api(user: User, filters: ReportFilters) -> Select:
    """The reports this user may read, newest first, as objects (for the API's pages)."""
    conditions = _report_conditions(user, filters)
    return _reports_visible(
        select(Report).options(joinedload(Report.source), joinedload(Report.recorded_by))
        .where(*conditions).order_by(Report.created_at.desc(), Report.id.desc()), user)


def report(user: User, report_id: int) -> Select:
    """One report, if this user may read it, with its source and who recorded it."""
    return _reports_visible(
        select(Report).where(Report.id == report_id)
        .options(joinedload(Report.source), joinedload(Report.recorded_by)), user)


def report_matches(user: User, report_ids: list[int]) -> Select:
    """The matches of these reports this user may know of, as plain rows: proposals first,
    best first, then the decided ones; with each requirement's reference, question, status,
    owner team and marking (one statement)."""
    state_order = case((ReportMatch.state == MATCH_PROPOSED, 0), else_=1)
    decider = User.__table__.alias("decider")
    return _need_to_know(
        select(ReportMatch.id, ReportMatch.report_id, ReportMatch.requirement_id,
               ReportMatch.score, ReportMatch.matched_terms, ReportMatch.indicators_matched,
               ReportMatch.explanation, ReportMatch.state, ReportMatch.reason,
               ReportMatch.decided_at, ReportMatch.contribution_id,
               decider.c.email.label("decided_by"), Requirement.ref, Requirement.question,
               Requirement.status, Requirement.owner_team_id, Requirement.marking,
               Team.name.label("owner_team"))
        .join(Requirement, Requirement.id == ReportMatch.requirement_id)
        .outerjoin(Team, Team.id == Requirement.owner_team_id)
        .outerjoin(decider, decider.c.id == ReportMatch.decided_by_id)
        .where(ReportMatch.report_id.in_(report_ids))
        .order_by(ReportMatch.report_id, state_order, ReportMatch.score.desc(),
                  Requirement.ref), user)


def report_match(report_id: int, requirement_id: int) -> Select:
    """The match of one report to one requirement."""
    return select(ReportMatch).where(ReportMatch.report_id == report_id,
                                     ReportMatch.requirement_id == requirement_id)
