"""Read and validate the seed files (`seed_data/`) into plain records, refusing any flaw."""

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gaps.domain.vocabulary import MARKINGS, SOURCE_KINDS

SCORE_FIELDS = ("harm", "likelihood", "knowledge_gap", "organisational_position")
QUOTE_JOINER = " … "


@dataclass(frozen=True)
class SeedProblem:
    """One thing wrong with the seed: where, and what."""

    file: str
    entry: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: {self.problem}"


class SeedError(Exception):
    """The seed files are malformed; nothing may be loaded."""

    def __init__(self, problems: list[SeedProblem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass
class SeedTeam:
    """A team to create."""

    name: str
    description: str


@dataclass
class SeedSource:
    """A collection source to create."""

    name: str
    kind: str
    description: str


@dataclass
class SeedKeyJudgement:
    """A key judgement of a seeded assessment."""

    number: int
    text: str
    likelihood: str | None = None
    confidence: str | None = None


@dataclass
class SeedRequirement:
    """The draft requirement written for a seeded gap."""

    ref: str
    question: str
    rationale: str
    marking: str
    owner_team: str | None
    sources: list[str]
    scores: dict[str, int | None]


@dataclass
class SeedGap:
    """A gap of a seeded assessment."""

    ref: str
    title: str
    statement: str
    paragraphs: list[int]
    section: str
    theme: str
    key_judgements: list[int]
    requirement: SeedRequirement | None


@dataclass
class SeedAssessment:
    """An assessment with its key judgements and gaps."""

    title: str
    reference: str
    version: str
    published: dt.date | None
    marking: str
    handling_note: str
    collection_period: str
    author: str
    full_text: str
    key_judgements: list[SeedKeyJudgement] = field(default_factory=list)
    gaps: list[SeedGap] = field(default_factory=list)


@dataclass
class SeedBundle:
    """Everything the seed directory holds, validated."""

    teams: list[SeedTeam]
    sources: list[SeedSource]
    assessments: list[SeedAssessment]


class _Reader:
    """Collects problems while reading, so that all of them are reported at once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[SeedProblem] = []

    def problem(self, path: Path, entry: str, message: str) -> None:
        self.problems.append(SeedProblem(self._name(path), entry, message))

    def _name(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def load_yaml(self, path: Path, top_key: str | None) -> Any:
        if not path.is_file():
            self.problem(path, "file", "is missing")
            return None
        import yaml  # only the seed command reads YAML: not loaded at every start-up

        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            self.problem(path, "file", f"is not valid YAML: {error}")
            return None
        if top_key is None:
            if not isinstance(document, dict):
                self.problem(path, "file", "must be a mapping of fields")
                return None
            return document
        if not isinstance(document, dict) or not isinstance(document.get(top_key), list):
            self.problem(path, "file", f"must have a top-level list named '{top_key}'")
            return None
        return document[top_key]

    def text(self, path: Path, entry: str, data: dict, key: str, *, required: bool = True,
             max_length: int | None = None) -> str:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(path, entry, f"'{key}' is required")
            return ""
        if not isinstance(value, str):
            self.problem(path, entry, f"'{key}' must be text, not {type(value).__name__}")
            return ""
        if max_length and len(value) > max_length:
            self.problem(path, entry, f"'{key}' is longer than {max_length} characters")
        return value.strip()

    def choice(self, path: Path, entry: str, data: dict, key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(path, entry, data, key)
        if value and value not in allowed:
            self.problem(path, entry,
                         f"'{key}' is '{value}'; it must be one of {', '.join(allowed)}")
        return value

    def score(self, path: Path, entry: str, data: dict, key: str) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            self.problem(path, entry, f"'{key}' must be a whole number from 1 to 5, not {value!r}")
            return None
        return value

    def int_list(self, path: Path, entry: str, data: dict, key: str) -> list[int]:
        value = data.get(key)
        if not isinstance(value, list) or not value:
            self.problem(path, entry, f"'{key}' must be a non-empty list of numbers")
            return []
        if not all(isinstance(item, int) and not isinstance(item, bool) and item > 0
                   for item in value):
            self.problem(path, entry, f"'{key}' must hold only positive whole numbers")
            return []
        return list(value)


def _normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def read_seed(directory: Path | str) -> SeedBundle:
    """Read every seed file under `directory`; raise `SeedError` listing all problems."""
    root = Path(directory)
    reader = _Reader(root)
    teams = _read_teams(reader, root / "teams.yaml")
    sources = _read_sources(reader, root / "sources.yaml")
    team_names = {team.name for team in teams}
    source_names = {source.name for source in sources}
    assessments = []
    assessment_dirs = sorted(path for path in (root / "assessments").glob("*") if path.is_dir())
    if not assessment_dirs:
        reader.problem(root / "assessments", "folder", "holds no assessment folder")
    requirement_refs: set[str] = set()
    for folder in assessment_dirs:
        assessment = _read_assessment(reader, folder, team_names, source_names, requirement_refs)
        if assessment is not None:
            assessments.append(assessment)
    if reader.problems:
        raise SeedError(reader.problems)
    return SeedBundle(teams=teams, sources=sources, assessments=assessments)


def _read_teams(reader: _Reader, path: Path) -> list[SeedTeam]:
    teams: list[SeedTeam] = []
    seen: set[str] = set()
    for position, item in enumerate(reader.load_yaml(path, "teams") or [], start=1):
        entry = f"team {position}"
        if not isinstance(item, dict):
            reader.problem(path, entry, "must be a mapping with 'name' and 'description'")
            continue
        name = reader.text(path, entry, item, "name", max_length=120)
        if name in seen:
            reader.problem(path, f"team '{name}'", "is listed twice")
        seen.add(name)
        teams.append(SeedTeam(name, reader.text(path, entry, item, "description", required=False)))
    return teams


def _read_sources(reader: _Reader, path: Path) -> list[SeedSource]:
    sources: list[SeedSource] = []
    seen: set[str] = set()
    for position, item in enumerate(reader.load_yaml(path, "sources") or [], start=1):
        entry = f"source {position}"
        if not isinstance(item, dict):
            reader.problem(path, entry, "must be a mapping with 'name', 'kind', 'description'")
            continue
        name = reader.text(path, entry, item, "name", max_length=120)
        if name in seen:
            reader.problem(path, f"source '{name}'", "is listed twice")
        seen.add(name)
        kind = reader.choice(path, f"source '{name}'", item, "kind", SOURCE_KINDS)
        description = reader.text(path, entry, item, "description", required=False)
        sources.append(SeedSource(name, kind, description))
    return sources


def _read_assessment(reader: _Reader, folder: Path, team_names: set[str],
                     source_names: set[str], requirement_refs: set[str]) -> SeedAssessment | None:
    path = folder / "assessment.yaml"
    data = reader.load_yaml(path, None)
    if data is None:
        return None
    entry = "assessment"
    published = data.get("published")
    if published is not None and not isinstance(published, dt.date):
        reader.problem(path, entry,
                       f"'published' must be a date like 2016-08-16, not {published!r}")
        published = None
    full_text = ""
    text_file = reader.text(path, entry, data, "text_file")
    if text_file:
        text_path = folder / text_file
        if not text_path.is_file():
            reader.problem(path, entry, f"'text_file' names {text_file}, which does not exist")
        else:
            full_text = text_path.read_text(encoding="utf-8")
    version = data.get("version")
    assessment = SeedAssessment(
        title=reader.text(path, entry, data, "title", max_length=300),
        reference=reader.text(path, entry, data, "reference", max_length=60),
        version=str(version) if isinstance(version, (str, int, float)) else "",
        published=published,
        marking=reader.choice(path, entry, data, "marking", MARKINGS),
        handling_note=reader.text(path, entry, data, "handling_note", required=False),
        collection_period=reader.text(path, entry, data, "collection_period", required=False,
                                      max_length=200),
        author=reader.text(path, entry, data, "author", required=False, max_length=200),
        full_text=full_text,
    )
    if not assessment.version:
        reader.problem(path, entry, "'version' is required")
    assessment.key_judgements = _read_key_judgements(reader, path, data.get("key_judgements"))
    numbers = {judgement.number for judgement in assessment.key_judgements}
    assessment.gaps = _read_gaps(reader, folder / "gaps.yaml", numbers, team_names, source_names,
                                 requirement_refs, _normalise_space(full_text))
    return assessment


def _read_key_judgements(reader: _Reader, path: Path, items: Any) -> list[SeedKeyJudgement]:
    if not isinstance(items, list) or not items:
        reader.problem(path, "key_judgements", "must be a non-empty list")
        return []
    judgements: list[SeedKeyJudgement] = []
    for position, item in enumerate(items, start=1):
        entry = f"key judgement {position}"
        if not isinstance(item, dict):
            reader.problem(path, entry, "must be a mapping with 'number' and 'text'")
            continue
        number = item.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            reader.problem(path, entry, f"'number' must be a positive whole number, not {number!r}")
            continue
        if any(judgement.number == number for judgement in judgements):
            reader.problem(path, entry, f"number {number} is used twice")
        judgements.append(SeedKeyJudgement(
            number=number,
            text=reader.text(path, entry, item, "text"),
            likelihood=item.get("likelihood"),
            confidence=item.get("confidence"),
        ))
    return judgements


def _read_gaps(reader: _Reader, path: Path, judgement_numbers: set[int], team_names: set[str],
               source_names: set[str], requirement_refs: set[str],
               document: str) -> list[SeedGap]:
    gaps: list[SeedGap] = []
    seen: set[str] = set()
    for position, item in enumerate(reader.load_yaml(path, "gaps") or [], start=1):
        if not isinstance(item, dict):
            reader.problem(path, f"gap {position}", "must be a mapping of fields")
            continue
        ref = reader.text(path, f"gap {position}", item, "ref", max_length=20)
        entry = f"gap {ref or position}"
        if ref in seen:
            reader.problem(path, entry, "reference is used twice")
        seen.add(ref)
        statement = reader.text(path, entry, item, "statement")
        for part in statement.split(QUOTE_JOINER):
            if document and part and _normalise_space(part) not in document:
                reader.problem(path, entry, f"the statement is not quoted from the document: "
                                            f"'{part[:60]}…'")
        judgements = reader.int_list(path, entry, item, "key_judgements")
        for number in judgements:
            if number not in judgement_numbers:
                reader.problem(path, entry, f"links key judgement {number}, which does not exist")
        gaps.append(SeedGap(
            ref=ref,
            title=reader.text(path, entry, item, "title", max_length=200),
            statement=statement,
            paragraphs=reader.int_list(path, entry, item, "paragraphs"),
            section=reader.text(path, entry, item, "section", required=False, max_length=200),
            theme=reader.text(path, entry, item, "theme", max_length=80),
            key_judgements=judgements,
            requirement=_read_requirement(reader, path, entry, item.get("requirement"),
                                          team_names, source_names, requirement_refs),
        ))
    return gaps


def _read_requirement(reader: _Reader, path: Path, gap_entry: str, item: Any,
                      team_names: set[str], source_names: set[str],
                      requirement_refs: set[str]) -> SeedRequirement | None:
    if item is None:
        return None
    entry = f"{gap_entry}, requirement"
    if not isinstance(item, dict):
        reader.problem(path, entry, "must be a mapping of fields")
        return None
    ref = reader.text(path, entry, item, "ref", max_length=20)
    if ref in requirement_refs:
        reader.problem(path, entry, f"reference {ref} is used twice")
    requirement_refs.add(ref)
    owner_team = item.get("owner_team")
    if owner_team is not None and owner_team not in team_names:
        reader.problem(path, entry, f"owner team '{owner_team}' is not in teams.yaml")
    sources = item.get("sources") or []
    if not isinstance(sources, list):
        reader.problem(path, entry, "'sources' must be a list of source names")
        sources = []
    for name in sources:
        if name not in source_names:
            reader.problem(path, entry, f"source '{name}' is not in sources.yaml")
    marking = item.get("marking", "OFFICIAL")
    if marking not in MARKINGS:
        reader.problem(path, entry, f"'marking' is '{marking}'; it must be one of "
                                    f"{', '.join(MARKINGS)}")
    return SeedRequirement(
        ref=ref,
        question=reader.text(path, entry, item, "question"),
        rationale=reader.text(path, entry, item, "rationale", required=False),
        marking=marking,
        owner_team=owner_team,
        sources=list(sources),
        scores={name: reader.score(path, entry, item, name) for name in SCORE_FIELDS},
    )
