"""Structure that generalises: paragraph breaks, key-judgement headings, footnote markers."""

from pathlib import Path

import pytest

from gaps.importer import import_bytes, read_assessment, split_sentences

DOCUMENTS = Path(__file__).parent / "documents"


def paragraphs_of(text: str) -> list[tuple[str, str]]:
    """(section, text) of every paragraph of a document."""
    return [(paragraph.section, paragraph.text) for paragraph in read_assessment(text).paragraphs]


def test_paragraphs_separated_by_single_line_breaks():
    document = ("Drugs Assessment\n\nSupply\n"
                "Most cocaine arrives in containers through the main ports.\n"
                "The number of couriers working for each network is not known.\n"
                "Prices at street level have been stable for two years.\n"
                "Purity has risen since 2022, according to forensic testing.\n"
                "Crack cocaine use is rising in several cities.\n"
                "Wholesale prices fell slightly during 2024.\n")
    assert paragraphs_of(document) == [
        ("Supply", "Most cocaine arrives in containers through the main ports."),
        ("Supply", "The number of couriers working for each network is not known."),
        ("Supply", "Prices at street level have been stable for two years."),
        ("Supply", "Purity has risen since 2022, according to forensic testing."),
        ("Supply", "Crack cocaine use is rising in several cities."),
        ("Supply", "Wholesale prices fell slightly during 2024."),
    ]


def test_hard_wrapped_paragraphs_separated_by_single_line_breaks():
    # Wrapped at 72 characters, as a text editor would: a line ends its paragraph when it ends a
    # sentence with room left for the next line's first word.
    document = (
        "Firearms Assessment\n\nSupply\n"
        "Converted blank-firing pistols remain the most common firearm recovered\n"
        "by police in the last year, followed by shotguns stolen from owners.\n"
        "The number of privately made firearms produced with 3D printers is not\n"
        "known, although seizures remain rare and most printed weapons were\n"
        "incomplete.\n"
        "Demand comes mostly from drug supply networks protecting their territory\n"
        "and cash, and from younger offenders seeking status.\n")
    texts = [text for _, text in paragraphs_of(document)]
    assert [text[:28] for text in texts] == ["Converted blank-firing pisto",
                                             "The number of privately made",
                                             "Demand comes mostly from dru"]
    assert texts[1].endswith("not known, although seizures remain rare and most printed weapons "
                             "were incomplete.")


@pytest.mark.parametrize("break_after", ["U.S.", "e.g."])
def test_a_line_ending_in_a_dotted_abbreviation_goes_on(break_after):
    before, after = {"U.S.": ("limited to reporting by the U.S.", "Government since 2004."),
                     "e.g.": ("Some groups launder cash abroad, e.g.", "Dubai and Hong Kong.")}[
        break_after]
    document = ("UAP Assessment\n\nData\n1. The dataset is small.\n\n"
                f"2. The dataset is {before}\n{after}\n\n3. Most reports are from pilots.\n")
    assert [text for _, text in paragraphs_of(document)] == [
        "The dataset is small.", f"The dataset is {before} {after}",
        "Most reports are from pilots."]


def test_a_line_broken_at_a_hyphen_or_before_a_number_goes_on():
    document = ("Assessment\n\nOrigins\n"
                "1. The virus that causes the disease, SARS-\nCoV-2, emerged in 2019.\n\n"
                "2. The number of seizures recorded by the border force was\n45. Most were "
                "small.\n\n3. Prices rose from 40 pounds in 2019 to\n60. Purity fell.\n\n"
                "4. Prices were stable.\n")
    assessment = read_assessment(document)
    assert [(paragraph.number, paragraph.text) for paragraph in assessment.paragraphs] == [
        (1, "The virus that causes the disease, SARS-CoV-2, emerged in 2019."),
        (2, "The number of seizures recorded by the border force was 45. Most were small."),
        (3, "Prices rose from 40 pounds in 2019 to 60. Purity fell."),
        (4, "Prices were stable."),
    ]


def test_a_heading_that_recurs_at_the_top_of_a_few_pages_is_no_running_header():
    pages = []
    for page in range(1, 25):
        chapter = (f"Outlook\n\n1. Demand for chapter {page} is unknown.\n\n" if page % 6 == 0
                   else f"1. Prices on page {page} were stable.\n\n")
        pages.append(f"OFFICIAL\n\n{chapter}2. Seizures rose.\n\nPage {page}\n")
    assessment = read_assessment("Drugs Assessment\n\nSupply\n\n" + "\n\f".join(pages))
    demand = [(paragraph.section, paragraph.text) for paragraph in assessment.paragraphs
              if paragraph.text.startswith("Demand")]
    assert demand == [("Outlook", f"Demand for chapter {page} is unknown.")
                      for page in (6, 12, 18, 24)]
    assert all("OFFICIAL" not in paragraph.text and "Page" not in paragraph.text
               for paragraph in assessment.paragraphs)


def test_bullets_are_items_of_one_paragraph_and_key_takeaways_are_judgements():
    document = ("Fraud Assessment\n\nKey takeaways\n- Fraud remains the most common crime.\n"
                "- The true scale of fraud against businesses is unknown.\n\nFraud\n"
                "• Most fraud is cyber-enabled.\n• Losses are rising.\n")
    assessment = read_assessment(document)
    assert [judgement.text for judgement in assessment.key_judgements] == [
        "Fraud remains the most common crime.",
        "The true scale of fraud against businesses is unknown."]
    assert assessment.paragraphs[-1].text == "• Most fraud is cyber-enabled.\n• Losses are rising."


@pytest.mark.parametrize("heading", ["Key judgements", "Key judgments", "Key Findings",
                                     "Key takeaways", "Bottom line", "BOTTOM LINE UP FRONT",
                                     "(U) Key Judgments"])
def test_key_judgement_sections_by_any_of_their_names(heading):
    document = (f"(U) Cyber Threat Assessment\n\n{heading}\n"
                "(U) Ransomware will almost certainly remain the most disruptive threat.\n"
                "(U) Attribution of state activity is often not possible.\n\n"
                "Detail\n\n(U) Ransomware groups rebrand often.\n")
    assessment = read_assessment(document)
    assert [judgement.text for judgement in assessment.key_judgements] == [
        "Ransomware will almost certainly remain the most disruptive threat.",
        "Attribution of state activity is often not possible."]
    assert assessment.paragraphs[-1].text == "Ransomware groups rebrand often."


@pytest.mark.parametrize(("text", "sentences"), [
    ("The market grew in 2024.[86] We judge it will grow further.",
     ["The market grew in 2024.[86]", "We judge it will grow further."]),
    ("The scale of the market is unknown.86 Most buyers are young.",
     ["The scale of the market is unknown.86", "Most buyers are young."]),
    ("Offenders86 are often young. Most are male.", ["Offenders86 are often young.",
                                                      "Most are male."]),
    ("Purity rose to 2.5 per cent. It then fell.", ["Purity rose to 2.5 per cent.",
                                                     "It then fell."]),
    ("The rate was 2.5 Grams in one case.", ["The rate was 2.5 Grams in one case."]),
    ("The figure is unknown.[12][13] We assess it is high.",
     ["The figure is unknown.[12][13]", "We assess it is high."]),
])
def test_footnote_markers_never_merge_or_split_sentences_wrongly(text, sentences):
    assert split_sentences(text) == sentences


def test_superscript_and_glued_footnote_markers_in_a_document():
    document = ("Fraud Assessment\n\n1. The scale of romance fraud is unknown.¹ Most victims are "
                "over 50.\n2. We assess that losses are under-reported.[4]\n"
                "3. Reports rose by 20%.12 Most came from banks.\n\n"
                "12 UK Finance (2024) Annual Fraud Report, p. 7.\n")
    assessment = read_assessment(document)
    assert [paragraph.text for paragraph in assessment.paragraphs] == [
        "The scale of romance fraud is unknown. Most victims are over 50.",
        "We assess that losses are under-reported.[4]",
        "Reports rose by 20%. Most came from banks."]
    assert [gap.sentence for gap in assessment.candidate_gaps] == [
        "The scale of romance fraud is unknown.", "We assess that losses are under-reported.[4]"]


def test_a_us_style_assessment_is_read_like_any_other():
    path = DOCUMENTS / "precursors-ica-2026.txt"
    assessment = import_bytes(path.read_bytes(), path.name)
    assert assessment.title == "Illicit Fentanyl Precursor Networks"
    assert assessment.metadata == {"published": "2026-03-12", "marking": "UNCLASSIFIED"}
    assert [paragraph.section for paragraph in assessment.paragraphs] == [
        "Scope Note", "Key Judgments", "Key Judgments", "Discussion", "Discussion", "Outlook"]
    assert not any("(U)" in paragraph.text for paragraph in assessment.paragraphs)
    assert [judgement.text[:40] for judgement in assessment.key_judgements] == [
        "We assess that precursor brokers will co", "We do not know how many brokers operate "]
    assert [(gap.category, gap.cue) for gap in assessment.candidate_gaps] == [
        ("scale", "not known"), ("hedged", "low confidence"), ("scale", "difficult to estimate"),
        ("ongoing", "investigation ongoing"), ("attribution", "difficult to attribute"),
        ("ongoing", "too early to say")]
