"""A fictional assessment in another crime area: exactly the planted gaps are found."""

from pathlib import Path

import pytest

from gaps.importer import ImportedAssessment, import_bytes

DOCUMENT = Path(__file__).parent / "documents" / "fraud-2024.txt"

PLANTED = [
    ("Key judgements", "The true scale of fraud against businesses is unknown because most of it "
                       "is never reported to police."),
    ("Investment fraud", "The proportion of investment fraud committed by organised crime groups "
                         "based overseas is not known."),
    ("Investment fraud", "We assess that investment fraud is significantly under-reported, as many "
                         "victims feel embarrassed or do not realise that they have been defrauded "
                         "until months after the last payment has left their account."),
    ("Payment diversion fraud", "The number of businesses that lose money without reporting it "
                                "remains unclear."),
    ("Payment diversion fraud", "Reports held by banks, police and trade bodies are not routinely "
                                "shared, so our picture of losses is fragmented."),
    ("Enablers", "The extent to which insiders in telecoms companies assist SIM-swap fraud is an "
                 "intelligence gap."),
    ("Enablers", "We are unable to determine how many money mule accounts are controlled by the "
                 "groups described above."),
    ("Enablers", "Our understanding of how fraud proceeds are laundered through cryptocurrency "
                 "exchanges is low."),
    ("Enablers", "Recorded crime data for fraud against businesses are unreliable, because many "
                 "firms report only to their bank."),
    ("Enablers", "The harm to victims' mental health is difficult to quantify."),
]


@pytest.fixture(scope="module")
def fraud() -> ImportedAssessment:
    """The fictional fraud assessment, read from its bytes."""
    return import_bytes(DOCUMENT.read_bytes(), DOCUMENT.name)


def test_exactly_the_planted_gaps_are_found(fraud):
    assert [(gap.section, gap.sentence) for gap in fraud.candidate_gaps] == PLANTED


def test_decimal_numbering_is_kept_in_the_text_and_never_invented(fraud):
    assert all(paragraph.number is None for paragraph in fraud.paragraphs)
    labels = [paragraph.text.split()[0] for paragraph in fraud.paragraphs
              if paragraph.text[:1].isdigit()]
    assert labels == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7",
                      "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "4.1", "4.2", "4.3",
                      "4.4", "4.5", "4.6", "4.7", "4.8"]


def test_structure_of_the_fraud_assessment(fraud):
    assert fraud.title == "National Fraud Threat Assessment 2024"
    assert fraud.metadata == {"reference": "NFTA-2024-01", "version": "1.1",
                              "published": "2024-03-03", "marking": "OFFICIAL-SENSITIVE"}
    assert [judgement.text for judgement in fraud.key_judgements] == [
        "Fraud remains the most commonly experienced crime against individuals in England and "
        "Wales.",
        "The true scale of fraud against businesses is unknown because most of it is never "
        "reported to police.",
        "Organised crime groups will continue to exploit new payment technologies within the "
        "next 12 months.",
    ]
    sections = {paragraph.section for paragraph in fraud.paragraphs}
    assert sections == {"Key judgements", "Investment fraud", "Payment diversion fraud",
                        "Enablers"}
    texts = [paragraph.text for paragraph in fraud.paragraphs]
    assert not any("........" in text or "Page " in text or "See the Enablers" in text
                   for text in texts)
    assert any(text.startswith("3.7 Losses are concentrated among small and medium-sized "
                               "businesses, which") for text in texts)
    table = [text for text in texts if text.startswith("Table 1.")]
    assert len(table) == 1 and table[0].count("\n") == 4
    mules = next(text for text in texts if text.startswith("4.4"))
    assert mules.count("\n") == 3
