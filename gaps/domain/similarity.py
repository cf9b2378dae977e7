"""Near-duplicate text: stemmed content words compared as sets (cosine of the two sets).

Two texts are similar when `similarity` is at least SIMILARITY_THRESHOLD: the words they share,
divided by the geometric mean of how many distinct words each has, after lower-casing, removing
stop words (and words every requirement uses, such as "what" or "extent") and stripping common
English endings ("offenders" and "offending" both become "offend"). Word order does not count.
"""

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

SIMILARITY_THRESHOLD = 0.55
# How many of a text's most telling words the database is asked about, and how many candidates
# it returns to be scored: the search stays bounded however many requirements there are.
SEARCH_WORDS = 6
CANDIDATE_LIMIT = 200
MOST_SHOWN = 5
SHORTEST_STEM = 3

STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each either else
ever few for from further had has have having he her here hers him his how however i if in
into is it its itself just least less many may me might more most much must my no nor not now
of off often on once only or other our ours out over own per same shall she should so some
such than that the their theirs them then there these they this those through thus to too
under until up upon us very was we were what when where whether which while who whom whose
why will with within without would yet you your
extent known know unknown understand understanding level levels scale nature number numbers
identify identified assess assessed current currently better develop development information
intelligence gap gaps requirement requirements question uk based last past next since
recent recently day days week weeks month months year years period time times
""".split())

_SUFFIXES = ("ations", "ation", "ments", "ment", "ness", "ings", "ing", "ities", "ity", "ies",
             "ers", "er", "ed", "es", "ly", "s")
_WORD = re.compile(r"[a-z0-9]+")


def stem(word: str) -> str:
    """A word with one common English ending (and a final e) removed, keeping at least three
    letters: "offences", "offence" -> "offenc"; "grooming", "groomed" -> "groom"."""
    for suffix in _SUFFIXES:
        if (word.endswith(suffix) and len(word) - len(suffix) >= SHORTEST_STEM
                and not (suffix == "s" and word.endswith("ss"))):
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    if word.endswith("e") and len(word) > SHORTEST_STEM:
        word = word[:-1]
    return word


def content_words(text: str) -> frozenset[str]:
    """The stems of a text's content words (no stop words, no single letters or digits)."""
    words = _WORD.findall((text or "").lower().replace("’", "'").replace("'", ""))
    return frozenset(stem(word) for word in words
                     if word not in STOP_WORDS and len(word) > 1 and not word.isdigit())


def similarity(first: str | frozenset[str], second: str | frozenset[str]) -> float:
    """How alike two texts are, from 0 (no content word shared) to 1 (the same words)."""
    one = first if isinstance(first, frozenset) else content_words(first)
    other = second if isinstance(second, frozenset) else content_words(second)
    if not one or not other:
        return 0.0
    return len(one & other) / math.sqrt(len(one) * len(other))


def search_words(text: str, limit: int = SEARCH_WORDS) -> list[str]:
    """The stems the database is asked about: the longest (the rarer, as a rule) first."""
    return sorted(content_words(text), key=lambda word: (-len(word), word))[:limit]


@dataclass(frozen=True)
class Similar:
    """An existing requirement or gap that reads like the new one."""

    id: int
    ref: str
    title: str
    similarity: float

    @property
    def percent(self) -> int:
        """The similarity in whole per cent, as pages show it."""
        return round(self.similarity * 100)


def most_similar(text: str, candidates: Iterable[tuple[int, str, str, str]],
                 threshold: float = SIMILARITY_THRESHOLD,
                 limit: int = MOST_SHOWN) -> list[Similar]:
    """The candidates (id, ref, title, text compared) at or above the threshold, the most
    similar first (then by reference), at most `limit`."""
    words = content_words(text)
    found = []
    for identifier, ref, title, compared in candidates:
        score = similarity(words, content_words(compared))
        if score >= threshold:
            found.append(Similar(identifier, ref, title, round(score, 3)))
    return sorted(found, key=lambda item: (-item.similarity, item.ref))[:limit]


def gap_text(title: str, statement: str) -> str:
    """What of a gap is compared: its title and its statement."""
    return f"{title} {statement}"


def describe_similar(found: Iterable[Similar]) -> str:
    """The similar ones in words, for the audit trail: "R-059 (84%), R-060 (61%)"."""
    return ", ".join(f"{item.ref} ({item.percent}%)" for item in found)
