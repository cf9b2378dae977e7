"""Engine behaviour per database: on SQLite, WAL, a busy timeout and `BEGIN IMMEDIATE`."""

from flask import Flask
from sqlalchemy import event

from gaps.extensions import db


def register_database_behaviour(app: Flask) -> None:
    """On SQLite, make concurrent writers wait their turn instead of failing."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    busy_timeout_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        # pysqlite's own transaction handling starts transactions too late for
        # writers to queue; take over (SQLAlchemy's pysqlite documentation recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
