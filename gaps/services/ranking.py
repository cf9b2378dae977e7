"""Keeping the register's ranks right: after every change that moves them, and each new day.

Ranks are derived data: they are worked out from the open requirements, the scoring settings
and today's date, and stored in `register_position` so that a page of the register reads fifty
rows instead of ranking ten thousand. They are refreshed

- in the same transaction as any change that can move them (a requirement created, rescored,
  re-dated, re-referenced, moved between statuses or pinned; the scoring settings changed):
  a session hook notices such a change when it is flushed and re-ranks just before the commit,
  so no writer (use case, seed, import, test) can forget to;
- on the first read of a new day, because urgency follows the calendar: a requirement's
  urgency rises as its LTIOV comes nearer, so yesterday's ranks may be wrong today
  (`flask register rank` run from cron just after midnight spares the first reader the wait).
"""

from dataclasses import dataclass
from datetime import date
from itertools import chain

from flask import Flask
from sqlalchemy import delete, event, func, insert, inspect, select

from gaps import queries
from gaps.database import use_case
from gaps.domain.priority import DIMENSIONS, ScoringSettings
from gaps.domain.register import RegisterInput, rank_requirements
from gaps.extensions import db
from gaps.models import Assessment, RegisterPosition, Requirement, Setting, utcnow

RANKED_FIELDS = frozenset({"status", "ref", "ltiov", "rank_override", *DIMENSIONS})
_STALE = "register_ranks_stale"
# Any constant shared by every process of this application: one re-ranking at a time.
_RANKING_LOCK = 7_202_612
_CHUNK = 500


def register_ranking_upkeep(app: Flask) -> None:
    """Re-rank the register before any commit that changed what ranks depend on."""
    for name, listener in (("before_flush", _note_ranking_changes),
                           ("before_commit", _rank_before_commit),
                           ("after_rollback", _forget_ranking_changes)):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)


def _changes_ranks(instance) -> bool:
    if isinstance(instance, Setting):
        return instance.key == queries.SCORING_SETTING
    if isinstance(instance, Assessment):  # publishing brings its requirements into the register
        return inspect(instance).attrs["status"].history.has_changes()
    if not isinstance(instance, Requirement):
        return False
    state = inspect(instance)
    if state.pending or state.deleted:
        return True
    return any(state.attrs[name].history.has_changes() for name in RANKED_FIELDS)


def _note_ranking_changes(session, flush_context, instances) -> None:
    if any(_changes_ranks(instance) for instance in chain(session.new, session.dirty,
                                                          session.deleted)):
        session.info[_STALE] = True


def _rank_before_commit(session) -> None:
    session.flush()
    if session.info.pop(_STALE, False):
        refresh_register()


def _forget_ranking_changes(session) -> None:
    session.info.pop(_STALE, None)


def refresh_register(today: date | None = None) -> int:
    """Re-rank every open requirement and store the positions that changed, inside the
    caller's transaction; returns how many positions were written."""
    today = today or utcnow().date()
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        # SQLite writers already queue for the write lock; PostgreSQL ones queue here, so
        # that each re-ranking sees every change committed before it.
        session.execute(select(func.pg_advisory_xact_lock(_RANKING_LOCK)))
    ranked = rank_requirements(
        (RegisterInput(row.id, row.ref, {name: getattr(row, name) for name in DIMENSIONS},
                       row.ltiov, row.rank_override)
         for row in session.execute(queries.ranking_inputs())),
        today, queries.scoring_settings())
    wanted = {item.requirement_id: (item.rank, item.natural_rank, item.total, item.band)
              for item in ranked}
    stored = {row.requirement_id: (row.rank, row.natural_rank, row.score, row.band)
              for row in session.execute(queries.register_positions())}
    outdated = [key for key, value in stored.items() if wanted.get(key) != value]
    fresh = [key for key, value in wanted.items() if stored.get(key) != value]
    for start in range(0, len(outdated), _CHUNK):
        session.execute(delete(RegisterPosition)
                        .where(RegisterPosition.requirement_id.in_(outdated[start:start + _CHUNK]))
                        .execution_options(synchronize_session=False))
    if fresh:
        session.execute(insert(RegisterPosition), [
            {"requirement_id": key, "rank": wanted[key][0], "natural_rank": wanted[key][1],
             "score": wanted[key][2], "band": wanted[key][3]} for key in fresh])
    state = session.get(Setting, queries.RANKING_STATE)
    if state is None:
        state = Setting(key=queries.RANKING_STATE)
        session.add(state)
    state.value, state.updated_at = {"ranked_on": today.isoformat()}, utcnow()
    session.info.pop(_STALE, None)
    return len(fresh)


@use_case
def rank_register(today: date | None = None) -> int:
    """Re-rank the register now (for a new day, or from `flask register rank`)."""
    written = refresh_register(today)
    db.session.commit()
    return written


@dataclass(frozen=True)
class RegisterState:
    """What every view of the register needs first: the scoring settings in force."""

    settings: ScoringSettings
    today: date


def current_register(today: date | None = None) -> RegisterState:
    """The scoring settings, after re-ranking if the ranks are from an earlier day."""
    today = today or utcnow().date()
    settings, ranked_on = queries.register_state()
    if ranked_on != today:
        rank_register(today)
    return RegisterState(settings, today)
