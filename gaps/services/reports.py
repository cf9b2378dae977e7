"""Incoming reports: recording one (or a feed of them) with its proposed matches, and
triaging a proposal: confirmed into a contribution, or rejected for good."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update

from gaps import queries
from gaps.database import use_case
from gaps.domain.errors import InvalidValue, NotFound, StaleVersion
from gaps.domain.reports import (
    FeedRefused,
    ReportValues,
    check_decision,
    check_report,
    excerpt,
    report_from_row,
)
from gaps.extensions import db
from gaps.models import Report, ReportMatch, Source, User, utcnow
from gaps.policy import authorize
from gaps.services.audit import record_audit
from gaps.services.collection import add_contribution, today
from gaps.services.content import load_requirement
from gaps.services.matching import propose_matches


def _source_ids() -> dict[str, int]:
    return dict(db.session.execute(select(Source.name, Source.id)).all())


def _source_id(values: ReportValues, sources: dict[str, int]) -> int:
    if values.source not in sources:
        raise InvalidValue(f"There is no source named '{values.source}'.", field="source")
    return sources[values.source]


def _add_report(actor: User | None, values: ReportValues,
                source_id: int) -> tuple[Report, int]:
    """Add a report and its proposed matches to the session, audited; no commit. The report
    and how many proposals it has."""
    grade = values.grade
    report = Report(title=values.title, text=values.text, source_id=source_id,
                    found_on=values.found_on, source_grade=grade.source,
                    intelligence_grade=grade.intelligence, handling_code=grade.handling,
                    handling_conditions=grade.conditions, marking=values.marking,
                    recorded_by_id=actor.id if actor is not None else None)
    db.session.add(report)
    db.session.flush()
    record_audit(actor, "create", report, field="title", new=report.title,
                 reason=f"{grade} from {values.source}")
    return report, len(_propose(actor, report, already=set()))


def _propose(actor: User | None, report: Report, already: set[int]) -> list[ReportMatch]:
    found = [match for match in propose_matches(report.title, report.text)
             if match.requirement_id not in already]
    rows = [ReportMatch(report_id=report.id, requirement_id=match.requirement_id,
                        score=match.score, matched_terms=match.matched_terms,
                        indicators_matched=match.indicators_matched,
                        explanation=match.explanation) for match in found]
    if rows:
        db.session.add_all(rows)
        db.session.flush()
        record_audit(actor, "propose_matches", report, field="matches",
                     new=", ".join(f"{match.ref} ({match.score:g})" for match in found))
    return rows


@use_case
def record_report(actor: User, *, title: str, text: str, source: str, found_on: date | None,
                  grading: str | None = None, source_grade: str | None = None,
                  intelligence_grade: str | None = None, handling_code: str | None = None,
                  handling_conditions: str | None = None, marking: str = "OFFICIAL") -> Report:
    """Record an incoming report, graded 3x5x2, and propose the open requirements it may
    answer (stored for every requirement; each user sees those they may know of)."""
    authorize(actor, "record_report")
    values = check_report(title=title, text=text, source=source, found_on=found_on,
                          today=today(), grading=grading, source_grade=source_grade,
                          intelligence_grade=intelligence_grade, handling_code=handling_code,
                          handling_conditions=handling_conditions, marking=marking)
    report, _ = _add_report(actor, values, _source_id(values, _source_ids()))
    db.session.commit()
    return report


@dataclass(frozen=True)
class FeedSummary:
    """What an imported feed added."""

    reports: int
    proposals: int
    report_ids: list[int]


@use_case
def import_reports(actor: User | None, rows: Iterable[tuple[int, dict]],
                   progress: Callable[[int], None] | None = None) -> FeedSummary:
    """Record a feed of reports (rows numbered by their line) with their proposed matches:
    every row is checked first, and if any is bad nothing is written (`FeedRefused` names
    each bad row by its line)."""
    if actor is not None:
        authorize(actor, "record_report")
    sources, checked, problems = _source_ids(), [], []
    for line, row in rows:
        try:
            values = report_from_row(row, today())
            checked.append((values, _source_id(values, sources)))
        except InvalidValue as error:
            problems.append(f"line {line}: {error.message}")
    if problems:
        raise FeedRefused(problems)
    if not checked:
        raise InvalidValue("The feed has no reports in it.")
    report_ids, proposals = [], 0
    for values, source_id in checked:
        report, proposed = _add_report(actor, values, source_id)
        report_ids.append(report.id)
        proposals += proposed
        if progress is not None:
            progress(1)
    db.session.commit()
    return FeedSummary(len(report_ids), proposals, report_ids)


@use_case
def match_again(actor: User, report_id: int) -> int:
    """Look again for requirements a report may answer (their criteria may have changed): only
    pairs never proposed before are added, so a rejected one stays rejected. How many."""
    authorize(actor, "triage_report")
    report = db.session.execute(queries.report(actor, report_id)).unique().scalar_one_or_none()
    if report is None:
        raise NotFound("There is no such report, or it is not yours to see.")
    added = _propose(actor, report, already=queries.matched_pairs(report.id))
    db.session.commit()
    return len(added)


@use_case
def decide_match(actor: User, report_id: int, requirement_id: int, decision: str,
                 reason: str | None = None) -> ReportMatch:
    """Confirm a proposed match, which records a contribution on the requirement carrying the
    report's excerpt, source and grade and a link back to it; or reject it (with an optional
    reason): the pair is never proposed again. A collector, only their own team's."""
    authorize(actor, "triage_report")
    decision, reason = check_decision(decision, reason)
    requirement = load_requirement(actor, requirement_id)
    authorize(actor, "triage_report", requirement)
    match = db.session.execute(queries.report_match(report_id, requirement_id)
                               ).scalar_one_or_none()
    if match is None:
        raise NotFound("That report was not proposed for that requirement.")
    if match.state != queries.MATCH_PROPOSED:
        raise InvalidValue(f"This match was already {match.state}; nothing changed.",
                           field="decision")
    state = queries.MATCH_CONFIRMED if decision == "confirm" else queries.MATCH_REJECTED
    # Only one of two people deciding at the same moment wins; the other is told.
    decided = db.session.execute(
        update(ReportMatch).where(ReportMatch.id == match.id,
                                  ReportMatch.state == queries.MATCH_PROPOSED)
        .values(state=state, reason=reason, decided_by_id=actor.id, decided_at=utcnow())
        .execution_options(synchronize_session=False))
    if decided.rowcount != 1:
        raise StaleVersion("Someone else decided this match at the same moment. Nothing was "
                           "saved: reload the report.")
    report = match.report
    if state == queries.MATCH_CONFIRMED:
        contribution = add_contribution(
            actor, requirement, text=excerpt(report.title, report.text),
            source=report.source.name, grading=report.grading,
            handling_conditions=report.handling_conditions, found_on=report.found_on,
            report_id=report.id)
        db.session.execute(update(ReportMatch).where(ReportMatch.id == match.id)
                           .values(contribution_id=contribution.id)
                           .execution_options(synchronize_session=False))
    record_audit(actor, f"{decision}_match", report, field="matches",
                 old=f"{requirement.ref} proposed", new=f"{requirement.ref} {state}",
                 reason=reason)
    db.session.commit()
    db.session.refresh(match)
    return match
