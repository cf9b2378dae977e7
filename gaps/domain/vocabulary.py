"""The exact vocabulary of the tracker: roles, markings, PHIA yardstick, confidence, themes."""

from enum import StrEnum


class Role(StrEnum):
    """What a user may do (DESIGN.md §2)."""

    ADMIN = "admin"
    MANAGER = "manager"
    COLLECTOR = "collector"
    REVIEWER = "reviewer"


ROLES: tuple[str, ...] = tuple(role.value for role in Role)

# UK Government Security Classifications, lowest first: the order matters.
MARKINGS: tuple[str, ...] = ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET")

# PHIA probability yardstick, least likely first, with its approximate ranges.
PHIA_LIKELIHOODS: dict[str, str] = {
    "remote chance": "≈0–5%",
    "highly unlikely": "≈10–20%",
    "unlikely": "≈25–35%",
    "realistic possibility": "≈40–<50%",
    "likely or probable": "≈55–75%",
    "highly likely": "≈80–90%",
    "almost certain": "≈95–<100%",
}

CONFIDENCE_LEVELS: tuple[str, ...] = ("low", "moderate", "high")

SOURCE_KINDS: tuple[str, ...] = (
    "official statistics",
    "operational reporting",
    "industry reporting",
    "partner agency",
    "academic research",
    "non-governmental organisation",
    "international partner",
    "inspection",
    "expert interviews",
)


def highest_marking(markings: list[str | None] | tuple[str | None, ...], default: str) -> str:
    """The most restrictive marking among those given, or the default when none is known."""
    known = [marking for marking in markings if marking in MARKINGS]
    if not known:
        return default
    return max(known, key=MARKINGS.index)


def marking_css_class(marking: str) -> str:
    """The CSS modifier that colours a marking banner."""
    return "app-marking--" + marking.lower().replace(" ", "-")
