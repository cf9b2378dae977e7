"""Benchmark: building the priority register, against a floor measured in the same run.

The floor is the cheapest possible read of the same rows: one raw sqlite3 query fetching every
open requirement with its gap. The register does more (ORM objects, links, scoring, ranking),
so the report is its cost as a multiple of that floor, for growing sizes: the multiple should
stay roughly flat as the register grows (no per-row queries, no quadratic work).

Run: .venv/bin/python bench/register.py [--sizes 1000 5000] [--repeat 5]
"""

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import flask_migrate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gaps import create_app, queries, services  # noqa: E402 - after the path is set
from gaps.extensions import db  # noqa: E402
from gaps.models import Gap, Requirement, Team  # noqa: E402
from gaps.seeding import read_seed  # noqa: E402

FLOOR_SQL = """SELECT requirement.*, gap.ref, gap.title, gap.theme FROM requirement
               JOIN gap ON gap.id = requirement.gap_id
               WHERE requirement.status IN ('draft', 'tasked', 'partially_satisfied',
                                            'satisfied')"""


def _timed(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _raw_read(path: Path):
    def read() -> list:
        connection = sqlite3.connect(path)
        try:
            return connection.execute(FLOOR_SQL).fetchall()
        finally:
            connection.close()
    return read


def _fill(total: int) -> None:
    gaps = db.session.execute(db.select(Gap)).scalars().all()
    teams = db.session.execute(db.select(Team)).scalars().all()
    existing = db.session.execute(db.select(db.func.count(Requirement.id))).scalar()
    for number in range(existing, total):
        db.session.add(Requirement(ref=f"R-B{number:06d}", gap=gaps[number % len(gaps)],
                                   question=f"Benchmark question {number}?",
                                   harm=number % 5 + 1, likelihood=(number // 5) % 5 + 1,
                                   knowledge_gap=(number // 25) % 5 + 1,
                                   organisational_position=(number // 125) % 5 + 1,
                                   owner_team=teams[number % len(teams)]))
    db.session.commit()


def main() -> int:
    """Print the register's cost against the floor for each size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gaps-bench-"))
    path = folder / "bench.sqlite"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    print(f"{'requirements':>12} {'floor ms':>9} {'register ms':>12} {'page ms':>8} "
          f"{'multiple':>9}")
    multiples = []
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        services.load_seed(read_seed(ROOT / "seed_data"))
        services.ensure_demo_accounts("benchmark-password")
        client = app.test_client()
        client.post("/sign-in", data={"email": "reviewer@example.org",
                                      "password": "benchmark-password"})
        for size in arguments.sizes:
            _fill(size)
            floor = _timed(_raw_read(path), arguments.repeat)
            register = _timed(lambda: (db.session.expire_all(), queries.register()),
                              arguments.repeat)
            page = _timed(lambda: client.get("/register"), arguments.repeat)
            multiples.append(register / floor)
            print(f"{size:>12} {floor:>9.1f} {register:>12.1f} {page:>8.1f} "
                  f"{register / floor:>8.1f}x")
        db.engine.dispose()
    growth = multiples[-1] / multiples[0]
    print(f"The multiple grew {growth:.2f}x from {arguments.sizes[0]} to {arguments.sizes[-1]} "
          "requirements (about 1 means the register scales like the raw read).")
    return 0 if growth < 3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
