"""Matching incoming reports to open requirements: stemmed words, weighed criteria, a score
that explains itself, and the threshold above which a match is proposed."""

import heapq
import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from gaps.domain.errors import InvalidValue

# What a match earns (the method page shows these numbers).
MATCH_TERM_POINTS = 20  # each match term or phrase the report uses
MATCH_TERM_MOST = 40
INDICATOR_POINTS = 15  # each indicator the report speaks to
INDICATOR_MOST = 30
TEXT_POINTS = 60  # the question and gap statement, by the share of their words the report uses
MOST_SHOWN_WORDS = 8
# Proposed when the score reaches this: a sixth of the weight of a requirement's question and
# gap words, or one match term, or one indicator.
PROPOSAL_THRESHOLD = 10.0
# At most this many proposals for one report, the best: triage is done by people.
MOST_PROPOSALS = 25
# An indicator is found when the report uses at least this share of its words.
INDICATOR_SHARE = 0.5

MOST_TERMS = 50
MOST_TERM_LENGTH = 200
MOST_INDICATORS = 30
MOST_INDICATOR_LENGTH = 500

# Words that say nothing about what a text is about (the report and the criteria alike).
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each either few for
from further had has have having he her here hers herself him himself his how however i if in
into is it its itself just may me might more most much must my myself no nor not now of off
on once only or other ought our ours ourselves out over own per same shall she should so some
such than that the their theirs them themselves then there these they this those through to
too under until up upon very via was we were what when where which while who whom whose why
will with within without would yet you your yours yourself yourselves many how much last
""".split())

_WORD = re.compile(r"[a-z0-9]+")
_LINE_SEPARATORS = re.compile(r"[\n,;]+")
_QUOTED = re.compile(r"[\"“”]([^\"“”]+)[\"“”]")
_local = threading.local()


def _stemmer():
    # Snowball stemmers keep state while they work: one per thread.
    if not hasattr(_local, "stemmer"):
        # Imported here: the package loads every language's stemmer (50 ms at each start-up).
        import snowballstemmer

        _local.stemmer = snowballstemmer.stemmer("english")
    return _local.stemmer


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The English Snowball stem of a lower-case word: grooming, groomed -> groom."""
    return _stemmer().stemWord(word)


# Each word seen, with its stem ("" for a word left out): one look-up a word, as tens of
# thousands of requirements are read when matching starts.
_WORD_STEMS: dict[str, str] = {}
MOST_REMEMBERED_WORDS = 200_000


def _stem_of_word(word: str) -> str:
    if len(word) < 2 or word in STOP_WORDS or word.isdigit():
        return ""
    return stem(word)


def words_of(text: str) -> list[tuple[str, str]]:
    """The meaningful words of a text, in order, as (stem, word) pairs."""
    remembered = _WORD_STEMS
    if len(remembered) > MOST_REMEMBERED_WORDS:
        remembered.clear()
    found = []
    for word in _WORD.findall((text or "").lower()):
        stemmed = remembered.get(word)
        if stemmed is None:
            stemmed = remembered[word] = _stem_of_word(word)
        if stemmed:
            found.append((stemmed, word))
    return found


def stems_of(text: str) -> tuple[str, ...]:
    """The stems of a text's meaningful words, in order."""
    return tuple(found for found, _ in words_of(text))


def parse_terms(text: str) -> list[str]:
    """Terms typed in one box: one per line or comma; within a line, "quoted phrases" stay
    whole and the other words are terms of their own; an unquoted line is one phrase."""
    found: list[str] = []
    for chunk in _LINE_SEPARATORS.split(text or ""):
        quoted = _QUOTED.findall(chunk)
        if quoted:
            found += quoted
            found += _QUOTED.sub(" ", chunk).split()
        else:
            found.append(chunk)
    return clean_terms(found, "match_terms", check=False)


def parse_lines(text: str) -> list[str]:
    """Indicators typed one per line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def clean_terms(values: object, field_name: str, *, check: bool = True) -> list[str]:
    """Match or exclude terms as stored: trimmed, unquoted, each once; refused when a term
    has no word to match on, or there are too many or too long."""
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise InvalidValue("Give the terms as a list of text.", field=field_name)
    clean: dict[str, str] = {}
    for value in values:
        term = " ".join(value.strip().strip("\"“”'").split())
        if not term:
            continue
        if check and not stems_of(term):
            raise InvalidValue(f"'{term}' has no word to match on (it is too short or too "
                               "common).", field=field_name)
        if len(term) > MOST_TERM_LENGTH:
            raise InvalidValue(f"Each term must be at most {MOST_TERM_LENGTH} characters.",
                               field=field_name)
        clean.setdefault(term.lower(), term)
    if len(clean) > MOST_TERMS:
        raise InvalidValue(f"Give at most {MOST_TERMS} terms.", field=field_name)
    return list(clean.values())


def clean_indicators(values: object) -> list[str]:
    """Indicators as stored: one line each, trimmed, each once, at most MOST_INDICATORS."""
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise InvalidValue("Give the indicators as a list of text.", field="indicators")
    clean: dict[str, str] = {}
    for value in values:
        line = " ".join(value.split())
        if not line:
            continue
        if len(line) > MOST_INDICATOR_LENGTH:
            raise InvalidValue(f"Each indicator must be at most {MOST_INDICATOR_LENGTH} "
                               "characters.", field="indicators")
        clean.setdefault(line.lower(), line)
    if len(clean) > MOST_INDICATORS:
        raise InvalidValue(f"Give at most {MOST_INDICATORS} indicators.", field="indicators")
    return list(clean.values())


@dataclass(frozen=True)
class RequirementCriteria:
    """What answers an open requirement: its question, its gap's statement, its indicators
    and its match and exclude terms."""

    requirement_id: int
    ref: str
    question: str
    gap_statement: str = ""
    indicators: tuple[str, ...] = ()
    match_terms: tuple[str, ...] = ()
    exclude_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompiledCriteria:
    """A requirement's criteria as stems, ready to be matched."""

    requirement_id: int
    ref: str
    text_stems: frozenset[str]
    indicators: tuple[tuple[str, frozenset[str]], ...]
    match_terms: tuple[tuple[str, tuple[str, ...]], ...]
    exclude_terms: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def all_stems(self) -> frozenset[str]:
        """Every stem a report could share with it."""
        found = set(self.text_stems)
        for _, stems in self.indicators:
            found |= stems
        for _, stems in self.match_terms:
            found |= set(stems)
        return frozenset(found)


def compile_criteria(criteria: RequirementCriteria) -> CompiledCriteria:
    """Stem a requirement's criteria once, for every report matched against them."""
    def phrases(terms):
        return tuple((term, stems) for term in terms if (stems := stems_of(term)))

    return CompiledCriteria(
        requirement_id=criteria.requirement_id, ref=criteria.ref,
        text_stems=frozenset(stems_of(criteria.question) + stems_of(criteria.gap_statement)),
        indicators=tuple((text, stems) for text in criteria.indicators
                         if (stems := frozenset(stems_of(text)))),
        match_terms=phrases(criteria.match_terms), exclude_terms=phrases(criteria.exclude_terms))


@dataclass(frozen=True)
class ReportText:
    """A report's title and text as stems in order, with a word for each stem."""

    stems: tuple[str, ...]
    words: dict[str, str]

    @property
    def stem_set(self) -> frozenset[str]:
        """Its distinct stems."""
        return frozenset(self.stems)

    def has_phrase(self, phrase: tuple[str, ...]) -> bool:
        """Whether the report uses these stems one after another."""
        if len(phrase) == 1:
            return phrase[0] in self.words
        width = len(phrase)
        return any(self.stems[start:start + width] == phrase
                   for start in range(len(self.stems) - width + 1))


def read_report(title: str, text: str) -> ReportText:
    """A report's words, its title's first."""
    pairs = words_of(title) + words_of(text)
    words: dict[str, str] = {}
    for found, word in pairs:
        words.setdefault(found, word)
    return ReportText(tuple(found for found, _ in pairs), words)


@dataclass(frozen=True)
class ProposedMatch:
    """A requirement a report may answer: its score, what matched and how the score is made."""

    requirement_id: int
    ref: str
    score: float
    matched_terms: list[str] = field(default_factory=list)
    indicators_matched: list[str] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)


class TermIndex:
    """Open requirements' compiled criteria with, for each stem, the requirements using it: a
    report is scored only against requirements sharing a stem with it."""

    def __init__(self) -> None:
        self.entries: dict[int, CompiledCriteria] = {}
        self.postings: dict[str, set[int]] = defaultdict(set)
        self.text_postings: dict[str, set[int]] = defaultdict(set)
        self.with_criteria: set[int] = set()
        self.frequency: Counter[str] = Counter()
        self._weights: dict[int, float] = {}
        self._rarities: dict[str, float] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def put(self, compiled: CompiledCriteria) -> None:
        """Add a requirement's criteria, replacing what it had."""
        self.remove(compiled.requirement_id)
        self.entries[compiled.requirement_id] = compiled
        for found in compiled.all_stems:
            self.postings[found].add(compiled.requirement_id)
        for found in compiled.text_stems:
            self.text_postings[found].add(compiled.requirement_id)
        if compiled.indicators or compiled.match_terms or compiled.exclude_terms:
            self.with_criteria.add(compiled.requirement_id)
        self.frequency.update(compiled.text_stems)
        self._forget_weights()

    def remove(self, requirement_id: int) -> None:
        """Forget a requirement (closed, cancelled, satisfied, or changed)."""
        compiled = self.entries.pop(requirement_id, None)
        if compiled is None:
            return
        for found in compiled.all_stems:
            self.postings[found].discard(requirement_id)
        for found in compiled.text_stems:
            self.text_postings[found].discard(requirement_id)
        self.with_criteria.discard(requirement_id)
        self.frequency.subtract(compiled.text_stems)
        self._forget_weights()

    def _forget_weights(self) -> None:
        if self._weights or self._rarities:
            self._weights.clear()
            self._rarities.clear()

    def rarity(self, found: str) -> float:
        """How telling a word is: rarer among open requirements' questions and gaps, more."""
        value = self._rarities.get(found)
        if value is None:
            value = math.log(1 + len(self.entries) / max(1, self.frequency[found]))
            self._rarities[found] = value
        return value

    def text_weight(self, requirement_id: int) -> float:
        """The rarity of all of a requirement's question and gap words, added up."""
        if requirement_id not in self._weights:
            self._weights[requirement_id] = sum(
                self.rarity(found) for found in self.entries[requirement_id].text_stems)
        return self._weights[requirement_id]

    def candidates(self, stems: Iterable[str]) -> set[int]:
        """Requirements sharing at least one stem with these."""
        found: set[int] = set()
        for each in set(stems):
            found |= self.postings.get(each, set())
        return found


@dataclass(frozen=True)
class _Points:
    """What a report earns against one requirement, before it is explained."""

    score: float
    terms: list[str]
    indicators: list[str]
    shared: frozenset[str]
    share: float
    term_points: float
    indicator_points: float
    text_points: float


def _points(report: ReportText, compiled: CompiledCriteria, index: TermIndex,
            present: frozenset[str]) -> _Points | None:
    for _term, phrase in compiled.exclude_terms:
        if report.has_phrase(phrase):
            return None
    terms = [term for term, phrase in compiled.match_terms if report.has_phrase(phrase)]
    term_points = min(MATCH_TERM_MOST, MATCH_TERM_POINTS * len(terms))
    indicators = [text for text, stems in compiled.indicators
                  if len(stems & present) >= max(1, math.ceil(INDICATOR_SHARE * len(stems)))]
    indicator_points = min(INDICATOR_MOST, INDICATOR_POINTS * len(indicators))
    shared = compiled.text_stems & present
    total_weight = index.text_weight(compiled.requirement_id)
    rarity = index.rarity
    share = sum(rarity(found) for found in shared) / total_weight if total_weight else 0.0
    text_points = round(TEXT_POINTS * share, 1)
    return _Points(round(min(100.0, term_points + indicator_points + text_points), 1), terms,
                   indicators, shared, share, term_points, indicator_points, text_points)


def _explained(report: ReportText, compiled: CompiledCriteria, index: TermIndex,
               points: _Points) -> ProposedMatch:
    explanation = []
    if points.terms:
        explanation.append(f"Match terms found ({', '.join(points.terms)}): "
                           f"{points.term_points:g} points ({MATCH_TERM_POINTS} each, at most "
                           f"{MATCH_TERM_MOST}).")
    if points.indicators:
        explanation.append(f"{len(points.indicators)} of {len(compiled.indicators)} indicators "
                           f"spoken to: {points.indicator_points:g} points ({INDICATOR_POINTS} "
                           f"each, at most {INDICATOR_MOST}).")
    if points.shared:
        explanation.append(f"Question and gap: the report uses {len(points.shared)} of their "
                           f"{len(compiled.text_stems)} words, {points.share:.0%} of their "
                           f"weight (rarer words weigh more): {points.text_points:g} of "
                           f"{TEXT_POINTS} points.")
    shown = sorted(points.shared, key=lambda found: (-index.rarity(found), found))
    words = [report.words[found] for found in shown[:MOST_SHOWN_WORDS]]
    return ProposedMatch(
        requirement_id=compiled.requirement_id, ref=compiled.ref, score=points.score,
        matched_terms=points.terms + [word for word in words if word not in points.terms],
        indicators_matched=points.indicators, explanation=explanation)


def score_match(report: ReportText, compiled: CompiledCriteria,
                index: TermIndex) -> ProposedMatch | None:
    """How well a report answers one requirement, explained; None when an exclude term
    vetoes it."""
    points = _points(report, compiled, index, report.stem_set)
    return None if points is None else _explained(report, compiled, index, points)


def match_report(report: ReportText, index: TermIndex,
                 threshold: float = PROPOSAL_THRESHOLD,
                 most: int = MOST_PROPOSALS) -> list[ProposedMatch]:
    """The requirements a report may answer, best first (score, then reference): those
    scoring at least the threshold, none vetoed by an exclude term, at most `most`; only
    those are explained.

    The question-and-gap part is added up word by word over the requirements using each of
    the report's words; match terms, indicators and exclude terms are weighed only for the
    requirements that have them."""
    present = report.stem_set
    shared_weight: dict[int, float] = defaultdict(float)
    for found in present:
        using = index.text_postings.get(found)
        if using:
            rarity = index.rarity(found)
            for requirement_id in using:
                shared_weight[requirement_id] += rarity
    scores: dict[int, float] = {}
    for requirement_id, weight in shared_weight.items():
        total = index.text_weight(requirement_id)
        scores[requirement_id] = round(TEXT_POINTS * weight / total, 1) if total else 0.0
    for requirement_id in index.with_criteria & (index.candidates(present) | set(scores)):
        points = _points(report, index.entries[requirement_id], index, present)
        if points is None:
            scores.pop(requirement_id, None)
        else:
            scores[requirement_id] = points.score
    best = heapq.nsmallest(
        most, ((score, index.entries[key].ref, key) for key, score in scores.items()
               if score >= threshold), key=lambda item: (-item[0], item[1]))
    return [score_match(report, index.entries[key], index) for _, _, key in best]
