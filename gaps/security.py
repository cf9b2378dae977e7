"""Security at the edge: no NUL characters in, security headers (with a CSP nonce) out."""

from flask import Flask, abort, g, request


def register_security_headers(app: Flask) -> None:
    """Refuse text no database can store, and add the headers after every request."""
    app.before_request(refuse_nul_characters)
    app.after_request(add_security_headers)


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(key) or _contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False


def refuse_nul_characters() -> None:
    """A NUL character is never meaningful text, and PostgreSQL cannot store one: 400."""
    sent = [*request.args.lists(), *request.form.lists()]
    body = request.get_json(silent=True) if request.is_json else None
    if any(_contains_nul(values) for _, values in sent) or _contains_nul(body) \
            or "\x00" in request.path:
        abort(400, "The request contains a NUL character, which text may not contain.")


def add_security_headers(response):
    """Forbid framing, sniffing and foreign scripts; keep referrers in."""
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
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response
