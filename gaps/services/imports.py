"""Importing an assessment and reviewing the gaps it proposes."""

import datetime as dt
import re

from flask import current_app
from sqlalchemy import select

from gaps.database import use_case
from gaps.domain.errors import Conflict, InvalidValue, NotFound
from gaps.domain.vocabulary import MARKINGS
from gaps.extensions import db
from gaps.importer import ImportedAssessment, locate_statement
from gaps.importer import Paragraph as ImportedParagraph
from gaps.models import (
    Assessment,
    CandidateGap,
    Gap,
    KeyJudgement,
    Paragraph,
    Requirement,
    User,
    utcnow,
)
from gaps.policy import authorize
from gaps.services.audit import check_version, record_audit
from gaps.services.content import key_judgements_of, next_gap_ref, next_requirement_ref

QUOTE_JOINER = " … "
MARKED_BY_HAND = "marked by hand"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").upper()[:60] or "ASSESSMENT"


def _published(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@use_case
def import_assessment(actor: User | None, imported: ImportedAssessment, *,
                      full_text: str, reference: str | None = None,
                      version: str | None = None) -> Assessment:
    """Record an imported assessment as a draft: paragraphs, key judgements, proposed gaps,
    and the gaps of its previous version carried forward where their text still appears."""
    if actor is not None:
        authorize(actor, "edit_content")
    metadata = imported.metadata
    reference = (reference or metadata.get("reference") or _slug(imported.title)).strip()[:60]
    version = (version or metadata.get("version") or utcnow().date().isoformat()).strip()[:20]
    if db.session.execute(select(Assessment.id).where(Assessment.reference == reference,
                                                      Assessment.version == version)).first():
        raise Conflict(f"Version {version} of {reference} has already been imported.")
    if not imported.paragraphs:
        raise InvalidValue("No paragraph of text was found in the document.")
    marking = metadata.get("marking") if metadata.get("marking") in MARKINGS \
        else current_app.config["GAPS_DEFAULT_MARKING"]
    assessment = Assessment(
        title=imported.title[:300], reference=reference, version=version,
        published_on=_published(metadata.get("published")), marking=marking,
        handling_note=metadata.get("handling_note", ""), author=metadata.get("author", "")[:200],
        collection_period=metadata.get("cut_off", "")[:200], full_text=full_text,
        status="draft",
    )
    db.session.add(assessment)
    paragraphs = {item.index: Paragraph(index=item.index, number=item.number,
                                        section=item.section[:200], text=item.text)
                  for item in imported.paragraphs}
    assessment.paragraphs = list(paragraphs.values())
    assessment.key_judgements = [KeyJudgement(number=item.number, text=item.text)
                                 for item in imported.key_judgements]
    db.session.flush()
    for candidate in imported.candidate_gaps:
        paragraph = paragraphs[candidate.paragraph_index]
        db.session.add(CandidateGap(
            assessment_id=assessment.id, paragraph_id=paragraph.id,
            title=_title_from(candidate.sentence), statement=candidate.sentence,
            paragraph_numbers=[paragraph.number] if paragraph.number else [],
            cue=candidate.cue[:60], category=candidate.category, confidence=candidate.confidence))
    carried = _carry_forward(actor, assessment, imported.paragraphs, paragraphs)
    record_audit(actor, "import", assessment, field="version", new=version,
                 reason=f"{len(imported.paragraphs)} paragraphs, {len(imported.key_judgements)} "
                        f"key judgements, {len(imported.candidate_gaps)} proposed gaps, "
                        f"{carried} gaps carried forward")
    db.session.commit()
    return assessment


def _title_from(sentence: str) -> str:
    words = sentence.split()
    return " ".join(words[:14]) + ("…" if len(words) > 14 else "")


def previous_version(assessment: Assessment) -> Assessment | None:
    """The latest other version of the same assessment imported or loaded before this one."""
    return db.session.execute(
        select(Assessment).where(Assessment.reference == assessment.reference,
                                 Assessment.id != assessment.id,
                                 Assessment.created_at <= assessment.created_at)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc()).limit(1)
    ).scalar_one_or_none()


def _carry_forward(actor, assessment: Assessment, imported_paragraphs: list[ImportedParagraph],
                   paragraphs: dict[int, Paragraph]) -> int:
    earlier = previous_version(assessment)
    if earlier is None:
        return 0
    carried = 0
    for old_gap in earlier.gaps:
        found = locate_statement(old_gap.statement, imported_paragraphs)
        if not found:
            continue
        numbers = [paragraph.number for paragraph in found if paragraph.number] \
            or list(old_gap.paragraphs)
        gap = Gap(assessment=assessment, ref=old_gap.ref, title=old_gap.title,
                  statement=old_gap.statement, paragraphs=numbers, section=found[0].section,
                  theme=old_gap.theme, continues_gap_id=old_gap.id)
        db.session.add(gap)
        db.session.flush()
        record_audit(actor, "carry_forward", gap, field="paragraphs", old=old_gap.paragraphs,
                     new=numbers, reason=f"continues {old_gap.ref} of version {earlier.version}")
        carried += 1
        for candidate in db.session.execute(select(CandidateGap).where(
                CandidateGap.assessment_id == assessment.id,
                CandidateGap.paragraph_id.in_([paragraphs[p.index].id for p in found]),
                CandidateGap.status == "proposed")).scalars():
            # The importer proposed what is already carried forward: keep one of them.
            candidate.status, candidate.gap_id = "accepted", gap.id
    return carried


def _candidate(candidate_id: int, *, proposed: bool = True) -> CandidateGap:
    candidate = db.session.get(CandidateGap, candidate_id)
    if candidate is None:
        raise NotFound("There is no such proposed gap.")
    if proposed and candidate.status != "proposed":
        raise InvalidValue(f"This proposed gap has already been {candidate.status}.")
    return candidate


@use_case
def accept_candidate(actor: User, candidate_id: int, version: int | None, *, title: str,
                     statement: str, key_judgement_ids: list[int], theme: str = "",
                     question: str | None = None) -> Gap:
    """Accept a proposed gap: record it as a gap and, if a question is given, a draft
    requirement for it."""
    authorize(actor, "edit_content")
    candidate = _candidate(candidate_id)
    check_version(candidate, version, "This proposed gap")
    title, statement = (title or "").strip(), (statement or "").strip()
    if not title or len(title) > 200:
        raise InvalidValue("Give the gap a short title (up to 200 characters).", field="title")
    if not statement:
        raise InvalidValue("Quote what the assessment says.", field="statement")
    judgements = key_judgements_of(candidate.assessment_id, key_judgement_ids)
    numbers = candidate.paragraph_numbers
    gap = Gap(assessment_id=candidate.assessment_id,
              ref=next_gap_ref(candidate.assessment_id, numbers), title=title,
              statement=statement, paragraphs=numbers, section=candidate.paragraph.section,
              theme=(theme or "").strip()[:80], key_judgements=judgements)
    db.session.add(gap)
    db.session.flush()
    candidate.status, candidate.gap_id = "accepted", gap.id
    record_audit(actor, "accept", gap, field="statement", new=statement,
                 reason=f"proposed by the importer ({candidate.cue})")
    if question and question.strip():
        requirement = Requirement(ref=next_requirement_ref(gap, None), gap=gap,
                                  question=question.strip()[:2000])
        db.session.add(requirement)
        db.session.flush()
        record_audit(actor, "create", requirement, field="question", new=requirement.question)
    db.session.commit()
    return gap


@use_case
def edit_candidate(actor: User, candidate_id: int, version: int | None, *, title: str,
                   statement: str) -> CandidateGap:
    """Change a proposed gap's title or quoted statement before it is accepted."""
    authorize(actor, "edit_content")
    candidate = _candidate(candidate_id)
    check_version(candidate, version, "This proposed gap")
    title, statement = (title or "").strip(), (statement or "").strip()
    if not title or not statement:
        raise InvalidValue("A proposed gap needs a title and a statement.")
    if (title, statement) != (candidate.title, candidate.statement):
        record_audit(actor, "edit_candidate", candidate.paragraph, field="statement",
                     old=candidate.statement, new=statement)
        candidate.title, candidate.statement = title[:200], statement
    db.session.commit()
    return candidate


@use_case
def merge_candidates(actor: User, candidate_id: int, other_id: int) -> CandidateGap:
    """Merge two proposed gaps of one assessment into the first."""
    authorize(actor, "edit_content")
    kept, merged = _candidate(candidate_id), _candidate(other_id)
    if kept.id == merged.id or kept.assessment_id != merged.assessment_id:
        raise InvalidValue("Choose another proposed gap of the same assessment to merge.")
    kept.statement = kept.statement + QUOTE_JOINER + merged.statement
    kept.paragraph_numbers = sorted(set(kept.paragraph_numbers) | set(merged.paragraph_numbers))
    merged.status, merged.merged_into_id = "merged", kept.id
    record_audit(actor, "merge_candidates", kept.paragraph, field="statement",
                 new=kept.statement)
    db.session.commit()
    return kept


@use_case
def reject_candidate(actor: User, candidate_id: int) -> CandidateGap:
    """Reject a proposed gap: it is not a gap in knowledge."""
    authorize(actor, "edit_content")
    candidate = _candidate(candidate_id)
    candidate.status = "rejected"
    record_audit(actor, "reject_candidate", candidate.paragraph, field="statement",
                 old=candidate.statement)
    db.session.commit()
    return candidate


@use_case
def mark_gap(actor: User, paragraph_id: int, statement: str) -> CandidateGap:
    """Propose a gap by hand on any paragraph the importer passed over."""
    authorize(actor, "edit_content")
    paragraph = db.session.get(Paragraph, paragraph_id)
    if paragraph is None:
        raise NotFound("There is no such paragraph.")
    statement = (statement or "").strip() or paragraph.text
    candidate = CandidateGap(
        assessment_id=paragraph.assessment_id, paragraph_id=paragraph.id,
        title=_title_from(statement), statement=statement,
        paragraph_numbers=[paragraph.number] if paragraph.number else [], cue=MARKED_BY_HAND,
        confidence=1.0)
    db.session.add(candidate)
    record_audit(actor, "mark_gap", paragraph, field="statement", new=statement)
    db.session.commit()
    return candidate


@use_case
def publish_assessment(actor: User, assessment_id: int) -> Assessment:
    """Publish a reviewed assessment; every proposed gap must have been dealt with first."""
    authorize(actor, "edit_content")
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        raise NotFound("There is no such assessment.")
    waiting = db.session.execute(select(CandidateGap.id).where(
        CandidateGap.assessment_id == assessment_id, CandidateGap.status == "proposed")).all()
    if waiting:
        count = len(waiting)
        raise InvalidValue(f"{count} proposed gap{' is' if count == 1 else 's are'} still to be "
                           "accepted, merged or rejected.")
    if assessment.status != "published":
        record_audit(actor, "publish", assessment, field="status", old=assessment.status,
                     new="published")
        assessment.status = "published"
    db.session.commit()
    return assessment


@use_case
def continue_gap(actor: User, gap_id: int, earlier_gap_id: int | None) -> Gap:
    """Mark a gap as continuing a gap of an earlier assessment (or clear the link)."""
    authorize(actor, "edit_content")
    gap = db.session.get(Gap, gap_id)
    if gap is None:
        raise NotFound("There is no such gap.")
    earlier = db.session.get(Gap, earlier_gap_id) if earlier_gap_id else None
    if earlier_gap_id and earlier is None:
        raise InvalidValue("There is no such earlier gap.", field="earlier_gap_id")
    if earlier is not None:
        if earlier.assessment_id == gap.assessment_id:
            raise InvalidValue("A gap continues a gap of an earlier assessment, not its own.",
                               field="earlier_gap_id")
        chain, step = set(), earlier
        while step is not None:
            if step.id == gap.id or step.id in chain:
                raise InvalidValue("That would make the gaps continue each other in a circle.",
                                   field="earlier_gap_id")
            chain.add(step.id)
            step = step.continues
    old = gap.continues.ref if gap.continues else None
    gap.continues_gap_id = earlier.id if earlier else None
    gap.updated_at = utcnow()
    record_audit(actor, "continue_gap", gap, field="continues", old=old,
                 new=earlier.ref if earlier else None)
    db.session.commit()
    return gap
