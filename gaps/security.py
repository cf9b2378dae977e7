"""Security headers on every response, including a content security policy with a nonce."""

from flask import Flask, g


def register_security_headers(app: Flask) -> None:
    """Add the headers after every request."""
    app.after_request(add_security_headers)


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
