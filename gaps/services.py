"""Every write, one function per use case: checks policy, records the audit, commits once."""

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from gaps.database import use_case
from gaps.domain.errors import Conflict, InvalidValue, NotFound
from gaps.domain.vocabulary import ROLES, Role
from gaps.extensions import db
from gaps.models import (
    ApiToken,
    Assessment,
    AuditEvent,
    Gap,
    KeyJudgement,
    Requirement,
    Source,
    Team,
    User,
    utcnow,
)
from gaps.passwords import hash_password, new_secret, token_digest, verify_password
from gaps.seeding import SeedBundle

SYSTEM_ACTOR = "system"
SIGN_IN_REFUSED = "Enter a correct email address and password."  # one message for every failure
MINIMUM_PASSWORD_LENGTH = 12


class SignInRefused(InvalidValue):
    """The e-mail and password do not open an account (the message never says which)."""


def record_audit(actor: User | None, action: str, entity: Any = None, *, field: str | None = None,
                 old: Any = None, new: Any = None, reason: str | None = None,
                 actor_name: str | None = None) -> AuditEvent:
    """Add one audit event to the session; the caller's commit writes it."""
    event = AuditEvent(
        at=utcnow(),
        user_id=actor.id if actor is not None else None,
        actor=actor_name or (actor.email if actor is not None else SYSTEM_ACTOR),
        action=action,
        entity_type=entity.__tablename__ if entity is not None else None,
        entity_id=entity.id if entity is not None else None,
        entity_ref=_entity_ref(entity),
        field=field,
        old=None if old is None else str(old),
        new=None if new is None else str(new),
        reason=reason,
    )
    db.session.add(event)
    return event


def _entity_ref(entity: Any) -> str | None:
    if entity is None:
        return None
    for attribute in ("ref", "email", "name", "reference"):
        value = getattr(entity, attribute, None)
        if value:
            return str(value)
    return None


def _normalise_email(email: str) -> str:
    return email.strip().lower()


@use_case
def create_user(email: str, role: str, password: str, *, team_name: str | None = None,
                actor: User | None = None) -> User:
    """Create an account with an argon2-hashed password."""
    email = _normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise InvalidValue(f"'{email}' is not an e-mail address", field="email")
    if role not in ROLES:
        raise InvalidValue(f"Role must be one of {', '.join(ROLES)}", field="role")
    if len(password) < MINIMUM_PASSWORD_LENGTH:
        raise InvalidValue(f"The password must have at least {MINIMUM_PASSWORD_LENGTH} characters",
                           field="password")
    team = None
    if team_name:
        team = db.session.execute(select(Team).where(Team.name == team_name)).scalar_one_or_none()
        if team is None:
            raise InvalidValue(f"There is no team named '{team_name}'", field="team")
    if role == Role.COLLECTOR and team is None:
        raise InvalidValue("A collector must belong to a team", field="team")
    if db.session.execute(select(User.id).where(User.email == email)).first():
        raise Conflict(f"An account for {email} already exists", field="email")
    user = User(email=email, role=role, team=team, password_hash=hash_password(password),
                session_token=new_secret())
    db.session.add(user)
    db.session.flush()
    record_audit(actor, "user_created", user, field="role", new=role)
    db.session.commit()
    return user


@use_case
def issue_api_token(email: str, *, actor: User | None = None) -> str:
    """Issue a new API token for an account; only its digest is kept, so show it once."""
    user = db.session.execute(
        select(User).where(User.email == _normalise_email(email))
    ).scalar_one_or_none()
    if user is None:
        raise NotFound(f"There is no account for {email}")
    token = new_secret()
    db.session.add(ApiToken(user=user, token_hash=token_digest(token)))
    record_audit(actor, "api_token_issued", user)
    db.session.commit()
    return token


@use_case
def sign_in(email: str, password: str, now: datetime | None = None) -> User:
    """Check the credentials, counting failures per account; raise `SignInRefused`."""
    now = now or utcnow()
    config = current_app.config
    email = _normalise_email(email)
    user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    locked = user is not None and user.locked_until is not None and user.locked_until > now
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or locked or not valid or not user.active:
        if user is not None and not locked:
            user.failed_sign_ins += 1
            if user.failed_sign_ins >= config["GAPS_MAX_FAILED_SIGN_INS"]:
                user.locked_until = now + timedelta(seconds=config["GAPS_LOCKOUT_SECONDS"])
                user.failed_sign_ins = 0
        reason = "locked" if locked else "unknown account" if user is None else "wrong password"
        record_audit(user, "sign_in_failed", user, reason=reason, actor_name=email[:254])
        db.session.commit()
        raise SignInRefused(SIGN_IN_REFUSED)
    user.failed_sign_ins = 0
    user.locked_until = None
    record_audit(user, "sign_in", user)
    db.session.commit()
    return user


@use_case
def sign_out(user: User) -> None:
    """End every session of this user by rotating their session token."""
    user.session_token = new_secret()
    record_audit(user, "sign_out", user)
    db.session.commit()


@use_case
def record_refusal(user: User | None, path: str, method: str) -> None:
    """Keep a record that someone was refused a page or an operation."""
    record_audit(user, "refused", reason=f"{method} {path}"[:500],
                 actor_name=None if user is not None else "anonymous")
    db.session.commit()


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


DEMO_ACCOUNTS = (
    ("admin@example.org", Role.ADMIN),
    ("manager@example.org", Role.MANAGER),
    ("collector@example.org", Role.COLLECTOR),
    ("reviewer@example.org", Role.REVIEWER),
)


@use_case
def ensure_demo_accounts(password: str) -> list[tuple[str, str, str | None, bool]]:
    """Create one demo account per role if missing; the collector joins the busiest team."""
    busiest_team = db.session.execute(
        select(Team)
        .join(Requirement, Requirement.owner_team_id == Team.id)
        .group_by(Team.id)
        .order_by(db.func.count(Requirement.id).desc(), Team.name)
        .limit(1)
    ).scalar_one_or_none() or db.session.execute(
        select(Team).order_by(Team.name).limit(1)
    ).scalar_one_or_none()
    accounts = []
    for email, role in DEMO_ACCOUNTS:
        user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
        created = user is None
        if created:
            team = busiest_team if role == Role.COLLECTOR else None
            if role == Role.COLLECTOR and team is None:
                raise InvalidValue("Load the seed before the demo accounts: a collector needs "
                                   "a team")
            user = User(email=email, role=role, team=team, password_hash=hash_password(password),
                        session_token=new_secret())
            db.session.add(user)
            db.session.flush()
            record_audit(None, "user_created", user, field="role", new=role)
        accounts.append((email, role.value, user.team.name if user.team else None, created))
    db.session.commit()
    return accounts
