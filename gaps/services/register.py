"""The priority register: rank overrides, snapshots, decisions, scoring settings, exports."""

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from flask import current_app
from sqlalchemy import insert

from gaps import queries
from gaps.database import use_case
from gaps.domain.actions import ActionDraft, check_decision
from gaps.domain.changes import field_changes
from gaps.domain.errors import InvalidValue
from gaps.domain.priority import ScoringSettings
from gaps.domain.register import check_override
from gaps.domain.vocabulary import highest_marking
from gaps.extensions import db
from gaps.models import RegisterSnapshot, RegisterSnapshotRow, Setting, User, utcnow
from gaps.policy import authorize
from gaps.services.actions import create_actions, load_snapshot
from gaps.services.audit import check_version, record_audit
from gaps.services.content import load_requirement
from gaps.services.ranking import refresh_register


@use_case
def override_rank(actor: User, requirement_id: int, version: int | None, rank: int | None,
                  rationale: str | None) -> Any:
    """Pin a requirement at a rank with a written rationale, or clear the override."""
    authorize(actor, "override_rank")
    requirement = load_requirement(actor, requirement_id)
    check_version(requirement, version, requirement.ref)
    rank, rationale = check_override(rank, rationale)
    changes = field_changes(
        {"rank_override": requirement.rank_override,
         "rank_override_rationale": requirement.rank_override_rationale},
        {"rank_override": rank, "rank_override_rationale": rationale})
    if changes:
        requirement.rank_override = rank
        requirement.rank_override_rationale = rationale
        requirement.updated_at = utcnow()
        for change in changes:
            record_audit(actor, "override_rank", requirement, field=change.field, old=change.old,
                         new=change.new, reason=rationale or "override cleared")
    db.session.commit()
    return requirement


@use_case
def take_snapshot(actor: User | None, title: str) -> RegisterSnapshot:
    """Freeze the register as it stands now, for a governance meeting."""
    if actor is not None:
        authorize(actor, "take_snapshot")
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise InvalidValue("Give the snapshot a title of up to 200 characters.", field="title")
    today = utcnow().date()
    refresh_register(today)
    settings = queries.scoring_settings()
    everything = queries.RegisterFilters()
    markings = queries.register_markings_counted(everything, today)
    snapshot = RegisterSnapshot(
        title=title, taken_at=utcnow(), taken_by_id=actor.id if actor else None,
        marking=highest_marking(list(markings), current_app.config["GAPS_DEFAULT_MARKING"]),
        scoring=_settings_value(settings), row_count=sum(markings.values()),
    )
    db.session.add(snapshot)
    db.session.flush()
    criteria = queries.open_requirement_criteria()
    rows = [{
        "snapshot_id": snapshot.id, "requirement_id": row.requirement_id, "rank": row.rank,
        "natural_rank": row.natural_rank, "ref": row.ref, "question": row.question,
        "gap_ref": row.gap_ref, "key_judgements": ", ".join(row.key_judgements),
        "theme": row.theme, "owner_team": row.owner_team, "status": row.status,
        "score": row.score, "score_breakdown": row.score_breakdown, "ltiov": row.ltiov,
        "last_activity": row.last_activity, "marking": row.marking,
        "override_rationale": row.override_rationale,
        **criteria.get(row.requirement_id, {}),
    } for row in queries.register_rows(everything, today, settings=settings)]
    if rows:
        db.session.execute(insert(RegisterSnapshotRow), rows)
    record_audit(actor, "snapshot", snapshot, field="title", new=title,
                 reason=f"{snapshot.row_count} requirements")
    db.session.commit()
    return snapshot


@use_case
def decide_snapshot(actor: User, snapshot_id: int, decision: str, direction: str | None,
                    actions: Sequence[ActionDraft] = ()) -> RegisterSnapshot:
    """Record the governance group's decision: approved, or returned with a direction and at
    least one action; the actions are written in the same transaction."""
    authorize(actor, "decide_snapshot")
    snapshot = load_snapshot(snapshot_id)
    direction = check_decision(snapshot.decision, decision, direction, len(actions))
    snapshot.decision, snapshot.direction = decision, direction
    snapshot.decided_by_id, snapshot.decided_at = actor.id, utcnow()
    record_audit(actor, "decision", snapshot, field="decision", new=decision, reason=direction)
    if actions:
        create_actions(actor, snapshot, list(actions), utcnow().date(),
                       reason=f"directed by the decision on snapshot “{snapshot.title}”")
    db.session.commit()
    return snapshot


def _settings_value(settings: ScoringSettings) -> dict:
    value = asdict(settings)
    return {"weights": dict(value["weights"]),
            "urgency_horizons_days": list(value["urgency_horizons_days"]),
            "band_thresholds": list(value["band_thresholds"])}


@use_case
def update_scoring_settings(actor: User, *, weights: dict[str, float],
                            urgency_horizons_days: tuple[int, int, int, int],
                            band_thresholds: tuple[float, float]) -> ScoringSettings:
    """Change the scoring weights, urgency horizons and band thresholds (audited)."""
    authorize(actor, "manage_scoring")
    settings = ScoringSettings(weights=dict(weights),
                               urgency_horizons_days=tuple(urgency_horizons_days),
                               band_thresholds=tuple(band_thresholds)).validate()
    before = _settings_value(queries.scoring_settings())
    after = _settings_value(settings)
    stored = db.session.get(Setting, queries.SCORING_SETTING)
    if stored is None:
        stored = Setting(key=queries.SCORING_SETTING)
        db.session.add(stored)
    stored.value, stored.updated_at = after, utcnow()
    flat_before = {f"weight of {k}": v for k, v in before["weights"].items()}
    flat_after = {f"weight of {k}": v for k, v in after["weights"].items()}
    for name in ("urgency_horizons_days", "band_thresholds"):
        flat_before[name], flat_after[name] = before[name], after[name]
    for change in field_changes(flat_before, flat_after):
        record_audit(actor, "scoring_settings", field=change.field, old=change.old,
                     new=change.new)
    db.session.commit()
    return settings


@use_case
def record_export(actor: User | None, what: str, export_format: str, row_count: int) -> None:
    """Keep a record of every export: who took what, in which format, how many rows."""
    record_audit(actor, "export", field=export_format, new=what,
                 reason=f"{row_count} rows")
    db.session.commit()
