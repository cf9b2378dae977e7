"""Loading the seed: teams, sources and assessments from validated seed records."""

from sqlalchemy import select

from gaps.database import use_case
from gaps.extensions import db
from gaps.models import Assessment, Gap, KeyJudgement, Requirement, Source, Team
from gaps.seeding import SeedBundle
from gaps.services.audit import record_audit


@use_case
def load_seed(bundle: SeedBundle) -> dict[str, int]:
    """Load validated seed records, skipping anything already present; commit once."""
    created = {"teams": 0, "sources": 0, "assessments": 0, "key_judgements": 0, "gaps": 0,
               "requirements": 0}
    teams = {team.name: team for team in db.session.execute(select(Team)).scalars()}
    for item in bundle.teams:
        if item.name not in teams:
            teams[item.name] = Team(name=item.name, description=item.description)
            db.session.add(teams[item.name])
            created["teams"] += 1
    sources = {source.name: source for source in db.session.execute(select(Source)).scalars()}
    for item in bundle.sources:
        if item.name not in sources:
            sources[item.name] = Source(name=item.name, kind=item.kind,
                                        description=item.description)
            db.session.add(sources[item.name])
            created["sources"] += 1
    existing_requirement_refs = set(db.session.execute(select(Requirement.ref)).scalars())
    for item in bundle.assessments:
        _load_seed_assessment(item, teams, sources, existing_requirement_refs, created)
    db.session.flush()
    if any(created.values()):
        record_audit(None, "seed_loaded", reason=", ".join(f"{count} {name}" for name, count
                                                            in created.items() if count))
    db.session.commit()
    return created


def _load_seed_assessment(item, teams, sources, existing_requirement_refs, created) -> None:
    assessment = db.session.execute(
        select(Assessment).where(Assessment.reference == item.reference,
                                 Assessment.version == item.version)
    ).scalar_one_or_none()
    if assessment is None:
        assessment = Assessment(
            title=item.title, reference=item.reference, version=item.version,
            published_on=item.published, marking=item.marking, handling_note=item.handling_note,
            collection_period=item.collection_period, author=item.author,
            full_text=item.full_text, status="published",
        )
        db.session.add(assessment)
        created["assessments"] += 1
    judgements = {judgement.number: judgement for judgement in assessment.key_judgements}
    for seed_judgement in item.key_judgements:
        if seed_judgement.number not in judgements:
            judgement = KeyJudgement(number=seed_judgement.number, text=seed_judgement.text,
                                     likelihood=seed_judgement.likelihood,
                                     confidence=seed_judgement.confidence)
            assessment.key_judgements.append(judgement)
            judgements[seed_judgement.number] = judgement
            created["key_judgements"] += 1
    gaps = {gap.ref: gap for gap in assessment.gaps}
    for seed_gap in item.gaps:
        gap = gaps.get(seed_gap.ref)
        if gap is None:
            gap = Gap(ref=seed_gap.ref, title=seed_gap.title, statement=seed_gap.statement,
                      paragraphs=seed_gap.paragraphs, section=seed_gap.section,
                      theme=seed_gap.theme,
                      key_judgements=[judgements[number] for number in seed_gap.key_judgements])
            assessment.gaps.append(gap)
            created["gaps"] += 1
        seed_requirement = seed_gap.requirement
        if seed_requirement is None or seed_requirement.ref in existing_requirement_refs:
            continue
        existing_requirement_refs.add(seed_requirement.ref)
        gap.requirements.append(Requirement(
            ref=seed_requirement.ref, question=seed_requirement.question,
            rationale=seed_requirement.rationale, marking=seed_requirement.marking,
            owner_team=teams.get(seed_requirement.owner_team) if seed_requirement.owner_team
            else None,
            sources=[sources[name] for name in seed_requirement.sources],
            **seed_requirement.scores,
        ))
        created["requirements"] += 1
