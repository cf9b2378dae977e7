"""Logs: one JSON line per request with a request id, and security events on their own logger.

Nothing secret is ever written: no password, no token, no cookie, no query string, no header.
"""

import ipaddress
import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

REQUEST_LOGGER = "gaps.requests"
SECURITY_LOGGER = "gaps.security"
SECURITY_ACTIONS = frozenset({"sign_in", "sign_in_failed", "sign_out", "refused", "export",
                              "api_token_issued", "api_token_revoked", "user_created",
                              "role_changed", "team_changed", "user_deactivated",
                              "user_reactivated", "password_reset", "password_changed",
                              "password_set", "reauthentication_failed"})
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_HANDLER_NAME = "gaps-json"


class JsonLines(logging.Formatter):
    """Each record as one line of JSON: time, level, logger, message and its fields."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as JSON."""
        line = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(),
                "level": record.levelname.lower(), "logger": record.name,
                "message": record.getMessage()}
        line.update(getattr(record, "fields", {}))
        return json.dumps(line, default=str, ensure_ascii=False)


def register_observability(app: Flask) -> None:
    """Request ids, request logs, security logs, and trust in the configured proxies."""
    if app.config["GAPS_PROXY_COUNT"]:
        app.wsgi_app = TrustedProxyFix(app.wsgi_app, app.config["GAPS_PROXY_COUNT"],
                                       app.config["GAPS_TRUSTED_PROXIES"])
    _install_handler(app)
    app.before_request(_start_request)
    app.after_request(_log_request)


class TrustedProxyFix:
    """ProxyFix for requests that come from a trusted proxy; anyone else's X-Forwarded-*
    headers are ignored, so a client cannot choose the address it is counted under."""

    def __init__(self, wsgi_app, count: int, trusted: str) -> None:
        self.direct = wsgi_app
        self.proxied = ProxyFix(wsgi_app, x_for=count, x_proto=count, x_host=count)
        self.trusted = parse_networks(trusted)

    def __call__(self, environ, start_response):
        """Answer the request, believing the forwarding headers only from a trusted peer."""
        try:
            peer = ipaddress.ip_address(environ.get("REMOTE_ADDR", ""))
        except ValueError:
            peer = None
        trusted = peer is not None and any(peer in network for network in self.trusted)
        return (self.proxied if trusted else self.direct)(environ, start_response)


def parse_networks(addresses: str) -> list:
    """`127.0.0.1, 10.0.0.0/8` as networks (a lone address is a network of one)."""
    return [ipaddress.ip_network(address.strip(), strict=False)
            for address in addresses.split(",") if address.strip()]


def _install_handler(app: Flask) -> None:
    logger = logging.getLogger("gaps")
    logger.setLevel(logging.INFO)
    if app.testing or any(handler.get_name() == _HANDLER_NAME for handler in logger.handlers):
        return  # tests read records through pytest; one handler however many apps are made
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonLines() if app.config["GAPS_LOG_FORMAT"] == "json"
                         else logging.Formatter("%(levelname)s %(name)s %(message)s"))
    logger.addHandler(handler)


def request_id() -> str | None:
    """This request's id (the caller's X-Request-ID when it is safe, else a new one)."""
    return g.get("request_id")


def _start_request() -> None:
    offered = request.headers.get("X-Request-ID", "")
    g.request_id = offered if _SAFE_REQUEST_ID.match(offered) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _log_request(response):
    response.headers["X-Request-ID"] = g.get("request_id", "")
    started = g.get("request_started")
    user = current_user.email if current_user and current_user.is_authenticated else None
    logging.getLogger(REQUEST_LOGGER).info("request", extra={"fields": {
        "request_id": g.get("request_id"), "method": request.method, "path": request.path,
        "endpoint": request.endpoint, "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        "user": user, "remote_addr": request.remote_addr,
    }})
    return response


def log_security_event(action: str, actor: str, reason: str | None, target: str | None) -> None:
    """Write a security event (sign-ins, refusals, exports, accounts) to its own logger."""
    if action not in SECURITY_ACTIONS:
        return
    logging.getLogger(SECURITY_LOGGER).info(action, extra={"fields": {
        "event": action, "actor": actor, "target": target, "reason": reason,
        "request_id": g.get("request_id") if has_request_context() else None,
    }})
