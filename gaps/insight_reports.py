"""Insights as charts (SVG), a table for the CSV download and a JSON document for the API."""

from collections.abc import Iterator

from flask import current_app

from gaps import charts
from gaps.domain.insights import (
    COUNT_DEFINITIONS,
    COUNT_KEYS,
    MEASURES,
    OVERDUE_KEYS,
)
from gaps.exports import ExportTable
from gaps.insights import Breakdown, Insights
from gaps.models import utcnow

COUNT_LABELS = {"opened": "Opened", "closed": "Closed", "cancelled": "Cancelled",
                "past_ltiov": "Open past their LTIOV", "past_review": "Open past review"}
SHARE_LABEL = "Gaps with a satisfied requirement (%)"
CHARTS = ("durations", "flow", "overdue", "share")
CSV_COLUMNS = ["grouping", "group", "measure", "period", "from", "to", "count", "median_days",
               "p90_days", "percent"]


def chart(name: str, found: Insights) -> str:
    """One of the insights charts for all requirements (the share: per key judgement)."""
    labels = [period.label for period in found.periods]
    overall = found.overall
    if name == "durations":
        return charts.series_lines(
            "Median days, by when each step was reached", labels,
            {measure.label: [summary.median for summary in overall.durations[measure.key]]
             for measure in MEASURES}, "Median days")
    if name == "flow":
        return charts.series_bars("Requirements opened, closed and cancelled", labels,
                                  {COUNT_LABELS[key]: overall.counts[key] for key in COUNT_KEYS},
                                  "Requirements")
    if name == "overdue":
        return charts.series_bars("Open requirements overdue at each period's end", labels,
                                  {COUNT_LABELS[key]: overall.counts[key]
                                   for key in OVERDUE_KEYS}, "Requirements")
    if name == "share":
        return charts.series_lines(
            "Share of each key judgement's gaps with a satisfied requirement", labels,
            {item.label: item.share_satisfied or [] for item in found.key_judgements},
            "Per cent of gaps", percent=True)
    raise KeyError(name)


def _rows(grouping: str, breakdown: Breakdown, found: Insights) -> Iterator[list]:
    for measure in MEASURES:
        for period, summary in zip(found.periods, breakdown.durations[measure.key],
                                   strict=True):
            yield [grouping, breakdown.label, measure.label, period.label, period.start,
                   period.as_of, summary.count, summary.median, summary.p90, None]
    for key in (*COUNT_KEYS, *OVERDUE_KEYS):
        for period, number in zip(found.periods, breakdown.counts[key], strict=True):
            yield [grouping, breakdown.label, COUNT_LABELS[key], period.label, period.start,
                   period.as_of, number, None, None, None]
    for period, percent in zip(found.periods, breakdown.share_satisfied or [], strict=False):
        yield [grouping, breakdown.label, SHARE_LABEL, period.label, period.start,
               period.as_of, None, None, None, percent]


def table(found: Insights) -> ExportTable:
    """Every figure of the page, one per row, for the CSV download."""
    def rows() -> Iterator[list]:
        yield from _rows("all", found.overall, found)
        for team in found.teams:
            yield from _rows("owner team", team, found)
        for judgement in found.key_judgements:
            yield from _rows("key judgement", judgement, found)

    return ExportTable(title="Insights", columns=CSV_COLUMNS, rows=rows(),
                       marking=current_app.config["GAPS_DEFAULT_MARKING"],
                       generated_at=utcnow(),
                       subtitle=f"{found.range.start} to {found.range.end} by {found.range.by}")


def _breakdown_json(breakdown: Breakdown) -> dict:
    body = {"key": breakdown.key, "label": breakdown.label,
            "durations": {key: [summary.__dict__ for summary in summaries]
                          for key, summaries in breakdown.durations.items()},
            "counts": breakdown.counts}
    if breakdown.share_satisfied is not None:
        body["share_satisfied"] = breakdown.share_satisfied
    return body


def as_json(found: Insights) -> dict:
    """The figures as a JSON document: periods, then each group's lists (one value a period)."""
    return {
        "from": found.range.start.isoformat(), "to": found.range.end.isoformat(),
        "by": found.range.by,
        "periods": [{"label": period.label, "start": period.start.isoformat(),
                     "end": period.as_of.isoformat()} for period in found.periods],
        "overall": _breakdown_json(found.overall),
        "teams": [_breakdown_json(team) for team in found.teams],
        "key_judgements": [_breakdown_json(item) for item in found.key_judgements],
        "definitions": {**{measure.key: measure.definition for measure in MEASURES},
                        **COUNT_DEFINITIONS},
    }
