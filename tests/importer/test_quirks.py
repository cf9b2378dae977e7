"""Document quirks, each on a small document of its own."""

from pathlib import Path

import pytest

from gaps.importer import read_assessment

DOCUMENTS = Path(__file__).parent / "documents"


def numbered(text: str) -> list[tuple[int | None, str]]:
    """(number, text) of every paragraph of a document."""
    return [(paragraph.number, paragraph.text) for paragraph in read_assessment(text).paragraphs]


@pytest.mark.parametrize("marker", ["OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET",
                                    "Page 3 of 20", "Page 3", "- 3 -", "12", "\f"])
def test_page_marker_inside_a_paragraph(marker):
    document = (f"1. The first paragraph starts on one page and\n\n{marker}\n\n"
                "continues on the next one.\n2. The second paragraph.\n")
    assert numbered(document) == [
        (1, "The first paragraph starts on one page and continues on the next one."),
        (2, "The second paragraph."),
    ]


def test_page_markers_between_paragraphs_are_dropped():
    document = ("OFFICIAL\n\n1. First.\n\nOFFICIAL\n\n2. Second.\nOFFICIAL-SENSITIVE\n"
                "3. Third.\n\nPage 2 of 2\n")
    assert numbered(document) == [(1, "First."), (2, "Second."), (3, "Third.")]


@pytest.mark.parametrize("contents", [
    "Contents\n\nIntroduction ........ 3\nSupply.....\t4\nHarm\t7\n",
    "Table of Contents\nIntroduction . . . . . 3\nSupply . . . . . 4\nHarm . . . . . 7\n",
    "Introduction ........ 3\nSupply ........ 4\nHarm ........ 7\n",
    "CONTENTS\n\nIntroduction 3\nSupply 4\n\nOFFICIAL\n\nHarm 7\n",
])
def test_contents_list_is_neither_paragraphs_nor_headings(contents):
    document = (f"{contents}\nIntroduction\n\n1. The assessment covers heroin.\n\nSupply\n\n"
                "2. Supply is stable.\n\nHarm\n\n3. Harm is rising.\n")
    assessment = read_assessment(document)
    assert [(paragraph.number, paragraph.section, paragraph.text)
            for paragraph in assessment.paragraphs] == [
        (1, "Introduction", "The assessment covers heroin."),
        (2, "Supply", "Supply is stable."),
        (3, "Harm", "Harm is rising."),
    ]


@pytest.mark.parametrize(("between", "continuation", "joined"), [
    ("\n\nOFFICIAL\n\n", "number of reports from industry also rose.",
     "and the number of reports from industry also rose."),
    ("\n\nOFFICIAL\n\nPage 4 of 9\n\n", "Northern Ireland 943 - up from 758.",
     "and for Northern Ireland 943 - up from 758."),
    ("\n\n", "that the group also traded firearms.",
     "Intelligence indicates that the group also traded firearms."),
])
def test_paragraph_split_across_a_page_break(between, continuation, joined):
    first = {
        "number of reports from industry also rose.": "1. Recorded offences rose, and the",
        "Northern Ireland 943 - up from 758.": "1. Scotland recorded 2,067 offences and for",
        "that the group also traded firearms.": "1. Intelligence indicates",
    }[continuation]
    document = f"Scale\n\n{first}{between}{continuation}\n2. The next paragraph.\n"
    paragraphs = numbered(document)
    assert [number for number, _ in paragraphs] == [1, 2]
    assert paragraphs[0][1].endswith(joined)


def test_footnotes_dropped_and_superscripts_stripped():
    document = ("1. Criminals use encrypted phones¹ to coordinate supply.²\n\n"
                "¹ See 'Enablers' section\n2 See Annex A for the data.\n[3] Home Office, 2023.\n\n"
                "2. Couriers are recruited online.³\n")
    assert numbered(document) == [
        (1, "Criminals use encrypted phones to coordinate supply."),
        (2, "Couriers are recruited online."),
    ]


def test_plain_digit_footnote_references_are_stripped_with_their_footnotes():
    document = ("1. The seizure contained 1.2 million images.2 The discovery was not unusual.\n\n"
                "2 See the Internet section, https://example.org/report\n\n"
                "2. No. 5 Squadron was involved.\n")
    assert numbered(document) == [
        (1, "The seizure contained 1.2 million images. The discovery was not unusual."),
        (2, "No. 5 Squadron was involved."),
    ]


@pytest.mark.parametrize("items", [
    "- a. those who buy;\n - b. those who sell;\n - c. those who launder.",
    "(a) those who buy;\n(b) those who sell;\n(c) those who launder.",
    "a) those who buy;\nb) those who sell;\nc) those who launder.",
    "• those who buy;\n• those who sell;\n• those who launder.",
    "1. those who buy;\n2. those who sell;\n3. those who launder.",
    "\n- those who buy;\n\n- those who sell;\n\n- those who launder.",
])
def test_lettered_and_bulleted_items_belong_to_their_paragraph(items):
    document = f"17. Offenders fall into three groups:\n{items}\n18. The next paragraph.\n"
    paragraphs = numbered(document)
    assert [number for number, _ in paragraphs] == [17, 18]
    assert paragraphs[0][1].count("\n") == 3
    assert "those who launder." in paragraphs[0][1]


@pytest.mark.parametrize("caption", ["Table 1. Seizures by year\n", ""])
def test_flattened_table_never_splits_or_numbers_paragraphs(caption):
    document = (f"1. The table shows seizures.\n\n{caption}Year\tCocaine\tHeroin\n2022\t120\t80\n"
                "2023\t150\t60\n\n2. After the table, seizures fell.\n")
    paragraphs = numbered(document)
    assert [number for number, _ in paragraphs] == [1, None, 2]
    assert paragraphs[0][1] == "The table shows seizures."
    assert "2023\t150\t60" in paragraphs[1][1]
    assert paragraphs[2][1] == "After the table, seizures fell."


def test_bare_line_headings_become_sections():
    document = ("Supply Routes\n\n1. Heroin arrives by sea.\n\nDistribution\n\n"
                "2. County lines dominate.\nStreet dealing\n\n3. Dealers use apps.\n\n"
                "What we do not know\n\n4. The size of the market is unknown.\n")
    assessment = read_assessment(document)
    assert [(paragraph.number, paragraph.section) for paragraph in assessment.paragraphs] == [
        (1, "Supply Routes"), (2, "Distribution"), (3, "Street dealing"),
        (4, "What we do not know"),
    ]
    assert assessment.candidate_gaps[0].section == "What we do not know"


def test_markdown_headings_become_sections():
    document = ("# Child Exploitation Assessment\n\n## Grooming\n\n"
                "Grooming moves quickly to private apps.\n\n### Live streaming\n\n"
                "The scale of live streaming remains unclear.\n\n**Extortion**\n\n"
                "Extortion cases doubled.\n")
    assessment = read_assessment(document)
    assert assessment.title == "Child Exploitation Assessment"
    assert [(paragraph.number, paragraph.section, paragraph.text)
            for paragraph in assessment.paragraphs] == [
        (None, "Grooming", "Grooming moves quickly to private apps."),
        (None, "Live streaming", "The scale of live streaming remains unclear."),
        (None, "Extortion", "Extortion cases doubled."),
    ]
    assert [gap.section for gap in assessment.candidate_gaps] == ["Live streaming"]


def test_unnumbered_document_gives_paragraphs_sections_and_candidates():
    assessment = read_assessment((DOCUMENTS / "synthetic-opioids-2025.md").read_text("utf-8"))
    assert assessment.title == "Synthetic Opioids Market Assessment 2025"
    assert all(paragraph.number is None for paragraph in assessment.paragraphs)
    assert [paragraph.section for paragraph in assessment.paragraphs] == [
        "Key Findings", "Key Findings", "Supply", "Supply", "Supply", "Distribution",
        "Distribution", "Harm"]
    assert [judgement.text for judgement in assessment.key_judgements] == [
        "Nitazenes are increasingly found mixed into heroin and counterfeit medicines sold in "
        "the UK.",
        "The number of deaths involving nitazenes rose sharply during 2024.",
    ]
    assert [(gap.paragraph_number, gap.section, gap.sentence)
            for gap in assessment.candidate_gaps] == [
        (None, "Supply", "The volume of nitazenes entering the UK by post is unknown."),
        (None, "Distribution",
         "It is unclear whether organised crime groups are deliberately adding nitazenes to "
         "heroin or whether contamination happens earlier in the supply chain."),
        (None, "Harm",
         "Toxicology testing for nitazenes is not routine in every area, so deaths are likely "
         "to be under-recorded."),
    ]
    assert assessment.metadata == {"marking": "OFFICIAL", "published": "2025-01-14"}


def test_hard_wrapped_unnumbered_text_joins_lines_into_paragraphs():
    document = (
        "Firearms Threat Assessment\n\nSupply\n\n"
        "Converted blank-firing pistols remain the most common firearm\n"
        "recovered by police in the last year, followed by shotguns\n"
        "stolen from legitimate owners.\n\n"
        "The number of privately made firearms produced with 3D printers\n"
        "is not known, although seizures remain rare and most printed\n"
        "weapons recovered so far were incomplete.\n\n"
        "Demand\n\nDemand comes mostly from drug supply networks protecting\n"
        "their territory and cash.\n")
    assessment = read_assessment(document)
    assert assessment.title == "Firearms Threat Assessment"
    assert [(paragraph.section, paragraph.text[:30]) for paragraph in assessment.paragraphs] == [
        ("Supply", "Converted blank-firing pistols"), ("Supply", "The number of privately made f"),
        ("Demand", "Demand comes mostly from drug "),
    ]
    assert [gap.cue for gap in assessment.candidate_gaps] == ["not known"]
    assert assessment.candidate_gaps[0].sentence.startswith("The number of privately made")


@pytest.mark.parametrize(("heading", "items"), [
    ("Key Judgements", "- First judgement.\n- Second judgement, over\ntwo lines."),
    ("Key judgements", "1. First judgement.\n2. Second judgement, over two lines."),
    ("KEY FINDINGS", "First judgement.\n\nSecond judgement, over two lines."),
    ("Summary of key judgements", "• First judgement.\n• Second judgement, over two lines."),
    ("## Key Judgements", "* First judgement.\n* Second judgement, over two lines."),
])
def test_key_judgements_from_their_section(heading, items):
    document = f"Drugs Assessment\n\n{heading}\n\n{items}\n\nSupply\n\n1. Supply is stable.\n"
    assessment = read_assessment(document)
    texts = [judgement.text for judgement in assessment.key_judgements]
    assert texts == ["First judgement.", "Second judgement, over two lines."]
    assert assessment.paragraphs[-1].section == "Supply"


def test_progress_is_reported_as_paragraphs_are_scanned():
    calls: list[tuple[int, int]] = []
    read_assessment("1. One.\n2. Two is unknown.\n3. Three.\n",
                    progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_given_title_wins_and_empty_text_gives_nothing():
    assert read_assessment("1. Text.", title=" My title ").title == "My title"
    empty = read_assessment("")
    assert (empty.paragraphs, empty.key_judgements, empty.candidate_gaps) == ([], [], [])


def test_pdf_extraction_habits():
    document = (
        "OFFICIAL-SENSITIVE | Page 1 of 3\n\nModern Slavery Assessment 2023\n\n"
        "Executive Summary\n\n\uf0b7 Labour exploitation is the most reported type.\n"
        "\uf0b7 The scale of exploitation in care work is unknown.\n\n"
        "1 Introduction\n\n1. Referrals rose by 33%.12 Most came from the police.\n\n"
        "12 Home Office (2023) Modern Slavery Statistics, p. 4.\n\n"
        "official-sensitive | Page 2 of 3\n\fModern Slavery Assessment 2023\n\n"
        "Figure 1: Referrals by year\n\n2. Car washes remain a concern.\n\n"
        "OFFICIAL-SENSITIVE | Page 3 of 3\n\fModern Slavery Assessment 2023\n\n"
        "3. Nail bars remain a concern.\n\nOFFICIAL-SENSITIVE | Page 4 of 4\n\f"
        "Modern Slavery Assessment 2023\n\n4. Farms remain a concern.\n")
    assessment = read_assessment(document)
    assert assessment.title == "Modern Slavery Assessment 2023"
    assert assessment.metadata == {"marking": "OFFICIAL-SENSITIVE"}
    # Without a key judgements section, the summary's bullets stand in for them.
    assert [judgement.text for judgement in assessment.key_judgements] == [
        "Labour exploitation is the most reported type.",
        "The scale of exploitation in care work is unknown."]
    assert [(paragraph.number, paragraph.section, paragraph.text)
            for paragraph in assessment.paragraphs] == [
        (None, "Executive Summary", "• Labour exploitation is the most reported type.\n"
                                    "• The scale of exploitation in care work is unknown."),
        (1, "Introduction", "Referrals rose by 33%. Most came from the police."),
        (None, "Introduction", "Figure 1: Referrals by year"),
        (2, "Introduction", "Car washes remain a concern."),
        (3, "Introduction", "Nail bars remain a concern."),
        (4, "Introduction", "Farms remain a concern."),
    ]


def test_sentences_under_an_intelligence_gaps_heading_are_candidates():
    document = ("Supply\n\n1. Heroin arrives by sea.\n\nIntelligence gaps\n\n"
                "2. Key gaps are:\n- the role of recruitment agencies;\n"
                "- how victims are moved between sites.\n\nThe gender pay gap\n\n"
                "3. Pay differs between roles.\n")
    gaps = read_assessment(document).candidate_gaps
    assert [(gap.paragraph_number, gap.cue, gap.sentence) for gap in gaps] == [
        (2, "listed gap", "the role of recruitment agencies;"),
        (2, "listed gap", "how victims are moved between sites."),
    ]
