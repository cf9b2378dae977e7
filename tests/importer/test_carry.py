"""Locating an earlier version's gap statements in a later version's paragraphs."""

import pytest

from gaps.importer import Paragraph, locate_statement

PARAGRAPHS = [
    Paragraph(1, 10, "Scale", "The number of offenders is unknown. Work continues."),
    Paragraph(2, 11, "Scale", "It remains unclear how many victims there are in total."),
    Paragraph(3, 12, "Other", "Nothing to see here at all."),
]


@pytest.mark.parametrize(("statement", "numbers"), [
    ("The number of offenders is unknown.", [10]),
    ("the number  of offenders is UNKNOWN.", [10]),
    ("It remains unclear how many victims there are overall.", [11]),  # a small edit
    ("The number of offenders is unknown. … It remains unclear how many victims there are in "
     "total.", [10, 11]),
    ("The scale of fraud against pensioners is unknown.", []),
])
def test_locate_statement(statement, numbers):
    assert [paragraph.number for paragraph in locate_statement(statement, PARAGRAPHS)] == numbers
