"""Gap cues and their look-alikes, sentence by sentence; sentence splitting."""

from pathlib import Path

import pytest

from gaps.importer import cues, find_cue, split_sentences
from gaps.importer.measure import load_corpus
from gaps.importer.reader import MIN_CONFIDENCE

CORPUS = Path(__file__).parent / "corpus" / "sentences.jsonl"

CUES = [
    # Explicit admissions.
    ("The scale of firearms trafficking is unknown.", "unknown"),
    ("The number of victims remains largely unknown.", "unknown"),
    ("An unknown number of weapons are converted each year.", "unknown"),
    ("It is not known whether the supplier is linked to other groups.", "not known"),
    ("The size of the market is not yet known.", "not known"),
    ("We do not know how the proceeds leave the UK.", "not known"),
    ("Little is known about the buyers.", "little is known"),
    ("It is unclear how the money is laundered.", "unclear"),
    ("It is not clear whether the two groups cooperate.", "unclear"),
    ("The role of couriers is less clear.", "less clear"),
    ("It remains unclear whether the trend will continue.", "remains unclear"),
    ("Whether prices will fall remains uncertain.", "uncertain"),
    ("How the groups recruit is poorly understood.", "poorly understood"),
    ("Cash-based laundering represents an intelligence gap.", "intelligence gap"),
    ("There are significant knowledge gaps about the supply chain.", "intelligence gap"),
    ("There is a gap in our understanding of mule networks.", "intelligence gap"),
    ("This has been identified as a previous intelligence gap.", "intelligence gap"),
    ("We are unable to state how many guns circulate.", "unable to state"),
    ("We are unable to categorically state that reporting reflects offending.", "unable to state"),
    ("Nor are we able to state the degree to which the increase is real.", "unable to state"),
    ("It is not possible to determine the proportion of fraud reported.",
     "not possible to determine"),
    ("It is not possible to easily determine the actual level of offending.",
     "not possible to determine"),
    ("The number of victims cannot be reliably estimated.", "not possible to estimate"),
    ("The origin of the precursor chemicals is undetermined.", "undetermined"),
    ("We may never know why he chose the target.", "may never be known"),
    ("The cause of the fire has not yet been established.", "not yet established"),
    ("It is rare that specific threat information is available.", "rarely available"),
    ("These cases rarely come to the attention of the police.", "unseen by the authorities"),
    ("The estimate casts doubt on the reliability of the survey.", "reliability in doubt"),
    ("Forces lack a method for estimating the number of couriers.", "no method to estimate"),
    ("The losses have yet to be quantified.", "undetermined"),
    ("Our understanding of the supply chain is low.", "understanding is low"),
    ("Our understanding of the extent to which groups hide their profits from law enforcement "
     "is low.", "understanding is low"),
    ("The intelligence picture of online fraud is limited.", "limited picture"),
    ("There is a limited intelligence picture nationally.", "limited picture"),
    ("We have limited visibility of encrypted platforms.", "limited visibility"),
    # Hedged and implied admissions.
    ("Fraud is widely under-reported by businesses.", "under-reported"),
    ("Fraud is widely under\u2011reported by businesses.", "under-reported"),
    ("Offending against males is under reported.", "under-reported"),
    ("Under-reporting of incidents by victims.", "under-reported"),
    ("Reporting on the market is fragmented across agencies.", "fragmented"),
    ("The picture of volume (i.e. the number of sites) is fragmented.", "fragmented"),
    ("The scale of the problem is difficult to quantify.", "difficult to quantify"),
    ("The harm is hard to assess.", "difficult to assess"),
    ("Intent is difficult to discern from the messages.", "difficult to discern"),
    ("There is insufficient data to assess the trend.", "insufficient data"),
    ("Arrest data alone is insufficient in assessing the scale of the threat.",
     "insufficient data"),
    ("Recorded crime data are unreliable for this offence.", "unreliable data"),
    ("Low levels of reliable data make the issue difficult to quantify.", "unreliable data"),
    ("There is a lack of information about overseas suppliers.", "lack of information"),
    ("There are no reliable estimates of the number of users.", "insufficient data"),
    ("Inconsistencies in the recording of offences across forces.", "inconsistent data"),
    # Look-alikes: findings, plans, names, quotations and other gaps.
    ("Previously unknown offenders were identified during the operation.", None),
    ("More previously-unknown offenders are identified each year.", None),
    ("The operation led to the identification of previously unknown offenders.", None),
    ("Nine of the ten offenders were not known to police.", None),
    ("The funding will be used to fill gaps in a programme of training.", None),
    ("Many recruits took a gap year before joining.", None),
    ("The gender pay gap in the force has narrowed.", None),
    ("Officers described the suspect as 'unknown to us' in interviews.", None),
    ("Officers described the suspect as \"unknown\" in interviews.", None),
    ("Sector bodies describe the threat as \u2018largely unknown\u2019 in their guidance.", None),
    ("Operation Unknown Soldier led to 12 arrests.", None),
    ("Unknown Soldier was the name given to the operation.", None),
    ("It is not unknown for couriers to carry weapons.", None),
    ("The market is fragmented into many small groups.", None),
    ("Limited reporting indicates that the group uses couriers.", None),
    ("There is no intelligence to suggest the group has firearms.", None),
    ("The NCA will work to address knowledge gaps in this area.", None),
    ("The 2016 assessment also outlines significant gaps in our understanding.", None),
    ("Police were unable to identify the driver.", None),
    ("Where the identity of the victim is unknown, officers record it as such.", None),
    ("It is clear that demand is rising.", None),
    ("The group is well known to local police.", None),
    ("The content is not always easy to find.", None),
    ("The distinction between the two offences is not clear-cut.", None),
    ("The app is not well known among young people.", None),
    ("The prosecution failed because of a lack of evidence.", None),
    ("Substances of unknown purity are sold at festivals.", None),
]


def cue_of(sentence: str) -> str | None:
    """The cue a sentence is proposed with, or None when it would not be proposed."""
    match = find_cue(sentence)
    return match.cue if match and match.confidence >= MIN_CONFIDENCE else None


@pytest.mark.parametrize(("sentence", "cue"), CUES)
def test_cue_of_sentence(sentence, cue):
    assert cue_of(sentence) == cue


@pytest.mark.parametrize("sentence", [
    "The scale of firearms trafficking is unknown.",
    "Cash-based laundering represents an intelligence gap.",
    "It is not known whether the supplier is linked to other groups.",
    "It is unclear how the money is laundered.",
])
def test_strong_explicit_cues_are_confident(sentence):
    assert find_cue(sentence).confidence >= 0.8


@pytest.mark.parametrize("sentence", [
    "Fraud is widely under-reported by businesses.",
    "Reporting on the market is fragmented across agencies.",
    "The scale of the problem is difficult to quantify.",
    "We have limited visibility of encrypted platforms.",
])
def test_hedged_cues_are_less_confident(sentence):
    assert MIN_CONFIDENCE <= find_cue(sentence).confidence < 0.8


def test_nearby_look_alike_lowers_confidence():
    plain = find_cue("The number of offenders is unknown.")
    nearby = find_cue("The number of offenders is unknown, although previously unknown "
                      "offenders are identified every year.")
    assert nearby.confidence < plain.confidence


def test_several_cues_raise_confidence():
    one = find_cue("The issue is difficult to quantify.")
    several = find_cue("Low levels of reliable data make the issue difficult to quantify with a "
                       "limited intelligence picture nationally.")
    assert several.confidence > one.confidence
    assert several.confidence <= 1


def test_sentences_listed_under_a_gaps_heading_are_candidates():
    assert find_cue("The scale of cryptocurrency use by organised groups.",
                    section="Intelligence gaps").cue == "listed gap"
    assert find_cue("The scale of cryptocurrency use by organised groups.",
                    section="Supply") is None


@pytest.mark.parametrize(("text", "sentences"), [
    ("Around 11% reported abuse (c. 1.3 million). The figure is high.",
     ["Around 11% reported abuse (c. 1.3 million).", "The figure is high."]),
    ("Roles (e.g. running a youth club) matter. Others i.e. teachers do too.",
     ["Roles (e.g. running a youth club) matter.", "Others i.e. teachers do too."]),
    ("Mr. J. Smith of No. 5 Squadron agreed. So did Dr. Jones.",
     ["Mr. J. Smith of No. 5 Squadron agreed.", "So did Dr. Jones."]),
    ("Is it rising? Yes! It rose by 2.5 per cent.",
     ["Is it rising?", "Yes!", "It rose by 2.5 per cent."]),
    ("Lead-in:\n- a. first item;\n(b) second item.",
     ["Lead-in:", "first item;", "second item."]),
    ("He said 'it is unknown.' Then he left.", ["He said 'it is unknown.'", "Then he left."]),
])
def test_split_sentences(text, sentences):
    assert split_sentences(text) == sentences


def test_anchor_words_never_hide_a_cue(monkeypatch):
    """Looking only at the cues whose words occur finds what trying every cue finds."""
    sentences = [sentence for sentence, _ in CUES] + [
        labelled.text for labelled in load_corpus(CORPUS)]
    quick = [cues.find_cues(sentence) for sentence in sentences]
    monkeypatch.setattr(cues, "_possible_cues", lambda sentence: range(len(cues.CUES)))
    assert [cues.find_cues(sentence) for sentence in sentences] == quick
