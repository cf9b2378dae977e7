"""Synthetic data at a real deployment's size, for benchmarks: `flask bench populate`.

It writes in bulk (a few statements per thousand rows) but keeps every rule the application
keeps: tasked and later requirements have an owner team, sources and an LTIOV; proposed,
partly and fully satisfied ones have contributions; overrides carry a rationale; assessments
are published; the register is ranked through the same ranking code, the snapshot is taken by
the same use case, and the history of every requirement is an unbroken trail of audit events.
"""

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select, text

from gaps import services
from gaps.domain.priority import DIMENSIONS
from gaps.domain.status import OPEN_STATUSES, Status
from gaps.extensions import db
from gaps.models import (
    Assessment,
    AuditEvent,
    Contribution,
    Gap,
    KeyJudgement,
    Requirement,
    Source,
    Team,
    User,
    gap_key_judgement,
    requirement_source,
)

STATUS_MIX = ((Status.DRAFT, 20), (Status.TASKED, 35), (Status.PARTIALLY_SATISFIED, 15),
              (Status.SATISFIED, 10), (Status.CLOSED, 15), (Status.CANCELLED, 5))
TEAM_COUNT = 20
SOURCE_COUNT = 30
ASSESSMENT_YEARS = (2023, 2024, 2025, 2026)
KEY_JUDGEMENTS_PER_ASSESSMENT = 5
CHILD_SHARE = 0.05
OVERRIDES = 12
HOT_EVENTS = 10_000
HISTORY_DAYS = 730
RESCORED_SHARE = 0.05
BATCH = 5_000
THEMES = ("Online offending", "Contact abuse", "Victims", "Offender management", "Technology",
          "Finance", "Partners", "Capability", "Prevalence", "Emerging threats")
WORDS = ("scale", "offenders", "victims", "platforms", "networks", "payment", "referrals",
         "grooming", "livestreaming", "travel", "encryption", "reporting", "prevalence",
         "regions", "methods", "facilitators", "demand", "trends", "intelligence", "capability")
FIELDS = ("question", "rationale", "harm", "likelihood", "knowledge_gap",
          "organisational_position", "ltiov", "review_date", "owner_team", "sources")


@dataclass(frozen=True)
class Populated:
    """What a run added."""

    requirements: int
    gaps: int
    audit_events: int
    hot_requirement_id: int
    snapshot_id: int
    rescored: int
    seconds: float

    def as_dict(self) -> dict:
        """The summary as a JSON-ready dict."""
        return dict(self.__dict__)


def _sentence(rng: random.Random, length: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(length)).capitalize()


def _batches(rows: list[dict], size: int = BATCH) -> Iterator[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _insert(table, rows: list[dict]) -> None:
    for batch in _batches(rows):
        db.session.execute(insert(table), batch)


def _gather_statistics() -> None:
    """On PostgreSQL, let the planner see the data as it now is, as autovacuum would soon after
    a bulk load (SQLite keeps no statistics unless asked, and the app does not ask)."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))


def _ensure(model, count: int, make) -> list:
    existing = list(db.session.execute(select(model).order_by(model.id)).scalars())
    for number in range(len(existing), count):
        item = make(number + 1)
        db.session.add(item)
        existing.append(item)
    db.session.flush()
    return existing[:count]


def populate(requirement_count: int, audit_event_count: int, seed: int = 1) -> Populated:
    """Add `requirement_count` requirements (on a fifth as many gaps) and about
    `audit_event_count` audit events, one requirement carrying at least 10,000 of them; take a
    snapshot; then rescore 5 % of the requirements."""
    started = time.perf_counter()
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    today = now.date()
    run = db.session.execute(select(func.count()).select_from(Assessment).where(
        Assessment.reference.like("BENCH-%"))).scalar_one() // len(ASSESSMENT_YEARS) + 1
    prefix = f"Q{run}"

    teams = _ensure(Team, TEAM_COUNT, lambda number: Team(name=f"Collection team {number:02d}"))
    sources = _ensure(Source, SOURCE_COUNT, lambda number: Source(
        name=f"Collection source {number:02d}", kind=("open source", "partner", "covert",
                                                      "industry", "law enforcement")[number % 5]))
    actors = list(db.session.execute(select(User.id, User.email).order_by(User.id)))
    if not actors:
        raise ValueError("Create at least one account first (flask seed --demo).")

    gap_count = max(1, requirement_count // 5)
    gaps = _assessments_and_gaps(rng, prefix, gap_count, now)
    requirements = _requirements(rng, prefix, gaps, teams, sources, requirement_count, now)
    _links(rng, requirements, sources, actors, now)
    hot = next(row for row in requirements if row["status"] in OPEN_STATUSES)
    lifecycle = _lifecycle(rng, requirements, actors, now)
    _insert(AuditEvent, lifecycle)
    written = len(lifecycle) + _history(
        rng, requirements, gaps, actors, hot["id"],
        max(0, audit_event_count - len(requirements) - len(lifecycle)), now)
    db.session.commit()

    services.rank_register(today)
    snapshot = services.take_snapshot(None, f"Benchmark snapshot {prefix}")
    rescored = _rescore(rng, requirements, actors, now)
    db.session.commit()
    services.rank_register(today)
    _gather_statistics()
    return Populated(requirements=len(requirements), gaps=len(gaps),
                     audit_events=written + rescored, hot_requirement_id=hot["id"],
                     snapshot_id=snapshot.id, rescored=rescored,
                     seconds=round(time.perf_counter() - started, 1))


def _assessments_and_gaps(rng, prefix, gap_count, now) -> list[dict]:
    judgements: dict[int, list[int]] = {}
    for year in ASSESSMENT_YEARS:
        assessment = Assessment(
            title=f"Synthetic strategic assessment {year} ({prefix})",
            reference=f"BENCH-{prefix}-{year}", version="1.0", published_on=date(year, 3, 31),
            marking=rng.choice(("OFFICIAL", "OFFICIAL-SENSITIVE")), status="published",
            full_text="", created_at=now - timedelta(days=(2026 - year) * 365))
        db.session.add(assessment)
        db.session.flush()
        made = [KeyJudgement(assessment_id=assessment.id, number=number,
                             text=f"Key judgement {number}: {_sentence(rng, 14)}.")
                for number in range(1, KEY_JUDGEMENTS_PER_ASSESSMENT + 1)]
        db.session.add_all(made)
        db.session.flush()
        judgements[assessment.id] = [judgement.id for judgement in made]
    assessment_ids = list(judgements)
    first_gap = (db.session.execute(select(func.max(Gap.id))).scalar_one() or 0) + 1
    gaps = []
    for number in range(gap_count):
        assessment_id = assessment_ids[number % len(assessment_ids)]
        gaps.append({
            "id": first_gap + number, "assessment_id": assessment_id,
            "ref": f"G-{prefix}-{number:05d}"[:20], "title": _sentence(rng, 5),
            "statement": f"The {_sentence(rng, 6).lower()} is unknown.",
            "paragraphs": [rng.randint(1, 120)], "section": "", "theme": rng.choice(THEMES),
            "version": 1, "created_at": now - timedelta(days=rng.randint(0, HISTORY_DAYS)),
            "updated_at": now,
        })
    _insert(Gap, gaps)
    _insert(gap_key_judgement, [
        {"gap_id": gap["id"], "key_judgement_id": judgement}
        for gap in gaps for judgement in rng.sample(judgements[gap["assessment_id"]],
                                                    rng.randint(1, 3))])
    return gaps


def _requirements(rng, prefix, gaps, teams, sources, count, now) -> list[dict]:
    statuses = [status for status, weight in STATUS_MIX for _ in range(weight)]
    first = (db.session.execute(select(func.max(Requirement.id))).scalar_one() or 0) + 1
    rows: list[dict] = []
    parents: list[dict] = []
    for number in range(count):
        gap = gaps[number % len(gaps)]
        status = rng.choice(statuses)
        collecting = status != Status.DRAFT
        created = now - timedelta(days=rng.randint(1, HISTORY_DAYS), minutes=rng.randint(0, 1440))
        parent = rng.choice(parents) if parents and rng.random() < CHILD_SHARE else None
        ref = f"{parent['ref']}.{number}" if parent else f"R-{prefix}-{number:05d}"
        row = {
            "id": first + number, "ref": ref[:20], "gap_id": parent["gap_id"] if parent
            else gap["id"], "parent_id": parent["id"] if parent else None,
            "question": f"What is the {_sentence(rng, 8).lower()}?",
            "rationale": _sentence(rng, 12), "status": status,
            "owner_team_id": rng.choice(teams).id if collecting or rng.random() < 0.5 else None,
            "ltiov": (now + timedelta(days=rng.randint(-120, 540))).date()
            if collecting or rng.random() < 0.5 else None,
            "review_date": None,
            "marking": rng.choice(("OFFICIAL", "OFFICIAL", "OFFICIAL-SENSITIVE")),
            **{name: None if rng.random() < 0.1 else rng.randint(1, 5) for name in DIMENSIONS},
            "key_judgement_changed": rng.random() < 0.02, "rank_override": None,
            "rank_override_rationale": None, "version": 1, "created_at": created,
            "updated_at": created,
        }
        if collecting:  # reviewed on or before the LTIOV, as the application requires
            review = (now + timedelta(days=rng.randint(-60, 300))).date()
            row["review_date"] = min(review, row["ltiov"])
        rows.append(row)
        if parent is None:
            parents.append(row)
    open_rows = [row for row in rows if row["status"] in OPEN_STATUSES]
    for rank, row in enumerate(rng.sample(open_rows, min(OVERRIDES, len(open_rows))), start=1):
        row["rank_override"] = rng.randint(1, 50) if rank > 1 else 1
        row["rank_override_rationale"] = "Directed by the governance group."
    _insert(Requirement, rows)
    return rows


def _links(rng, requirements, sources, actors, now) -> None:
    links, contributions = [], []
    for row in requirements:
        if row["status"] == Status.DRAFT and row["owner_team_id"] is None:
            continue
        chosen = rng.sample(sources, rng.randint(1, 3))
        links += [{"requirement_id": row["id"], "source_id": source.id} for source in chosen]
        if row["status"] in (Status.PARTIALLY_SATISFIED, Status.SATISFIED, Status.CLOSED):
            for _ in range(rng.randint(1, 3)):
                found = now - timedelta(days=rng.randint(0, 300))
                contributions.append({
                    "requirement_id": row["id"], "author_id": rng.choice(actors).id,
                    "team_id": row["owner_team_id"], "source_id": rng.choice(chosen).id,
                    "found_on": found.date(), "text": _sentence(rng, 20) + ".",
                    "source_grade": rng.choice("123"), "intelligence_grade": rng.choice("ABCD"),
                    "handling_code": "P", "handling_conditions": None, "likelihood": None,
                    "confidence": None, "created_at": found})
    _insert(requirement_source, links)
    _insert(Contribution, contributions)


def _event(rng, actors, row, at, action, field, old, new, entity_type="requirement") -> dict:
    actor = rng.choice(actors)
    return {"at": at, "user_id": actor.id, "actor": actor.email, "action": action,
            "entity_type": entity_type, "entity_id": row["id"], "entity_ref": row["ref"],
            "field": field, "old": old, "new": new, "reason": None}


def _history(rng, requirements, gaps, actors, hot_id, extra, now) -> int:
    """Each requirement's creation, then `extra` more events spread over two years: the hot
    requirement carries 10,000 of them; a tenth of the rest fall on gaps. Returns how many."""
    written = 0
    pending = [_event(rng, actors, row, row["created_at"], "create", "question", None,
                      row["question"]) for row in requirements]
    by_id = {row["id"]: row for row in requirements}
    hot_share = min(extra, HOT_EVENTS)
    for number in range(extra):
        if number < hot_share:
            row, entity_type = by_id[hot_id], "requirement"
        elif rng.random() < 0.1:
            row, entity_type = rng.choice(gaps), "gap"
        else:
            row, entity_type = rng.choice(requirements), "requirement"
        field = rng.choice(FIELDS) if entity_type == "requirement" else "title"
        old, new = str(rng.randint(1, 5)), str(rng.randint(1, 5))
        at = now - timedelta(seconds=rng.randint(60, HISTORY_DAYS * 86_400))
        pending.append(_event(rng, actors, row, at, "update", field, old, new, entity_type))
        if len(pending) >= BATCH * 4:
            _insert(AuditEvent, pending)
            written += len(pending)
            pending = []
    _insert(AuditEvent, pending)
    return written + len(pending)


# The steps from a requirement's creation to where it stands, and how many days each takes.
LIFECYCLE: dict[str, tuple[tuple[str, str, tuple[int, int]], ...]] = {
    Status.TASKED: (("draft", "tasked", (1, 45)),),
    Status.PARTIALLY_SATISFIED: (("draft", "tasked", (1, 45)), ("", "contributions", (1, 60)),
                                 ("tasked", "partially_satisfied", (0, 30))),
    Status.SATISFIED: (("draft", "tasked", (1, 45)), ("", "contributions", (1, 60)),
                       ("tasked", "satisfied", (1, 60))),
    Status.CLOSED: (("draft", "tasked", (1, 45)), ("", "contributions", (1, 60)),
                    ("tasked", "satisfied", (1, 60)), ("satisfied", "closed", (1, 30))),
    Status.CANCELLED: (("draft", "tasked", (1, 45)), ("tasked", "cancelled", (1, 90))),
}


def _lifecycle(rng, requirements, actors, now) -> list[dict]:
    """The status changes (and first contribution) that brought each requirement to its
    status, spread between its creation and now, as the application would have audited them."""
    events = []
    for row in requirements:
        steps = LIFECYCLE.get(row["status"], ())
        offsets, total = [], 0
        for _, _, (least, most) in steps:
            total += rng.randint(least, most) * 86_400 + rng.randint(0, 86_399)
            offsets.append(total)
        room = (now - row["created_at"]).total_seconds() - 60
        scale = min(1.0, room / total) if total else 1.0
        for (old, new, _), offset in zip(steps, offsets, strict=True):
            at = row["created_at"] + timedelta(seconds=int(offset * scale))
            if new == "contributions":
                events.append(_event(rng, actors, row, at, "contribution", "contributions", None,
                                     "2/B/P from a collection source"))
            else:
                events.append(_event(rng, actors, row, at, "transition", "status", old, new))
    return events


def _rescore(rng, requirements, actors, now) -> int:
    """Change the harm of 5 % of the open requirements after the snapshot, audited."""
    open_rows = [row for row in requirements if row["status"] in OPEN_STATUSES]
    chosen = rng.sample(open_rows, max(1, int(len(open_rows) * RESCORED_SHARE)))
    events = []
    for row in chosen:
        old = row["harm"]
        new = 5 if (old or 3) < 4 else 1
        db.session.execute(
            Requirement.__table__.update().where(Requirement.id == row["id"])
            .values(harm=new, version=Requirement.version + 1, updated_at=now))
        events.append(_event(rng, actors, row, now, "update", "harm",
                             None if old is None else str(old), str(new)))
    _insert(AuditEvent, events)
    return len(events)
