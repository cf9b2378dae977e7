"""Priority scores (MoRiLE-inspired): a pure function of the dimensions, with its breakdown."""

from dataclasses import dataclass, field
from datetime import date

from gaps.domain.errors import InvalidValue

DIMENSIONS: tuple[str, ...] = ("harm", "likelihood", "knowledge_gap", "organisational_position")

DIMENSION_LABELS: dict[str, str] = {
    "harm": "Harm",
    "likelihood": "Likelihood",
    "knowledge_gap": "Knowledge gap",
    "organisational_position": "Organisational position",
    "urgency": "Urgency",
}

# What each scale point means; likelihood is worded with the PHIA yardstick.
SCALE_WORDS: dict[str, dict[int, str]] = {
    "harm": {1: "minimal", 2: "minor", 3: "moderate", 4: "serious", 5: "severe"},
    "likelihood": {1: "highly unlikely", 2: "unlikely", 3: "realistic possibility",
                   4: "likely or probable", 5: "highly likely or almost certain"},
    "knowledge_gap": {1: "well understood", 2: "mostly understood", 3: "partly understood",
                      4: "little understood", 5: "almost nothing known"},
    "organisational_position": {1: "no capability to collect", 2: "weak position",
                                3: "some capability", 4: "good position",
                                5: "well placed to collect"},
}


@dataclass(frozen=True)
class ScoringSettings:
    """The weights and urgency horizons an admin may change; the scales are 1 to 5."""

    weights: dict[str, float] = field(default_factory=lambda: {
        "harm": 3.0, "likelihood": 2.0, "knowledge_gap": 2.0, "organisational_position": 1.0,
        "urgency": 2.0,
    })
    # Days before the LTIOV at which urgency reaches each level (5 = passed or imminent).
    urgency_horizons_days: tuple[int, int, int, int] = (14, 45, 90, 180)
    band_thresholds: tuple[float, float] = (70.0, 45.0)  # high at or above, medium at or above

    def validate(self) -> "ScoringSettings":
        """These settings, if they make sense; otherwise a clear error."""
        for name in (*DIMENSIONS, "urgency"):
            weight = self.weights.get(name)
            if weight is None or not 0 <= weight <= 10:
                raise InvalidValue(f"The weight of {DIMENSION_LABELS[name].lower()} must be "
                                   f"a number from 0 to 10.", field=name)
        if sum(self.weights[name] for name in (*DIMENSIONS, "urgency")) <= 0:
            raise InvalidValue("At least one weight must be above 0.")
        horizons = self.urgency_horizons_days
        if list(horizons) != sorted(horizons) or horizons[0] < 0:
            raise InvalidValue("Urgency horizons must be days in increasing order.")
        high, medium = self.band_thresholds
        if not 0 <= medium <= high <= 100:
            raise InvalidValue("Band thresholds must satisfy 0 ≤ medium ≤ high ≤ 100.")
        return self


@dataclass(frozen=True)
class ScoreComponent:
    """How one dimension contributed to the score: `points` of at most `max_points`."""

    dimension: str
    value: int | None
    weight: float
    points: float
    note: str
    max_points: float = 0.0


@dataclass(frozen=True)
class ScoreLine:
    """One line of a score's explanation, its figures rounded so that the lines add up."""

    dimension: str
    label: str
    value: int | None
    used: int
    weight: float
    points: str
    max_points: str
    note: str


@dataclass(frozen=True)
class Score:
    """A priority score from 0 to 100, with how it was made."""

    total: float
    band: str
    components: tuple[ScoreComponent, ...]
    complete: bool

    def breakdown(self) -> dict:
        """The score's parts, for pages and JSON."""
        return {component.dimension: {"value": component.value, "weight": component.weight,
                                      "points": component.points, "note": component.note}
                for component in self.components}

    def lines(self) -> list[ScoreLine]:
        """The explanation, one line per dimension, whose points add up to the total shown:
        each dimension's level of 5, times its weight, is that many of its share of the 100."""
        raw = [component.max_points * ((component.value or 3) - 1) / 4
               for component in self.components]
        points = _apportion(raw, self.total)
        most = _apportion([component.max_points for component in self.components], 100.0)
        return [ScoreLine(component.dimension, DIMENSION_LABELS[component.dimension],
                          component.value, component.value or 3, component.weight,
                          _figure(share), _figure(cap), component.note)
                for component, share, cap in zip(self.components, points, most, strict=True)]

    @property
    def total_text(self) -> str:
        """The total as it is shown: 78.5, or 78 for a whole number."""
        return _figure(self.total)


def _figure(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _apportion(values: list[float], total: float) -> list[float]:
    """Values rounded to hundredths so that they sum exactly to `total` (largest remainder)."""
    hundredths = [value * 100 for value in values]
    floors = [int(value) for value in hundredths]
    short = round(total * 100) - sum(floors)
    order = sorted(range(len(values)), key=lambda index: hundredths[index] - floors[index],
                   reverse=True)
    for index in order[:max(short, 0)]:
        floors[index] += 1
    for index in reversed(order[len(order) + min(short, 0):] if short < 0 else []):
        floors[index] -= 1
    return [value / 100 for value in floors]


def urgency_from_ltiov(ltiov: date | None, today: date, settings: ScoringSettings) -> int:
    """Urgency 1–5 from days left to the latest time of value (1 when there is none)."""
    if ltiov is None:
        return 1
    days_left = (ltiov - today).days
    for level, horizon in zip((5, 4, 3, 2), settings.urgency_horizons_days, strict=True):
        if days_left <= horizon:
            return level
    return 1


def checked_level(dimension: str, value: int | None) -> int | None:
    """A dimension's value if it is a whole number from 1 to 5 (or unscored), else an error."""
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                              or not 1 <= value <= 5):
        raise InvalidValue(f"{DIMENSION_LABELS[dimension]} must be a whole number from "
                           f"1 to 5.", field=dimension)
    return value


def _weighted_points(levels: tuple[int, ...], settings: ScoringSettings) -> list[float]:
    """Each level (the four dimensions, then urgency) as points of the 0–100 total."""
    names = (*DIMENSIONS, "urgency")
    weight_total = sum(settings.weights[name] for name in names)
    if not weight_total:
        return [0.0] * len(names)
    return [100.0 * settings.weights[name] * (level - 1) / 4 / weight_total
            for name, level in zip(names, levels, strict=True)]


def total_of(points: list[float]) -> float:
    """The score: the sum of the points, to two decimal places."""
    return round(sum(points), 2)


def band_of(total: float, settings: ScoringSettings) -> str:
    """The priority band a total falls in: high, medium or low."""
    high, medium = settings.band_thresholds
    return "high" if total >= high else "medium" if total >= medium else "low"


def score_levels(values: dict[str, int | None], ltiov: date | None, today: date,
                 settings: ScoringSettings) -> tuple[int, ...]:
    """The five levels a score is made of: each dimension (3 when unscored), then urgency."""
    used = tuple(3 if (value := checked_level(dimension, values.get(dimension))) is None
                 else value for dimension in DIMENSIONS)
    return (*used, urgency_from_ltiov(ltiov, today, settings))


def priority_score(values: dict[str, int | None], ltiov: date | None, today: date,
                   settings: ScoringSettings | None = None) -> Score:
    """Score a requirement: each dimension on 1–5 times its weight, scaled to 0–100.

    Organisational position counts the other way from the rest: the better placed we are to
    collect, the sooner collection can close the gap, so a strong position raises priority.
    An unscored dimension counts as the middle of its scale and marks the score incomplete.
    """
    settings = settings or ScoringSettings()
    levels = score_levels(values, ltiov, today, settings)
    points = _weighted_points(levels, settings)
    notes = [SCALE_WORDS[dimension][values[dimension]]
             if values.get(dimension) is not None else "not scored (counted as 3)"
             for dimension in DIMENSIONS]
    notes.append("no LTIOV" if ltiov is None else
                 f"LTIOV passed {-(ltiov - today).days} days ago" if ltiov < today else
                 f"{(ltiov - today).days} days to LTIOV")
    shown = [values.get(dimension) for dimension in DIMENSIONS] + [levels[-1]]
    weight_total = sum(settings.weights[name] for name in (*DIMENSIONS, "urgency"))
    components = tuple(
        ScoreComponent(name, value, settings.weights[name], round(part, 2), note,
                       100.0 * settings.weights[name] / weight_total if weight_total else 0.0)
        for name, value, part, note in zip((*DIMENSIONS, "urgency"), shown, points, notes,
                                           strict=True))
    total = total_of(points)
    return Score(total=total, band=band_of(total, settings), components=components,
                 complete=all(values.get(dimension) is not None for dimension in DIMENSIONS))


def score_total(levels: tuple[int, ...], settings: ScoringSettings) -> float:
    """The total a priority score has for these levels, without its breakdown."""
    return total_of(_weighted_points(levels, settings))


def parse_horizons(text: str) -> tuple[int, int, int, int]:
    """Urgency horizons written `14/45/90/180` (days up to which urgency is 5, 4, 3, 2)."""
    parts = [part.strip() for part in (text or "").split("/")]
    if len(parts) != 4 or not all(part.isdigit() for part in parts):
        raise InvalidValue(f"'{text}' is not four numbers of days like 14/45/90/180.",
                           field="horizons")
    first, second, third, fourth = (int(part) for part in parts)
    return first, second, third, fourth
