"""Pages and API answers, kept by each worker for as long as the data they show is unchanged.

Every commit that writes anything stamps the database with a new random content token (one row
in `setting`, written in the same transaction as the change, after any re-ranking). A page is
filed under the token read at the start of the request, today's date, the person (or, for an
API answer shared by a role, the role and team), the route and its arguments, so that

- a change by any worker, command or import is seen by every worker's next request: they all
  read the token from the database, not from memory;
- nothing is ever served from before a change: the token is read before the data, so a page
  filed under a token holds data at least as new as it;
- a database restored from a backup brings back its own token with the data it stamped.

What must be new in every response is never kept: each form's CSRF token and the CSP nonce are
stand-ins in the kept page, replaced as it is served, and a request with a flashed message to
show renders the page afresh.
"""

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps
from typing import TypeVar

from flask import Flask, Response, current_app, g, has_app_context, make_response, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite

from gaps import queries
from gaps.extensions import db
from gaps.models import ApiToken, Setting, utcnow
from gaps.templating import csp_nonce

_CHANGED = "content_changed"
_EXTENSION = "gaps.page_cache"
# Writes that record how the service is used rather than what it holds: no page shows them.
_BOOKKEEPING = (ApiToken,)
# Stand-ins for the per-response secrets in a cached page: random, so no text can forge them.
_CSRF_STAND_IN = "csrf-" + secrets.token_hex(16)
_NONCE_STAND_IN = "nonce-" + secrets.token_hex(16)
_CSRF_STAND_IN_BYTES, _NONCE_STAND_IN_BYTES = _CSRF_STAND_IN.encode(), _NONCE_STAND_IN.encode()

Part = TypeVar("Part")


class PageCache:
    """A bounded least-recently-used store of rendered parts, shared by one worker's threads."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._parts: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> object | None:
        """The part filed under `key`, or None."""
        with self._lock:
            part = self._parts.get(key)
            if part is not None:
                self._parts.move_to_end(key)
            return part

    def put(self, key: Hashable, part: object) -> None:
        """File a part, forgetting the least recently used beyond the limit."""
        if not self.entries:
            return
        with self._lock:
            self._parts[key] = part
            while len(self._parts) > self.entries:
                self._parts.popitem(last=False)

    def clear(self) -> None:
        """Forget every part."""
        with self._lock:
            self._parts.clear()

    def get_or_make(self, key: Hashable, make: Callable[[], Part]) -> Part:
        """The part filed under `key`, made (outside the lock) and filed when missing."""
        part = self.get(key)
        if part is None:
            part = make()
            self.put(key, part)
        return part


def page_cache_of(app: Flask) -> PageCache:
    """The application's cache."""
    return app.extensions[_EXTENSION]


def register_page_cache(app: Flask) -> None:
    """Give the application its cache, and stamp every commit that changed anything."""
    app.extensions[_EXTENSION] = PageCache(int(app.config["GAPS_PAGE_CACHE_ENTRIES"]))
    # Registered after the ranking upkeep, so the stamp is the last write of a transaction.
    for name, listener in (("before_flush", _note_flushed_changes),
                           ("do_orm_execute", _note_statement_changes),
                           ("before_commit", _stamp_before_commit),
                           ("after_rollback", _forget_changes)):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)


def cached(key: tuple, make: Callable[[], Part]) -> Part:
    """The part for `key` as the data stands now: from this worker's cache, or made now."""
    return page_cache_of(current_app).get_or_make(_as_the_data_stands(*key), make)


def _as_the_data_stands(*key: Hashable) -> tuple:
    # Today's date too: pages say what is overdue, and ranks move with the calendar.
    return (content_token(), utcnow().date(), *key)


def viewer_and_arguments() -> tuple:
    """What a shared page's content may depend on besides the data: who is looking (role and
    team, never the person) and the query arguments, in a fixed order."""
    return (request.endpoint, current_user.role, current_user.team_id,
            tuple(sorted(request.args.items(multi=True))))


def cached_page(view: Callable) -> Callable:
    """Serve a GET page from this worker's cache while the data is unchanged, for the same
    person, arguments and day. The page is rendered with stand-ins for what must be new in
    every response (the CSRF token of each form, the CSP nonce), replaced as it is served;
    a page carrying a flashed message is never cached or served from the cache."""

    @wraps(view)
    def serve(**view_args):
        cache = page_cache_of(current_app)
        if not cache.entries or session.get("_flashes"):
            return view(**view_args)
        key = _as_the_data_stands(request.endpoint, current_user.get_id(),
                                  tuple(sorted(request.args.items(multi=True))),
                                  tuple(sorted(view_args.items())))
        page = cache.get(key)
        if page is None:
            response = _render_with_stand_ins(view, view_args)
            if response.status_code != 200 or response.mimetype != "text/html" or \
                    response.is_streamed:
                return _with_fresh_secrets(response)
            page = response.get_data()
            cache.put(key, page)
        return _with_fresh_secrets(make_response(page))

    return serve


def _render_with_stand_ins(view: Callable, view_args: dict) -> Response:
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    setattr(g, field, _CSRF_STAND_IN)
    g.csp_nonce = _NONCE_STAND_IN
    try:
        return make_response(view(**view_args))
    finally:
        g.pop(field, None)
        g.pop("csp_nonce", None)


def _with_fresh_secrets(response: Response) -> Response:
    if response.mimetype == "text/html" and not response.is_streamed:
        page = response.get_data()
        if _CSRF_STAND_IN_BYTES in page or _NONCE_STAND_IN_BYTES in page:
            response.set_data(page.replace(_CSRF_STAND_IN_BYTES, generate_csrf().encode())
                              .replace(_NONCE_STAND_IN_BYTES, csp_nonce().encode()))
    return response


def content_token() -> str | None:
    """The token of the database's last change, read once per request (None: never changed)."""
    if "content_token" not in g:
        remember_content_token(db.session.execute(queries.content_token()).scalar_one_or_none())
    return g.content_token


def remember_content_token(stored: dict | None) -> None:
    """Keep for this request the token read with something else (the signed-in user)."""
    g.content_token = stored.get("token") if stored else None


def _note_flushed_changes(session, flush_context, instances) -> None:
    if any(not isinstance(instance, _BOOKKEEPING)
           for collection in (session.new, session.dirty, session.deleted)
           for instance in collection):
        session.info[_CHANGED] = True


def _note_statement_changes(execute_state) -> None:
    if not (execute_state.is_insert or execute_state.is_update or execute_state.is_delete):
        return
    mapper = execute_state.bind_mapper
    if mapper is None or not issubclass(mapper.class_, _BOOKKEEPING):
        execute_state.session.info[_CHANGED] = True


def _stamp_before_commit(session) -> None:
    session.flush()
    if not session.info.pop(_CHANGED, False):
        return
    connection = session.connection()
    dialect = sqlite if connection.dialect.name == "sqlite" else postgresql
    values = {"key": queries.CONTENT_STATE, "value": {"token": secrets.token_hex(16)},
              "updated_at": utcnow()}
    statement = dialect.insert(Setting).values(values)
    # The connection, not the session: this write must not mark the session changed again.
    connection.execute(statement.on_conflict_do_update(
        index_elements=[Setting.key],
        set_={"value": statement.excluded.value, "updated_at": statement.excluded.updated_at}))
    if has_app_context():
        g.pop("content_token", None)  # this request reads the new token if it reads again


def _forget_changes(session) -> None:
    session.info.pop(_CHANGED, None)
