"""The term index behind report matching: one per application, kept in step with the open
requirements by their versions, so that only what changed is stemmed again."""

import logging
import threading

from flask import Flask, current_app

from gaps import queries
from gaps.domain.matching import (
    ProposedMatch,
    RequirementCriteria,
    TermIndex,
    compile_criteria,
    match_report,
    read_report,
)
from gaps.extensions import db

EXTENSION_KEY = "gaps.report_matching"
BATCH = 500


class MatchingIndex:
    """The open requirements' compiled criteria and the versions they were compiled from."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.terms = TermIndex()
        self.versions: dict[int, tuple[int, int]] = {}
        self.fingerprint: tuple | None = None

    def refresh(self) -> None:
        """Bring the index up to date from light rows (ids and versions); restem only new or
        changed requirements, and forget those no longer open. Call with the lock held.

        Every change to a requirement or a gap moves its version on, and a requirement that
        opens or closes changes the set: when neither moved (one aggregate row says so),
        nothing more is read."""
        connection = db.session.connection()
        fingerprint = tuple(connection.execute(queries.matching_fingerprint()).one())
        if fingerprint == self.fingerprint:
            return
        wanted = {row.id: (row.version, row.gap_version)
                  for row in connection.execute(queries.matching_versions())}
        for gone in set(self.versions) - set(wanted):
            self.terms.remove(gone)
            del self.versions[gone]
        changed = [key for key, versions in wanted.items() if self.versions.get(key) != versions]
        for start in range(0, len(changed), BATCH):
            for row in connection.execute(queries.matching_criteria(changed[start:start + BATCH])):
                self.terms.put(compile_criteria(RequirementCriteria(
                    requirement_id=row.id, ref=row.ref, question=row.question,
                    gap_statement=row.gap_statement, indicators=tuple(row.indicators or ()),
                    match_terms=tuple(row.match_terms or ()),
                    exclude_terms=tuple(row.exclude_terms or ()))))
                self.versions[row.id] = wanted[row.id]
        self.fingerprint = fingerprint


def _index() -> MatchingIndex:
    return current_app.extensions.setdefault(EXTENSION_KEY, MatchingIndex())


def register_report_matching(app: Flask) -> None:
    """Outside tests, build the term index in the background when a worker serves its first
    request, so that the first report recorded does not wait for ten thousand requirements
    to be read and stemmed (about a second)."""
    app.extensions[EXTENSION_KEY] = MatchingIndex()
    if app.testing:
        return
    started = threading.Event()

    def start_warming() -> None:
        if not started.is_set():
            started.set()
            threading.Thread(target=_warm, args=(app,), name="matching-index",
                             daemon=True).start()

    app.before_request(start_warming)


def _warm(app: Flask) -> None:
    with app.app_context():
        index = app.extensions[EXTENSION_KEY]
        try:
            with index.lock:
                index.refresh()
        except Exception:  # noqa: BLE001 (a report recorded later builds it instead)
            logging.getLogger(__name__).warning("the matching index could not be built",
                                                exc_info=True)
        finally:
            db.session.remove()


def propose_matches(title: str, text: str) -> list[ProposedMatch]:
    """The open requirements a report may answer, best first, above the threshold."""
    index = _index()
    report = read_report(title, text)
    with index.lock:
        index.refresh()
        return match_report(report, index.terms)
