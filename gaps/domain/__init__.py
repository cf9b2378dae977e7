"""Pure rules of the tracker: no Flask, no SQLAlchemy."""
