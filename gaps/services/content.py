"""Recording intelligence content: gaps, key judgements, requirements and their links."""

import re
from datetime import date
from typing import Any

from sqlalchemy import select

from gaps import queries
from gaps.database import use_case
from gaps.domain.changes import field_changes
from gaps.domain.errors import InvalidValue, NotFound
from gaps.domain.matching import clean_indicators, clean_terms
from gaps.domain.priority import DIMENSIONS
from gaps.domain.review import check_review_date
from gaps.domain.similarity import Similar, describe_similar, gap_text
from gaps.domain.vocabulary import CONFIDENCE_LEVELS, MARKINGS, PHIA_LIKELIHOODS
from gaps.extensions import db
from gaps.models import Assessment, Gap, KeyJudgement, Requirement, Source, Team, User, utcnow
from gaps.policy import authorize
from gaps.services.audit import check_version, record_audit, record_changes

CRITERIA_FIELDS = ("indicators", "match_terms", "exclude_terms")
REQUIREMENT_FIELDS = ("question", "short_title", "rationale", "owner_team", "sources", "ltiov",
                      "review_date",
                      "marking", *DIMENSIONS, *CRITERIA_FIELDS)
GAP_FIELDS = ("ref", "title", "statement", "paragraphs", "section", "theme")


def _text(value: Any, name: str, *, required: bool, max_length: int) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidValue(f"The {name} must be text.", field=name)
    value = value.strip()
    if required and not value:
        raise InvalidValue(f"Enter the {name.replace('_', ' ')}.", field=name)
    if len(value) > max_length:
        raise InvalidValue(f"The {name.replace('_', ' ')} must be at most {max_length} "
                           "characters.", field=name)
    return value


def _marking(value: Any) -> str:
    if value not in MARKINGS:
        raise InvalidValue(f"The protective marking must be one of {', '.join(MARKINGS)}.",
                           field="marking")
    return value


def _score(value: Any, name: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidValue(f"The {name.replace('_', ' ')} must be a whole number from 1 to 5.",
                           field=name)
    return value


def _date(value: Any, name: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    raise InvalidValue(f"The {name.replace('_', ' ')} must be a date.", field=name)


def _paragraphs(value: Any) -> list[int]:
    if isinstance(value, str):
        parts = [part for part in re.split(r"[\s,;]+", value.strip()) if part]
        if not all(part.isdigit() for part in parts):
            raise InvalidValue("Paragraphs must be numbers separated by commas, like 85, 89.",
                               field="paragraphs")
        value = [int(part) for part in parts]
    if not isinstance(value, list) or not all(isinstance(item, int) and not isinstance(item, bool)
                                              and item > 0 for item in value):
        raise InvalidValue("Paragraphs must be a list of positive whole numbers.",
                           field="paragraphs")
    return sorted(set(value))


def _team_by_name(name: str | None) -> Team | None:
    if name in (None, ""):
        return None
    team = db.session.execute(select(Team).where(Team.name == name)).scalar_one_or_none()
    if team is None:
        raise InvalidValue(f"There is no team named '{name}'.", field="owner_team")
    return team


def _sources_by_name(names: Any) -> list[Source]:
    if names is None:
        return []
    if not isinstance(names, list | tuple) or not all(isinstance(name, str) for name in names):
        raise InvalidValue("Sources must be a list of source names.", field="sources")
    found = {source.name: source for source in db.session.execute(
        select(Source).where(Source.name.in_(names))).scalars()}
    missing = [name for name in names if name not in found]
    if missing:
        raise InvalidValue(f"There is no source named {', '.join(repr(m) for m in missing)}.",
                           field="sources")
    return [found[name] for name in dict.fromkeys(names)]


def apply_requirement_changes(actor: User, requirement: Requirement, changes: dict[str, Any],
                              reason: str | None = None) -> None:
    """Validate and apply field changes to a requirement, auditing each; no commit."""
    unknown = set(changes) - set(REQUIREMENT_FIELDS)
    if unknown:
        raise InvalidValue(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    before = requirement.editable_values()
    with db.session.no_autoflush:  # one save, one UPDATE, one new version
        clean = {name: _clean_requirement_value(name, value) for name, value in changes.items()}
        for name, value in clean.items():
            setattr(requirement, name, value)
        if {"ltiov", "review_date"} & set(clean):
            check_review_date(requirement.review_date, requirement.ltiov)
    changed = field_changes({name: before[name] for name in clean},
                            {name: requirement.editable_values()[name] for name in clean})
    if changed:
        requirement.updated_at = utcnow()  # also moves the version on for link-only changes
        record_changes(actor, requirement, changed, reason=reason)


def _clean_requirement_value(name: str, value: Any) -> Any:
    if name == "question":
        return _text(value, "question", required=True, max_length=2000)
    if name == "short_title":
        return _text(value, "short_title", required=False, max_length=120)
    if name == "rationale":
        return _text(value, "rationale", required=False, max_length=4000)
    if name == "marking":
        return _marking(value)
    if name in ("ltiov", "review_date"):
        return _date(value, name)
    if name == "owner_team":
        return _team_by_name(value)
    if name == "sources":
        return _sources_by_name(value)
    if name == "indicators":
        return clean_indicators(value)
    if name in ("match_terms", "exclude_terms"):
        return clean_terms(value, name)
    return _score(value, name)


def next_requirement_ref(gap: Gap, parent: Requirement | None) -> str:
    """A free requirement reference: R-059 for G-059, then R-059-1; children R-059.1."""
    taken = set(db.session.execute(select(Requirement.ref)).scalars())
    if parent is not None:
        base, separator = parent.ref, "."
    else:
        base = "R-" + (gap.ref[2:] if gap.ref.upper().startswith("G-") else gap.ref)
        separator = "-"
        if base not in taken:
            return base
    number = 1
    while f"{base}{separator}{number}" in taken:
        number += 1
    return f"{base}{separator}{number}"


SAVED_ANYWAY = "saved anyway after being shown similar ones"
SAVED_THROUGH_API = "similar ones existed; the API answered with them"


def _note_similar(actor: User, entity: Any, similar: list[Similar], saved_anyway: bool) -> None:
    """Keep the similar ones found when it was written on the object (`similar`, for the API's
    answer) and, when there were any, in the audit trail."""
    entity.similar = similar
    if similar:
        record_audit(actor, "saved_despite_similar", entity, field="similar",
                     new=describe_similar(similar),
                     reason=SAVED_ANYWAY if saved_anyway else SAVED_THROUGH_API)


@use_case
def create_requirement(actor: User, *, gap_id: int | None, question: str, rationale: str = "",
                       marking: str = "OFFICIAL", parent_id: int | None = None,
                       saved_anyway: bool = False) -> Requirement:
    """Write a new draft requirement for a gap, or a child question under a requirement; open
    requirements that read like it (that the writer may know of) are kept on it as `similar`
    and recorded in the audit trail (`saved_anyway`: the writer was shown them first)."""
    authorize(actor, "edit_content")
    parent = None
    if parent_id is not None:
        parent = db.session.get(Requirement, parent_id)
        if parent is None:
            raise InvalidValue(f"There is no requirement {parent_id} to put this under.",
                               field="parent_id")
        if gap_id is not None and gap_id != parent.gap_id:
            raise InvalidValue("A child question belongs to its parent's gap.", field="gap_id")
        gap_id = parent.gap_id
    if gap_id is None:
        raise InvalidValue("Say which gap the requirement is for.", field="gap_id")
    gap = db.session.get(Gap, gap_id)
    if gap is None:
        raise InvalidValue(f"There is no gap {gap_id}.", field="gap_id")
    # Looked for before the new one joins the session (and could find itself).
    similar = queries.similar_requirements(
        actor, _text(question, "question", required=True, max_length=2000), gap_id=gap.id,
        exclude_ids=queries.question_lineage_ids(parent))
    inherited = {"owner_team": parent.owner_team, "sources": list(parent.sources)} if parent \
        else {}
    requirement = Requirement(
        ref=next_requirement_ref(gap, parent), gap=gap, parent=parent,
        question=_text(question, "question", required=True, max_length=2000),
        rationale=_text(rationale, "rationale", required=False, max_length=4000),
        marking=_marking(marking), **inherited,
    )
    db.session.add(requirement)
    db.session.flush()
    record_audit(actor, "create", requirement, field="question", new=requirement.question)
    _note_similar(actor, requirement, similar, saved_anyway)
    db.session.commit()
    return requirement


@use_case
def update_requirement(actor: User, requirement_id: int, version: int | None,
                       changes: dict[str, Any]) -> Requirement:
    """Change a requirement's fields; refused if it changed since `version` was read."""
    authorize(actor, "edit_content")
    requirement = load_requirement(actor, requirement_id)
    check_version(requirement, version, requirement.ref)
    apply_requirement_changes(actor, requirement, changes)
    db.session.commit()
    return requirement


def load_requirement(actor: User, requirement_id: int) -> Requirement:
    """The requirement if this user may know of it; otherwise `NotFound`."""
    requirement = db.session.execute(
        queries.requirement(actor, requirement_id)).unique().scalar_one_or_none()
    if requirement is None:
        raise NotFound("There is no such requirement, or it is not yours to see.")
    return requirement


def _gap_values(gap: Gap) -> dict[str, Any]:
    return {name: getattr(gap, name) for name in GAP_FIELDS}


def _clean_gap_fields(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(GAP_FIELDS)
    if unknown:
        raise InvalidValue(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    clean: dict[str, Any] = {}
    limits = {"ref": 20, "title": 200, "statement": 10000, "section": 200, "theme": 80}
    for name, value in changes.items():
        if name == "paragraphs":
            clean[name] = _paragraphs(value)
        else:
            clean[name] = _text(value, name, required=name in ("ref", "title", "statement"),
                                max_length=limits[name])
    return clean


def next_gap_ref(assessment_id: int, paragraphs: list[int]) -> str:
    """A free gap reference, from the first paragraph number when there is one (G-059)."""
    taken = set(db.session.execute(select(Gap.ref).where(Gap.assessment_id == assessment_id))
                .scalars())
    base = f"G-{paragraphs[0]:03d}" if paragraphs else f"G-{len(taken) + 1:03d}"
    if base not in taken:
        return base
    for letter in "bcdefghijklmnopqrstuvwxyz":
        if base + letter not in taken:
            return base + letter
    number = len(taken) + 1
    while f"G-{number:03d}" in taken:
        number += 1
    return f"G-{number:03d}"


@use_case
def create_gap(actor: User, *, assessment_id: int, title: str, statement: str,
               paragraphs: Any = (), section: str = "", theme: str = "",
               ref: str | None = None, key_judgement_ids: list[int] | None = None,
               saved_anyway: bool = False) -> Gap:
    """Record a gap an assessment admits, with its paragraphs and key judgements; open gaps
    that read like it are kept on it as `similar` and recorded in the audit trail."""
    authorize(actor, "edit_content")
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        raise InvalidValue(f"There is no assessment {assessment_id}.", field="assessment_id")
    values = _clean_gap_fields({"title": title, "statement": statement,
                                "paragraphs": list(paragraphs) if not isinstance(paragraphs, str)
                                else paragraphs, "section": section, "theme": theme,
                                "ref": ref or "pending"})
    if not ref:
        values["ref"] = next_gap_ref(assessment_id, values["paragraphs"])
    elif db.session.execute(select(Gap.id).where(Gap.assessment_id == assessment_id,
                                                 Gap.ref == values["ref"])).first():
        raise InvalidValue(f"This assessment already has a gap {values['ref']}.", field="ref")
    judgements = key_judgements_of(assessment_id, key_judgement_ids or [])
    similar = queries.similar_gaps(gap_text(values["title"], values["statement"]),
                                   assessment_id=assessment_id)
    gap = Gap(assessment=assessment, key_judgements=judgements, **values)
    db.session.add(gap)
    db.session.flush()
    record_audit(actor, "create", gap, field="statement", new=gap.statement)
    for judgement in gap.key_judgements:
        record_audit(actor, "link", gap, field="key_judgements", new=f"KJ{judgement.number}")
    _note_similar(actor, gap, similar, saved_anyway)
    db.session.commit()
    return gap


def key_judgements_of(assessment_id: int, ids: list[int]) -> list[KeyJudgement]:
    """These key judgements, refusing any that is not of this assessment."""
    judgements = db.session.execute(select(KeyJudgement).where(
        KeyJudgement.id.in_(ids), KeyJudgement.assessment_id == assessment_id)).scalars().all()
    if len(judgements) != len(set(ids)):
        raise InvalidValue("Link only key judgements of the gap's own assessment.",
                           field="key_judgement_ids")
    return sorted(judgements, key=lambda judgement: judgement.number)


@use_case
def update_gap(actor: User, gap_id: int, version: int | None, changes: dict[str, Any]) -> Gap:
    """Change a gap's fields; refused if it changed since `version` was read."""
    authorize(actor, "edit_content")
    gap = db.session.get(Gap, gap_id)
    if gap is None:
        raise NotFound("There is no such gap.")
    check_version(gap, version, gap.ref)
    before = _gap_values(gap)
    clean = _clean_gap_fields(changes)
    if "ref" in clean and clean["ref"] != gap.ref and db.session.execute(
            select(Gap.id).where(Gap.assessment_id == gap.assessment_id,
                                 Gap.ref == clean["ref"])).first():
        raise InvalidValue(f"This assessment already has a gap {clean['ref']}.", field="ref")
    changed = field_changes({name: before[name] for name in clean}, clean)
    for name, value in clean.items():
        setattr(gap, name, value)
    if changed:
        gap.updated_at = utcnow()
        record_changes(actor, gap, changed)
    db.session.commit()
    return gap


@use_case
def link_key_judgement(actor: User, gap_id: int, key_judgement_id: int, *,
                       linked: bool = True) -> Gap:
    """Link a gap to a key judgement it undermines (or unlink it); linking twice is harmless."""
    authorize(actor, "edit_content")
    gap = db.session.get(Gap, gap_id)
    if gap is None:
        raise NotFound("There is no such gap.")
    judgement = db.session.get(KeyJudgement, key_judgement_id)
    if judgement is None:
        raise NotFound("There is no such key judgement.")
    if judgement.assessment_id != gap.assessment_id:
        raise InvalidValue("A gap can only be linked to key judgements of its own assessment.",
                           field="key_judgement_id")
    present = judgement in gap.key_judgements
    if linked and not present:
        gap.key_judgements.append(judgement)
        gap.updated_at = utcnow()
        record_audit(actor, "link", gap, field="key_judgements", new=f"KJ{judgement.number}")
    elif not linked and present:
        gap.key_judgements.remove(judgement)
        gap.updated_at = utcnow()
        record_audit(actor, "unlink", gap, field="key_judgements", old=f"KJ{judgement.number}")
    db.session.commit()
    return gap


@use_case
def update_key_judgement(actor: User, key_judgement_id: int, version: int | None, *,
                         text: str, likelihood: str | None,
                         confidence: str | None) -> KeyJudgement:
    """Change a key judgement; a new text or likelihood flags its requirements for review."""
    authorize(actor, "edit_content")
    judgement = db.session.get(KeyJudgement, key_judgement_id)
    if judgement is None:
        raise NotFound("There is no such key judgement.")
    check_version(judgement, version, f"Key judgement {judgement.number}")
    if likelihood not in (None, "") and likelihood not in PHIA_LIKELIHOODS:
        raise InvalidValue("The likelihood must be a term of the PHIA yardstick.",
                           field="likelihood")
    if confidence not in (None, "") and confidence not in CONFIDENCE_LEVELS:
        raise InvalidValue("Confidence must be high, moderate or low.", field="confidence")
    after = {"text": _text(text, "text", required=True, max_length=4000),
             "likelihood": likelihood or None, "confidence": confidence or None}
    changed = field_changes({name: getattr(judgement, name) for name in after}, after)
    for name, value in after.items():
        setattr(judgement, name, value)
    record_changes(actor, judgement, changed)
    if any(change.field in ("text", "likelihood") for change in changed):
        _flag_requirements_of(actor, judgement)
    db.session.commit()
    return judgement


def _flag_requirements_of(actor: User, judgement: KeyJudgement) -> None:
    requirements = db.session.execute(
        select(Requirement).join(Gap).where(Gap.key_judgements.any(KeyJudgement.id
                                                                   == judgement.id))
    ).scalars().all()
    for requirement in requirements:
        if not requirement.key_judgement_changed:
            requirement.key_judgement_changed = True
            requirement.updated_at = utcnow()
            record_audit(actor, "flag", requirement, field="key_judgement_changed", old=False,
                         new=True, reason=f"KJ{judgement.number} changed: review this requirement")


@use_case
def clear_key_judgement_flag(actor: User, requirement_id: int, version: int | None) -> Requirement:
    """A manager has reviewed a requirement after its key judgement changed."""
    authorize(actor, "edit_content")
    requirement = load_requirement(actor, requirement_id)
    check_version(requirement, version, requirement.ref)
    if requirement.key_judgement_changed:
        requirement.key_judgement_changed = False
        requirement.updated_at = utcnow()
        record_audit(actor, "clear_flag", requirement, field="key_judgement_changed", old=True,
                     new=False)
    db.session.commit()
    return requirement
