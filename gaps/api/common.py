"""What the API's endpoints share: paging a statement, loading one object or 404."""

from flask import abort

from gaps import queries
from gaps.extensions import db


def paged(statement, arguments: dict) -> dict:
    """One page of a statement's results in the API's envelope."""
    results = queries.page(statement, arguments["page"], arguments["per_page"])
    return {"items": results.items, "total": results.total, "page": results.page,
            "per_page": results.per_page}


def one_or_404(statement):
    """The single object a statement finds, or a JSON 404."""
    found = db.session.execute(statement).scalar_one_or_none()
    if found is None:
        abort(404, "No such object, or you may not see it")
    return found


def paged_list(items: list, arguments: dict) -> dict:
    """One page of a list already built in memory, in the API's envelope."""
    page, per_page = arguments["page"], arguments["per_page"]
    start = (page - 1) * per_page
    return {"items": items[start:start + per_page], "total": len(items), "page": page,
            "per_page": per_page}
