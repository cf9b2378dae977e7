"""The collection plan: open requirements against collection sources, and how its cells read."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# Words that say little about which source is meant; left out of abbreviations.
_MINOR_WORDS = frozenset({"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or",
                          "the", "to", "with"})
ABBREVIATION_LETTERS = 4
ACRONYM_LETTERS = 6


@dataclass(frozen=True)
class PlanSource:
    """A column of the plan: a collection source, its abbreviation and its open tasking."""

    id: int
    name: str
    kind: str
    abbreviation: str
    open_tasking: int

    @property
    def idle(self) -> bool:
        """Whether no open requirement (of those shown) is tasked to this source."""
        return self.open_tasking == 0


@dataclass(frozen=True)
class PlanCell:
    """One requirement against one source: tasked or not, and how many contributions came."""

    tasked: bool = False
    contributions: int = 0

    @property
    def empty(self) -> bool:
        """Neither tasked nor contributing."""
        return not self.tasked and not self.contributions

    def describe(self) -> str:
        """The cell in words, as exports and screen readers give it."""
        found = (f"{self.contributions} contribution{'' if self.contributions == 1 else 's'}"
                 if self.contributions else "")
        if self.tasked:
            return f"Tasked, {found}" if found else "Tasked"
        return found.capitalize() if found else ""


@dataclass(frozen=True)
class PlanRow:
    """A row of the plan: an open requirement in register order, and its cells by source id."""

    rank: int
    requirement_id: int
    ref: str
    title: str
    question: str
    band: str
    score: float
    status: str
    owner_team: str | None
    ltiov: date | None
    marking: str
    cells: dict[int, PlanCell] = field(default_factory=dict)

    @property
    def without_source(self) -> bool:
        """Whether no source is tasked for it."""
        return not any(cell.tasked for cell in self.cells.values())

    def cell(self, source_id: int) -> PlanCell:
        """Its cell under one source (empty when neither tasked nor contributing)."""
        return self.cells.get(source_id, EMPTY_CELL)

    @property
    def tasked_count(self) -> int:
        """How many sources it is tasked to."""
        return sum(1 for cell in self.cells.values() if cell.tasked)


@dataclass(frozen=True)
class CollectionPlan:
    """A page of the plan (`rows`, a page of PlanRow), its columns and its summary."""

    rows: Any
    sources: list[PlanSource]
    without_source: int

    @property
    def idle_sources(self) -> list[PlanSource]:
        """The sources no open requirement (of those the filters leave) is tasked to."""
        return [source for source in self.sources if source.idle]


EMPTY_CELL = PlanCell()


def _acronym(word: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", word)
    return len(letters) >= 2 and letters.isupper()


def _first_guess(name: str) -> str:
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9'’]*", name)
    for word in words:
        if _acronym(word):
            return re.sub(r"[^A-Za-z0-9]", "", word)[:ACRONYM_LETTERS]
    significant = [word for word in words if word.lower() not in _MINOR_WORDS] or words
    return "".join(word[0].upper() for word in significant[:ABBREVIATION_LETTERS]) or "S"


def abbreviate(names: Sequence[str]) -> dict[str, str]:
    """A short, unique abbreviation for each source name ("Police recorded crime (Scotland)"
    -> "PRCS"; an acronym in the name is used as it is: "NCMEC referrals …" -> "NCMEC");
    clashes are told apart by a number (PRC, PRC2)."""
    found: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        guess = _first_guess(name)
        candidate, number = guess, 1
        while candidate in taken:
            number += 1
            candidate = f"{guess}{number}"
        taken.add(candidate)
        found[name] = candidate
    return found


def plan_sources(rows: Iterable) -> list[PlanSource]:
    """The plan's columns from rows of (id, name, kind, open_tasking), grouped by kind then
    named in order, each with its abbreviation."""
    ordered = sorted(rows, key=lambda row: (row.kind.lower(), row.name.lower()))
    abbreviations = abbreviate([row.name for row in sorted(ordered, key=lambda row: row.id)])
    return [PlanSource(row.id, row.name, row.kind, abbreviations[row.name], row.open_tasking or 0)
            for row in ordered]


def plan_groups(sources: Sequence[PlanSource]) -> list[tuple[str, list[PlanSource]]]:
    """The plan's columns grouped by kind of source, in column order."""
    groups: list[tuple[str, list[PlanSource]]] = []
    for source in sources:
        if groups and groups[-1][0] == source.kind:
            groups[-1][1].append(source)
        else:
            groups.append((source.kind, [source]))
    return groups


def plan_cells(tasked_ids: str | None, contribution_source_ids: str | None) -> dict[int,
                                                                                      PlanCell]:
    """A row's cells by source id, from the database's comma-separated lists of the sources it
    is tasked to and the source of each of its contributions (one id per contribution)."""
    tasked = {int(part) for part in (tasked_ids or "").split(",") if part}
    counts: dict[int, int] = {}
    for part in (contribution_source_ids or "").split(","):
        if part:
            counts[int(part)] = counts.get(int(part), 0) + 1
    return {source_id: PlanCell(source_id in tasked, counts.get(source_id, 0))
            for source_id in tasked | set(counts)}
