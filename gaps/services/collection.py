"""Collection: tasking a requirement, moving it through its statuses, recording findings."""

from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from gaps import queries
from gaps.database import use_case
from gaps.domain.errors import InvalidTransition, InvalidValue
from gaps.domain.grading import make_grading, parse_grading
from gaps.domain.priority import DIMENSIONS, priority_score
from gaps.domain.review import next_review_date, parse_cadence
from gaps.domain.status import (
    RequirementFacts,
    Status,
    accepts_contributions,
    can_be_tasked,
    check_transition,
)
from gaps.domain.vocabulary import CONFIDENCE_LEVELS, PHIA_LIKELIHOODS
from gaps.extensions import db
from gaps.models import Contribution, Requirement, Source, User, utcnow
from gaps.policy import authorize
from gaps.services.audit import check_version, record_audit
from gaps.services.content import apply_requirement_changes, load_requirement


def today() -> date:
    """Today's date in UTC (dates are stored in UTC)."""
    return utcnow().date()


def _facts(requirement: Requirement) -> RequirementFacts:
    contributions = db.session.execute(
        select(func.count(Contribution.id)).where(Contribution.requirement_id == requirement.id)
    ).scalar_one()
    return RequirementFacts(has_owner_team=requirement.owner_team_id is not None,
                            source_count=len(requirement.sources),
                            has_ltiov=requirement.ltiov is not None,
                            contribution_count=contributions)


def _default_review_date(requirement: Requirement) -> date:
    cadence = parse_cadence(current_app.config["GAPS_REVIEW_CADENCE"])
    values = {dimension: getattr(requirement, dimension) for dimension in DIMENSIONS}
    band = priority_score(values, requirement.ltiov, today(), queries.scoring_settings()).band
    return next_review_date(today(), band, cadence, requirement.ltiov)


def _move(actor: User, requirement: Requirement, target: str, reason: str | None) -> None:
    transition = check_transition(requirement.status, target, actor.role, _facts(requirement),
                                  reason)
    old = requirement.status
    requirement.status = transition.target.value
    requirement.updated_at = utcnow()
    record_audit(actor, "transition", requirement, field="status", old=old,
                 new=requirement.status, reason=(reason or "").strip() or None)
    if transition.target == Status.TASKED and requirement.review_date is None:
        requirement.review_date = _default_review_date(requirement)
        record_audit(actor, "update", requirement, field="review_date",
                     new=requirement.review_date, reason="set by the review cadence")


@use_case
def transition_requirement(actor: User, requirement_id: int, target: str,
                           reason: str | None, version: int | None) -> Requirement:
    """Move a requirement to another status, if the rules allow it for this user."""
    authorize(actor, "transition_requirement")
    requirement = load_requirement(actor, requirement_id)
    check_version(requirement, version, requirement.ref)
    _move(actor, requirement, target, reason)
    db.session.commit()
    return requirement


@use_case
def task_requirement(actor: User, requirement_id: int, version: int | None, *,
                     owner_team: str | None, sources: list[str], ltiov: date | None,
                     review_date: date | None = None) -> Requirement:
    """Give a draft requirement its owner team, sources and dates, and task it, in one step."""
    authorize(actor, "edit_content")
    requirement = load_requirement(actor, requirement_id)
    check_version(requirement, version, requirement.ref)
    if not can_be_tasked(requirement.status):
        raise InvalidTransition("Only a draft requirement can be tasked; this one is "
                                f"{requirement.status.replace('_', ' ')}.")
    changes: dict[str, Any] = {"owner_team": owner_team, "sources": sources, "ltiov": ltiov}
    if review_date is not None:
        changes["review_date"] = review_date
    if ltiov is not None and ltiov < today():
        raise InvalidValue("The latest time of value cannot be in the past.", field="ltiov")
    apply_requirement_changes(actor, requirement, changes)
    db.session.flush()
    _move(actor, requirement, Status.TASKED, None)
    db.session.commit()
    return requirement


@use_case
def record_contribution(actor: User, requirement_id: int, *, text: str, source: str,
                        grading: str | None = None, found_on: date | None = None,
                        source_grade: str | None = None, intelligence_grade: str | None = None,
                        handling_code: str | None = None, handling_conditions: str | None = None,
                        likelihood: str | None = None,
                        confidence: str | None = None) -> Contribution:
    """Record what a collection team found, graded 3x5x2 (`grading="2/B/P"` or its parts)."""
    authorize(actor, "record_contribution")
    requirement = load_requirement(actor, requirement_id)
    contribution = add_contribution(
        actor, requirement, text=text, source=source, grading=grading, found_on=found_on,
        source_grade=source_grade, intelligence_grade=intelligence_grade,
        handling_code=handling_code, handling_conditions=handling_conditions,
        likelihood=likelihood, confidence=confidence)
    db.session.commit()
    return contribution


def add_contribution(actor: User, requirement: Requirement, *, text: str, source: str,
                     grading: str | None = None, found_on: date | None = None,
                     source_grade: str | None = None, intelligence_grade: str | None = None,
                     handling_code: str | None = None, handling_conditions: str | None = None,
                     likelihood: str | None = None, confidence: str | None = None,
                     report_id: int | None = None) -> Contribution:
    """Check and add a contribution to a requirement the actor may know of, audited; the
    calling use case commits (recording one, or confirming a report's match)."""
    if not accepts_contributions(requirement.status):
        raise InvalidValue("Contributions can be recorded only while a requirement is being "
                           f"collected; this one is {requirement.status.replace('_', ' ')}.")
    text = (text or "").strip()
    if not text:
        raise InvalidValue("Say what was found.", field="text")
    if len(text) > 20000:
        raise InvalidValue("What was found must be at most 20,000 characters.", field="text")
    if grading is not None:
        grade = parse_grading(grading, handling_conditions)
    else:
        grade = make_grading(source_grade or "", intelligence_grade or "", handling_code or "",
                             handling_conditions)
    source_row = db.session.execute(select(Source).where(Source.name == source)
                                    ).scalar_one_or_none()
    if source_row is None:
        raise InvalidValue(f"There is no source named '{source}'.", field="source")
    found_on = found_on or today()
    if found_on > today():
        raise InvalidValue("The date found cannot be in the future.", field="found_on")
    if likelihood not in (None, "") and likelihood not in PHIA_LIKELIHOODS:
        raise InvalidValue("The likelihood must be a term of the PHIA yardstick: "
                           f"{', '.join(PHIA_LIKELIHOODS)}.", field="likelihood")
    if confidence not in (None, "") and confidence not in CONFIDENCE_LEVELS:
        raise InvalidValue("Confidence must be high, moderate or low.", field="confidence")
    contribution = Contribution(
        requirement=requirement, author_id=actor.id, team_id=actor.team_id, source=source_row,
        found_on=found_on, text=text, source_grade=grade.source,
        intelligence_grade=grade.intelligence, handling_code=grade.handling,
        handling_conditions=grade.conditions, likelihood=likelihood or None,
        confidence=confidence or None, report_id=report_id,
    )
    db.session.add(contribution)
    db.session.flush()
    record_audit(actor, "contribution", requirement, field="contributions",
                 new=f"{grade} from {source_row.name}: {text[:200]}")
    return contribution
