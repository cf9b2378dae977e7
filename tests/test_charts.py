"""Register charts: plain SVG with no script, readable labels, and a clear "No data" when empty."""

import base64
import xml.etree.ElementTree as ET

import pytest

from gaps.charts import (
    age_bucket,
    age_counts,
    age_of_open_requirements,
    as_data_uri,
    score_band,
    score_band_counts,
    score_distribution,
    status_by_key_judgement,
)

STATUS_COUNTS = {
    "KJ1": {"draft": 3, "tasked": 1},
    "KJ2": {"partially_satisfied": 2, "satisfied": 1, "closed": 4, "cancelled": 1},
    "KJ3": {"tasked": 7},
}
STATUS_LABELS = ["Draft", "Tasked", "Partially satisfied", "Satisfied", "Closed", "Cancelled"]
AGE_LABELS = ["< 30 days", "30–89 days", "90–179 days", "180–364 days", "1 year or more"]
SCORE_LABELS = ["0–9", "10–19", "20–29", "30–39", "40–49", "50–59", "60–69", "70–79", "80–89",
                "90–100"]


def parse_svg(svg: str) -> ET.Element:
    """The chart's XML tree; the SVG is our own output, not untrusted input."""
    return ET.fromstring(svg)  # noqa: S314


def svg_texts(svg: str) -> list[str]:
    """Every piece of text drawn in the SVG, as a reader of the chart sees it."""
    root = parse_svg(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return [element.text for element in root.iter("{http://www.w3.org/2000/svg}text")
            if element.text]


CHARTS = [
    pytest.param(lambda: status_by_key_judgement(STATUS_COUNTS),
                 "Requirements by key judgement and status",
                 ["KJ1", "KJ2", "KJ3", *STATUS_LABELS], id="status"),
    pytest.param(lambda: age_of_open_requirements([3, 45, 120, 200, 400, 1000]),
                 "Age of open requirements", AGE_LABELS, id="age"),
    pytest.param(lambda: score_distribution([5.0, 47.5, 100.0]),
                 "Priority score distribution", SCORE_LABELS, id="score"),
]


@pytest.mark.parametrize(("draw", "title", "labels"), CHARTS)
def test_chart_is_a_titled_labelled_svg(draw, title, labels):
    texts = svg_texts(draw())
    assert title in texts
    for label in labels:
        assert label in texts


@pytest.mark.parametrize(("draw", "title", "labels"), CHARTS)
def test_chart_has_no_script_and_a_fixed_size(draw, title, labels):
    svg = draw()
    assert "<script" not in svg.lower()
    assert not svg.startswith("<?xml")
    root = parse_svg(svg)
    assert (root.get("width"), root.get("height")) == ("600", "320")


@pytest.mark.parametrize("draw", [
    lambda: status_by_key_judgement({}),
    lambda: status_by_key_judgement({"KJ1": {"draft": 0}}),
    lambda: age_of_open_requirements([]),
    lambda: score_distribution([]),
])
def test_chart_of_nothing_says_no_data(draw):
    svg = draw()
    assert "No data" in svg_texts(svg)
    assert "<script" not in svg.lower()


def test_status_chart_stacks_statuses_in_lifecycle_order_whatever_the_input_order():
    texts = svg_texts(status_by_key_judgement({"KJ1": {"cancelled": 1, "draft": 2}}))
    legend = [text for text in texts if text in STATUS_LABELS]
    assert legend == STATUS_LABELS


def test_status_chart_refuses_an_unknown_status():
    with pytest.raises(ValueError, match="Unknown requirement statuses: archived"):
        status_by_key_judgement({"KJ1": {"archived": 1}})


@pytest.mark.parametrize(("age", "bucket"), [
    (-2, "< 30 days"),
    (0, "< 30 days"),
    (29, "< 30 days"),
    (30, "30–89 days"),
    (89, "30–89 days"),
    (90, "90–179 days"),
    (179, "90–179 days"),
    (180, "180–364 days"),
    (364, "180–364 days"),
    (365, "1 year or more"),
    (4000, "1 year or more"),
])
def test_age_buckets(age, bucket):
    assert age_bucket(age) == bucket


def test_age_counts_cover_every_bucket_in_order():
    assert age_counts([1, 2, 30, 400]) == {
        "< 30 days": 2, "30–89 days": 1, "90–179 days": 0, "180–364 days": 0,
        "1 year or more": 1,
    }


@pytest.mark.parametrize(("score", "band"), [
    (0, "0–9"),
    (9.99, "0–9"),
    (10, "10–19"),
    (55.5, "50–59"),
    (89.9, "80–89"),
    (90, "90–100"),
    (100, "90–100"),
    (-3, "0–9"),
    (120, "90–100"),
])
def test_score_bands(score, band):
    assert score_band(score) == band


def test_score_band_counts_cover_every_band_in_order():
    counts = score_band_counts([5, 95, 100, 42])
    assert list(counts) == SCORE_LABELS
    assert counts["0–9"] == 1
    assert counts["40–49"] == 1
    assert counts["90–100"] == 2
    assert sum(counts.values()) == 4


def test_bar_charts_print_their_counts():
    texts = svg_texts(age_of_open_requirements([1, 2, 3, 40]))
    assert "3" in texts
    assert "1" in texts


def test_long_key_judgement_names_do_not_break_the_chart():
    counts = {f"KJ{number} Online offending grows each year": {"tasked": number}
              for number in range(1, 9)}
    assert "Requirements by key judgement and status" in svg_texts(status_by_key_judgement(counts))


def test_data_uri_decodes_back_to_the_svg():
    svg = score_distribution([12.0, 47.5, 88.0])
    uri = as_data_uri(svg)
    prefix = "data:image/svg+xml;base64,"
    assert uri.startswith(prefix)
    assert base64.b64decode(uri.removeprefix(prefix)).decode("utf-8") == svg
