"""Typed SQLAlchemy 2.x models; the schema itself comes only from migrations."""

from datetime import UTC, date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gaps.domain.accounts import TOKEN_SCOPES, TokenState, token_state
from gaps.domain.actions import ActionState, action_state
from gaps.domain.status import STATUSES, Status
from gaps.domain.vocabulary import MARKINGS, ROLES
from gaps.extensions import db


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join("'" + value.replace("'", "''") + "'" for value in values)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as naive UTC and always read back timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Convert an aware time to naive UTC before storing it."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        """Attach UTC to a stored time."""
        return None if value is None else value.replace(tzinfo=UTC)


class Team(db.Model):
    """An organisational unit that owns and collects against requirements."""

    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")


class User(UserMixin, db.Model):
    """Someone who signs in; their role decides what they may do."""

    __tablename__ = "user"
    __table_args__ = (CheckConstraint(f"role IN ({_sql_list(ROLES)})", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    role: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    password_hash: Mapped[str] = mapped_column(String(255))
    session_token: Mapped[str] = mapped_column(String(64), unique=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(default=True)
    # Set when an admin resets the password: every page sends them to change it first.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The daily e-mail of what is due; each person may turn it off at /account.
    receives_digest: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team | None] = relationship()

    def get_id(self) -> str:
        """The session identifier: a random token that sign-out rotates, never the row id."""
        return self.session_token

    @property
    def is_active(self) -> bool:
        """Whether the account may sign in."""
        return self.active


class ApiToken(db.Model):
    """A named, scoped, expiring bearer token for the API, stored only as its SHA-256 digest."""

    __tablename__ = "api_token"
    __table_args__ = (CheckConstraint(f"scope IN ({_sql_list(TOKEN_SCOPES)})", name="scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def state(self, now: datetime | None = None) -> TokenState:
        """Active, expired or revoked, now or at the given time."""
        return token_state(self.revoked_at, self.expires_at, now or utcnow())


class Source(db.Model):
    """A collection source: where answers to requirements may come from."""

    __tablename__ = "source"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text, default="")


class Assessment(db.Model):
    """A strategic assessment: its metadata, its full text and its key judgements."""

    __tablename__ = "assessment"
    __table_args__ = (
        UniqueConstraint("reference", "version"),
        CheckConstraint(f"marking IN ({_sql_list(MARKINGS)})", name="marking"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    reference: Mapped[str] = mapped_column(String(60))
    version: Mapped[str] = mapped_column(String(20))
    published_on: Mapped[date | None] = mapped_column(Date)
    marking: Mapped[str] = mapped_column(String(20))
    handling_note: Mapped[str] = mapped_column(Text, default="")
    collection_period: Mapped[str] = mapped_column(String(200), default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    full_text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="published")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    key_judgements: Mapped[list["KeyJudgement"]] = relationship(
        back_populates="assessment", order_by="KeyJudgement.number"
    )
    gaps: Mapped[list["Gap"]] = relationship(back_populates="assessment", order_by="Gap.ref")
    paragraphs: Mapped[list["Paragraph"]] = relationship(
        back_populates="assessment", order_by="Paragraph.index"
    )


class Paragraph(db.Model):
    """A paragraph of an imported assessment, in document order."""

    __tablename__ = "paragraph"
    __table_args__ = (UniqueConstraint("assessment_id", "index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    index: Mapped[int]
    number: Mapped[int | None]
    section: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)

    assessment: Mapped[Assessment] = relationship(back_populates="paragraphs")


class CandidateGap(db.Model):
    """A gap the importer proposes (or a person marks by hand), waiting for review."""

    __tablename__ = "candidate_gap"
    __table_args__ = (
        CheckConstraint("status IN ('proposed', 'accepted', 'rejected', 'merged')",
                        name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    paragraph_id: Mapped[int] = mapped_column(ForeignKey("paragraph.id"))
    title: Mapped[str] = mapped_column(String(200), default="")
    statement: Mapped[str] = mapped_column(Text)
    paragraph_numbers: Mapped[list[int]] = mapped_column(JSON, default=list)
    cue: Mapped[str] = mapped_column(String(60))
    category: Mapped[str | None] = mapped_column(String(30))
    confidence: Mapped[float]
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    gap_id: Mapped[int | None] = mapped_column(ForeignKey("gap.id"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("candidate_gap.id"))
    version: Mapped[int] = mapped_column(default=1)

    paragraph: Mapped[Paragraph] = relationship()
    gap: Mapped["Gap | None"] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def category_name(self) -> str:
        """The kind of admission in words ("under-reporting"); empty for a gap marked by hand."""
        # The importer (and its compiled cues) loads only when a candidate is shown.
        from gaps.importer.cues import CATEGORY_NAMES

        return CATEGORY_NAMES.get(self.category or "", "")


gap_key_judgement = Table(
    "gap_key_judgement",
    db.Model.metadata,
    Column("gap_id", ForeignKey("gap.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "key_judgement_id", ForeignKey("key_judgement.id", ondelete="CASCADE"), primary_key=True
    ),
)

requirement_source = Table(
    "requirement_source",
    db.Model.metadata,
    Column("requirement_id", ForeignKey("requirement.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", ForeignKey("source.id"), primary_key=True),
)


class KeyJudgement(db.Model):
    """One of an assessment's key judgements, with an optional PHIA likelihood and confidence."""

    __tablename__ = "key_judgement"
    __table_args__ = (UniqueConstraint("assessment_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    likelihood: Mapped[str | None] = mapped_column(String(30))
    confidence: Mapped[str | None] = mapped_column(String(10))
    version: Mapped[int] = mapped_column(default=1)

    assessment: Mapped[Assessment] = relationship(back_populates="key_judgements")
    gaps: Mapped[list["Gap"]] = relationship(
        secondary=gap_key_judgement, back_populates="key_judgements", order_by="Gap.ref"
    )

    __mapper_args__ = {"version_id_col": version}


class Gap(db.Model):
    """What the assessment admits it does not know, quoted and cited by paragraph."""

    __tablename__ = "gap"
    __table_args__ = (UniqueConstraint("assessment_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    ref: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    statement: Mapped[str] = mapped_column(Text)
    paragraphs: Mapped[list[int]] = mapped_column(JSON, default=list)
    section: Mapped[str] = mapped_column(String(200), default="")
    theme: Mapped[str] = mapped_column(String(80), default="", index=True)
    continues_gap_id: Mapped[int | None] = mapped_column(ForeignKey("gap.id"), index=True)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="gaps")
    continues: Mapped["Gap | None"] = relationship(remote_side=[id])
    key_judgements: Mapped[list[KeyJudgement]] = relationship(
        secondary=gap_key_judgement, back_populates="gaps", order_by=KeyJudgement.number
    )
    requirements: Mapped[list["Requirement"]] = relationship(
        back_populates="gap", order_by="Requirement.ref"
    )

    __mapper_args__ = {"version_id_col": version}


class Requirement(db.Model):
    """An intelligence requirement: the question that closes a gap, and its collection."""

    __tablename__ = "requirement"
    __table_args__ = (
        CheckConstraint(f"status IN ({_sql_list(STATUSES)})", name="status"),
        CheckConstraint(f"marking IN ({_sql_list(MARKINGS)})", name="marking"),
        # What dashboards count and list: by status, then by date or flag.
        Index("ix_requirement_status_ltiov", "status", "ltiov"),
        Index("ix_requirement_status_review_date", "status", "review_date"),
        Index("ix_requirement_status_flag", "status", "key_judgement_changed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(20), unique=True)
    gap_id: Mapped[int] = mapped_column(ForeignKey("gap.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("requirement.id"), index=True)
    question: Mapped[str] = mapped_column(Text)
    # What the register shows of it at a glance; empty: the gap's title.
    short_title: Mapped[str] = mapped_column(String(120), default="", server_default="")
    rationale: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(30), default=Status.DRAFT.value, index=True)
    owner_team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    ltiov: Mapped[date | None] = mapped_column(Date)
    review_date: Mapped[date | None] = mapped_column(Date)
    marking: Mapped[str] = mapped_column(String(20), default="OFFICIAL")
    harm: Mapped[int | None]
    likelihood: Mapped[int | None]
    knowledge_gap: Mapped[int | None]
    organisational_position: Mapped[int | None]
    key_judgement_changed: Mapped[bool] = mapped_column(default=False)
    rank_override: Mapped[int | None]
    rank_override_rationale: Mapped[str | None] = mapped_column(Text)
    # What answers it (EEI-style, one each) and what makes a report relevant or not.
    indicators: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    match_terms: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    exclude_terms: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    gap: Mapped[Gap] = relationship(back_populates="requirements")
    parent: Mapped["Requirement | None"] = relationship(
        remote_side=[id], back_populates="children"
    )
    children: Mapped[list["Requirement"]] = relationship(
        back_populates="parent", order_by="Requirement.ref"
    )
    owner_team: Mapped[Team | None] = relationship()
    sources: Mapped[list[Source]] = relationship(
        secondary=requirement_source, order_by=Source.name
    )
    contributions: Mapped[list["Contribution"]] = relationship(
        back_populates="requirement", order_by="(Contribution.found_on, Contribution.id)"
    )
    position: Mapped["RegisterPosition | None"] = relationship(viewonly=True)

    __mapper_args__ = {"version_id_col": version}

    def editable_values(self) -> dict:
        """The fields a manager edits, as plain values (names for the team and sources)."""
        return {
            "question": self.question,
            "short_title": self.short_title,
            "rationale": self.rationale,
            "owner_team": self.owner_team.name if self.owner_team else None,
            "sources": [source.name for source in self.sources],
            "ltiov": self.ltiov,
            "review_date": self.review_date,
            "marking": self.marking,
            "harm": self.harm,
            "likelihood": self.likelihood,
            "knowledge_gap": self.knowledge_gap,
            "organisational_position": self.organisational_position,
            "indicators": list(self.indicators or []),
            "match_terms": list(self.match_terms or []),
            "exclude_terms": list(self.exclude_terms or []),
        }


class RegisterPosition(db.Model):
    """Where an open requirement stands in the register today: derived, kept by ranking.

    Ranking every open requirement on every view would not survive a real register, so the
    ranks are worked out when something that moves them changes (and once each new day, as
    urgency follows the calendar) and read from here, a page at a time.
    """

    __tablename__ = "register_position"

    requirement_id: Mapped[int] = mapped_column(
        ForeignKey("requirement.id", ondelete="CASCADE"), primary_key=True)
    rank: Mapped[int] = mapped_column(index=True)
    natural_rank: Mapped[int]
    score: Mapped[float]
    band: Mapped[str] = mapped_column(String(10))


class Contribution(db.Model):
    """What a collection team found against a requirement, graded 3x5x2."""

    __tablename__ = "contribution"
    __table_args__ = (
        CheckConstraint("source_grade IN ('1', '2', '3')", name="source_grade"),
        CheckConstraint("intelligence_grade IN ('A', 'B', 'C', 'D', 'E')",
                        name="intelligence_grade"),
        CheckConstraint("handling_code IN ('P', 'C')", name="handling_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requirement_id: Mapped[int] = mapped_column(ForeignKey("requirement.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    found_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    source_grade: Mapped[str] = mapped_column(String(1))
    intelligence_grade: Mapped[str] = mapped_column(String(1))
    handling_code: Mapped[str] = mapped_column(String(1))
    handling_conditions: Mapped[str | None] = mapped_column(Text)
    likelihood: Mapped[str | None] = mapped_column(String(30))
    confidence: Mapped[str | None] = mapped_column(String(10))
    # The incoming report it was confirmed from, if any.
    report_id: Mapped[int | None] = mapped_column(ForeignKey("report.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    requirement: Mapped[Requirement] = relationship(back_populates="contributions")
    author: Mapped[User] = relationship()
    team: Mapped[Team | None] = relationship()
    source: Mapped[Source] = relationship()

    @property
    def grading(self) -> str:
        """The grade written as 2/B/P."""
        return f"{self.source_grade}/{self.intelligence_grade}/{self.handling_code}"


class Setting(db.Model):
    """A setting an admin may change at run time, such as the scoring weights."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RegisterSnapshot(db.Model):
    """A frozen copy of the priority register for one governance meeting, and its decision."""

    __tablename__ = "register_snapshot"
    __table_args__ = (
        CheckConstraint("decision IS NULL OR decision IN ('approved', 'returned')",
                        name="decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    marking: Mapped[str] = mapped_column(String(20), default="OFFICIAL")
    scoring: Mapped[dict] = mapped_column(JSON, default=dict)
    row_count: Mapped[int] = mapped_column(default=0, server_default="0")
    decision: Mapped[str | None] = mapped_column(String(20))
    direction: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    taken_by: Mapped[User | None] = relationship(foreign_keys=[taken_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    rows: Mapped[list["RegisterSnapshotRow"]] = relationship(
        back_populates="snapshot", order_by="RegisterSnapshotRow.rank"
    )
    actions: Mapped[list["Action"]] = relationship(back_populates="snapshot",
                                                   order_by="Action.id")


class RegisterSnapshotRow(db.Model):
    """One row of a snapshot, exactly as the register showed it; never changed."""

    __tablename__ = "register_snapshot_row"
    __table_args__ = (UniqueConstraint("snapshot_id", "requirement_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("register_snapshot.id"), index=True)
    requirement_id: Mapped[int] = mapped_column(ForeignKey("requirement.id"))
    rank: Mapped[int]
    natural_rank: Mapped[int]
    ref: Mapped[str] = mapped_column(String(20))
    question: Mapped[str] = mapped_column(Text)
    gap_ref: Mapped[str] = mapped_column(String(20))
    key_judgements: Mapped[str] = mapped_column(String(200), default="")
    theme: Mapped[str] = mapped_column(String(80), default="")
    owner_team: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(30))
    score: Mapped[float]
    score_breakdown: Mapped[dict] = mapped_column(JSON, default=dict)
    ltiov: Mapped[date | None] = mapped_column(Date)
    last_activity: Mapped[datetime | None] = mapped_column(UTCDateTime)
    marking: Mapped[str] = mapped_column(String(20))
    override_rationale: Mapped[str | None] = mapped_column(Text)
    indicators: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    match_terms: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    exclude_terms: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")

    snapshot: Mapped[RegisterSnapshot] = relationship(back_populates="rows")


class Action(db.Model):
    """What the governance group's decision on a snapshot directs: owned by a manager or a
    team, due by a date, perhaps about one requirement; closed by a manager with a note."""

    __tablename__ = "action"
    __table_args__ = (
        CheckConstraint("(owner_user_id IS NULL) <> (owner_team_id IS NULL)", name="one_owner"),
        CheckConstraint("(closed_at IS NULL) = (closing_note IS NULL) "
                        "AND (closed_at IS NULL) = (closed_by_id IS NULL)",
                        name="closed_with_note"),
        # What dashboards list: open actions (not closed) by due date.
        Index("ix_action_closed_at_due_on", "closed_at", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("register_snapshot.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    owner_team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    requirement_id: Mapped[int | None] = mapped_column(ForeignKey("requirement.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closing_note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)

    snapshot: Mapped[RegisterSnapshot] = relationship(back_populates="actions")
    owner_user: Mapped[User | None] = relationship(foreign_keys=[owner_user_id])
    owner_team: Mapped[Team | None] = relationship()
    requirement: Mapped[Requirement | None] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def ref(self) -> str:
        """How people name the action: A-12."""
        return f"A-{self.id}"

    @property
    def owner_name(self) -> str:
        """The owner's e-mail address, or the owning team's name."""
        if self.owner_user is not None:
            return self.owner_user.email
        return self.owner_team.name if self.owner_team is not None else ""

    def state(self, today: date) -> ActionState:
        """Open, overdue (open past its due date) or closed, on this day."""
        return action_state(self.closed_at is not None, self.due_on, today)


class DigestSent(db.Model):
    """A daily digest sent to someone: at most one a day each, whatever runs the command."""

    __tablename__ = "digest_sent"
    __table_args__ = (UniqueConstraint("user_id", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    sent_on: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Report(db.Model):
    """An incoming intelligence report, graded 3x5x2, to be matched to open requirements."""

    __tablename__ = "report"
    __table_args__ = (
        CheckConstraint("source_grade IN ('1', '2', '3')", name="source_grade"),
        CheckConstraint("intelligence_grade IN ('A', 'B', 'C', 'D', 'E')",
                        name="intelligence_grade"),
        CheckConstraint("handling_code IN ('P', 'C')", name="handling_code"),
        CheckConstraint(f"marking IN ({_sql_list(MARKINGS)})", name="marking"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)
    found_on: Mapped[date] = mapped_column(Date)
    source_grade: Mapped[str] = mapped_column(String(1))
    intelligence_grade: Mapped[str] = mapped_column(String(1))
    handling_code: Mapped[str] = mapped_column(String(1))
    handling_conditions: Mapped[str | None] = mapped_column(Text)
    marking: Mapped[str] = mapped_column(String(20), default="OFFICIAL")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    source: Mapped[Source] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    @property
    def ref(self) -> str:
        """How people name the report: RPT-12."""
        return f"RPT-{self.id}"

    @property
    def grading(self) -> str:
        """The grade written as 2/B/P."""
        return f"{self.source_grade}/{self.intelligence_grade}/{self.handling_code}"


class ReportMatch(db.Model):
    """A requirement a report may answer: proposed by matching, then confirmed (a
    contribution) or rejected (never proposed again for the pair). Stored for every
    requirement; who sees it is decided when it is read (need to know)."""

    __tablename__ = "report_match"
    __table_args__ = (
        UniqueConstraint("report_id", "requirement_id"),
        CheckConstraint("state IN ('proposed', 'confirmed', 'rejected')", name="state"),
        # What waits for triage, and a requirement's matched reports.
        Index("ix_report_match_state_report", "state", "report_id"),
        Index("ix_report_match_requirement_state", "requirement_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"))
    requirement_id: Mapped[int] = mapped_column(ForeignKey("requirement.id", ondelete="CASCADE"))
    score: Mapped[float]
    matched_terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    indicators_matched: Mapped[list[str]] = mapped_column(JSON, default=list)
    explanation: Mapped[list[str]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(20), default="proposed")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)
    contribution_id: Mapped[int | None] = mapped_column(ForeignKey("contribution.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship()
    requirement: Mapped[Requirement] = relationship()
    decided_by: Mapped[User | None] = relationship()


class AuditEvent(db.Model):
    """One recorded change or security event; the application never updates or deletes it."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity_type: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    entity_ref: Mapped[str | None] = mapped_column(String(60))
    field: Mapped[str | None] = mapped_column(String(60))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User | None] = relationship()


# An object's history, newest first, and its last activity, read straight from the index.
db.Index("ix_audit_event_entity_at", AuditEvent.entity_type, AuditEvent.entity_id, AuditEvent.at,
         AuditEvent.id)

# Insights read requirements' status changes and contributions field by field.
db.Index("ix_audit_event_type_field_entity_at", AuditEvent.entity_type, AuditEvent.field,
         AuditEvent.entity_id, AuditEvent.at)


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
@event.listens_for(RegisterSnapshotRow, "before_update")
@event.listens_for(RegisterSnapshotRow, "before_delete")
def _refuse_rewrite(mapper, connection, target) -> None:
    raise PermissionError(f"{target.__tablename__} rows are never changed once written")
