"""The shipped example: complete, validated before loading, and loaded only once."""

import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from gaps.models import AuditEvent, Gap, KeyJudgement, Requirement, Source, Team
from gaps.seeding import SeedError, read_seed
from tests.conftest import SEED_DIR

CORE_GAPS = {
    "G-006": [6], "G-024": [24], "G-032": [32], "G-034": [34], "G-036": [36], "G-038": [38],
    "G-039": [39], "G-042": [42], "G-046": [46], "G-047": [47], "G-052": [52], "G-058": [58],
    "G-059": [59], "G-070": [70], "G-075": [75], "G-079": [79], "G-085": [85, 89],
    "G-095": [95], "G-096": [96], "G-099": [99],
}
NAMED_BY_THE_BRIEF = {"G-034": 34, "G-059": 59, "G-070": 70, "G-085": 85}
DOCUMENT = Path(SEED_DIR / "assessments" / "asa-csea-2016" / "text.txt").read_text()


def _counts(db) -> dict:
    return {model.__name__: db.session.execute(select(func.count()).select_from(model)).scalar()
            for model in (Team, Source, KeyJudgement, Gap, Requirement, AuditEvent)}


def test_every_core_gap_is_seeded_with_its_paragraphs_and_a_key_judgement(db):
    gaps = {gap.ref: gap for gap in db.session.execute(select(Gap)).scalars()}
    for ref, paragraphs in CORE_GAPS.items():
        assert ref in gaps, f"{ref} is missing"
        assert gaps[ref].paragraphs == paragraphs
        assert gaps[ref].key_judgements, f"{ref} is linked to no key judgement"
        assert len(gaps[ref].requirements) == 1
        assert gaps[ref].requirements[0].status == "draft"
        assert gaps[ref].requirements[0].question.endswith("?")


def test_the_four_gaps_the_brief_names_first_are_there(db):
    for ref, paragraph in NAMED_BY_THE_BRIEF.items():
        gap = db.session.execute(select(Gap).where(Gap.ref == ref)).scalar_one()
        assert paragraph in gap.paragraphs


def test_key_judgements_are_verbatim(db):
    judgements = db.session.execute(select(KeyJudgement).order_by(KeyJudgement.number)).scalars()
    texts = [judgement.text for judgement in judgements]
    assert len(texts) == 4
    for text in texts:
        assert f"- {text}" in DOCUMENT
    assert texts[1].startswith("Although the visibility of the CSEA threat is improving")


def test_statements_are_quoted_from_the_document(db):
    for gap in db.session.execute(select(Gap)).scalars():
        for part in gap.statement.split(" … "):
            assert " ".join(part.split()) in " ".join(DOCUMENT.split()), gap.ref


def test_seeding_twice_changes_nothing(db, runner):
    before = _counts(db)
    result = runner.invoke(args=["seed", "--demo"])
    assert result.exit_code == 0, result.output
    assert "nothing changed" in result.output
    assert "already existed" in result.output
    db.session.expire_all()
    assert _counts(db) == before


def _broken_copy(tmp_path: Path, relative: str, mutate) -> Path:
    folder = tmp_path / "seed"
    shutil.copytree(SEED_DIR, folder)
    path = folder / relative
    data = yaml.safe_load(path.read_text())
    mutate(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return folder


def _first_gap(data):
    return data["gaps"][0]


GAPS_FILE = "assessments/asa-csea-2016/gaps.yaml"
ASSESSMENT_FILE = "assessments/asa-csea-2016/assessment.yaml"


@pytest.mark.parametrize(("relative", "mutate", "expected"), [
    (GAPS_FILE, lambda d: _first_gap(d).pop("title"), "'title' is required"),
    (GAPS_FILE, lambda d: _first_gap(d)["requirement"].update(marking="PUBLIC"),
     "'marking' is 'PUBLIC'"),
    (GAPS_FILE, lambda d: _first_gap(d)["requirement"].update(owner_team="No Such Team"),
     "owner team 'No Such Team' is not in teams.yaml"),
    (GAPS_FILE, lambda d: _first_gap(d)["requirement"].update(harm=9),
     "'harm' must be a whole number from 1 to 5"),
    (GAPS_FILE, lambda d: _first_gap(d).update(key_judgements=[7]),
     "links key judgement 7, which does not exist"),
    (GAPS_FILE, lambda d: _first_gap(d).update(statement="Words the document never says."),
     "the statement is not quoted from the document"),
    (GAPS_FILE, lambda d: _first_gap(d).update(paragraphs="six"),
     "'paragraphs' must be a non-empty list of numbers"),
    (GAPS_FILE, lambda d: d["gaps"].append(dict(d["gaps"][0])), "reference is used twice"),
    (ASSESSMENT_FILE, lambda d: d.update(published="last summer"),
     "'published' must be a date"),
    ("sources.yaml", lambda d: d["sources"][0].update(kind="rumour"), "'kind' is 'rumour'"),
])
def test_a_malformed_seed_is_refused_whole_with_file_entry_and_problem(
        db, runner, tmp_path, relative, mutate, expected):
    folder = _broken_copy(tmp_path, relative, mutate)
    before = _counts(db)
    result = runner.invoke(args=["seed", "--directory", str(folder)])
    assert result.exit_code == 1
    assert "nothing was loaded" in result.output
    assert relative in result.output
    assert expected in result.output
    assert _counts(db) == before


def test_invalid_yaml_names_the_file(tmp_path):
    folder = tmp_path / "seed"
    shutil.copytree(SEED_DIR, folder)
    (folder / "teams.yaml").write_text("teams: [unclosed\n")
    with pytest.raises(SeedError) as raised:
        read_seed(folder)
    assert "teams.yaml: file: is not valid YAML" in str(raised.value)


def test_a_refused_seed_loads_nothing_into_an_empty_database(tmp_path):
    """Validation happens before any write: even the valid parts are not loaded."""
    folder = _broken_copy(tmp_path, GAPS_FILE, lambda d: _first_gap(d).pop("statement"))
    with pytest.raises(SeedError) as raised:
        read_seed(folder)
    assert [problem.file for problem in raised.value.problems] == [GAPS_FILE]
