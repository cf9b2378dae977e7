"""Gap cues: how analysts admit ignorance, the look-alikes to ignore, a category, a confidence."""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache, reduce
from operator import or_

# Each cue below is a general way of admitting ignorance; confidences are the strength of the
# admission when the phrase stands plainly (before the context rules of `_adjust`).
STRONG = 0.9
CLEAR = 0.8
HEDGED = 0.65
IMPLIED = 0.55
WEAK = 0.4

# Categories of admission, with the words a reviewer sees.
EXPLICIT = "explicit"
SCALE = "scale"
UNDER_REPORTING = "under_reporting"
DATA_LIMITATION = "data_limitation"
ATTRIBUTION = "attribution"
ONGOING = "ongoing"
VISIBILITY = "visibility"
HEDGED_EVIDENCE = "hedged"
CATEGORY_NAMES = {
    EXPLICIT: "explicit gap or unknown",
    SCALE: "scale or prevalence not measurable",
    UNDER_REPORTING: "under-reporting",
    DATA_LIMITATION: "measurement or data limitation",
    ATTRIBUTION: "attribution difficulty",
    ONGOING: "ongoing investigation or emerging understanding",
    VISIBILITY: "limited visibility or access",
    HEDGED_EVIDENCE: "hedged or thin evidence",
}
CATEGORIES = tuple(CATEGORY_NAMES)

_HYPHEN = r"[\s\-‐‑‒–—]?"
_ADVERB = r"(?:\w+ly\s+)?"
_EPISTEMIC_VERBS = (
    "state|determine|say|assess|establish|confirm|quantify|estimate|ascertain|measure|gauge"
    "|judge|know|tell|discern|conclude|verify|calculate|evaluate|predict|forecast|attribute"
    "|understand|define|count|link|trace|compare|corroborate|substantiate|characteri[sz]e"
)
_PARTICIPLES = {
    "determined": "determine", "established": "establish", "assessed": "assess",
    "confirmed": "confirm", "quantified": "quantify", "estimated": "estimate",
    "ascertained": "ascertain", "measured": "measure", "gauged": "gauge", "judged": "judge",
    "known": "know", "stated": "state", "verified": "verify", "calculated": "calculate",
    "assessing": "assess", "quantifying": "quantify", "determining": "determine",
    "establishing": "establish", "estimating": "estimate", "measuring": "measure",
    "knowing": "know", "discerning": "discern", "gauging": "gauge", "ascertaining": "ascertain",
    "understood": "understand", "evaluated": "evaluate", "evaluating": "evaluate",
    "attributed": "attribute", "attributing": "attribute", "corroborated": "corroborate",
    "linked": "link", "linking": "link", "traced": "trace", "tracing": "trace",
    "counted": "count", "substantiated": "substantiate",
    "counting": "count", "defined": "define", "defining": "define",
}
_PARTICIPLE_WORDS = "|".join(_PARTICIPLES)
_INFORMATION_WORDS = (
    "information|intelligence|data|evidence|reporting|research|understanding|knowledge"
    "|visibility|insight|statistics|figures|records|recording"
)
_INFORMATION = rf"(?:{_INFORMATION_WORDS})"
_PICTURE = rf"(?:picture|view|{_INFORMATION_WORDS})"
_COPULA = r"(?:is|are|was|were|remains?|remained|be|been|being)"
_WH = r"(?:what|which|whom?|how|whether|why|when|where|if)"
_DIFFICULT = r"(?:difficult|hard|challenging|problematic|not\s+(?:always\s+)?easy|impossible)"
# Words without which whole families of cues cannot match (a cheap test before the patterns).
_DIFFICULTY_WORDS = ("difficult", "hard", "challenging", "problematic", "easy", "impossible")
_SHORTFALL_WORDS = ("insufficient", "inadequate", "incomplete", "sparse", "scarce", "patchy",
                    "lacking")
_COVERAGE_VERBS = ("record", "capture", "include", "cover", "reflect", "represent", "show")
_CANNOT_WORDS = ("cannot", "can not", "can't", "can’t", "could not", "couldnot", "couldn't",
                 "couldn’t")
_FOR_WHOM = r"(?:\s+for(?:\s+[\w’']+){1,3}?)?"
# Words that make an admission about how much or how many rather than what or why.
_SCALE_WORDS = re.compile(
    r"\b(?:scale|size|sizes|extent(?!\s+to\s+which)|number|numbers|prevalence|volume|level|levels|proportion"
    r"|magnitude|amount|incidence|how\s+many|how\s+much|how\s+widespread)\b", re.IGNORECASE)
_ORIGIN_WORDS = re.compile(
    r"\b(?:origins?|responsib\w*|perpetrat\w*|culprits?|behind|attribut\w*|source\s+of"
    r"|who\s+(?:was|were|is|are)\s+(?:behind|responsible)|organised\s+crime\s+(?:groups?"
    r"|activit\w+)|state\s+rather)", re.IGNORECASE)
# Who may admit not knowing: the agency, its partners or the community it speaks for.
_KNOWER = (r"\b(?:we|analysts|it|law\s+enforcement|partners|agencies|police"
           r"|(?:the\s+)?(?:UK\s+|US\s+|U\.S\.\s+|federal\s+|national\s+)?government|the\s+(?:IC"
           r"|intelligence\s+community|government|authorities)|our\s+(?:government|agencies"
           r"|analysts|partners))")
_ACCESS_WORDS = re.compile(r"\b(?:cooperation|co-operation|access|collection)\b", re.IGNORECASE)
# Uncertainty about a budget, an economy or the future is the world's, not a gap of the agency.
_WORLDLY_UNCERTAINTY = re.compile(
    r"\s+(?:\w+\s+){0,4}?(?:funding|budgets?|spending|fiscal|econom\w*|markets?|elections?|Brexit"
    r"|negotiations?|legislation|future)\b", re.IGNORECASE)
# "does not necessarily reflect the views / priorities of…" is about alignment, not measurement.
_ALIGNMENT_OBJECT = re.compile(
    r"(?:\s+(?:or|and)\s+\w+(?:\s+\w+)?)?\s+(?:\w+\s+){0,3}?(?:priorities|views|policy|policies"
    r"|values|interests|needs|wishes|positions?|opinions?)\b", re.IGNORECASE)
# What a cue says is unknown is an outcome still to come: a forecast, not a gap.
_OUTCOME_AHEAD = re.compile(r"\s+(?:\w+\s+){0,2}?(?:eventual|ultimate)\b", re.IGNORECASE)
# "more difficult to estimate over a decade" compares; it does not admit ignorance.
_COMPARATIVE = re.compile(r"\b(?:more|less)\s+(?:difficult|hard|challenging|problematic)\b",
                          re.IGNORECASE)
_VERB_CATEGORIES = {
    "attribute": ATTRIBUTION, "link": ATTRIBUTION, "trace": ATTRIBUTION,
    "quantify": SCALE, "estimate": SCALE, "measure": SCALE, "gauge": SCALE, "count": SCALE,
    "calculate": SCALE, "compare": DATA_LIMITATION, "corroborate": HEDGED_EVIDENCE,
    "verify": HEDGED_EVIDENCE, "confirm": HEDGED_EVIDENCE, "substantiate": HEDGED_EVIDENCE,
}

FINDING_PREFIX = re.compile(
    r"\b(?:previously|hitherto|formerly|until\s+(?:now|then|recently)|once)" + _HYPHEN + r"$",
    re.IGNORECASE,
)
NEGATED_PREFIX = re.compile(r"\b(?:not|no\s+longer|never)\s+$", re.IGNORECASE)
# "fill / close / identify / outline gaps" describes work on gaps, not an admitted gap.
GAP_WORK_PREFIX = re.compile(
    r"\b(?:fill|fills|filling|filled|close|closes|closing|closed|address|addresses|addressing"
    r"|addressed|plug|plugging|bridge|bridging|reduce|reducing|narrow|narrowing|tackle|tackling"
    r"|outline|outlines|outlined|highlight|highlights|highlighted|identify|identifies"
    r"|identifying|identified|sets?\s+out|describe|describes|map|mapping|prioritise"
    r"|prioritising|inform|informs|list|lists|record|records)\b(?:\s+(?!as\b)[\w'’-]+){0,3}\s*$",
    re.IGNORECASE,
)
CONDITIONAL_OPENING = re.compile(
    r"^(?:if|where|when|unless|in\s+(?:cases?|instances?|circumstances)\s+where)\b[^,]*$",
    re.IGNORECASE)
# A gap described as belonging to an earlier edition or period is history, not a current gap.
HISTORICAL_OPENING = re.compile(
    r"^(?:in|for|during)\s+(?:the\s+)?(?:previous|earlier|past|former|first|last)\s+"
    r"(?:estimates?|editions?|reports?|assessments?|years?|versions?)\b", re.IGNORECASE)
# "where it may be difficult or not possible to…" describes a possibility, not a gap.
HYPOTHETICAL_PREFIX = re.compile(
    r"\b(?:where|when|if)\s+(?:it|this|they|that)\s+(?:may|might|could|can|would)\s+be\b"
    r"[^.;]{0,40}$", re.IGNORECASE)
LOOK_ALIKES = re.compile(
    r"\b(?:previously|hitherto)" + _HYPHEN + r"(?:unknown|unidentified)\b|\bgap\s+years?\b"
    r"|\b(?:pay|gender|wage|skills?|funding|attainment|generation(?:al)?|price)\s+gaps?\b"
    r"|\bfill(?:ing)?\s+(?:the\s+)?gaps?\b",
    re.IGNORECASE,
)

Label = str | Callable[[re.Match[str]], str]
Confidence = float | Callable[[re.Match[str], str], float]
Category = str | Callable[[re.Match[str], str], str]


@dataclass(frozen=True)
class CueMatch:
    """One gap cue found in a sentence, with the category of admission it signals."""

    cue: str
    confidence: float
    start: int
    end: int
    category: str = EXPLICIT


class _CuePattern:
    """A cue's regular expression, compiled case-insensitively when first used: compiling all
    of them costs 40 ms, which every command would pay though few read a document."""

    __slots__ = ("source", "_compiled")

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: re.Pattern[str] | None = None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The pattern's matches in a text, as `re.Pattern.finditer`."""
        if self._compiled is None:
            self._compiled = re.compile(self.source, re.IGNORECASE)
        return self._compiled.finditer(text)


@dataclass(frozen=True)
class _Cue:
    """A cue pattern, its label, base confidence and category (each may depend on the match),
    and the words (lower case) at least one of which must appear for the pattern to match."""

    pattern: _CuePattern
    label: Label
    confidence: Confidence
    category: Category = EXPLICIT
    is_word_cue: bool = False
    anchors: tuple[str, ...] = ()


def _compile(pattern: str) -> _CuePattern:
    """A cue pattern, matched case-insensitively, compiled on first use."""
    return _CuePattern(pattern)


def _about_scale(category: str) -> Callable[[re.Match[str], str], str]:
    """A category function: the scale category when the admission is about how much or many."""
    def categorise(match: re.Match[str], sentence: str) -> str:
        near = sentence[max(0, match.start() - 120): match.end() + 60]
        return SCALE if _SCALE_WORDS.search(near) else category
    return categorise


def _about_origin(category: str) -> Callable[[re.Match[str], str], str]:
    """A category function: attribution when the admission is about who or where from."""
    def categorise(match: re.Match[str], sentence: str) -> str:
        near = sentence[max(0, match.start() - 80): match.end() + 80]
        return ATTRIBUTION if _ORIGIN_WORDS.search(near) else _about_scale(category)(
            match, sentence)
    return categorise


def _by_verb(match: re.Match[str], sentence: str) -> str:
    """The category an epistemic verb signals ("attribute", "quantify", "compare"…)."""
    verb = match.groupdict().get("verb") or _PARTICIPLES.get(
        (match.groupdict().get("participle") or "").lower(), "")
    category = _VERB_CATEGORIES.get(verb.lower())
    if category in (ATTRIBUTION, DATA_LIMITATION, HEDGED_EVIDENCE):
        return category
    if category == SCALE:
        return SCALE
    return _about_origin(EXPLICIT)(match, sentence)


def _unknown_confidence(match: re.Match[str], sentence: str) -> float:
    """How strongly an "unknown" admits a gap: as a predicate or of a quantity, strongly."""
    before = sentence[: match.start()]
    after = sentence[match.end():]
    if re.match(r"\s+to\s+(?!" + _WH + r"\b)", after, re.IGNORECASE):
        return WEAK  # "unknown to police": not previously identified, a finding
    if re.search(_COPULA + r"\s+(?:\w+\s+){0,2}$", before, re.IGNORECASE) or re.search(
            r"\b(?:largely|still|currently|entirely|completely|totally|as\s+yet|also)\s+$",
            before, re.IGNORECASE):
        return STRONG
    if re.match(r"\s+(?:number|numbers|extent|scale|quantity|proportion|level|amount|volume"
                r"|size|prevalence|percentage|figure|nature)\b", after, re.IGNORECASE):
        return 0.85
    return WEAK


def _unclear_confidence(match: re.Match[str], sentence: str) -> float:
    """"Unclear" admits a gap as a predicate; "unclear ideologies" and "unclear or vague
    motives" describe a thing."""
    after = sentence[match.end():]
    coordinated = re.match(r"\s+(?:or|and)\s+([a-z]+)\s+([a-z]+)", after)
    if coordinated and not re.search(_COPULA + r"\s+(?:\w+\s+)?$", sentence[: match.start()],
                                     re.IGNORECASE) and not any(
            word in _CLAUSE_WORDS or re.fullmatch(_COPULA, word) for word in coordinated.groups()):
        return WEAK
    following = re.match(r"\s+([a-z]+)", after)
    if following and following.group(1) not in _CLAUSE_WORDS and not re.match(
            _PICTURE, following.group(1), re.IGNORECASE):
        return WEAK
    return STRONG


_CLAUSE_WORDS = frozenset({
    "whether", "how", "what", "why", "who", "whom", "when", "where", "if", "to", "as", "at",
    "and", "or", "but", "in", "on", "from", "for", "because", "since", "although", "which",
    "that", "about", "whose", "with", "by", "of", "given", "due",
})


def _not_known_confidence(match: re.Match[str], sentence: str) -> float:
    """How strongly a "not known" admits a gap ("not known to police" is a finding)."""
    after = sentence[match.end():]
    if re.match(r"\s+to\s+(?!" + _WH + r"\b)", after, re.IGNORECASE):
        return WEAK
    if re.search(r"\b(?:widely|well)\b", match.group(0), re.IGNORECASE):
        return WEAK  # "not well known among young people": obscure, not a gap
    return STRONG


def _fragmented_confidence(match: re.Match[str], sentence: str) -> float:
    """A fragmented picture or data is a gap; a fragmented market or group is a finding."""
    before = sentence[: match.start()]
    after = sentence[match.end():]
    if re.match(rf"\s+{_PICTURE}\b", after, re.IGNORECASE):
        return 0.7
    subject = re.search(rf"\b{_PICTURE}\b(?P<between>[^;]{{0,200}})$", before, re.IGNORECASE)
    if subject and not re.search(r"\b(?:indicates?|suggests?|shows?|reveals?)\b",
                                 subject.group("between"), re.IGNORECASE):
        return 0.7
    return WEAK


def _partial_confidence(match: re.Match[str], sentence: str) -> float:
    """"Only a proportion" is a gap when it is about what is reported, recorded or visible."""
    if re.search(r"\b(?:report\w*|record\w*|data|figures|statistics|visible|known|identified"
                 r"|detected|captur\w*|seen)\b", sentence, re.IGNORECASE):
        return IMPLIED
    return WEAK


def _limited_information_confidence(match: re.Match[str], sentence: str) -> float:
    """"Limited reporting indicates…" uses weak evidence for a finding; alone it is a gap."""
    after = sentence[match.end():]
    if re.match(r"\s+(?:\w+\s+)?(?:also\s+)?(?:to\s+)?(?:suggests?|indicates?|shows?|that|of\s)",
                after, re.IGNORECASE):
        return 0.3
    return IMPLIED


def _disagreement_confidence(match: re.Match[str], sentence: str) -> float:
    """Analysts divided is a gap; economists or commentators divided is the world's debate."""
    before = sentence[max(0, match.start() - 60): match.start()]
    if re.search(r"\b(?:economists|experts|scientists|commentators|academics|observers"
                 r"|researchers|politicians|markets|investors|the\s+public)\b", before,
                 re.IGNORECASE):
        return WEAK
    return CLEAR


def _limited_subject_confidence(match: re.Match[str], sentence: str) -> float:
    """"The intelligence … was limited" is a gap; "the evidence suggests the threat is limited"
    uses evidence for a finding about something else."""
    if re.search(r"\b(?:suggests?|indicates?|shows?|reveals?|demonstrates?|that|says?)\b",
                 match.group("between"), re.IGNORECASE):
        return WEAK
    return IMPLIED


def _understanding_confidence(match: re.Match[str], sentence: str) -> float:
    """Our understanding being low is a gap; victims' or the public's is a finding."""
    before = sentence[: match.start()]
    if re.search(r"\b(?:their|his|her|victims?['’]?|children['’]?s?|public|parents['’]?"
                 r"|young\s+people['’]?s?|offenders['’]?)\s*$", before, re.IGNORECASE):
        return 0.3
    return 0.85


def _picture_confidence(match: re.Match[str], sentence: str) -> float:
    """A picture that is limited is a gap; one "incomplete without X" states a need."""
    if re.match(r"\s+without\b", sentence[match.end():], re.IGNORECASE):
        return WEAK
    return 0.7


_PROSECUTION = re.compile(r"\b(?:prosecut\w*|charg\w*|convict\w*|trial|court|case\s+collapsed"
                          r"|acquitt\w*)", re.IGNORECASE)


def _uncertainty_confidence(match: re.Match[str], sentence: str) -> float:
    """Uncertainty about the agency's subject is a gap; uncertainty about a budget, a review, an
    economy or the future is the world's, not a gap in what the agency knows."""
    if _WORLDLY_UNCERTAINTY.match(sentence, match.end()):
        return WEAK
    return 0.7


def _reflect_confidence(match: re.Match[str], sentence: str) -> float:
    """Figures that "do not necessarily reflect" the volume admit a limitation; a decision (or
    the views expressed) that does not necessarily reflect someone's priorities or views is a
    matter of alignment."""
    before = sentence[max(0, match.start() - 60): match.start()]
    if _ALIGNMENT_OBJECT.match(sentence, match.end()) or re.search(
            r"\b(?:views|opinions|positions)\b", before, re.IGNORECASE):
        return WEAK
    return 0.6


def _method_confidence(match: re.Match[str], sentence: str) -> float:
    """No method for estimating how many victims there are is a gap; no way to measure the
    success of a programme is about performance, not about the threat."""
    if re.match(r"\s+(?:\w+\s+){0,3}?(?:success|effectiveness|performance|impact|progress"
                r"|outcomes?|value\s+for\s+money)\b", sentence[match.end():], re.IGNORECASE):
        return WEAK
    return 0.7


def _lack_confidence(match: re.Match[str], sentence: str) -> float:
    """A lack of evidence that made a case collapse is a finding about a prosecution."""
    return WEAK if _PROSECUTION.search(sentence) else CLEAR


# Who may fail to obtain information as a gap (not a suspect who "did not access the data").
_SEEKER = re.compile(r"\b(?:we|our|us|investigat\w+|inquir\w+|enquir\w+|police|officers|agenc\w+"
                     r"|analysts?|authorit\w+|law\s+enforcement|partners|government|the\s+(?:IC"
                     r"|board|committee|commission|panel|team|mission|review|service|agency))\b",
                     re.IGNORECASE)


def _obtain_confidence(match: re.Match[str], sentence: str) -> float:
    """Investigators who could not obtain the records admit a gap; a suspect who did not access
    the data, or a case that failed for want of evidence, is a finding."""
    before = sentence[max(0, match.start() - 100): match.start() + 20]
    if _PROSECUTION.search(sentence) or not _SEEKER.search(before):
        return WEAK
    return 0.65


def _gap_cues() -> tuple[_Cue, ...]:
    """Explicit admissions: gaps, unknowns, unclear and undetermined matters."""
    return (
        _Cue(_compile(r"\b(?:intelligence|knowledge|information|evidence|evidential|scientific)"
                      r"(?:\s+(?:and|or)\s+\w+)?" + _HYPHEN + r"gaps?\b"),
             "intelligence gap", 0.95, anchors=("gap",)),
        _Cue(_compile(r"\b(?:data|research|analytical|collection|reporting|evidence[\s-]base)"
                      r"\s+gaps?\b"), "intelligence gap", 0.85, anchors=("gap",)),
        _Cue(_compile(r"\bgaps?\s+in\s+(?:our\s+|the\s+|current\s+|existing\s+"
                      r"|law\s+enforcement['’]?s?\s+)?(?:knowledge|understanding|intelligence"
                      r"|information|data|evidence|reporting|coverage|(?:\w+\s+)?picture)\b"),
             "intelligence gap", 0.9, anchors=("gap",)),
        _Cue(_compile(r"\b(?:is|remains|represents)\s+(?:a|an|one)\s+(?:(?:key|significant|major"
                      r"|important|critical|notable|continuing|persistent|enduring|further)\s+)?"
                      r"gap\b(?!\s+(?:year|between))"), "intelligence gap", 0.75, anchors=("gap",)),
        _Cue(_compile(r"\b(?:we|agencies|analysts|the\s+IC)\s+(?:still\s+)?(?:have|had)\s+"
                      r"(?:\w+\s+)?gaps\b"), "intelligence gap", CLEAR, anchors=("gap",)),
        _Cue(_compile(r"\bblind" + _HYPHEN + r"spots?\b"), "blind spot", CLEAR, VISIBILITY,
             anchors=("blind",)),
        _Cue(_compile(r"\bunknowns?\b"), "unknown",
             lambda match, sentence: 0.6 if match.group(0).lower().endswith("s")
             else _unknown_confidence(match, sentence), _about_scale(EXPLICIT), is_word_cue=True,
                  anchors=("unknown",)),
        _Cue(_compile(r"\bnot\s+(?:yet\s+|currently\s+|fully\s+|precisely\s+|reliably\s+|widely\s+"
                      r"|clearly\s+|accurately\s+|exactly\s+|well\s+)?known\b"),
             "not known", _not_known_confidence, _about_scale(EXPLICIT), anchors=("known",)),
        _Cue(_compile(_KNOWER + r"\s+(?:still\s+)?(?:do|does|did)\s*(?:not|n['’]t)\s+"
                      r"(?:(?:yet|currently|fully|really|properly|entirely)\s+){0,2}"
                      r"(?P<verb>know|understand)\b"),
             lambda match: "not known" if match.group("verb").lower() == "know"
             else "poorly understood", STRONG, _about_origin(EXPLICIT),
             anchors=("not know", "n't know", "n’t know", "yet know", "currently know",
                      "fully know", "not understand", "n't understand", "n’t understand",
                      "fully understand", "really know", "really understand", "yet understand",
                      "currently understand", "properly understand", "entirely understand",
                      "properly know", "entirely know")),
        _Cue(_compile(r"\b(?:knowledge|understanding|intelligence|information|picture|insight)\b"
                      r"[^.;]{0,160}?\bfalls?\s+(?:\w+\s+)?short\b"),
             "knowledge falls short", CLEAR, anchors=("short",)),
        _Cue(_compile(r"\b(?:needed|required|necessary|essential)\s+(?:in\s+order\s+)?to\s+"
                      r"(?:reach|make|draw|provide|form)\s+(?:a\s+|any\s+)?(?:more\s+)?"
                      r"(?:conclusive|definitive|firm|confident|complete|fuller)\s+(?:assessment"
                      r"|judge?ments?|conclusions?|determination|explanation|picture"
                      r"|understanding)\b"),
             "more needed to conclude", 0.7,
             lambda match, sentence: VISIBILITY if _ACCESS_WORDS.search(sentence)
             else _about_origin(EXPLICIT)(match, sentence),
             anchors=("conclusive", "definitive", "firm ", "confident", "complete", "fuller")),
        _Cue(_compile(r"\blittle\s+(?:\w+\s+)?(?:is|was|has\s+been)\s+(?:currently\s+)?known\b"),
             "little is known", 0.85, anchors=("known",)),
        _Cue(_compile(r"\b(?:remains?|remained)\s+(?:\w+\s+)?(?:unclear|not\s+clear)\b"),
             "remains unclear", STRONG, _about_origin(EXPLICIT), anchors=("clear",)),
        _Cue(_compile(r"\bunclear\b"), "unclear", _unclear_confidence, _about_origin(EXPLICIT),
             is_word_cue=True, anchors=("unclear",)),
        _Cue(_compile(r"\bnot\s+(?:yet\s+|entirely\s+|fully\s+|immediately\s+)?clear\b(?![\-‐‑])"),
             "unclear", 0.85, _about_origin(EXPLICIT), anchors=("clear",)),
        _Cue(_compile(r"\bnot\s+always\s+clear\b"), "unclear", 0.7, anchors=("clear",)),
        _Cue(_compile(r"\b(?:far|much)\s+from\s+clear\b"), "unclear", 0.85, anchors=("clear",)),
        _Cue(_compile(r"\bless\s+clear\b"), "less clear", CLEAR, anchors=("clear",)),
        _Cue(_compile(r"\buncertain\s+(?:whether|how|what|why|when|where|if|as\s+to|to\s+what"
                      r"|which|who)\b|\b(?:remains?|remained)\s+(?:\w+\s+)?uncertain\b"
                      r"|\bit\s+is\s+(?:\w+\s+)?uncertain\b"), "uncertain", CLEAR,
                           anchors=("uncertain",)),
        _Cue(_compile(r"\buncertaint(?:y|ies)\s+(?:about|over|around|regarding|as\s+to|surrounding"
                      r"|remains?|exists?)\b"), "uncertain", _uncertainty_confidence,
             anchors=("uncertaint",)),
        _Cue(_compile(r"\b(?:poorly|not\s+(?:yet\s+|fully\s+|well\s+|clearly\s+)|little|barely"
                      r"|only\s+partially|partially|partly|imperfectly|incompletely|less\s+well)"
                      r"\s*understood\b"), "poorly understood", CLEAR, anchors=("understood",)),
        _Cue(_compile(r"(?P<owner_text>\b(?:understanding|knowledge|insight|visibility)\b)"
                      r"[^;]{0,200}?\b" + _COPULA + r"\s+(?:\w+\s+)?(?:low|limited|poor|partial"
                      r"|incomplete|patchy|weak|sparse|minimal|basic|immature|underdeveloped"
                      r"|lacking)\b"),
             "understanding is low", _understanding_confidence,
                  anchors=("understanding", "knowledge", "insight", "visibility")),
        _Cue(_compile(r"\b(?:limited|poor|low|partial|incomplete|patchy|little|weak|minimal)\s+"
                      r"(?:level\s+of\s+)?(?P<owner_text>understanding|knowledge|insight)\b"),
             "limited understanding",
             lambda match, sentence: min(0.75, _understanding_confidence(match, sentence)),
                  anchors=("understanding", "knowledge", "insight")),
        _Cue(_compile(r"\b(?:undetermined|indeterminate)\b"), "undetermined", 0.85,
             is_word_cue=True, anchors=("undetermined", "indeterminate")),
        _Cue(_compile(r"\b(?:has|have|had|is|are|remains?)\s+(?:yet|still)\s+to\s+be\s+" + _ADVERB
                      + r"(?:determined|established|assessed|quantified|confirmed|understood"
                      r"|measured|estimated)\b|\bremains?\s+to\s+be\s+(?:determined|established"
                      r"|confirmed|quantified|assessed)\b"), "undetermined", 0.75,
                           anchors=("to be",)),
        _Cue(_compile(r"\b(?:has|have|had)\s+not\s+yet\s+been\s+" + _ADVERB + r"(?:identified"
                      r"|determined|established|confirmed|attributed|traced|explained|quantified"
                      r"|assessed|understood)\b|\b(?:has|have|had)\s+not\s+been\s+" + _ADVERB
                      + r"(?:determined|established|explained|quantified)\b"),
             "not yet established", 0.75, _about_origin(EXPLICIT),
             anchors=("not yet been", "not been")),
        _Cue(_compile(r"\bopen\s+question\b|\bunanswered\s+questions?\b"), "open question", 0.7,
             anchors=("question",)),
        _Cue(_compile(r"\bunexplained\b"), "unexplained", CLEAR, is_word_cue=True,
             anchors=("unexplained",)),
        _Cue(_compile(r"\bno\s+(?:obvious|clear|apparent|known|evident)\s+(?:\w+\s+){0,3}?"
                      r"(?:reasons?|motives?|motivations?|triggers?|explanations?|causes?"
                      r"|rationale)\b"), "no known reason", HEDGED, anchors=("no ",)),
        _Cue(_compile(r"\b(?:disagree|divided|split)\b[^.;]{0,60}?\b(?:on|over|about|as\s+to)\s+"
                      r"(?:which|whether|what|who|how|the\s+most\s+likely)\b"),
             "analysts disagree", _disagreement_confidence, _about_origin(EXPLICIT),
                  anchors=("disagree", "divided", "split")),
        _Cue(_compile(r"\b(?:unable|not\s+able|cannot|can\s*not|could\s*not)\s+(?:to\s+)?"
                      r"(?:agree|coalesce|decide|reach\s+(?:a\s+)?(?:consensus|agreement))\b"),
             "analysts disagree", CLEAR, _about_origin(EXPLICIT),
             anchors=("agree", "coalesce", "decide", "consensus")),
        _Cue(_compile(r"\b(?:both|either|several|multiple|competing|alternative)\b[^.;]{0,100}?"
                      r"\b(?:remain|remains|are|were)\s+(?:\w+\s+)?plausible\b"),
             "competing hypotheses", CLEAR, _about_origin(EXPLICIT), anchors=("plausible",)),
    )


def _inability_cues() -> tuple[_Cue, ...]:
    """Admissions of being unable, or finding it difficult, to know, measure or attribute."""
    verbs = r"(?P<verb>" + _EPISTEMIC_VERBS + r")"
    return (
        _Cue(_compile(r"\b(?:unable|not\s+able|cannot|can\s*not|can['’]t|could\s*not|couldn['’]t)"
                      r"\s+(?:to\s+)?" + _ADVERB + verbs + r"\b"),
             lambda match: f"unable to {match.group('verb').lower()}", 0.85, _by_verb,
                  anchors=_CANNOT_WORDS + ("unable", "not able")),
        _Cue(_compile(r"\bunable\s+to\s+(?:make|reach|draw)\s+(?:a\s+|any\s+|firm\s+)*"
                      r"(?:determination|conclusions?|judgements?|judgments?|assessment)\b"),
             "unable to determine", 0.85, _about_origin(EXPLICIT), anchors=("unable",)),
        _Cue(_compile(r"\bnor\s+(?:are|is|were|was|can|could|do|did)\s+(?:we|it|they|analysts)\s+"
                      r"(?:\w+\s+)?able\s+to\s+" + _ADVERB + verbs + r"\b"),
             lambda match: f"unable to {match.group('verb').lower()}", 0.85, _by_verb,
                  anchors=("nor ",)),
        _Cue(_compile(r"\b(?:cannot|can\s*not|can['’]t|could\s*not|couldn['’]t)\s+(?:yet\s+|\w+ly\s+)?"
                      r"be\s+" + _ADVERB + r"(?P<participle>" + _PARTICIPLE_WORDS + r")\b"),
             lambda match: "not possible to "
             + _PARTICIPLES[match.group("participle").lower()], CLEAR, _by_verb,
                  anchors=_CANNOT_WORDS),
        _Cue(_compile(r"\b(?:will|may|might|can|could|would)\s+never\s+" + _ADVERB + r"(?:be\s+"
                      + _ADVERB + r"(?P<participle>" + _PARTICIPLE_WORDS + r")|(?P<verb>know"
                      r"|understand|establish|determine|learn|quantify|measure|find\s+out))\b"),
             "may never be known", 0.75, _by_verb, anchors=("never",)),
        _Cue(_compile(r"\b(?:not\s+|im)possible\s+to\s+" + _ADVERB + verbs + r"\b"),
             lambda match: f"not possible to {match.group('verb').lower()}", CLEAR, _by_verb,
                  anchors=("possible",)),
        _Cue(_compile(r"\bno\s+(?:way|means)\s+of\s+(?P<participle>" + _PARTICIPLE_WORDS + r")\b"),
             lambda match: "not possible to "
             + _PARTICIPLES[match.group("participle").lower()], CLEAR, _by_verb,
                  anchors=("no way", "no means")),
        _Cue(_compile(r"\b" + _DIFFICULT + _FOR_WHOM + r"\s+to\s+" + _ADVERB + verbs + r"\b"),
             lambda match: f"difficult to {match.group('verb').lower()}", HEDGED, _by_verb,
                  anchors=_DIFFICULTY_WORDS),
        _Cue(_compile(r"\b(?:difficult(?:y|ies)|challenges?|problems?)\s+(?:\w+\s+){0,2}?"
                      r"(?:(?:in|of|with)\s+)?(?P<participle>" + _PARTICIPLE_WORDS + r")\b"),
             lambda match: "difficult to " + _PARTICIPLES[match.group("participle").lower()],
             HEDGED, _by_verb, anchors=("difficult", "challenge", "problem")),
        _Cue(_compile(r"\b(?:measur\w*|estimat\w*|quantif\w*|assess\w*|understand\w*|compil\w*"
                      r"|count\w*)\b[^.;]{0,60}?\b(?:is|are|remains?|was|were|(?:has|have|had)\s+been"
                      r"|prove[sd]?|proven)\s+(?:\w+\s+)?" + _DIFFICULT + r"\b"),
             "difficult to estimate", HEDGED, _about_scale(EXPLICIT),
                  anchors=_DIFFICULTY_WORDS),
        _Cue(_compile(r"\battribut(?:ion|ing)\b[^.;]{0,80}?\b(?:is|are|remains|was|can\s+be)\s+"
                      r"(?:\w+\s+)?(?:difficult|challenging|hard|problematic|complex|uncertain"
                      r"|unclear|not\s+possible|impossible)\b"),
             "difficult to attribute", CLEAR, ATTRIBUTION, anchors=("attribut",)),
        _Cue(_compile(r"\b(?:unattributed|not\s+(?:yet\s+)?attributed)\b"), "unattributed",
             CLEAR, ATTRIBUTION, anchors=("attributed",)),
        _Cue(_compile(r"\b(?:difficult|hard|challenging)" + _FOR_WHOM + r"\s+to\s+"
                      r"(?:detect|see|observe|monitor|access)\b"),
             "difficult to detect", HEDGED, VISIBILITY,
                  anchors=("difficult", "hard", "challenging")),
    )


def _visibility_cues() -> tuple[_Cue, ...]:
    """Admissions that the agency cannot see or reach what it is assessing."""
    return (
        _Cue(_compile(r"\b(?:limited|little|low|poor|no|reduced)\s+visibility\b"
                      r"|\b(?:lack|loss|absence)\s+of\s+visibility\b"),
             "limited visibility", 0.7, VISIBILITY, anchors=("visibility",)),
        _Cue(_compile(r"\blimited\s+(?:amount|number|volume|level)s?\s+of\s+[^;]{0,80}?\b"
                      r"(?:visible|known\s+to|reported|recorded)\b"), "limited visibility", 0.5,
             VISIBILITY, anchors=("limited",)),
        _Cue(_compile(r"\b(?:limited|poor|sketchy)\s+(?:\w+\s+){0,2}?picture\b"),
             "limited picture", 0.7, VISIBILITY, anchors=("picture",)),
        _Cue(_compile(r"\b(?:impact\w*|hamper\w*|hinder\w*|limit\w*|restrict\w*|reduc\w*|erod\w*"
                      r"|degrad\w*|undermin\w*|prevent\w*)\s+(?:on\s+)?(?:[\w’']+\s+){0,3}?"
                      r"(?:ability|capacity|capability)\s+to\s+(?:\w+\s+)?(?P<verb>collect|gather"
                      r"|obtain|see|detect|monitor|access|understand|draw|know|assess|identify)\b"),
             "limited ability to collect", 0.7,
             lambda match, sentence: VISIBILITY if match.group("verb").lower() in (
                 "collect", "gather", "obtain", "see", "detect", "monitor", "access")
             else EXPLICIT, anchors=("abilit", "capacit", "capabilit")),
        _Cue(_compile(r"\b(?:ability|capacity|capability)\s+to\s+(?:\w+\s+){1,4}?(?:is|are|remains?)"
                      r"\s+(?:\w+\s+)?(?:limited|restricted|constrained|poor|weak|reduced"
                      r"|degraded)\b"), "limited ability to collect", 0.7, VISIBILITY,
                           anchors=("abilit", "capacit", "capabilit")),
        _Cue(_compile(r"\b(?:challeng\w+|difficult\w*|unable)\s+(?:\w+\s+){0,2}?collect(?:ing)?\s+"
                      r"(?:on|against|intelligence|information)\b"),
             "limited ability to collect", 0.7, VISIBILITY, anchors=("collect",)),
        _Cue(_compile(r"\bmak(?:e|es|ing)\s+(?:\w+\s+){0,2}?(?P<noun>detection|identification"
                      r"|attribution|monitoring|tracing|tracking)\b[^.;]{0,30}?\b(?:difficult|hard"
                      r"|harder|challenging|problematic|impossible)\b"),
             "difficult to detect", HEDGED,
             lambda match, sentence: ATTRIBUTION if re.match(
                 r"attribution|tracing", match.group("noun") or "", re.IGNORECASE) else VISIBILITY,
             anchors=("detection", "identification", "attribution", "monitoring", "tracing",
                      "tracking")),
        _Cue(_compile(r"\b(?:unable|not\s+able|could\s*not|couldn['’]t|did\s+not|didn['’]t|failed"
                      r"|fail(?:s|ing)?)\s+(?:\w+\s+){0,3}?(?:to\s+)?(?:obtain|collect|gather|access"
                      r"|acquire|secure)\s+(?:(?:all|any|the|full|sufficient|complete|relevant"
                      r"|reliable|further)\s+){0,3}(?:\w+\s+)?(?:information|intelligence|data|records"
                      r"|evidence|documents)\b"),
             "information not obtained", _obtain_confidence, VISIBILITY,
             anchors=("obtain", "collect", "gather", "access", "acquire", "secure")),
        _Cue(_compile(r"\b(?:rare|rarely|seldom|infrequently)\b[^.;]{0,40}?\b" + _INFORMATION
                      + r"\b[^.;]{0,40}?\b(?:is|are|was|were|becomes?)\s+(?:\w+\s+)?(?:available"
                      r"|obtained|obtainable)\b|\b" + _INFORMATION + r"\b[^.;]{0,40}?\b"
                      r"(?:is|are|was|were)\s+(?:rarely|seldom|not\s+always|not\s+often"
                      r"|only\s+occasionally)\s+(?:available|obtained|obtainable)\b"
                      r"|\b(?:we|analysts|agencies|police|investigators)\s+(?:rarely|seldom)\s+"
                      r"(?:have|hold|obtain|receive|get)\s+(?:\w+\s+){0,2}?" + _INFORMATION
                      + r"\b"),
             "rarely available", 0.7, VISIBILITY,
             anchors=("available", "obtain", "rarely", "seldom")),
        _Cue(_compile(r"\b(?:less\s+likely|unlikely|not|never|rarely|seldom)\s+(?:\w+\s+){0,3}?"
                      r"(?:come|comes|came|coming|brought)\s+to\s+(?:the\s+)?(?:attention|notice)"
                      r"\s+of\b"), "unseen by the authorities", 0.6, VISIBILITY,
             anchors=("attention", "notice")),
        _Cue(_compile(r"\b(?:no|few|not\s+(?:\w+\s+)?have|lack(?:s|ed|ing)?|without)\s+"
                      r"(?:[\w’'-]+\s+){0,4}?(?:sources|agents|informants|assets)\b[^.;]{0,60}?"
                      r"\b(?:knowledge|access|insight|reporting|coverage)\b"),
             "no sources with access", CLEAR, VISIBILITY,
             anchors=("sources", "agents", "informants", "assets")),
    )


def _data_cues() -> tuple[_Cue, ...]:
    """Admissions that the figures, definitions or sources fall short."""
    return (
        _Cue(_compile(r"\b(?:partial|incomplete|patchy|confusing)\s+(?:\w+\s+){0,2}?picture\b"),
             "partial picture", 0.7, DATA_LIMITATION, anchors=("picture",)),
        _Cue(_compile(r"\bpicture\b[^;]{0,120}?\b" + _COPULA + r"\s+(?:\w+\s+)?(?:limited|partial"
                      r"|incomplete|patchy|poor|mixed|unclear)\b"), "limited picture",
             _picture_confidence, VISIBILITY, anchors=("picture",)),
        _Cue(_compile(r"\bfragment(?:ed|ary|ation)\b"), "fragmented", _fragmented_confidence,
             DATA_LIMITATION, anchors=("fragment",)),
        _Cue(_compile(r"\b(?:lack|lacks|lacking|absence|paucity|dearth|scarcity|shortage)\s+"
                      r"(?:of\s+)?(?:\w+\s+){0,2}?" + _INFORMATION + r"\b"), "lack of information",
             _lack_confidence, DATA_LIMITATION,
                  anchors=("lack", "absence", "paucity", "dearth", "scarcity", "shortage")),
        _Cue(_compile(r"\black(?:s|ed|ing)?\s+(?:sufficient|adequate|enough)\b"),
             "insufficient data", 0.7, DATA_LIMITATION, anchors=("lack",)),
        _Cue(_compile(r"\b(?:insufficient|inadequate|not\s+sufficient)\s+(?:\w+\s+){0,2}?"
                      + _INFORMATION + r"\b"), "insufficient data", 0.7, DATA_LIMITATION,
                           anchors=("sufficient", "inadequate")),
        _Cue(_compile(r"\b(?:data|information|intelligence|evidence|reporting|figures|statistics"
                      r"|records|recording)\b[^;]{0,80}?\b" + _COPULA + r"\s+(?:\w+\s+)?"
                      r"(?:insufficient|inadequate|incomplete|sparse|scarce|patchy|lacking)\b"),
             "insufficient data", 0.7, DATA_LIMITATION,
                  anchors=_SHORTFALL_WORDS),
        _Cue(_compile(r"\bno\s+(?:reliable|robust|accurate|official|national|comprehensive|consistent"
                      r"|definitive|current|recent|sound|precise|complete|single|specific|separate"
                      r"|dedicated|central|suitable|agreed)\s+(?:\w+\s+){0,3}?(?P<noun>estimates?"
                      r"|figures?|data|measures?|statistics|picture|assessments?|information"
                      r"|sources?|methods?|approach|codes?|database|register|datasets?|category"
                      r"|definitions?)\b"),
             "insufficient data", 0.75,
             lambda match, sentence: SCALE if re.match(r"estimate|measure", match.group("noun"),
                                                       re.IGNORECASE) else DATA_LIMITATION,
                                                            anchors=("no ",)),
        _Cue(_compile(r"\b(?P<noun>data|information|intelligence|evidence|reporting|records|registers"
                      r"|databases|datasets|sources)\b(?P<between>[^.;]{0,150}?)\b" + _COPULA
                      + r"\s+(?:\w+\s+)?limited\b(?!\s+(?:to|in\s+scope)\b)"),
             "limited information", _limited_subject_confidence,
             lambda match, sentence: HEDGED_EVIDENCE if re.match(
                 r"evidence|intelligence", match.group("noun"), re.IGNORECASE)
             else DATA_LIMITATION, anchors=("limited",)),
        _Cue(_compile(r"\b(?:do|does|did)\s*(?:not|n['’]t)\s+(?:always\s+|often\s+|usually\s+)?"
                      r"(?:have|hold|contain|include|record)\s+(?:any\s+)?(?:specific|detailed"
                      r"|reliable|sufficient|enough|accurate|complete|consistent|good)\s+"
                      r"(?:\w+\s+)?(?:information|data|details|figures|records)\b"),
             "insufficient data", 0.7, DATA_LIMITATION,
             anchors=("specific", "detailed", "reliable", "sufficient", "enough", "accurate",
                      "complete", "consistent", "good")),
        _Cue(_compile(r"\blimitations?\b[^.;]{0,30}?\b(?:are|is|arise|arises|stem|stems|result"
                      r"|results|come|comes)\s+(?:\w+\s+)?(?:due\s+to|from|because\s+of"
                      r"|owing\s+to)\b|\b(?:data|methodological|recording|reporting)\s+"
                      r"limitations?\b"), "data limitations", 0.65, DATA_LIMITATION,
             anchors=("limitation",)),
        _Cue(_compile(r"\b(?:does|do|did|may|might|will|would)\s*(?:not|n['’]t)\s+necessarily\s+"
                      r"(?:reflect|indicate|mean|represent|show)\b"),
             "figures not reflective", _reflect_confidence, DATA_LIMITATION,
             anchors=("necessarily",)),
        _Cue(_compile(r"\b(?:limited|little|scant|sparse|minimal)\s+(?:reliable\s+|robust\s+"
                      r"|available\s+|current\s+|recent\s+)?(?:information|intelligence|data"
                      r"|reporting|research|evidence|statistics)\b"),
             "limited information", _limited_information_confidence,
             lambda match, sentence: HEDGED_EVIDENCE if re.search(
                 r"evidence|intelligence", match.group(0), re.IGNORECASE) else DATA_LIMITATION,
                      anchors=("limited", "little", "scant", "sparse", "minimal")),
        _Cue(_compile(r"\b(?:unreliable|not\s+reliable|inaccurate|poor" + _HYPHEN + r"quality"
                      r"|low" + _HYPHEN + r"quality|variable" + _HYPHEN + r"quality)\s+(?:\w+\s+)?"
                      r"(?:data|information|intelligence|figures|statistics|estimates|reporting"
                      r"|recording|records)\b"), "unreliable data", 0.7, DATA_LIMITATION,
                           anchors=("reliable", "inaccurate", "quality")),
        _Cue(_compile(r"\b(?:low|limited|little|poor)\s+(?:levels?\s+of\s+|amounts?\s+of\s+)?"
                      r"(?:reliable|robust|accurate|good" + _HYPHEN + r"quality|high"
                      + _HYPHEN + r"quality)\s+(?:data|information|intelligence|figures|statistics"
                      r"|estimates|evidence|reporting)\b"), "unreliable data", 0.75,
             DATA_LIMITATION, anchors=("reliable", "accurate", "robust", "quality")),
        _Cue(_compile(r"\b(?:data|figures|statistics|estimates|information|recording|records)\b"
                      r"[^;]{0,60}?\b" + _COPULA + r"\s+(?:\w+\s+)?(?:unreliable|inconsistent"
                      r"|inaccurate|provisional|questionable|doubtful|dubious|in\s+doubt|open\s+to"
                      r"\s+(?:doubt|question))\b"), "unreliable data", 0.7, DATA_LIMITATION,
             anchors=("unreliable", "inconsistent", "inaccurate", "provisional", "questionable",
                      "doubt", "dubious", "question")),
        _Cue(_compile(r"\binconsisten(?:t|cy|cies)\s+(?:in\s+(?:the\s+)?)?(?:\w+\s+)?(?:measurement"
                      r"|measuring|recording|definitions?|data|reporting|methods?|methodolog(?:y|ies)"
                      r"|statistics|figures|approaches)\b"), "inconsistent data", IMPLIED,
             DATA_LIMITATION, anchors=("inconsisten",)),
        _Cue(_compile(r"\b(?:definitions?|methodolog(?:y|ies)|recording\s+practices|counting\s+rules)"
                      r"\b[^.;]{0,40}?\b(?:vary|varies|differ|differs)\b"),
             "inconsistent definitions", 0.7, DATA_LIMITATION,
                  anchors=("vary", "varies", "differ")),
        _Cue(_compile(r"\b(?:differences?|variations?|inconsisten\w+)\s+in\s+(?:\w+\s+){0,3}?"
                      r"(?:definitions?|recording|methodolog\w+|reporting\s+periods|measurement)\b"
                      r"|\bno\s+consistent\s+(?:approach|method|way)\s+(?:to|of)\b"),
             "inconsistent data", 0.6, DATA_LIMITATION,
                  anchors=("difference", "variation", "inconsisten", "consistent")),
        _Cue(_compile(r"\b(?:data|figures|statistics|estimates|information|records|recording)\b"
                      r"[^.;]{0,40}?\b(?:is|are|was|were|remains?)\s+(?:often\s+|frequently\s+"
                      r"|generally\s+|usually\s+)?not\s+" + _ADVERB + r"(?:available|reliable"
                      r"|accurate|complete|consistent|comparable|collected|recorded|kept)\b"
                      r"(?!\s+(?:to|for)\s+(?:the\s+)?public)"),
             "data not available", 0.7, DATA_LIMITATION,
             anchors=("available", "reliable", "accurate", "complete", "consistent", "comparable",
                      "collected", "recorded", "kept")),
        _Cue(_compile(r"\b(?:not\s+(?:yet\s+)?(?:established|developed|agreed|found|devised)|lacks?"
                      r"|lacking|without|absence\s+of)\s+(?:an?\s+|any\s+)?(?:\w+\s+){0,2}?"
                      r"(?:mechanism|method|methodology|means|way|system|tool|model)s?\s+(?:(?:for|of)"
                      r"\s+(?P<participle>estimating|measuring|counting|quantifying|assessing"
                      r"|determining)|to\s+(?P<verb>estimate|measure|count|quantify|assess|determine))\b"),
             "no method to estimate", _method_confidence, _by_verb,
             anchors=("mechanism", "method", "means", "way", "system", "tool", "model")),
        _Cue(_compile(r"\bnot\s+(?:directly\s+|easily\s+|always\s+|strictly\s+)?comparable\b"),
             "not comparable", 0.7, DATA_LIMITATION, anchors=("comparable",)),
        _Cue(_compile(r"\bpartial\s+(?:in\s+(?:their|its)\s+)?(?:coverage|story|account)\b"
                      r"|\b(?:part|parts)\s+of\s+the\s+picture\b"),
             "partial coverage", 0.7, DATA_LIMITATION, anchors=("partial", "part of", "parts of")),
        _Cue(_compile(r"\b(?:may|might|do|does|did|will|can)\s*(?:not|n['’]t)\s+(?:\w+\s+)?"
                      r"(?:record|capture|include|cover|reflect|represent|show)\s+(?:all|much|many"
                      r"|every|the\s+(?:full|true|whole|complete|real|actual|overall|total|volume"
                      r"|scale|extent|number|level|size|amount|prevalence))\b"),
             "partial coverage", 0.7, DATA_LIMITATION,
                  anchors=_COVERAGE_VERBS),
        _Cue(_compile(r"\bnot\s+(?:be\s+|necessarily\s+|always\s+)*(?:indicative|representative"
                      r"|reflective)\s+of\b"), "figures not reflective", 0.7, DATA_LIMITATION,
                           anchors=("indicative", "representative", "reflective")),
        _Cue(_compile(r"\b(?:collection|reporting|sampling|selection|detection)\s+bias\b"),
             "collection bias", 0.7, DATA_LIMITATION, anchors=("bias",)),
        _Cue(_compile(r"\b(?:is|are)\s+not\s+(?:centrally\s+|routinely\s+|systematically\s+"
                      r"|consistently\s+|currently\s+)?(?:recorded|collected|captured|measured"
                      r"|monitored)\b"), "not recorded", 0.6, DATA_LIMITATION,
                           anchors=("recorded", "collected", "captured", "measured", "monitored")),
        _Cue(_compile(r"\bno\s+(?:data|figures|statistics|information)\s+(?:on|about|for|regarding"
                      r"|exists?|is\s+available|are\s+available)\b"), "insufficient data", 0.7,
             DATA_LIMITATION, anchors=("no ",)),
        _Cue(_compile(r"\bonly\b[^.;]{0,60}?\b(?:reported|recorded|detected|known|identified"
                      r"|discovered)\b[^.;]{0,40}?\b(?:can|could|will|may)\s+be\s+(?:\w+ly\s+)?"
                      r"(?:measured|counted|captured|recorded|quantified|analysed|analyzed|included)\b"
                      r"|\bcan\s+only\s+(?:measure|count|capture|record|reflect|include)\b[^.;]{0,40}?"
                      r"\b(?:reported|recorded|detected|known)\b"),
             "only what is reported", 0.7, DATA_LIMITATION, anchors=("only",)),
        _Cue(_compile(r"\bonly\s+(?:\w+\s+)?(?:capture|captures|captured|reflect|reflects|reflected"
                      r"|represent|represents|represented|show|shows|constitute|constitutes"
                      r"|accounts?\s+for|cover|covers|provides?)\s+(?:details\s+of\s+)?(?:a|an|some"
                      r"|part|one)\s+(?:small\s+|limited\s+)?(?:proportion|fraction|part|portion"
                      r"|snapshot|subset|glimpse)\b"
                      r"|\b(?:constitutes?|represents?|reflects?|captures?|shows?|accounts?\s+for)"
                      r"\s+only\s+(?:a|an|some|part|one)\s+(?:small\s+)?(?:proportion|fraction|part"
                      r"|portion|snapshot|subset)\b"
                      r"|\bonly\s+partially\s+(?:reflects?|captures?|represents?|shows?)\b"
                      r"|\bcan\s+only\s+tell\s+a\s+partial\b"),
             "partial picture", _partial_confidence, DATA_LIMITATION, anchors=("only",)),
    )


def _under_reporting_cues() -> tuple[_Cue, ...]:
    """Admissions that much of what happens never reaches the agency's records."""
    return (
        _Cue(_compile(r"\bunder" + _HYPHEN + r"(?:report|record)(?:ed|ing|s)?\b"),
             "under-reported", 0.6, UNDER_REPORTING, anchors=("under",)),
        _Cue(_compile(r"\bunder" + _HYPHEN + r"estimat(?:e|es|ed|ion|ing)\b"),
             "underestimated", IMPLIED, UNDER_REPORTING, anchors=("under",)),
        _Cue(_compile(r"\btip\s+of\s+the\s+iceberg\b"), "underestimated", 0.6, UNDER_REPORTING,
             anchors=("iceberg",)),
        _Cue(_compile(r"\b(?:true|real|actual|full)\s+(?:scale|extent|number|level|size|prevalence"
                      r"|volume|figure)\b[^;]{0,80}?\b(?:higher|greater|larger)\b"),
             "underestimated", IMPLIED, UNDER_REPORTING, anchors=("higher", "greater", "larger")),
        _Cue(_compile(r"\b(?:higher|greater|larger|more)\s+than\s+(?:is\s+|are\s+)?(?:currently\s+)?"
                      r"(?:recorded|known|reported|identified|detected|visible)\b"),
             "underestimated", 0.6, UNDER_REPORTING, anchors=("than",)),
        _Cue(_compile(r"\b(?:reports?|reporting|referrals?)\b[^.;]{0,120}?\b(?:lower|fewer)\s+than\s+"
                      r"(?:anticipated|expected|estimated)\b"), "under-reported", 0.6,
             UNDER_REPORTING, anchors=("than",)),
        _Cue(_compile(r"\b(?:largely|often|mostly|remains?)\s+hidden\b|\bhidden\s+(?:crimes?|harms?"
                      r"|nature)\b"), "hidden", 0.5, UNDER_REPORTING, anchors=("hidden",)),
        _Cue(_compile(r"\b(?:un(?:reported|recorded|detected|counted)|undercounted)\b"),
             "unreported", 0.6, UNDER_REPORTING, is_word_cue=True,
             anchors=("unreported", "unrecorded", "undetected", "uncounted", "undercounted")),
        _Cue(_compile(r"\b(?:not|never|less\s+likely\s+to|unlikely\s+to|(?:reluctant|unwilling"
                      r"|hesitant|afraid|ashamed|scared|frightened)\s+to"
                      r"|fail(?:s|ed|ing)?\s+to|prevents?\s+\w+\s+from)\s+(?:\w+\s+)?"
                      r"(?:report(?:ing|ed)?|making\s+a\s+report|come\s+forward|disclose)\b"
                      r"|\b(?:reluctance|unwillingness|hesitan(?:ce|cy))\b[^.;]{0,50}?\bto\s+"
                      r"(?:report|come\s+forward|disclose)\b"),
             "not reported", 0.6, UNDER_REPORTING, anchors=("report", "disclose", "forward")),
        _Cue(_compile(r"\bnot\s+(?:\w+\s+)?(?:recogni[sz]e|identify|see)\s+themselves\s+as\b"),
             "not reported", 0.6, UNDER_REPORTING, anchors=("themselves",)),
        _Cue(_compile(r"\b(?:only|just|around|about|fewer\s+than|less\s+than|one\s+in)\s+"
                      r"(?:\w+\s+){0,2}?(?:\(?\d+(?:\.\d+)?\s*(?:%|per\s*cent)\)?\s+)?"
                      r"(?:of\s+)?(?:\w+\s+){0,5}?(?:were|was|are|is|get|go|being)\s+"
                      r"(?:\w+\s+)?reported\s+to\b"), "few reported", IMPLIED, UNDER_REPORTING,
                           anchors=("reported",)),
    )


def _ongoing_cues() -> tuple[_Cue, ...]:
    """Admissions that understanding is still being built: investigations, emerging pictures."""
    return (
        _Cue(_compile(r"\b(?:while|whilst|pending|until)\s+(?:the\s+)?(?:\w+\s+)?(?:investigations?"
                      r"|inquiries|enquiries|analysis|review)\b"),
             "investigation ongoing", 0.7, ONGOING,
                  anchors=("while", "whilst", "pending", "until")),
        _Cue(_compile(r"\brequir\w*\s+(?:additional|further|more)\s+(?:\w+\s+)?(?:analysis"
                      r"|investigation|research|work|study|collection|examination)\b"),
             "further analysis needed", 0.7, ONGOING, anchors=("requir",)),
        _Cue(_compile(r"\b(?:still|currently)\s+(?:establishing|investigating|assessing|determining"
                      r"|examining|working\s+to\s+(?:understand|establish|determine|identify)"
                      r"|trying\s+to\s+(?:understand|establish|determine|identify))\b"
                      r"|\bcontinu(?:e|es|ed|ing)\s+to\s+work\s+to\s+(?:fully\s+)?(?:understand"
                      r"|establish|determine|identify)\b"),
             "investigation ongoing", 0.7, ONGOING, anchors=("still", "currently", "continu")),
        _Cue(_compile(r"\b(?:too\s+early|premature)\s+to\s+(?:say|tell|judge|determine|assess"
                      r"|conclude|know)\b"), "too early to say", CLEAR, ONGOING,
                           anchors=("early", "premature")),
        _Cue(_compile(r"\b(?:picture|understanding)\s+(?:is|remains)\s+(?:still\s+|only\s+)?"
                      r"(?:emerging|developing|evolving|forming)\b"),
             "emerging understanding", 0.7, ONGOING,
                  anchors=("emerging", "developing", "evolving", "forming")),
        _Cue(_compile(r"\b(?:understanding|mapping|establishing|identifying)\b[^.;]{0,80}?\b"
                      r"remains?\s+(?:an?\s+)?(?:ongoing|continuing|key)\s+(?:priority|challenge"
                      r"|focus)\b"), "emerging understanding", IMPLIED, ONGOING,
                           anchors=("priority", "challenge", "focus")),
        _Cue(_compile(r"\b(?:remains?|remained)\s+(?:\w+\s+)?(?:unresolved|under\s+investigation"
                      r"|under\s+review)\b|\bcontinues?\s+(?:\w+\s+)?(?:collection|analysis)\s+"
                      r"(?:and\s+analysis\s+)?on\b"), "unresolved", 0.7, ONGOING,
                           anchors=("unresolved", "investigation", "review", "continu")),
    )


def _hedged_cues() -> tuple[_Cue, ...]:
    """Admissions that the evidence behind a judgement is thin."""
    return (
        _Cue(_compile(r"\b(?:with|at|have|has)\s+(?:only\s+)?low\s+confidence\b"
                      r"|\bonly\s+(?:low|moderate|medium)\s+confidence\b"),
             "low confidence", 0.7, HEDGED_EVIDENCE, anchors=("confidence",)),
        _Cue(_compile(r"\b(?:do|does|did)\s*(?:not|n['’]t)\s+have\s+(?:the\s+same\s+|a\s+high\s+"
                      r"|high\s+|full\s+|much\s+)?(?:degree\s+of\s+|level\s+of\s+)?confidence\b"),
             "low confidence", 0.7, HEDGED_EVIDENCE, anchors=("confidence",)),
        _Cue(_compile(r"\b(?:unverified|uncorroborated|unconfirmed|anecdotal|single" + _HYPHEN
                      + r"source)\b"), "thin evidence", IMPLIED, HEDGED_EVIDENCE,
             is_word_cue=True,
                  anchors=("unverified", "uncorroborated", "unconfirmed", "anecdotal", "single")),
        _Cue(_compile(r"\b(?:evidence|reporting|intelligence)\b[^.;]{0,40}?\b" + _COPULA
                      + r"\s+(?:\w+\s+)?(?:thin|weak|anecdotal|circumstantial|tentative)\b"),
             "thin evidence", 0.7, HEDGED_EVIDENCE,
                  anchors=(" thin", " weak", "anecdotal", "circumstantial", "tentative")),
        _Cue(_compile(r"\bthin(?:ness)?\s+(?:of\s+(?:the\s+)?)?(?:intelligence|evidence|evidential"
                      r"|information|reporting)(?:\s+base)?\b"),
             "thin evidence", 0.75, HEDGED_EVIDENCE, anchors=("thin",)),
        _Cue(_compile(r"\bcast(?:s|ing)?\s+(?:\w+\s+)?doubt\s+(?:on|upon)\s+(?:the\s+|its\s+"
                      r"|their\s+|this\s+|that\s+)?(?:reliability|accuracy|validity|credibility"
                      r"|veracity)\b|\b(?:reliability|credibility|validity|veracity)\b[^.;]{0,60}?\b"
                      r"(?:is|are|remains?|was|were)\s+(?:\w+\s+)?(?:questionable|doubtful|in\s+doubt"
                      r"|open\s+to\s+(?:doubt|question))\b"),
             "reliability in doubt", 0.65, HEDGED_EVIDENCE,
             anchors=("doubt", "questionable", "question")),
        _Cue(_compile(r"\blittle\s+of\s+the\s+(?:information|intelligence|reporting|evidence)\b"),
             "thin evidence", 0.7, HEDGED_EVIDENCE, anchors=("little of",)),
        _Cue(_compile(r"\b(?:judge?ments?|assessments?|conclusions?|analysis)\b[^.;]{0,60}?\b"
                      + _COPULA + r"\s+(?:\w+\s+)?(?:inferential|speculative|based\s+(?:\w+\s+)?on"
                      r"\s+(?:inference|assumptions?))\b|\binferential\s+nature\b"),
             "inferential judgement", 0.7, HEDGED_EVIDENCE,
             anchors=("inferen", "speculative", "assumption")),
    )


CUES: tuple[_Cue, ...] = (_gap_cues() + _inability_cues() + _visibility_cues() + _data_cues()
                          + _under_reporting_cues() + _ongoing_cues() + _hedged_cues())



def _index_cues_by_word(cues: tuple[_Cue, ...]) -> dict[str, tuple[int, ...]]:
    """For each anchor word, the cues it lets through."""
    index: dict[str, list[int]] = {}
    for position, cue in enumerate(cues):
        for word in cue.anchors:
            index.setdefault(word, []).append(position)
    return {word: tuple(positions) for word, positions in sorted(index.items())}


_CUES_BY_WORD = _index_cues_by_word(CUES)
# Each anchor's cues as the bits of one integer, so that the cues a sentence needs are an OR.
_ANCHOR_BITS = {word: sum(1 << index for index in cues) for word, cues in _CUES_BY_WORD.items()}
_UNANCHORED_BITS = sum(1 << index for index, cue in enumerate(CUES) if not cue.anchors)
_TOKEN = re.compile(r"[a-z’']+")
# An anchor made of word characters only can occur only inside one word of a sentence, so it
# is looked for in each distinct word (cached); anchors with spaces or hyphens in the sentence.
_WORD_ANCHORS = tuple((word, bits) for word, bits in _ANCHOR_BITS.items() if _TOKEN.fullmatch(word))
_PHRASE_ANCHORS = tuple((phrase, bits) for phrase, bits in _ANCHOR_BITS.items()
                        if not _TOKEN.fullmatch(phrase))

_QUOTED_SPANS = (
    re.compile(r"\"[^\"]{1,300}\""),
    re.compile(r"“[^”]{1,300}”"),
    re.compile(r"‘[^’]{1,300}’(?!\w)"),
    re.compile(r"(?<![\w])'[^']{1,300}'(?![\w])"),
)
# Headings of sections that list gaps: each sentence in them is a gap even without a cue.
_SECTION_OF_GAPS = re.compile(
    r"^(?:(?:key|main|known|remaining|significant)\s+)?gaps?\b"
    r"|\b(?:intelligence|knowledge|information|evidence|analytical|collection)\s+gaps?\b"
    r"|\bunknowns\b|\bwhat\s+we\s+(?:do\s+not|don['’]t)\s+know\b"
    r"|\bintelligence\s+requirements?\b",
    re.IGNORECASE,
)
def find_cue(sentence: str, *, section: str = "") -> CueMatch | None:
    """The strongest gap cue in a sentence, with its confidence; None when it admits no gap."""
    matches = find_cues(sentence)
    if not matches:
        if section and _SECTION_OF_GAPS.search(section) and len(sentence.split()) >= 3 \
                and not sentence.rstrip().endswith(":"):
            return CueMatch(cue="listed gap", confidence=0.7, start=0, end=0, category=EXPLICIT)
        return None
    best = max(matches, key=lambda match: (match.confidence, -match.start))
    distinct = {match.cue for match in matches if match.confidence > WEAK}
    confidence = min(0.98, best.confidence + 0.05 * max(0, len(distinct) - 1))
    if LOOK_ALIKES.search(sentence):
        confidence *= 0.9
    return CueMatch(cue=best.cue, confidence=round(confidence, 2), start=best.start, end=best.end,
                    category=_category_of(best, matches))


def _category_of(best: CueMatch, matches: list[CueMatch]) -> str:
    """The category of the strongest cue, unless that is merely explicit and a cue of a more
    specific kind also stands (a reviewer learns more from "low confidence" than from "gap")."""
    if best.category != EXPLICIT:
        return best.category
    specific = [match for match in matches if match.category != EXPLICIT
                and match.confidence >= IMPLIED]
    if not specific:
        return EXPLICIT
    return max(specific, key=lambda match: (match.confidence, -match.start)).category


def find_cues(sentence: str) -> list[CueMatch]:
    """Every gap cue in a sentence that survives the look-alike rules, with its confidence."""
    quoted: list[tuple[int, int]] | None = None
    found: list[CueMatch] = []
    for index in _possible_cues(sentence):
        cue = CUES[index]
        for match in cue.pattern.finditer(sentence):
            if quoted is None:
                quoted = [(span.start(), span.end()) for pattern in _QUOTED_SPANS
                          for span in pattern.finditer(sentence)]
            if any(start <= match.start() and match.end() <= end for start, end in quoted):
                continue
            if cue.is_word_cue and _is_part_of_name(sentence, match):
                continue
            confidence = cue.confidence(match, sentence) if callable(cue.confidence) else (
                cue.confidence)
            confidence = _adjust(sentence, match, confidence)
            if confidence <= 0:
                continue
            label = cue.label(match) if callable(cue.label) else cue.label
            category = cue.category(match, sentence) if callable(cue.category) else (
                _about_scale(cue.category)(match, sentence) if cue.category == EXPLICIT
                else cue.category)
            found.append(CueMatch(cue=label, confidence=confidence, start=match.start(),
                                  end=match.end(), category=category))
    return found


def _possible_cues(sentence: str) -> tuple[int, ...]:
    """The indexes (in order) of the cues whose anchor words occur in a sentence."""
    lowered = sentence.lower()
    mask = reduce(or_, map(_cues_of_word, set(_TOKEN.findall(lowered))), _UNANCHORED_BITS)
    mask = reduce(or_, (bits for phrase, bits in _PHRASE_ANCHORS if phrase in lowered), mask)
    return _indexes_of(mask)


@lru_cache(maxsize=65536)
def _indexes_of(mask: int) -> tuple[int, ...]:
    """The positions of the set bits of a mask, lowest first."""
    indexes = []
    while mask:
        lowest = mask & -mask
        indexes.append(lowest.bit_length() - 1)
        mask ^= lowest
    return tuple(indexes)


@lru_cache(maxsize=65536)
def _cues_of_word(word: str) -> int:
    """The cues (as bits) whose word-only anchors occur in one lower-case word."""
    mask = 0
    for anchor, bits in _WORD_ANCHORS:
        if anchor in word:
            mask |= bits
    return mask


def _adjust(sentence: str, match: re.Match[str], confidence: float) -> float:
    """Lower or cancel a cue's confidence for the look-alike contexts around it."""
    before = sentence[: match.start()]
    word = match.group(0).lower()
    if FINDING_PREFIX.search(before) and re.search(r"unknown|known|unidentified", word):
        return 0.0  # "previously unknown offenders were identified" is a finding
    if NEGATED_PREFIX.search(before) and re.match(r"(?:unknown|unclear|uncertain)", word):
        return 0.0  # "not unknown", "no longer unclear"
    if "gap" in word and GAP_WORK_PREFIX.search(before):
        confidence *= 0.5
    opening = before.strip()
    if CONDITIONAL_OPENING.match(opening) and "," in sentence[match.end():]:
        confidence *= 0.5  # "Where the offender is unknown, police…" sets a condition
    if HISTORICAL_OPENING.match(opening) or HYPOTHETICAL_PREFIX.search(before):
        confidence *= 0.6
    if _COMPARATIVE.search(sentence, max(0, match.start() - 6), match.end()):
        confidence *= 0.6
    if re.search(r"predict|forecast|foresee", word):
        confidence *= 0.5  # "difficult to predict" is about the future: a forecast, not a gap
    if re.search(r"know|clear|certain", word) and _OUTCOME_AHEAD.match(sentence, match.end()):
        confidence *= 0.5  # "we do not know its eventual scale" forecasts; it admits no gap
    return confidence


def _is_part_of_name(sentence: str, match: re.Match[str]) -> bool:
    """Whether a capitalised cue word sits inside a proper noun such as "Operation Unknown"."""
    word = match.group(0)
    if not word[:1].isupper():
        return False
    before = sentence[: match.start()].rstrip()
    at_start = not re.search(r"[A-Za-z0-9]", before)
    if not at_start:
        return True
    following = re.match(r"\s+([A-Z][a-z]+)", sentence[match.end():])
    return bool(following)
