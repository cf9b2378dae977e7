"""What each role's digest holds: a list of sections per role, each collecting its own lines.

To add a kind of thing due, write a function taking the user
and the `DigestContext` and returning a `DigestSection` (or None), and add a `Section` to
the role's list in `SECTIONS`.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from flask import url_for

from gaps import queries
from gaps.domain.actions import ActionState
from gaps.domain.dates import uk_date
from gaps.domain.digests import DigestLine, DigestSection
from gaps.domain.review import LTIOV_SOON_DAYS
from gaps.domain.status import STATUS_LABELS, Status
from gaps.domain.vocabulary import Role
from gaps.extensions import db
from gaps.models import Action, User
from gaps.notify.queries import snapshots_taken_since

LIST_LENGTH = 10
ACTIONS_DUE_WITHIN = timedelta(days=14)


@dataclass(frozen=True)
class DigestContext:
    """The day the digest is for and the moment since which things count as new."""

    today: date
    since: datetime


@dataclass(frozen=True)
class Section:
    """One kind of thing due, and how to collect it for a user."""

    key: str
    title: str
    collect: Callable[[User, DigestContext], DigestSection | None]


def _link(endpoint: str, **values) -> str:
    return url_for(endpoint, _external=True, **values)


def _requirements(key: str, title: str, filters: queries.RequirementFilters,
                  more: dict | None, new_only: bool = False) -> Section:
    """A section listing open requirements the user may know of (need to know applies); with
    `new_only`, only those tasked since the last digest."""
    def collect(user: User, context: DigestContext) -> DigestSection:
        wanted = replace(filters, today=context.today,
                         tasked_since=context.since if new_only else None)
        found = queries.due_lists(user, {key: wanted})[key]
        lines = tuple(DigestLine(
            text=f"{row.ref}: {row.question}",
            detail="; ".join(part for part in (
                STATUS_LABELS.get(row.status, row.status),
                f"LTIOV {uk_date(row.ltiov)}" if row.ltiov else "",
                f"review by {uk_date(row.review_date)}" if row.review_date else "",
                row.owner_team or "") if part),
            url=_link("requirements.show", requirement_id=row.id), marking=row.marking)
            for row in found.rows[:LIST_LENGTH])
        return DigestSection(key, title, found.total, lines,
                             _link("requirements.index", **more) if more else None)
    return Section(key, title, collect)


def _action_lines(actions) -> tuple[DigestLine, ...]:
    return tuple(DigestLine(
        text=f"{action.ref}: {action.text}",
        detail=f"due {uk_date(action.due_on)}; owner {action.owner_name}; from "
               f"{action.snapshot.title}",
        url=_link("actions.index", state="open"), marking=action.snapshot.marking)
        for action in actions)


def _actions_section(key: str, title: str, filters: list[queries.ActionFilters]
                     ) -> DigestSection | None:
    found: dict[int, object] = {}
    for wanted in filters:
        for action in db.session.execute(queries.actions(wanted).limit(LIST_LENGTH)).scalars():
            found.setdefault(action.id, action)
    total = len({action_id for wanted in filters
                 for action_id in db.session.execute(
                     queries.actions(wanted).with_only_columns(
                         Action.id)).scalars()})
    actions = sorted(found.values(), key=lambda action: (action.due_on, action.id))
    return DigestSection(key, title, total, _action_lines(actions[:LIST_LENGTH]),
                         _link("actions.index", state="open"))


def manager_actions(user: User, context: DigestContext) -> DigestSection | None:
    """Open actions the manager owns, and any action overdue."""
    return _actions_section("open_actions", "Open actions", [
        queries.ActionFilters(state=ActionState.OPEN, owner_user_id=user.id,
                              today=context.today),
        queries.ActionFilters(state=ActionState.OVERDUE, today=context.today)])


def reviewer_actions(user: User, context: DigestContext) -> DigestSection | None:
    """Open actions due within two weeks, or overdue."""
    return _actions_section("actions_due", "Actions due within 14 days or overdue", [
        queries.ActionFilters(state=ActionState.OPEN, today=context.today,
                              due_by=context.today + ACTIONS_DUE_WITHIN)])


def new_snapshots(user: User, context: DigestContext) -> DigestSection | None:
    """Register snapshots taken since the last digest."""
    taken = db.session.execute(snapshots_taken_since(context.since)).scalars().all()
    lines = tuple(DigestLine(
        text=snapshot.title, detail=f"taken {uk_date(snapshot.taken_at)}; "
        f"{snapshot.row_count} requirements",
        url=_link("register.snapshot", snapshot_id=snapshot.id), marking=snapshot.marking)
        for snapshot in taken[:LIST_LENGTH])
    return DigestSection("new_snapshots", "New register snapshots", len(taken), lines,
                         _link("register.snapshots"))


def reports_to_triage(user: User, context: DigestContext) -> DigestSection | None:
    """Incoming reports with a proposed match this user may triage (need to know applies: a
    collector's are those proposed for their own team's requirements)."""
    found = queries.reports_page(user, queries.ReportFilters(state="waiting"), 1, LIST_LENGTH)
    lines = tuple(DigestLine(
        text=f"RPT-{row.id}: {row.title}",
        detail=f"{row.waiting} proposed match{'' if row.waiting == 1 else 'es'} to triage; "
               f"from {row.source}, found {uk_date(row.found_on)}",
        url=_link("reports.show", report_id=row.id), marking=row.marking)
        for row in found.items)
    return DigestSection("reports_to_triage", "Reports waiting for your triage", found.total,
                         lines, _link("reports.index", state="waiting"))


Filters = queries.RequirementFilters
SOON = f"Latest time of value within {LTIOV_SOON_DAYS} days"

SECTIONS: dict[str, list[Section]] = {
    Role.COLLECTOR: [
        _requirements("new_tasks", "New tasks for your team", Filters(due="collecting"),
                      {"due": "collecting"}, new_only=True),
        _requirements("ltiov_soon", SOON, Filters(due="ltiov_soon"), {"due": "ltiov_soon"}),
        _requirements("review_due", "Reviews due", Filters(due="review_due"),
                      {"due": "review_due"}),
        Section("reports_to_triage", "Reports waiting for your triage", reports_to_triage),
    ],
    Role.MANAGER: [
        _requirements("awaiting_confirmation", "Proposed satisfied, awaiting your confirmation",
                      Filters(status=Status.SATISFIED), {"status": Status.SATISFIED.value}),
        _requirements("ltiov_passed", "Latest time of value passed",
                      Filters(due="ltiov_passed"), {"due": "ltiov_passed"}),
        _requirements("review_due", "Reviews due", Filters(due="review_due"),
                      {"due": "review_due"}),
        _requirements("flagged", "Flagged: key judgement changed", Filters(due="flagged"),
                      {"due": "flagged"}),
        Section("open_actions", "Open actions", manager_actions),
        Section("reports_to_triage", "Reports waiting for your triage", reports_to_triage),
    ],
    Role.REVIEWER: [
        Section("new_snapshots", "New register snapshots", new_snapshots),
        Section("actions_due", "Actions due within 14 days or overdue", reviewer_actions),
    ],
}
