"""The governance group's actions: written with a decision or added later, closed with a note."""

from datetime import date

from gaps import queries
from gaps.database import use_case
from gaps.domain.actions import (
    ActionDraft,
    ActionState,
    check_adding_actions,
    check_closing,
    check_drafts,
    check_owner_account,
    unknown_requirement,
    unknown_team,
)
from gaps.domain.dates import uk_datetime
from gaps.domain.errors import NotFound
from gaps.extensions import db
from gaps.models import Action, RegisterSnapshot, Requirement, Team, User, utcnow
from gaps.policy import authorize
from gaps.services.audit import check_version, record_audit


def load_snapshot(snapshot_id: int) -> RegisterSnapshot:
    """The snapshot, or NotFound."""
    snapshot = db.session.get(RegisterSnapshot, snapshot_id)
    if snapshot is None:
        raise NotFound("There is no such snapshot.")
    return snapshot


def create_actions(actor: User, snapshot: RegisterSnapshot, drafts: list[ActionDraft],
                   today: date, reason: str) -> list[Action]:
    """Check each draft and add its action to the snapshot, auditing every field (and the
    requirement it concerns); no commit: the calling use case commits once."""
    authorize(actor, "add_action")
    created = []
    for draft in check_drafts(list(drafts), today):
        requirement = _requirement_of(draft)
        if draft.owner_user_id is not None:
            owner = db.session.get(User, draft.owner_user_id)
            check_owner_account(draft, owner.role if owner else None,
                                bool(owner and owner.active))
        elif db.session.get(Team, draft.owner_team_id) is None:
            raise unknown_team(draft)
        action = Action(snapshot=snapshot, text=draft.text, owner_user_id=draft.owner_user_id,
                        owner_team_id=draft.owner_team_id, due_on=draft.due_on,
                        requirement_id=requirement.id if requirement else None,
                        created_by_id=actor.id, created_at=utcnow())
        db.session.add(action)
        db.session.flush()  # its id names it in the audit trail
        for field, value in (("text", draft.text), ("owner", action.owner_name),
                             ("due_on", draft.due_on),
                             ("requirement", requirement.ref if requirement else None)):
            if value is not None:
                record_audit(actor, "add_action", action, field=field, new=value, reason=reason)
        if requirement is not None:
            record_audit(actor, "action", requirement, field="action",
                         new=f"{action.ref}: {draft.text}", reason=reason)
        created.append(action)
    return created


def _requirement_of(draft: ActionDraft) -> Requirement | None:
    if draft.requirement_ref is None and draft.requirement_id is None:
        return None
    requirement = db.session.execute(queries.published_requirement(
        draft.requirement_id, draft.requirement_ref)).scalar_one_or_none()
    if requirement is None:
        raise unknown_requirement(draft)
    return requirement


@use_case
def add_actions(actor: User, snapshot_id: int, drafts: list[ActionDraft]) -> list[Action]:
    """Add actions to a snapshot the group has decided on (approved or returned)."""
    authorize(actor, "add_action")
    snapshot = load_snapshot(snapshot_id)
    check_adding_actions(snapshot.decision, len(drafts))
    created = create_actions(actor, snapshot, drafts, utcnow().date(),
                             reason=f"added to snapshot “{snapshot.title}”")
    db.session.commit()
    return created


@use_case
def close_action(actor: User, action_id: int, note: str | None,
                 version: int | None) -> Action:
    """Close an open action with a note saying what was done (kept with it)."""
    authorize(actor, "close_action")
    action = db.session.get(Action, action_id)
    if action is None:
        raise NotFound("There is no such action.")
    closed_already = None
    if action.closed_at is not None:
        who = action.closed_by.email if action.closed_by else "someone"
        closed_already = f"by {who} on {uk_datetime(action.closed_at)}"
    note = check_closing(note, closed_already)
    check_version(action, version, action.ref)
    state_before = action.state(utcnow().date())
    action.closed_at, action.closed_by_id, action.closing_note = utcnow(), actor.id, note
    record_audit(actor, "close_action", action, field="state", old=state_before,
                 new=ActionState.CLOSED, reason=note)
    db.session.commit()
    return action

