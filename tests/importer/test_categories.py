"""Categories of admission: each cue family on its own sentences, and the look-alikes it spares."""

import pytest

from gaps.importer import CATEGORIES, CATEGORY_NAMES, find_cue, read_assessment
from gaps.importer.reader import MIN_CONFIDENCE

# (sentence, category). The first of each family are the issue's own examples.
ADMISSIONS = [
    # Explicit gap or unknown.
    ("Why the group switched suppliers in March is not known.", "explicit"),
    ("We do not know whether the broker also supplies weapons.", "explicit"),
    ("Agencies are divided on whether the network still operates.", "explicit"),
    ("The remaining incidents are unexplained.", "explicit"),
    ("There is no obvious reason for the sudden rise in seizures at the port.", "explicit"),
    ("Some analysts are unable to make a determination on the point.", "explicit"),
    ("Our partners still do not understand how the network recruits couriers.", "explicit"),
    ("Our knowledge of the group's finances falls well short of what investigators need.",
     "explicit"),
    ("The agencies remain unable to agree on the group's intentions.", "explicit"),
    ("We may never know why the courier changed his route.", "explicit"),
    ("The government does not yet fully understand how the networks launder their profits.",
     "explicit"),
    ("How the precursors reach the laboratories has not been established.", "explicit"),
    # Scale or prevalence not measurable.
    ("The true number of victims is difficult to estimate.", "scale"),
    ("The size of the market is unknown.", "scale"),
    ("It is not known how many couriers the network employs.", "scale"),
    ("Estimating the prevalence of forced labour in agriculture is challenging.", "scale"),
    ("There are no reliable estimates of the number of users.", "scale"),
    ("The true extent of the trade will never be fully measured.", "scale"),
    ("Agencies have not yet developed a reliable method for counting victims of forced labour.",
     "scale"),
    # Under-reporting.
    ("Most offences are never reported to police.", "under_reporting"),
    ("Fraud against small firms is widely under-reported.", "under_reporting"),
    ("Only about one in ten incidents were reported to the police.", "under_reporting"),
    ("Victims are less likely to report abuse by a family member.", "under_reporting"),
    ("The real number of attacks is far higher than is recorded by forces.", "under_reporting"),
    ("Many assaults on delivery drivers remain unreported.", "under_reporting"),
    ("Victims of labour exploitation in agriculture go largely uncounted.", "under_reporting"),
    ("Many victims are unwilling to report the abuse to police.", "under_reporting"),
    ("The reluctance of small businesses to report attacks is well documented.",
     "under_reporting"),
    # Measurement or data limitation.
    ("Seizure figures do not necessarily reflect the volume trafficked.", "data_limitation"),
    ("Definitions of county lines vary between forces.", "data_limitation"),
    ("Recorded figures for 2023 are not directly comparable with earlier years.",
     "data_limitation"),
    ("Police data capture only a small proportion of the offences committed.",
     "data_limitation"),
    ("There is no single source that records every referral.", "data_limitation"),
    ("Hospital records are limited, as they rarely say which drug was taken.",
     "data_limitation"),
    ("Many forces do not hold reliable data on the ethnicity of suspects.", "data_limitation"),
    ("These limitations arise from the way offences are coded by forces.", "data_limitation"),
    ("A fall in arrests does not necessarily mean that the market has shrunk.",
     "data_limitation"),
    ("The sightings may reflect a collection bias towards well-watched areas.",
     "data_limitation"),
    ("Only offences that are reported to police can be counted in the recorded figures.",
     "data_limitation"),
    ("The seizure figures published by the two agencies are questionable.", "data_limitation"),
    ("Data on arrests for trafficking are often not collected by regional forces.",
     "data_limitation"),
    # Attribution difficulty.
    ("Attributing this activity to a state rather than a proxy is often not possible.",
     "attribution"),
    ("It is difficult to link the attacks to any single group.", "attribution"),
    ("Attribution of the intrusions remains challenging.", "attribution"),
    ("We are unable to attribute the campaign with confidence.", "attribution"),
    ("Nine of the reported incidents remain unattributed.", "attribution"),
    ("Those responsible for the sabotage have not yet been identified.", "attribution"),
    ("Proxy servers make attribution of the intrusions difficult.", "attribution"),
    ("Analysts cannot agree on which group was responsible for the attack.", "attribution"),
    # Ongoing investigation or emerging understanding.
    ("Investigators are still establishing who was behind the attacks.", "ongoing"),
    ("It is too early to say whether the fall in arrivals will last.", "ongoing"),
    ("We cannot rule out other causes while investigations continue.", "ongoing"),
    ("Several of these reports require further analysis.", "ongoing"),
    ("The picture is still emerging as more reports come in.", "ongoing"),
    ("Investigators continue to work to establish how the device was built.", "ongoing"),
    # Limited visibility or access.
    ("Our ability to anticipate their targets is limited.", "visibility"),
    ("We have limited visibility of payments made through informal channels.", "visibility"),
    ("Encrypted platforms hamper our ability to collect intelligence on the group.",
     "visibility"),
    ("Abuse within families remains challenging to detect.", "visibility"),
    ("We have no sources with direct access to the group's leadership.", "visibility"),
    ("Access to the seized servers would be needed to reach a conclusive assessment.",
     "visibility"),
    ("Encrypted messaging makes detection of the plots difficult.", "visibility"),
    ("It is rare that precise information on their movements is available.", "visibility"),
    ("Most of this activity never comes to the attention of the police.", "visibility"),
    ("Investigators were unable to obtain the records held by the foreign bank.", "visibility"),
    # Hedged or thin evidence.
    ("We judge with low confidence that the group has moved abroad.", "hedged"),
    ("We do not have the same degree of confidence in the reporting on the second site.",
     "hedged"),
    ("The account rests on uncorroborated reporting from a single informant.", "hedged"),
    ("The evidence for a link between the two networks is thin.", "hedged"),
    ("The claim cannot currently be substantiated.", "hedged"),
    ("Little of the reporting on the group is first-hand.", "hedged"),
    ("Much of the judgement on the group's intent is inferential.", "hedged"),
    ("Given the thinness of the intelligence base, the judgement is provisional.", "hedged"),
    ("Intelligence on the group's suppliers is limited.", "hedged"),
    ("The source's poor track record casts doubt on the reliability of his reporting.", "hedged"),
]

# Sentences that share words with a family but admit no gap in what the agency knows.
LOOK_ALIKES = [
    "Ransomware remains a persistent threat to businesses.",
    "We judge that the group will almost certainly expand into new markets.",
    "There is no evidence that the group has obtained firearms.",
    "Unknown attackers exploited a flaw in the firewall.",
    "The funding gap for local policing has widened.",
    "Attackers exploited a security gap in the supplier's software.",
    "A criminal investigation is now under way and three people have been arrested.",
    "In the previous edition, seizures were used in the absence of suitable information.",
    "The picture is incomplete without analysing the groups' finances.",
    "Estimates are more difficult to make over a longer period.",
    "People with mixed or unclear ideologies also come to our attention.",
    "In cases where reporting gaps exist, this is noted in the tables.",
    "Police were unable to identify the driver.",
    "Criminal cash entering the economy is vulnerable to identification.",
    "We know that demand for cocaine is rising.",
    "Economists are divided over whether the recession will deepen.",
    "We do not know its eventual cost, but the disruption is already severe.",
    "Unclear or shifting motives can make an attack hard to classify.",
    "The evidence suggests that the group's reach is limited.",
    "The dataset is limited to incidents reported by the armed forces.",
    "Victims often do not understand that they are being exploited.",
    "The strengths and limitations of each source are described in the annex.",
    "There is uncertainty over the budget for the coming year.",
    "The views expressed do not necessarily reflect the official policy of the agency.",
    "The views in this report do not necessarily reflect those of the Home Office.",
    "The agency lacks a way to measure the success of its campaigns.",
    "The direction of the conflict is difficult to predict.",
    "The suspect was unable to obtain a visa.",
    "The employee did not access the data stored on the server.",
    "Data on the scheme are not available to the public.",
    "Investigators failed to obtain enough evidence to charge the suspect.",
    "We will never forget the victims of the attack.",
]


def category_of(sentence: str) -> str | None:
    """The category a sentence is proposed with, or None when it would not be proposed."""
    match = find_cue(sentence)
    return match.category if match and match.confidence >= MIN_CONFIDENCE else None


@pytest.mark.parametrize(("sentence", "category"), ADMISSIONS)
def test_admission_is_proposed_with_its_category(sentence, category):
    assert category_of(sentence) == category


@pytest.mark.parametrize("sentence", LOOK_ALIKES)
def test_look_alike_is_not_proposed(sentence):
    assert category_of(sentence) is None


def test_every_category_has_cues_a_name_and_examples():
    assert set(CATEGORY_NAMES) == set(CATEGORIES)
    assert {category for _, category in ADMISSIONS} == set(CATEGORIES)


def test_a_specific_kind_of_admission_wins_over_a_bare_gap_word():
    sentence = ("Two agencies judge it unlikely, with low confidence, because of collection gaps "
                "in the reporting.")
    assert category_of(sentence) == "hedged"


def test_candidates_carry_category_and_cue_into_the_json():
    assessment = read_assessment("Supply\n\n1. The volume of pills sold online is difficult to "
                                 "estimate.\n2. Most victims never report the theft to police.\n")
    gaps = assessment.to_json_dict()["candidate_gaps"]
    assert [(gap["category"], gap["cue"]) for gap in gaps] == [
        ("scale", "difficult to estimate"), ("under_reporting", "not reported")]
