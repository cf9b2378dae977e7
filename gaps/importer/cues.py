"""Gap cues: how analysts admit ignorance, the look-alikes to ignore, and a confidence."""

import re
from collections.abc import Callable
from dataclasses import dataclass

# Each cue below is a general way of admitting ignorance; confidences are the strength of the
# admission when the phrase stands plainly (before the context rules of `_adjust`).
STRONG = 0.9
CLEAR = 0.8
HEDGED = 0.65
IMPLIED = 0.55
WEAK = 0.4

_HYPHEN = r"[\s\-‐‑‒–—]?"
_ADVERB = r"(?:\w+ly\s+)?"
_EPISTEMIC_VERBS = (
    "state|determine|say|assess|establish|confirm|quantify|estimate|ascertain|measure|gauge"
    "|judge|know|tell|discern|conclude|verify|calculate|evaluate|predict|forecast|attribute"
    "|understand"
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
CONDITIONAL_OPENING = re.compile(r"^(?:if|where|when|unless|in\s+cases?\s+where)\b[^,]*$",
                                 re.IGNORECASE)
LOOK_ALIKES = re.compile(
    r"\b(?:previously|hitherto)" + _HYPHEN + r"(?:unknown|unidentified)\b|\bgap\s+years?\b"
    r"|\b(?:pay|gender|wage|skills?|funding|attainment|generation(?:al)?|price)\s+gaps?\b"
    r"|\bfill(?:ing)?\s+(?:the\s+)?gaps?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CueMatch:
    """One gap cue found in a sentence."""

    cue: str
    confidence: float
    start: int
    end: int


@dataclass(frozen=True)
class _Cue:
    """A cue pattern, its label (a string or a function of the match) and base confidence."""

    pattern: re.Pattern[str]
    label: str | Callable[[re.Match[str]], str]
    confidence: float | Callable[[re.Match[str], str], float]
    is_word_cue: bool = False


def _compile(pattern: str) -> re.Pattern[str]:
    """Compile a cue pattern, case-insensitively."""
    return re.compile(pattern, re.IGNORECASE)


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


def _understanding_confidence(match: re.Match[str], sentence: str) -> float:
    """Our understanding being low is a gap; victims' or the public's is a finding."""
    before = sentence[: match.start()]
    if re.search(r"\b(?:their|his|her|victims?['’]?|children['’]?s?|public|parents['’]?"
                 r"|young\s+people['’]?s?|offenders['’]?)\s*$", before, re.IGNORECASE):
        return 0.3
    return 0.85


CUES: tuple[_Cue, ...] = (
    _Cue(_compile(r"\b(?:intelligence|knowledge|information|evidence|evidential)" + _HYPHEN
                  + r"gaps?\b"), "intelligence gap", 0.95),
    _Cue(_compile(r"\b(?:data|research|analytical|collection|reporting|evidence[\s-]base)"
                  r"\s+gaps?\b"), "intelligence gap", 0.85),
    _Cue(_compile(r"\bgaps?\s+in\s+(?:our\s+|the\s+|current\s+|existing\s+|law\s+enforcement['’]?s?"
                  r"\s+)?(?:knowledge|understanding|intelligence|information|data|evidence"
                  r"|reporting|coverage|(?:\w+\s+)?picture)\b"), "intelligence gap", 0.9),
    _Cue(_compile(r"\b(?:is|remains|represents)\s+(?:a|an|one)\s+(?:(?:key|significant|major"
                  r"|important|critical|notable|continuing|persistent|enduring|further)\s+)?"
                  r"gap\b(?!\s+(?:year|between))"), "intelligence gap", 0.75),
    _Cue(_compile(r"\bblind" + _HYPHEN + r"spots?\b"), "blind spot", CLEAR),
    _Cue(_compile(r"\bunknowns?\b"), "unknown",
         lambda match, sentence: 0.6 if match.group(0).lower().endswith("s")
         else _unknown_confidence(match, sentence), is_word_cue=True),
    _Cue(_compile(r"\bnot\s+(?:yet\s+|currently\s+|fully\s+|precisely\s+|reliably\s+|widely\s+"
                  r"|clearly\s+|accurately\s+|exactly\s+|well\s+)?known\b"),
         "not known", _not_known_confidence),
    _Cue(_compile(r"\b(?:we|analysts|it|law\s+enforcement|partners)\s+(?:do|does|did)\s*"
                  r"(?:not|n['’]t)\s+(?:yet\s+|currently\s+|fully\s+)?know\b"),
         "not known", STRONG),
    _Cue(_compile(r"\blittle\s+(?:\w+\s+)?(?:is|was|has\s+been)\s+(?:currently\s+)?known\b"),
         "little is known", 0.85),
    _Cue(_compile(r"\b(?:remains?|remained)\s+(?:\w+\s+)?(?:unclear|not\s+clear)\b"),
         "remains unclear", STRONG),
    _Cue(_compile(r"\bunclear\b"), "unclear", STRONG, is_word_cue=True),
    _Cue(_compile(r"\bnot\s+(?:yet\s+|entirely\s+|fully\s+|immediately\s+)?clear\b(?![\-‐‑])"),
         "unclear", 0.85),
    _Cue(_compile(r"\bnot\s+always\s+clear\b"), "unclear", 0.7),
    _Cue(_compile(r"\b(?:far|much)\s+from\s+clear\b"), "unclear", 0.85),
    _Cue(_compile(r"\bless\s+clear\b"), "less clear", CLEAR),
    _Cue(_compile(r"\buncertain\s+(?:whether|how|what|why|when|where|if|as\s+to|to\s+what"
                  r"|which|who)\b|\b(?:remains?|remained)\s+(?:\w+\s+)?uncertain\b"
                  r"|\bit\s+is\s+(?:\w+\s+)?uncertain\b"), "uncertain", CLEAR),
    _Cue(_compile(r"\buncertaint(?:y|ies)\s+(?:about|over|around|regarding|as\s+to|surrounding"
                  r"|remains?|exists?)\b"), "uncertain", 0.7),
    _Cue(_compile(r"\b(?:poorly|not\s+(?:yet\s+|fully\s+|well\s+|clearly\s+)|little|barely"
                  r"|only\s+partially|partially|partly|imperfectly|incompletely|less\s+well)"
                  r"\s*understood\b"), "poorly understood", CLEAR),
    _Cue(_compile(r"\b(?:unable|not\s+able|cannot|can\s*not|can['’]t|could\s*not|couldn['’]t)"
                  r"\s+(?:to\s+)?" + _ADVERB + r"(?P<verb>" + _EPISTEMIC_VERBS + r")\b"),
         lambda match: f"unable to {match.group('verb').lower()}", 0.85),
    _Cue(_compile(r"\bnor\s+(?:are|is|were|was|can|could|do|did)\s+(?:we|it|they|analysts)\s+"
                  r"(?:\w+\s+)?able\s+to\s+" + _ADVERB + r"(?P<verb>" + _EPISTEMIC_VERBS + r")\b"),
         lambda match: f"unable to {match.group('verb').lower()}", 0.85),
    _Cue(_compile(r"\b(?:cannot|can\s*not|can['’]t|could\s*not|couldn['’]t)\s+(?:yet\s+)?be\s+"
                  + _ADVERB + r"(?P<participle>" + _PARTICIPLE_WORDS + r")\b"),
         lambda match: "not possible to "
         + _PARTICIPLES[match.group("participle").lower()], CLEAR),
    _Cue(_compile(r"\b(?:not\s+|im)possible\s+to\s+" + _ADVERB + r"(?P<verb>"
                  + _EPISTEMIC_VERBS + r")\b"),
         lambda match: f"not possible to {match.group('verb').lower()}", CLEAR),
    _Cue(_compile(r"\bno\s+(?:way|means)\s+of\s+(?P<participle>" + _PARTICIPLE_WORDS + r")\b"),
         lambda match: "not possible to "
         + _PARTICIPLES[match.group("participle").lower()], CLEAR),
    _Cue(_compile(r"\b(?:difficult|hard|challenging|problematic|not\s+(?:always\s+)?easy)\s+to\s+"
                  + _ADVERB + r"(?P<verb>" + _EPISTEMIC_VERBS + r")\b"),
         lambda match: f"difficult to {match.group('verb').lower()}", HEDGED),
    _Cue(_compile(r"\bdifficult(?:y|ies)\s+(?:in\s+)?(?P<participle>" + _PARTICIPLE_WORDS
                  + r")\b"),
         lambda match: "difficult to " + _PARTICIPLES[match.group("participle").lower()], HEDGED),
    _Cue(_compile(r"(?P<owner_text>\b(?:understanding|knowledge|insight|visibility)\b)"
                  r"[^;]{0,200}?\b" + _COPULA + r"\s+(?:\w+\s+)?(?:low|limited|poor|partial"
                  r"|incomplete|patchy|weak|sparse|minimal|basic|immature|underdeveloped"
                  r"|lacking)\b"),
         "understanding is low", _understanding_confidence),
    _Cue(_compile(r"\b(?:limited|poor|low|partial|incomplete|patchy|little|weak|minimal)\s+"
                  r"(?:level\s+of\s+)?(?P<owner_text>understanding|knowledge|insight)\b"),
         "limited understanding",
         lambda match, sentence: min(0.75, _understanding_confidence(match, sentence))),
    _Cue(_compile(r"\b(?:limited|little|low|poor|no|reduced)\s+visibility\b"),
         "limited visibility", 0.7),
    _Cue(_compile(r"\blimited\s+(?:amount|number|volume|level)s?\s+of\s+[^;]{0,80}?\b"
                  r"(?:visible|known\s+to|reported|recorded)\b"), "limited visibility", 0.5),
    _Cue(_compile(r"\b(?:limited|poor|sketchy)\s+(?:\w+\s+){0,2}?picture\b"),
         "limited picture", 0.7),
    _Cue(_compile(r"\b(?:partial|incomplete|patchy)\s+(?:\w+\s+){0,2}?picture\b"),
         "partial picture", 0.7),
    _Cue(_compile(r"\bpicture\b[^;]{0,120}?\b" + _COPULA + r"\s+(?:\w+\s+)?(?:limited|partial"
                  r"|incomplete|patchy|poor|mixed|unclear)\b"), "limited picture", 0.7),
    _Cue(_compile(r"\bfragment(?:ed|ary|ation)\b"), "fragmented", _fragmented_confidence),
    _Cue(_compile(r"\b(?:lack|lacks|lacking|absence|paucity|dearth|scarcity|shortage)\s+(?:of\s+)?"
                  r"(?:\w+\s+){0,2}?" + _INFORMATION + r"\b"), "lack of information",
         lambda match, sentence: WEAK if re.search(
             r"\b(?:prosecut\w*|charg\w*|convict\w*|trial|court|case\s+collapsed|acquitt\w*)",
             sentence, re.IGNORECASE) else CLEAR),
    _Cue(_compile(r"\b(?:insufficient|inadequate|not\s+sufficient)\s+(?:\w+\s+){0,2}?"
                  + _INFORMATION + r"\b"), "insufficient data", 0.7),
    _Cue(_compile(r"\b(?:data|information|intelligence|evidence|reporting|figures|statistics"
                  r"|records|recording)\b[^;]{0,80}?\b" + _COPULA + r"\s+(?:\w+\s+)?"
                  r"(?:insufficient|inadequate|incomplete|sparse|scarce|patchy|lacking)\b"),
         "insufficient data", 0.7),
    _Cue(_compile(r"\bno\s+(?:reliable|robust|accurate|official|national|comprehensive|consistent"
                  r"|definitive|current|recent)\s+(?:\w+\s+)?(?:estimates?|figures?|data|measures?"
                  r"|statistics|picture|assessments?|information)\b"), "insufficient data", 0.75),
    _Cue(_compile(r"\b(?:limited|little|scant|sparse|minimal)\s+(?:reliable\s+|robust\s+"
                  r"|available\s+|current\s+|recent\s+)?(?:information|intelligence|data"
                  r"|reporting|research|evidence|statistics)\b"),
         "limited information", _limited_information_confidence),
    _Cue(_compile(r"\b(?:unreliable|not\s+reliable|inaccurate|poor" + _HYPHEN + r"quality"
                  r"|low" + _HYPHEN + r"quality|variable" + _HYPHEN + r"quality)\s+(?:\w+\s+)?"
                  r"(?:data|information|intelligence|figures|statistics|estimates|reporting"
                  r"|recording|records)\b"), "unreliable data", 0.7),
    _Cue(_compile(r"\b(?:low|limited|little|poor)\s+(?:levels?\s+of\s+|amounts?\s+of\s+)?"
                  r"(?:reliable|robust|accurate|good" + _HYPHEN + r"quality)\s+(?:data|information"
                  r"|intelligence|figures|statistics|estimates|evidence)\b"),
         "unreliable data", 0.75),
    _Cue(_compile(r"\b(?:data|figures|statistics|estimates|information|recording|records)\b"
                  r"[^;]{0,60}?\b" + _COPULA + r"\s+(?:\w+\s+)?(?:unreliable|inconsistent"
                  r"|inaccurate)\b"), "unreliable data", 0.7),
    _Cue(_compile(r"\binconsisten(?:t|cy|cies)\s+(?:in\s+(?:the\s+)?)?(?:\w+\s+)?(?:measurement"
                  r"|measuring|recording|definitions?|data|reporting|methods?|methodolog(?:y|ies)"
                  r"|statistics|figures|approaches)\b"), "inconsistent data", IMPLIED),
    _Cue(_compile(r"\bunder" + _HYPHEN + r"(?:report|record)(?:ed|ing|s)?\b"),
         "under-reported", 0.6),
    _Cue(_compile(r"\bunder" + _HYPHEN + r"estimat(?:e|es|ed|ion|ing)\b"),
         "underestimated", IMPLIED),
    _Cue(_compile(r"\btip\s+of\s+the\s+iceberg\b"), "underestimated", 0.6),
    _Cue(_compile(r"\b(?:true|real|actual|full)\s+(?:scale|extent|number|level|size|prevalence"
                  r"|volume|figure)\b[^;]{0,80}?\b(?:higher|greater|larger)\b"),
         "underestimated", IMPLIED),
    _Cue(_compile(r"\bno\s+(?:data|figures|statistics|information)\s+(?:on|about|for|regarding"
                  r"|exists?|is\s+available|are\s+available)\b"), "insufficient data", 0.7),
    _Cue(_compile(r"\b(?:largely|often|mostly|remains?)\s+hidden\b|\bhidden\s+(?:crimes?|harms?)\b"),
         "hidden", 0.5),
    _Cue(_compile(r"\b(?:undetermined|indeterminate)\b"), "undetermined", 0.85, is_word_cue=True),
    _Cue(_compile(r"\b(?:unquantified|unquantifiable|unmeasured|unmeasurable)\b"),
         "unquantified", CLEAR, is_word_cue=True),
    _Cue(_compile(r"\b(?:has|have|had|is|are|remains?)\s+(?:yet|still)\s+to\s+be\s+" + _ADVERB
                  + r"(?:determined|established|assessed|quantified|confirmed|understood"
                  r"|measured|estimated)\b|\bremains?\s+to\s+be\s+(?:determined|established"
                  r"|confirmed|quantified|assessed)\b"), "undetermined", 0.75),
    _Cue(_compile(r"\b(?:has|have|had)\s+(?:not|never)\s+been\s+" + _ADVERB
                  + r"(?:quantified|measured|assessed|established|determined|mapped|researched"
                  r"|studied|estimated|evaluated)\b"), "unquantified", 0.7),
    _Cue(_compile(r"\b(?:is|are)\s+not\s+(?:centrally\s+|routinely\s+|systematically\s+"
                  r"|consistently\s+|currently\s+)?(?:recorded|collected|captured|measured"
                  r"|monitored)\b"), "not recorded", 0.6),
    _Cue(_compile(r"\bopen\s+question\b|\bunanswered\s+questions?\b"), "open question", 0.7),
    _Cue(_compile(r"\bestimates?\s+(?:\w+\s+)?(?:vary|varies|differ|differs|range)\s+"
                  r"(?:widely|considerably|significantly|greatly|substantially)\b"),
         "estimates vary", 0.6),
    _Cue(_compile(r"\bonly\s+(?:\w+\s+)?(?:capture|captures|captured|reflect|reflects|reflected"
                  r"|represent|represents|represented|show|shows|constitute|constitutes"
                  r"|accounts?\s+for|cover|covers|provides?)\s+(?:details\s+of\s+)?(?:a|an|some"
                  r"|part|one)\s+(?:small\s+|limited\s+)?(?:proportion|fraction|part|portion"
                  r"|snapshot|subset|glimpse)\b"
                  r"|\b(?:constitutes?|represents?|reflects?|captures?|shows?|accounts?\s+for)"
                  r"\s+only\s+(?:a|an|some|part|one)\s+(?:small\s+)?(?:proportion|fraction|part"
                  r"|portion|snapshot|subset)\b"
                  r"|\bonly\s+partially\s+(?:reflects?|captures?|represents?|shows?)\b"),
         "partial picture", _partial_confidence),
)

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
            return CueMatch(cue="listed gap", confidence=0.7, start=0, end=0)
        return None
    best = max(matches, key=lambda match: (match.confidence, -match.start))
    distinct = {match.cue for match in matches}
    confidence = min(0.98, best.confidence + 0.05 * (len(distinct) - 1))
    if LOOK_ALIKES.search(sentence):
        confidence *= 0.9
    return CueMatch(cue=best.cue, confidence=round(confidence, 2), start=best.start, end=best.end)


def find_cues(sentence: str) -> list[CueMatch]:
    """Every gap cue in a sentence that survives the look-alike rules, with its confidence."""
    quoted = [(span.start(), span.end()) for pattern in _QUOTED_SPANS
              for span in pattern.finditer(sentence)]
    found: list[CueMatch] = []
    for cue in CUES:
        for match in cue.pattern.finditer(sentence):
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
            found.append(CueMatch(cue=label, confidence=confidence, start=match.start(),
                                  end=match.end()))
    return found


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
    opening = sentence[: match.start()]
    if CONDITIONAL_OPENING.match(opening.strip()) and "," in sentence[match.end():]:
        confidence *= 0.5  # "Where the offender is unknown, police…" sets a condition
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
