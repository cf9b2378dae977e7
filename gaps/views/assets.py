"""GOV.UK Frontend's fonts, images and script, served from the npm package `make` installs."""

from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory

from gaps.policy import public

blueprint = Blueprint("assets", __name__)


def _frontend_dir() -> Path:
    return Path(current_app.config["GAPS_ASSETS_DIR"])


@blueprint.route("/assets/<path:filename>")
@public
def asset(filename: str):
    """A file from GOV.UK Frontend's assets folder."""
    folder = _frontend_dir() / "assets"
    if not folder.is_dir():
        abort(404)
    return send_from_directory(folder, filename, max_age=86400)


@blueprint.route("/frontend/govuk-frontend.min.js")
@public
def frontend_script():
    """GOV.UK Frontend's JavaScript (progressive enhancement only; pages work without it)."""
    return send_from_directory(_frontend_dir(), "govuk-frontend.min.js", max_age=86400)
