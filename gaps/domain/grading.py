"""The 3x5x2 grading of intelligence (UK policing): source, intelligence, handling."""

import re
from dataclasses import dataclass

from gaps.domain.errors import InvalidValue

SOURCE_GRADES: dict[str, str] = {
    "1": "Reliable",
    "2": "Untested",
    "3": "Not reliable",
}
INTELLIGENCE_GRADES: dict[str, str] = {
    "A": "Known directly to the source",
    "B": "Known indirectly but corroborated",
    "C": "Known indirectly",
    "D": "Not known",
    "E": "Suspected to be false",
}
HANDLING_CODES: dict[str, str] = {
    "P": "Lawful sharing permitted",
    "C": "Lawful sharing permitted with conditions",
}

_WRITTEN = re.compile(r"^\s*([1-3])\s*/\s*([A-Ea-e])\s*/\s*([PCpc])\s*$")


@dataclass(frozen=True)
class Grading:
    """A contribution's grade, written `2/B/P`."""

    source: str
    intelligence: str
    handling: str
    conditions: str | None = None

    def __str__(self) -> str:
        return f"{self.source}/{self.intelligence}/{self.handling}"

    def describe(self) -> str:
        """The grade in words."""
        words = (f"{SOURCE_GRADES[self.source]} source; "
                 f"{INTELLIGENCE_GRADES[self.intelligence].lower()}; "
                 f"{HANDLING_CODES[self.handling].lower()}")
        return words + (f" ({self.conditions})" if self.conditions else "")


def make_grading(source: str, intelligence: str, handling: str,
                 conditions: str | None = None) -> Grading:
    """A grading from its three parts; handling `C` requires the conditions to be recorded."""
    source, intelligence, handling = (str(source).strip(), str(intelligence).strip().upper(),
                                      str(handling).strip().upper())
    if source not in SOURCE_GRADES:
        raise InvalidValue("The source grade must be 1 (reliable), 2 (untested) or "
                           "3 (not reliable).", field="grading")
    if intelligence not in INTELLIGENCE_GRADES:
        raise InvalidValue("The intelligence grade must be a letter from A to E.",
                           field="grading")
    if handling not in HANDLING_CODES:
        raise InvalidValue("The handling code must be P (sharing permitted) or C (sharing "
                           "permitted with conditions).", field="grading")
    conditions = (conditions or "").strip() or None
    if handling == "C" and not conditions:
        raise InvalidValue("Handling code C needs the conditions of sharing to be recorded.",
                           field="handling_conditions")
    if handling == "P" and conditions:
        raise InvalidValue("Conditions are only recorded with handling code C.",
                           field="handling_conditions")
    return Grading(source, intelligence, handling, conditions)


def parse_grading(written: str, conditions: str | None = None) -> Grading:
    """A grading written as `2/B/P` (case and spaces forgiven)."""
    match = _WRITTEN.match(written or "")
    if not match:
        raise InvalidValue(f"'{written}' is not a 3x5x2 grade: write it like 2/B/P "
                           "(source 1-3 / intelligence A-E / handling P or C).", field="grading")
    return make_grading(*match.groups(), conditions=conditions)
