"""What the API's endpoints share: paging a statement, loading one object or 404, drafts, and
answers kept while the data is unchanged."""

from collections.abc import Callable

import marshmallow as ma
from flask import Response, abort, current_app

from gaps import page_cache, queries
from gaps.domain.actions import ActionDraft
from gaps.extensions import db


def paged(statement, arguments: dict) -> dict:
    """One page of a statement's results in the API's envelope."""
    return envelope(queries.page(statement, arguments["page"], arguments["per_page"]))


def envelope(results: queries.Page) -> dict:
    """A page of results in the API's envelope."""
    return {"items": results.items, "total": results.total, "page": results.page,
            "per_page": results.per_page}


def cached_json(schema: ma.Schema, make: Callable[[], object]) -> Response:
    """The JSON answer `make` and `schema` give, as this worker last wrote it while the data
    is unchanged (gaps/page_cache.py), for this caller's role and these query arguments."""
    body = page_cache.cached(page_cache.viewer_and_arguments(),
                             lambda: current_app.json.response(schema.dump(make())).get_data())
    return Response(body, mimetype=current_app.json.mimetype)


def one_or_404(statement):
    """The single object a statement finds, or a JSON 404."""
    found = db.session.execute(statement).unique().scalar_one_or_none()
    if found is None:
        abort(404, "No such object, or you may not see it")
    return found



def action_drafts(values: list[dict]) -> list[ActionDraft]:
    """The `actions` of a request body as drafts, numbered by their place in it (from 1)."""
    return [ActionDraft(**value, number=number) for number, value in enumerate(values, start=1)]
