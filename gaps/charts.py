"""Charts for the register, drawn on the server as SVG with pygal: no JavaScript at all."""

import base64
import math
from collections.abc import Iterable
from typing import Any

from gaps.domain.figures import AGE_BUCKETS, SCORE_BANDS, age_bucket, score_band
from gaps.domain.status import Status

WIDTH = 600
HEIGHT = 320
FONT_FAMILY = "Arial, 'DejaVu Sans', sans-serif"
NO_DATA = "No data"
BAR_COLOUR = "#1d70b8"
PLOT_WIDTH = 500
LABEL_CHARACTER_WIDTH = 6.5
CROWDED_LABEL_LIMIT = 14

# GOV.UK colours, matching the status tags on the pages.
STATUS_COLOURS: dict[str, str] = {
    Status.DRAFT: "#505a5f",
    Status.TASKED: "#1d70b8",
    Status.PARTIALLY_SATISFIED: "#ffdd00",
    Status.SATISFIED: "#28a197",
    Status.CLOSED: "#00703c",
    Status.CANCELLED: "#d4351c",
}

# Shorter than the page labels (no "awaiting confirmation") to keep the legend compact.
STATUS_CHART_LABELS: dict[str, str] = {
    Status.DRAFT: "Draft",
    Status.TASKED: "Tasked",
    Status.PARTIALLY_SATISFIED: "Partially satisfied",
    Status.SATISFIED: "Satisfied",
    Status.CLOSED: "Closed",
    Status.CANCELLED: "Cancelled",
}

__all__ = ["AGE_BUCKETS", "SCORE_BANDS", "age_bucket", "score_band"]


def _print_style(colours: Iterable[str]):
    """A plain style that prints well: white, dark text, Arial."""
    from pygal.style import Style

    return Style(
        background="white",
        plot_background="white",
        foreground="#0b0c0c",
        foreground_strong="#0b0c0c",
        foreground_subtle="#b1b4b6",
        opacity="1",
        opacity_hover="1",
        transition="none",
        colors=tuple(colours),
        font_family=FONT_FAMILY,
        title_font_family=FONT_FAMILY,
        label_font_family=FONT_FAMILY,
        major_label_font_family=FONT_FAMILY,
        legend_font_family=FONT_FAMILY,
        value_font_family=FONT_FAMILY,
        value_label_font_family=FONT_FAMILY,
        no_data_font_family=FONT_FAMILY,
        title_font_size=16,
        label_font_size=11,
        major_label_font_size=11,
        legend_font_size=12,
        value_font_size=11,
        no_data_font_size=20,
        guide_stroke_color="#b1b4b6",
        major_guide_stroke_color="#b1b4b6",
        guide_stroke_dasharray="none",
        major_guide_stroke_dasharray="none",
    )


def _without_scripts(root: Any) -> Any:
    """The SVG tree with every script element removed (pygal always inlines its config)."""
    for parent in list(root.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root


def _whole_number_axis(largest: int) -> list[int]:
    """About five whole-number gridlines from zero to at least the largest value."""
    step = max(1, math.ceil(largest / 5))
    top = max(step, math.ceil(largest / step) * step)
    return list(range(0, top + 1, step))


def _bar_chart(chart_type: str, title: str, colours: Iterable[str],
               largest: int, **options: Any) -> Any:
    """A bar chart of a fixed size, print-friendly, with no script and a whole-number axis."""
    import pygal  # loads only when a chart is drawn: start-up stays quick

    if largest > 0:
        axis = _whole_number_axis(largest)
        options.update(y_labels=axis, range=(0, axis[-1]))
    else:
        # With nothing to plot pygal would draw a 0–1 axis in tenths behind "No data".
        options.update(show_y_labels=False, show_y_guides=False)
    chart = getattr(pygal, chart_type)(
        title=title,
        width=WIDTH,
        height=HEIGHT,
        explicit_size=True,
        style=_print_style(colours),
        js=[],
        disable_xml_declaration=True,
        no_data_text=NO_DATA,
        **{"truncate_label": -1, **options},
    )
    chart.add_xml_filter(_without_scripts)
    return chart


def _crowded_label_options(labels: list[str]) -> dict[str, int]:
    """Slant and shorten axis labels that would otherwise run into each other."""
    room_per_label = PLOT_WIDTH / max(len(labels), 1)
    longest = max((len(label) for label in labels), default=0)
    if longest * LABEL_CHARACTER_WIDTH <= room_per_label:
        return {}
    return {"x_label_rotation": 30, "truncate_label": CROWDED_LABEL_LIMIT}


def status_by_key_judgement(counts: dict[str, dict[str, int]],
                            title: str = "Requirements by key judgement and status") -> str:
    """A stacked bar per key judgement, one colour per status, in the order of the lifecycle."""
    unknown = {status for by_status in counts.values() for status in by_status} - set(Status)
    if unknown:
        raise ValueError(f"Unknown requirement statuses: {', '.join(sorted(unknown))}.")
    totals = [sum(by_status.values()) for by_status in counts.values()]
    chart = _bar_chart(
        "StackedBar", title, STATUS_COLOURS.values(), max(totals, default=0),
        x_title="Key judgement", y_title="Requirements",
        legend_at_bottom=True, legend_at_bottom_columns=3, truncate_legend=-1,
        **_crowded_label_options(list(counts)),
    )
    if sum(totals):
        chart.x_labels = list(counts)
        for status in Status:
            chart.add(STATUS_CHART_LABELS[status],
                      [by_status.get(status, 0) for by_status in counts.values()])
    return chart.render(is_unicode=True)


def age_counts(ages_in_days: list[int]) -> dict[str, int]:
    """How many requirements fall in each age bucket, youngest first (also a table's rows)."""
    tally = dict.fromkeys((label for label, _ in AGE_BUCKETS), 0)
    for age in ages_in_days:
        tally[age_bucket(age)] += 1
    return tally


def age_of_open_requirements(ages_in_days: list[int],
                             title: str = "Age of open requirements") -> str:
    """A bar chart of how many open requirements fall in each age bucket."""
    return age_chart(age_counts(ages_in_days), title)


def age_chart(tally: dict[str, int], title: str = "Age of open requirements") -> str:
    """A bar chart of open requirements counted by age bucket (youngest first)."""
    return _single_series_chart(title, tally, x_title="Age", y_title="Open requirements")


def score_band_counts(scores: list[float]) -> dict[str, int]:
    """How many scores fall within each 10-point band from 0 to 100 (also a table's rows)."""
    tally = dict.fromkeys(SCORE_BANDS, 0)
    for score in scores:
        tally[score_band(score)] += 1
    return tally


def score_distribution(scores: list[float], title: str = "Priority score distribution") -> str:
    """A bar chart of how many requirements score within each 10-point band."""
    return score_chart(score_band_counts(scores), title)


def score_chart(tally: dict[str, int], title: str = "Priority score distribution") -> str:
    """A bar chart of requirements counted by 10-point score band."""
    return _single_series_chart(title, tally, x_title="Priority score", y_title="Requirements")


def _single_series_chart(title: str, tally: dict[str, int], x_title: str, y_title: str) -> str:
    """A plain bar chart of counts by label, with each count printed on its bar."""
    chart = _bar_chart(
        "Bar", title, [BAR_COLOUR], max(tally.values(), default=0),
        x_title=x_title, y_title=y_title, show_legend=False,
        print_values=True, print_zeroes=False, print_values_position="top",
    )
    if sum(tally.values()):
        chart.x_labels = list(tally)
        chart.add(y_title, list(tally.values()))
    return chart.render(is_unicode=True)


def as_data_uri(svg: str) -> str:
    """The SVG as a data: URI, for an <img> on a page (no inline styles) or in a PDF."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


SERIES_COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#28a197",
                  "#505a5f", "#912b88", "#85994b", "#b58840", "#003078", "#5694ca")


def series_bars(title: str, labels: list[str], series: dict[str, list[int]],
                y_title: str) -> str:
    """Bars side by side per label, one colour per series (counts in each period)."""
    largest = max((value for values in series.values() for value in values), default=0)
    chart = _bar_chart("Bar", title, SERIES_COLOURS, largest, y_title=y_title,
                       legend_at_bottom=True, legend_at_bottom_columns=3, truncate_legend=-1,
                       **_crowded_label_options(labels))
    if largest:
        chart.x_labels = labels
        for name, values in series.items():
            chart.add(name, values)
    return chart.render(is_unicode=True)


def series_lines(title: str, labels: list[str], series: dict[str, list[float | None]],
                 y_title: str, percent: bool = False) -> str:
    """A line per series across the labels (a gap where a period has no value)."""
    import pygal  # loads only when a chart is drawn

    known = [value for values in series.values() for value in values if value is not None]
    options: dict[str, Any] = {}
    if percent:
        options.update(range=(0, 100), y_labels=[0, 20, 40, 60, 80, 100])
    elif known:
        top = max(known)
        step = max(1, math.ceil(top / 5))
        options.update(range=(0, step * 5), y_labels=list(range(0, step * 5 + 1, step)))
    else:
        options.update(show_y_labels=False, show_y_guides=False)
    chart = pygal.Line(
        title=title, width=WIDTH, height=HEIGHT + 40 * max(0, math.ceil(len(series) / 3) - 1),
        explicit_size=True, style=_print_style(SERIES_COLOURS), js=[],
        disable_xml_declaration=True, no_data_text=NO_DATA, y_title=y_title,
        legend_at_bottom=True, legend_at_bottom_columns=3, truncate_legend=-1,
        allow_interruptions=True, dots_size=3, **{"truncate_label": -1, **options,
                                                 **_crowded_label_options(labels)})
    chart.add_xml_filter(_without_scripts)
    if known:
        chart.x_labels = labels
        for name, values in series.items():
            chart.add(name, values)
    return chart.render(is_unicode=True)
