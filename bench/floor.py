"""The floor each benchmark is measured against: the same rows, read with the database driver
and rendered by a plain Jinja table, served the same way (gunicorn, same number of workers).

It does no sign-in, no ORM, no forms, no layout, and keeps one connection per worker (as the
application's pool does): the least any program could do to show the same information, so that
`make bench` reports the application's cost as a multiple of it.
"""

import csv
import io
import json
import os
import sqlite3
import threading

from flask import Flask, Response
from jinja2 import Environment

OPEN = "('draft', 'tasked', 'partially_satisfied', 'satisfied')"

# What a register page row shows; the API adds key judgements and last activity.
REGISTER_SQL = """
SELECT p.rank, r.ref, gap.title AS gap_title, p.band, p.score, r.status, t.name AS owner,
       r.ltiov, r.review_date, s.rank AS previous_rank
FROM register_position p
JOIN requirement r ON r.id = p.requirement_id
JOIN gap ON gap.id = r.gap_id
LEFT JOIN team t ON t.id = r.owner_team_id
LEFT JOIN register_snapshot_row s ON s.requirement_id = r.id
     AND s.snapshot_id = (SELECT id FROM register_snapshot ORDER BY taken_at DESC, id DESC LIMIT 1)
ORDER BY p.rank {limit}
"""
API_REGISTER_SQL = """
SELECT p.rank, p.natural_rank, p.score, r.id, r.ref, r.question, r.status, r.ltiov,
       r.review_date, r.marking, r.harm, r.likelihood, r.knowledge_gap,
       r.organisational_position, gap.id, gap.ref, gap.theme, t.name AS owner,
       (SELECT max(a.at) FROM audit_event a
         WHERE a.entity_type = 'requirement' AND a.entity_id = r.id) AS last_activity,
       (SELECT count(*) FROM gap_key_judgement k WHERE k.gap_id = gap.id) AS key_judgements,
       s.rank AS previous_rank
FROM register_position p
JOIN requirement r ON r.id = p.requirement_id
JOIN gap ON gap.id = r.gap_id
LEFT JOIN team t ON t.id = r.owner_team_id
LEFT JOIN register_snapshot_row s ON s.requirement_id = r.id
     AND s.snapshot_id = (SELECT id FROM register_snapshot ORDER BY taken_at DESC, id DESC LIMIT 1)
ORDER BY p.rank {limit}
"""

DASHBOARD_COUNTS_SQL = "SELECT status, count(*) FROM requirement GROUP BY status"
DASHBOARD_LIST_COUNT_SQL = "SELECT count(*) FROM requirement r WHERE {condition}"
DASHBOARD_LIST_SQL = """
SELECT r.ref, r.question, t.name, r.ltiov, r.review_date, r.status FROM register_position p
JOIN requirement r ON r.id = p.requirement_id
LEFT JOIN team t ON t.id = r.owner_team_id WHERE {condition}
ORDER BY p.rank LIMIT 20
"""
GAPS_WITHOUT_REQUIREMENT_SQL = """
SELECT count(*) FROM gap WHERE NOT EXISTS (SELECT 1 FROM requirement r WHERE r.gap_id = gap.id)
"""
DASHBOARD_CONDITIONS = (
    "r.status = 'satisfied'",
    f"r.status IN {OPEN} AND r.ltiov < :today",
    f"r.status IN {OPEN} AND r.review_date <= :today",
    f"r.status IN {OPEN} AND r.key_judgement_changed",
    "r.status = 'draft'",
)

REQUIREMENT_SQL = """
SELECT r.ref, r.question, r.status, r.ltiov, r.review_date, t.name, gap.ref, gap.statement
FROM requirement r JOIN gap ON gap.id = r.gap_id LEFT JOIN team t ON t.id = r.owner_team_id
WHERE r.id = :id
"""
HISTORY_SQL = """
SELECT at, actor, action, field, old, new, reason FROM audit_event
WHERE entity_type = 'requirement' AND entity_id = :id ORDER BY at DESC, id DESC LIMIT 50
"""

TABLE = Environment(autoescape=True).from_string("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head><body>
<h1>{{ title }}</h1>{% for rows in tables %}<table>
{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell if cell is not none else '' }}</td>
{%- endfor %}</tr>
{% endfor %}</table>{% endfor %}</body></html>""")

app = Flask(__name__)


_local = threading.local()


def _connection():
    """This worker's connection, opened once and kept, as the application's pool keeps its."""
    if getattr(_local, "connection", None) is None:
        url = os.environ["DATABASE_URL"]
        if url.startswith("sqlite"):
            _local.connection = sqlite3.connect(url.split("///", 1)[1])
            _local.placeholder = "?"
        else:
            import psycopg

            _local.connection = psycopg.connect(
                url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
            _local.placeholder = "%s"
    return _local.connection


def _rows(sql: str, **parameters) -> list[tuple]:
    connection = _connection()
    placeholder = _local.placeholder
    values = []
    for name, value in parameters.items():
        sql = sql.replace(f":{name}", placeholder)
        values.append(value)
    cursor = connection.cursor()
    cursor.execute(sql, values)
    return cursor.fetchall()


@app.route("/register")
def register():
    """The register's first 50 rows as a plain table."""
    rows = _rows(REGISTER_SQL.replace("{limit}", "LIMIT 50"))
    return TABLE.render(title="Register", tables=[rows])


@app.route("/api/register")
def api_register():
    """The register's first 50 rows as JSON."""
    names = ("rank", "natural_rank", "score", "id", "ref", "question", "status", "ltiov",
             "review_date", "marking", "harm", "likelihood", "knowledge_gap",
             "organisational_position", "gap_id", "gap_ref", "theme", "owner_team",
             "last_activity", "key_judgements", "previous_rank")
    rows = _rows(API_REGISTER_SQL.replace("{limit}", "LIMIT 50"))
    return Response(json.dumps({"items": [dict(zip(names, map(str, row), strict=True))
                                          for row in rows]}), mimetype="application/json")


@app.route("/dashboard/<today>")
def dashboard(today: str):
    """Counts and the first 20 rows (by rank) of each of a manager's lists."""
    tables = [_rows(DASHBOARD_COUNTS_SQL), _rows(GAPS_WITHOUT_REQUIREMENT_SQL)]
    for condition in DASHBOARD_CONDITIONS:
        parameters = {"today": today} if ":today" in condition else {}
        tables.append(_rows(DASHBOARD_LIST_COUNT_SQL.replace("{condition}", condition),
                            **parameters))
        tables.append(_rows(DASHBOARD_LIST_SQL.replace("{condition}", condition), **parameters))
    return TABLE.render(title="Dashboard", tables=tables)


@app.route("/requirement/<int:requirement_id>")
def requirement(requirement_id: int):
    """A requirement and its 50 newest history events."""
    return TABLE.render(title="Requirement", tables=[
        _rows(REQUIREMENT_SQL, id=requirement_id), _rows(HISTORY_SQL, id=requirement_id)])


@app.route("/register.csv")
def register_csv():
    """Every row of the register as CSV, written with the csv module."""
    rows = _rows(API_REGISTER_SQL.replace("{limit}", ""))
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return Response(buffer.getvalue().encode("utf-8-sig"), mimetype="text/csv")
