"""The buckets the register's figures are counted in for its charts (ages, score bands)."""

import math

AGE_BUCKETS: tuple[tuple[str, float], ...] = (
    ("< 30 days", 30),
    ("30–89 days", 90),
    ("90–179 days", 180),
    ("180–364 days", 365),
    ("1 year or more", math.inf),
)

SCORE_BANDS: tuple[str, ...] = tuple(f"{low}–{low + 9}" for low in range(0, 90, 10)) + ("90–100",)


def age_bucket(age_in_days: int) -> str:
    """The label of the age bucket a requirement falls in."""
    return next(label for label, below in AGE_BUCKETS if age_in_days < below)


def score_band(score: float) -> str:
    """The 10-point band a score falls in; 100 belongs with 90–99, out-of-range scores clamp."""
    index = min(max(int(score // 10), 0), len(SCORE_BANDS) - 1)
    return SCORE_BANDS[index]
