"""Security at the edge: no NUL characters in, security headers (with a CSP nonce) out."""

from flask import Flask, abort, current_app, g, request


def register_security_headers(app: Flask) -> None:
    """Refuse text no database can store, and add the headers after every request."""
    app.before_request(refuse_nul_characters)
    app.after_request(add_security_headers)


# Files the same for everyone (the stylesheet, GOV.UK Frontend's fonts and script): cacheable.
SHARED_FILE_ENDPOINTS = frozenset({"static", "assets.asset", "assets.frontend_script"})
# Secure cookies mean the service is reached over TLS only: browsers are told to keep to it.
HSTS = "max-age=31536000; includeSubDomains"

# Deeper JSON than this is no request a person or client of this service sends.
MOST_JSON_NESTING = 64


def _unstorable(text: str) -> bool:
    """Whether text holds a NUL or a lone surrogate: neither is text, and no database stores
    them (PostgreSQL refuses both)."""
    return "\x00" in text or any("\ud800" <= character <= "\udfff" for character in text)


def _contains_unstorable(value, depth: int = 0) -> bool:
    if depth > MOST_JSON_NESTING:
        abort(400, f"The JSON is nested more than {MOST_JSON_NESTING} levels deep.")
    if isinstance(value, str):
        return _unstorable(value)
    if isinstance(value, dict):
        return any(_contains_unstorable(key, depth + 1) or _contains_unstorable(item, depth + 1)
                   for key, item in value.items())
    if isinstance(value, list):
        return any(_contains_unstorable(item, depth + 1) for item in value)
    return False


def _json_body():
    """The request's JSON, or a 400 that says why it cannot be read (never a server error)."""
    try:
        return request.get_json(silent=False)
    except RecursionError:
        abort(400, f"The JSON is nested more than {MOST_JSON_NESTING} levels deep.")
    except (ValueError, UnicodeDecodeError):
        abort(400, "The body is not valid JSON.")


def refuse_nul_characters() -> None:
    """A NUL character or a lone surrogate is never meaningful text, no database can store
    one, and over-deep JSON is no real request: each is a clear 400, never a server error."""
    sent = [*request.args.lists(), *request.form.lists()]
    # A body-less request labelled JSON (a GET from a client that always sends the header)
    # has nothing to check.
    body = _json_body() if request.is_json and request.get_data(cache=True) else None
    if any(_contains_unstorable(values) for _, values in sent) or _contains_unstorable(body) \
            or _unstorable(request.path):
        abort(400, "The request contains a NUL character or text that is not valid Unicode, "
                   "which text may not contain.")


def add_security_headers(response):
    """Forbid framing, sniffing, foreign scripts and stored copies; keep referrers in; HSTS
    when the cookies are for TLS only."""
    nonce = g.get("csp_nonce")
    script_source = "'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    response.headers.setdefault(
        "Content-Security-Policy",
        f"default-src 'self'; script-src {script_source}; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.endpoint not in SHARED_FILE_ENDPOINTS:
        # Pages, exports and API answers may hold what only the signed-in reader may see:
        # no browser or proxy keeps a copy (send_file's own "no-cache" still allows one).
        response.headers["Cache-Control"] = "no-store"
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
