"""The priority register: ranking with manager overrides, differences between registers,
and coverage of key judgements."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from gaps.domain.errors import InvalidValue
from gaps.domain.priority import (
    Score,
    ScoringSettings,
    band_of,
    priority_score,
    score_levels,
    score_total,
)
from gaps.domain.status import STATUS_LABELS, Status

ANSWERED_STATUSES = frozenset({Status.SATISFIED, Status.CLOSED})


@dataclass(frozen=True)
class RegisterInput:
    """What ranking needs to know about one open requirement."""

    requirement_id: int
    ref: str
    values: dict[str, int | None]
    ltiov: date | None
    rank_override: int | None = None


@dataclass(frozen=True)
class RankedItem:
    """A requirement's place in the register, its score, and (on demand) how it was made."""

    requirement_id: int
    ref: str
    rank: int
    natural_rank: int
    total: float
    band: str
    source: RegisterInput = field(repr=False, compare=False)
    today: date = field(repr=False, compare=False)
    settings: ScoringSettings = field(repr=False, compare=False)

    @property
    def overridden(self) -> bool:
        """Whether a manager moved it from where its score put it."""
        return self.rank != self.natural_rank

    @cached_property
    def score(self) -> Score:
        """The score with its breakdown, worked out only when someone looks at it."""
        return priority_score(self.source.values, self.source.ltiov, self.today, self.settings)


def _natural_order_key(item: RegisterInput, total: float) -> tuple:
    # Ties: the higher score first, then the sooner LTIOV (none last), then the greater harm,
    # then the reference, so that the same data always gives the same order.
    ltiov = item.ltiov.toordinal() if item.ltiov else float("inf")
    return (-total, ltiov, -(item.values.get("harm") or 0), item.ref)


def rank_requirements(items: Iterable[RegisterInput], today: date,
                      settings: ScoringSettings | None = None) -> list[RankedItem]:
    """Rank requirements by score; manager overrides are pinned at the rank they chose.

    Totals are worked out once per distinct set of levels (there are few), so ranking ten
    thousand requirements takes a few hundredths of a second; breakdowns wait until asked for.
    """
    settings = settings or ScoringSettings()
    totals: dict[tuple[int, ...], float] = {}
    scored = []
    for item in items:
        levels = score_levels(item.values, item.ltiov, today, settings)
        total = totals.get(levels)
        if total is None:
            total = totals[levels] = score_total(levels, settings)
        scored.append((item, total))
    scored.sort(key=lambda pair: _natural_order_key(*pair))
    natural_rank = {item.requirement_id: position for position, (item, _) in
                    enumerate(scored, start=1)}
    count = len(scored)
    slots: list[tuple[RegisterInput, float] | None] = [None] * count
    pinned = sorted((pair for pair in scored if pair[0].rank_override is not None),
                    key=lambda pair: (pair[0].rank_override, natural_rank[pair[0].requirement_id]))
    # Pinned requirements keep their order among themselves: a clash moves the later one down,
    # and a run that would fall off the end is pulled back up.
    positions: list[int] = []
    for pair in pinned:
        wanted = max(pair[0].rank_override, 1) - 1
        positions.append(max(wanted, positions[-1] + 1) if positions else wanted)
    for index in range(len(positions) - 1, -1, -1):
        positions[index] = min(positions[index], count - len(positions) + index)
    for position, pair in zip(positions, pinned, strict=True):
        slots[position] = pair
    unpinned = iter(pair for pair in scored if pair[0].rank_override is None)
    for slot in range(count):
        if slots[slot] is None:
            slots[slot] = next(unpinned)
    return [RankedItem(item.requirement_id, item.ref, rank, natural_rank[item.requirement_id],
                       total, band_of(total, settings), item, today, settings)
            for rank, (item, total) in enumerate(slots, start=1)]


def movement(rank: int, previous_rank: int | None, has_baseline: bool) -> str:
    """A row's movement since the last snapshot: 'new', 'up n', 'down n' or '' (no move);
    nothing at all when there is no snapshot to compare with."""
    if not has_baseline:
        return ""
    if previous_rank is None:
        return "new"
    places = previous_rank - rank
    if places > 0:
        return f"up {places}"
    if places < 0:
        return f"down {-places}"
    return ""


def check_override(rank: int | None, rationale: str | None) -> tuple[int | None, str | None]:
    """A rank override needs a written rationale; clearing one needs none."""
    if rank is None:
        return None, None
    if isinstance(rank, bool) or not isinstance(rank, int) or rank < 1:
        raise InvalidValue("The rank must be a whole number from 1.", field="rank")
    rationale = (rationale or "").strip()
    if not rationale:
        raise InvalidValue("Write the rationale for overriding the rank.", field="rationale")
    return rank, rationale


@dataclass(frozen=True)
class RegisterEntry:
    """One row of a register, as compared between two registers."""

    requirement_id: int
    ref: str
    rank: int
    score: float
    status: str
    owner_team: str | None
    title: str = ""


@dataclass(frozen=True)
class EntryChange:
    """How one requirement differs between two registers."""

    requirement_id: int
    ref: str
    kinds: tuple[str, ...]
    old: RegisterEntry | None
    new: RegisterEntry | None
    places: int = 0  # positive: moved up by that many places
    status_now: str | None = None

    @property
    def title(self) -> str:
        """What the requirement asks, as the later register (else the earlier) has it."""
        entry = self.new or self.old
        return entry.title if entry else ""

    def describe(self) -> str:
        """Every change in words, e.g. 'moved up 3 places (rank 4 → 1); rescored 40 → 55'."""
        words = []
        for kind in self.kinds:
            if kind == "new":
                words.append("new since")
            elif kind == "closed":
                words.append("closed (confirmed satisfied)")
            elif kind == "cancelled":
                words.append("no longer in the register because cancelled")
            elif kind == "removed":
                words.append("no longer in the register")
            elif kind in ("moved_up", "moved_down"):
                places = abs(self.places)
                direction = "up" if kind == "moved_up" else "down"
                words.append(f"moved {direction} {places} place{'s' if places != 1 else ''} "
                             f"(rank {self.old.rank} → {self.new.rank})")
            elif kind == "rescored":
                words.append(f"rescored {self.old.score:g} → {self.new.score:g}")
            elif kind == "status_changed":
                words.append(f"{_status_words(self.old.status)} → "
                             f"{_status_words(self.new.status)}")
            elif kind == "owner_changed":
                words.append(f"owner {self.old.owner_team or 'none'} → "
                             f"{self.new.owner_team or 'none'}")
        return "; ".join(words)


def _status_words(status: str) -> str:
    return STATUS_LABELS.get(status, status).split(" (")[0]


@dataclass(frozen=True)
class RegisterDiff:
    """Every difference between an earlier and a later register."""

    changes: list[EntryChange] = field(default_factory=list)
    unchanged: int = 0

    def of_kind(self, kind: str) -> list[EntryChange]:
        """The changes of one kind (new, removed, closed, moved_up, rescored, …)."""
        return [change for change in self.changes if kind in change.kinds]

    def counts(self) -> dict[str, int]:
        """How many requirements changed in each way (one may count under several)."""
        kinds = ("new", "closed", "cancelled", "removed", "moved_up", "moved_down", "rescored",
                 "status_changed", "owner_changed")
        return {kind: len(self.of_kind(kind)) for kind in kinds if self.of_kind(kind)}

    def movement(self) -> dict[int, str]:
        """For the later register's rows: 'new', 'up n', 'down n' or '' (no move)."""
        marks = {}
        for change in self.changes:
            if "new" in change.kinds:
                marks[change.requirement_id] = "new"
            elif "moved_up" in change.kinds:
                marks[change.requirement_id] = f"up {change.places}"
            elif "moved_down" in change.kinds:
                marks[change.requirement_id] = f"down {-change.places}"
        return marks


def diff_registers(before: Iterable[RegisterEntry], after: Iterable[RegisterEntry],
                   statuses_now: dict[int, str] | None = None) -> RegisterDiff:
    """What changed from `before` to `after`: new, removed or closed, moved, rescored,
    status and owner changes. `statuses_now` tells what became of removed requirements."""
    statuses_now = statuses_now or {}
    old = {entry.requirement_id: entry for entry in before}
    new = {entry.requirement_id: entry for entry in after}
    changes: list[EntryChange] = []
    unchanged = 0
    for requirement_id, entry in new.items():
        if requirement_id not in old:
            changes.append(EntryChange(requirement_id, entry.ref, ("new",), None, entry))
            continue
        previous = old[requirement_id]
        kinds = []
        places = previous.rank - entry.rank
        if places > 0:
            kinds.append("moved_up")
        elif places < 0:
            kinds.append("moved_down")
        if round(previous.score, 2) != round(entry.score, 2):
            kinds.append("rescored")
        if previous.status != entry.status:
            kinds.append("status_changed")
        if previous.owner_team != entry.owner_team:
            kinds.append("owner_changed")
        if kinds:
            changes.append(EntryChange(requirement_id, entry.ref, tuple(kinds), previous, entry,
                                       places))
        else:
            unchanged += 1
    for requirement_id, entry in old.items():
        if requirement_id in new:
            continue
        status_now = statuses_now.get(requirement_id)
        kind = status_now if status_now in (Status.CLOSED, Status.CANCELLED) else "removed"
        changes.append(EntryChange(requirement_id, entry.ref, (str(kind),), entry, None,
                                   status_now=status_now))
    order = {"new": 0, "closed": 1, "cancelled": 1, "removed": 1}
    changes.sort(key=lambda change: (order.get(change.kinds[0], 2),
                                     change.new.rank if change.new else change.old.rank))
    return RegisterDiff(changes=changes, unchanged=unchanged)


@dataclass(frozen=True)
class GapStatuses:
    """A gap and the statuses of its requirements."""

    gap_id: int
    ref: str
    requirement_statuses: tuple[str, ...]

    @property
    def answered(self) -> bool:
        """Whether any of its requirements has been satisfied."""
        return any(status in ANSWERED_STATUSES for status in self.requirement_statuses)


@dataclass(frozen=True)
class Coverage:
    """How well a key judgement's gaps are being closed."""

    gap_count: int
    requirement_count: int
    satisfied_share: float
    unanswered_gaps: int
    at_risk: bool


def coverage_of_counts(gap_count: int, requirement_count: int, answered: int,
                       unanswered_gaps: int) -> Coverage:
    """A key judgement's coverage from counts (the database counts them): at risk when most
    of its gaps are still unanswered. `requirement_count` leaves out cancelled requirements;
    `answered` counts those satisfied or closed."""
    return Coverage(
        gap_count=gap_count, requirement_count=requirement_count,
        satisfied_share=round(answered / requirement_count, 3) if requirement_count else 0.0,
        unanswered_gaps=unanswered_gaps,
        at_risk=bool(gap_count) and unanswered_gaps * 2 > gap_count)


def coverage(gaps: Iterable[GapStatuses]) -> Coverage:
    """A key judgement's coverage: it is at risk when most of its gaps are still unanswered."""
    gaps = list(gaps)
    statuses = [status for gap in gaps for status in gap.requirement_statuses
                if status != Status.CANCELLED]
    satisfied = sum(1 for status in statuses if status in ANSWERED_STATUSES)
    unanswered = sum(1 for gap in gaps if not gap.answered)
    return Coverage(
        gap_count=len(gaps), requirement_count=len(statuses),
        satisfied_share=round(satisfied / len(statuses), 3) if statuses else 0.0,
        unanswered_gaps=unanswered, at_risk=bool(gaps) and unanswered * 2 > len(gaps),
    )


@dataclass(slots=True)
class RegisterRow:
    """A register row as pages, exports, snapshots and the API show it."""

    rank: int
    natural_rank: int
    requirement_id: int
    ref: str
    question: str
    gap_id: int
    gap_ref: str
    gap_title: str
    title: str
    key_judgements: tuple[str, ...]
    theme: str
    owner_team: str | None
    owner_team_id: int | None
    status: str
    score: float
    band: str
    score_breakdown: dict | None
    score_complete: bool
    ltiov: date | None
    review_date: date | None
    last_activity: object | None
    marking: str
    override_rationale: str | None = None
    movement: str = ""
    overdue: bool = False

    @property
    def overridden(self) -> bool:
        """Whether a manager moved it from where its score put it."""
        return self.override_rationale is not None

    def is_overdue(self, today: date) -> bool:
        """Whether its LTIOV has passed or its review is due."""
        return ((self.ltiov is not None and self.ltiov < today)
                or (self.review_date is not None and self.review_date <= today))

    def as_entry(self) -> RegisterEntry:
        """The parts a diff compares."""
        return RegisterEntry(self.requirement_id, self.ref, self.rank, self.score, self.status,
                             self.owner_team, self.question)


# The printed register: the page's compact row, so that a page of A4 holds twenty of them.
PRINT_COLUMNS: tuple[str, ...] = (
    "Rank", "Reference", "Requirement", "Band", "Score", "Status", "Owner team", "LTIOV",
    "Since last snapshot",
)

EXPORT_COLUMNS: tuple[str, ...] = (
    "Rank", "Reference", "Question", "Gap", "Key judgements", "Owner team", "Status", "Score",
    "LTIOV", "Last activity", "Movement", "Override rationale",
)


def group_rows(rows: list[RegisterRow], by: str | None) -> list[tuple[str | None, list]]:
    """Rows grouped by key judgement (a row under each of its key judgements) or by theme,
    keeping rank order within each group; one unnamed group when not grouped."""
    if by not in ("key_judgement", "theme"):
        return [(None, rows)]
    groups: dict[str, list[RegisterRow]] = {}
    for row in rows:
        labels = (row.key_judgements or ("No key judgement",)) if by == "key_judgement" \
            else (row.theme or "No theme",)
        for label in labels:
            groups.setdefault(label, []).append(row)

    def order(label: str) -> tuple:
        number = label.removeprefix("KJ")
        return (0, int(number), label) if number.isdigit() else (1, 0, label)
    return [(label, groups[label]) for label in sorted(groups, key=order)]
