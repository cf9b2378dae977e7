"""Templates: GOV.UK Frontend macros, UK date formats, the protective marking of each page."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from gaps.domain.status import STATUS_LABELS, STATUS_TAG_COLOURS
from gaps.domain.vocabulary import highest_marking, marking_css_class
from gaps.passwords import new_secret
from gaps.policy import can

UK_TIME = ZoneInfo("Europe/London")


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
    app.jinja_env.filters["status_label"] = lambda status: STATUS_LABELS.get(status, status)
    app.jinja_env.filters["status_colour"] = lambda status: STATUS_TAG_COLOURS.get(status, "grey")
    app.jinja_env.filters["marking_class"] = marking_css_class
    app.jinja_env.globals["page_marking"] = page_marking
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.jinja_env.globals["can"] = can


def uk_date(value: date | datetime | None) -> str:
    """A date as the UK writes it: 16 August 2016."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(UK_TIME).date()
    return f"{value.day} {value:%B %Y}"


def uk_datetime(value: datetime | None) -> str:
    """A moment in UK local time: 16 August 2016 at 14:05."""
    if value is None:
        return ""
    local = value.astimezone(UK_TIME)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def page_marking(*markings: str | None) -> str:
    """The marking a page must show: the highest of its content's, else the default."""
    return highest_marking(list(markings), current_app.config["GAPS_DEFAULT_MARKING"])


def csp_nonce() -> str:
    """A random value for this response, which inline scripts must carry (CSP)."""
    if "csp_nonce" not in g:
        g.csp_nonce = new_secret()
    return g.csp_nonce
