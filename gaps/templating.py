"""Templates: GOV.UK Frontend macros, UK date formats, the protective marking of each page."""

from flask import Flask, current_app, g, url_for
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from markupsafe import Markup, escape

from gaps.domain.actions import STATE_LABELS, STATE_TAG_COLOURS
from gaps.domain.dates import uk_date, uk_datetime, uk_short_date
from gaps.domain.priority import DIMENSION_LABELS
from gaps.domain.status import (
    STATUS_LABELS,
    STATUS_TAG_COLOURS,
    accepts_contributions,
    can_be_tasked,
)
from gaps.domain.vocabulary import highest_marking, marking_css_class
from gaps.passwords import new_secret
from gaps.policy import can, may_know_of


def register_templates(app: Flask) -> None:
    """Find our templates and GOV.UK's, and give templates their filters and globals."""
    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(app.template_folder),
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
    app.jinja_env.filters["uk_date"] = uk_date
    app.jinja_env.filters["uk_datetime"] = uk_datetime
    app.jinja_env.filters["uk_short_date"] = uk_short_date
    app.jinja_env.filters["status_label"] = lambda status: STATUS_LABELS.get(status, status)
    app.jinja_env.filters["status_colour"] = lambda status: STATUS_TAG_COLOURS.get(status, "grey")
    app.jinja_env.filters["marking_class"] = marking_css_class
    app.jinja_env.filters["action_state_label"] = lambda state: STATE_LABELS.get(state, state)
    app.jinja_env.filters["action_state_colour"] = lambda state: STATE_TAG_COLOURS.get(state,
                                                                                       "grey")
    app.jinja_env.filters["dimension_label"] = lambda name: DIMENSION_LABELS.get(name, name)
    app.jinja_env.filters["highlight"] = highlight
    app.jinja_env.tests["accepting_contributions"] = accepts_contributions
    app.jinja_env.tests["taskable"] = can_be_tasked
    app.jinja_env.globals["page_marking"] = page_marking
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["may_know_of"] = may_know_of
    app.jinja_env.globals["id_url"] = id_url


def highlight(text: str, sentences) -> Markup:
    """The text, escaped, with each of these sentences wrapped in <mark>."""
    spans = []
    for sentence in sentences:
        start = text.find(sentence)
        if start >= 0:
            spans.append((start, start + len(sentence)))
    pieces, position = [], 0
    for start, end in sorted(spans):
        if start < position:
            continue
        pieces += [escape(text[position:start]), Markup("<mark>"), escape(text[start:end]),
                   Markup("</mark>")]
        position = end
    pieces.append(escape(text[position:]))
    return Markup("").join(pieces)


_ID_PLACEHOLDER = 2_147_483_647


def id_url(endpoint: str, name: str):
    """A function making the URL of `endpoint` for an id, built once for a page's many rows
    (url_for per row costs more than the rest of the row)."""
    before, after = url_for(endpoint, **{name: _ID_PLACEHOLDER}).split(str(_ID_PLACEHOLDER))
    return lambda value: f"{before}{int(value)}{after}"


def page_marking(*markings: str | None) -> str:
    """The marking a page must show: the highest of its content's, else the default."""
    return highest_marking(list(markings), current_app.config["GAPS_DEFAULT_MARKING"])


def csp_nonce() -> str:
    """A random value for this response, which inline scripts must carry (CSP)."""
    if "csp_nonce" not in g:
        g.csp_nonce = new_secret()
    return g.csp_nonce
