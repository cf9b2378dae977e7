"""Importing assessments: the command, the upload page, the review, and next year's version."""

import io
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from weasyprint import HTML

from gaps.extensions import db as database
from gaps.models import Assessment, CandidateGap, Gap, Paragraph
from tests.conftest import SEED_DIR, make_app

EXAMPLE = SEED_DIR / "assessments" / "asa-csea-2016" / "text.txt"
FRAUD = Path(__file__).parent / "importer" / "documents" / "fraud-2024.txt"
CORE_PARAGRAPHS = {6, 24, 32, 34, 36, 38, 39, 42, 46, 47, 52, 58, 59, 70, 75, 79, 95, 96, 99}
SECONDARY_PARAGRAPHS = {6, 24, 25, 43, 48, 54, 69, 92}


def _counts(db) -> tuple:
    return tuple(db.session.execute(select(func.count()).select_from(model)).scalar()
                 for model in (Assessment, Paragraph, CandidateGap, Gap))


def test_the_example_dry_run_finds_key_judgements_and_every_core_gap(runner, db):
    before = _counts(db)
    result = runner.invoke(args=["import-assessment", str(EXAMPLE), "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    seeded = [judgement.text for judgement in db.session.execute(
        select(Assessment).filter_by(reference="0300-CSEA")).scalar_one().key_judgements]
    assert [judgement["text"] for judgement in found["key_judgements"]] == seeded
    numbers = {gap["paragraph_number"] for gap in found["candidate_gaps"]}
    assert CORE_PARAGRAPHS <= numbers and numbers & {85, 89}
    listed = [gap for gap in found["candidate_gaps"]
              if gap["paragraph_number"] in CORE_PARAGRAPHS | SECONDARY_PARAGRAPHS | {85, 89}]
    assert len(listed) / len(found["candidate_gaps"]) >= 0.8
    assert set(found) >= {"title", "paragraphs", "key_judgements", "candidate_gaps"}
    assert set(found["candidate_gaps"][0]) == {"paragraph_index", "paragraph_number", "section",
                                               "sentence", "cue", "category", "confidence"}
    assert _counts(db) == before


@pytest.fixture
def bad_files(tmp_path) -> dict[str, Path]:
    """Files the importer must refuse, with the words of the refusal."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    large = tmp_path / "large.txt"
    with large.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    scanned = tmp_path / "scanned.pdf"
    scanned.write_bytes(HTML(string="<div style='height:100px'></div>").write_pdf())
    return {"The file is empty": empty, "binary": binary, "50.0 MB": large,
            "no text layer": scanned}


def test_bad_files_are_refused_clearly_and_nothing_is_written(runner, db, bad_files):
    before = _counts(db)
    for message, path in bad_files.items():
        result = runner.invoke(args=["import-assessment", str(path)])
        assert result.exit_code == 1, path
        assert message in result.output and "Nothing was written" in result.output, result.output
    assert _counts(db) == before


def test_windows_1252_text_is_read(runner, tmp_path):
    text = FRAUD.read_text(encoding="utf-8").replace("'", "’")
    path = tmp_path / "cp1252.txt"
    path.write_bytes(text.encode("cp1252", errors="replace"))
    result = runner.invoke(args=["import-assessment", str(path), "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert any("£1.2 billion" in paragraph["text"] for paragraph in found["paragraphs"])


def test_importing_creates_a_draft_with_paragraphs_key_judgements_and_proposed_gaps(runner, db):
    result = runner.invoke(args=["import-assessment", str(FRAUD)])
    assert result.exit_code == 0, result.output
    assessment = database.session.execute(
        select(Assessment).filter_by(reference="NFTA-2024-01")).scalar_one()
    assert (assessment.status, assessment.version, assessment.marking) == (
        "draft", "1.1", "OFFICIAL-SENSITIVE")
    assert len(assessment.paragraphs) == 26 and len(assessment.key_judgements) == 3
    proposed = db.session.execute(select(CandidateGap).filter_by(
        assessment_id=assessment.id)).scalars().all()
    assert len(proposed) == 10 and {candidate.status for candidate in proposed} == {"proposed"}
    again = runner.invoke(args=["import-assessment", str(FRAUD)])
    assert again.exit_code == 1 and "already been imported" in again.output


def _snapshot_of_import(app_or_db) -> tuple:
    paragraphs = database.session.execute(select(Paragraph.index, Paragraph.number,
                                                 Paragraph.section, Paragraph.text)
                                          .order_by(Paragraph.index)).all()
    candidates = database.session.execute(select(CandidateGap.statement, CandidateGap.cue,
                                                 CandidateGap.confidence)
                                          .order_by(CandidateGap.id)).all()
    judgements = database.session.execute(select(Assessment.title, Assessment.reference,
                                                 Assessment.version, Assessment.full_text).where(
        Assessment.reference == "NFTA-2024-01")).all()
    return [tuple(row) for row in paragraphs], [tuple(row) for row in candidates], judgements


def test_the_page_and_the_command_give_the_same_result(runner, db, login_as, databases):
    assert runner.invoke(args=["import-assessment", str(FRAUD)]).exit_code == 0
    by_command = _snapshot_of_import(db)

    other = databases.seeded()
    second = make_app(other)
    browser = second.test_client()
    browser.post("/sign-in", data={"email": "manager@example.org",
                                   "password": "demo-password-for-tests"})
    with FRAUD.open("rb") as handle:
        response = browser.post("/assessments/import", data={"document": (handle, FRAUD.name)},
                                content_type="multipart/form-data")
    assert response.status_code == 302, response.text
    assert "/review" in response.headers["Location"]
    with second.app_context():
        by_page = _snapshot_of_import(None)
        database.engine.dispose()
    databases.drop(other)
    assert by_page == by_command


def test_a_bad_upload_is_a_form_error(login_as, db):
    before = _counts(db)
    browser = login_as("manager")
    response = browser.post("/assessments/import", data={"document": (io_bytes(b""),
                                                                      "empty.txt")},
                            content_type="multipart/form-data")
    assert response.status_code == 422
    assert "The file is empty. Nothing was written." in response.text
    response = browser.post("/assessments/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Choose the document to import" in response.text
    assert _counts(db) == before


def test_an_oversized_upload_is_refused_with_a_message(login_as):
    response = login_as("manager").post(
        "/assessments/import", data={"document": (io_bytes(b"x" * (22 * 1024 * 1024)),
                                                  "huge.txt")},
        content_type="multipart/form-data")
    assert response.status_code == 413
    assert "The file is too large" in response.text


def io_bytes(data: bytes) -> io.BytesIO:
    """An in-memory upload."""
    return io.BytesIO(data)


def _import_fraud(runner, db) -> Assessment:
    assert runner.invoke(args=["import-assessment", str(FRAUD)]).exit_code == 0
    return db.session.execute(select(Assessment).filter_by(reference="NFTA-2024-01")
                              ).scalar_one()


def test_each_proposed_gap_keeps_its_category_and_the_review_page_shows_it(runner, db,
                                                                           login_as):
    assessment = _import_fraud(runner, db)
    stored = db.session.execute(select(CandidateGap.statement, CandidateGap.cue,
                                       CandidateGap.category)
                                .filter_by(assessment_id=assessment.id)).all()
    by_opening = {" ".join(statement.split()[:4]): (cue, category)
                  for statement, cue, category in stored}
    assert by_opening["We assess that investment"] == ("under-reported", "under_reporting")
    assert by_opening["The harm to victims'"] == ("difficult to quantify", "scale")
    page = login_as("manager").get(f"/assessments/{assessment.id}/review").text
    assert "under-reporting, cue “under-reported” · confidence" in page


def test_reviewing_proposed_gaps_then_publishing(runner, db, login_as):
    assessment = _import_fraud(runner, db)
    manager = login_as("manager")
    page = manager.get(f"/assessments/{assessment.id}/review/document").text
    assert "<mark>The proportion of investment fraud committed by organised crime groups based " \
           "overseas is not known.</mark>" in page
    candidates = db.session.execute(select(CandidateGap).filter_by(assessment_id=assessment.id)
                                    .order_by(CandidateGap.id)).scalars().all()
    first = candidates[0]
    # A merge joins a proposal with a nearby one (a duplicate sits within a few paragraphs).
    second, third = next((one, other) for one in candidates[1:] for other in candidates[1:]
                         if one.id < other.id
                         and abs(one.paragraph.index - other.paragraph.index) <= 3)
    rest = [candidate for candidate in candidates if candidate not in (first, second, third)]
    judgement = assessment.key_judgements[1]

    refused = manager.post(f"/assessments/{assessment.id}/publish", data={})
    assert refused.status_code == 422
    assert re.search(rf'<a href="#candidate-{first.id}">\d+ proposed gaps are still to be '
                     r"accepted, merged or rejected", refused.text)
    assert f'id="candidate-{first.id}"' in refused.text

    response = manager.post(f"/candidates/{first.id}/accept", data={
        f"accept-{first.id}-version": first.version,
        f"accept-{first.id}-title": "Scale of fraud against businesses",
        f"accept-{first.id}-statement": first.statement,
        f"accept-{first.id}-key_judgements": [str(judgement.id)],
        f"accept-{first.id}-theme": "Scale",
        f"accept-{first.id}-question": "How much fraud against businesses goes unreported?"})
    assert response.status_code == 302
    gap = db.session.execute(select(Gap).filter_by(title="Scale of fraud against businesses")
                             ).scalar_one()
    assert [kj.id for kj in gap.key_judgements] == [judgement.id]
    assert gap.requirements[0].question.startswith("How much fraud")
    assert gap.requirements[0].status == "draft"

    manager.post(f"/candidates/{second.id}/merge", data={f"merge-{second.id}-other": third.id})
    manager.post(f"/candidates/{rest[0].id}/edit", data={
        f"edit-{rest[0].id}-version": rest[0].version, f"edit-{rest[0].id}-title": "Renamed",
        f"edit-{rest[0].id}-statement": rest[0].statement})
    db.session.expire_all()
    assert db.session.get(CandidateGap, third.id).status == "merged"
    assert " … " in db.session.get(CandidateGap, second.id).statement
    assert db.session.get(CandidateGap, rest[0].id).title == "Renamed"

    paragraph = db.session.execute(select(Paragraph).filter_by(
        assessment_id=assessment.id, index=5)).scalar_one()
    assert manager.get(f"/paragraphs/{paragraph.id}/mark").status_code == 200
    marked = manager.post(f"/paragraphs/{paragraph.id}/mark",
                          data={"statement": paragraph.text[:40]})
    assert marked.status_code == 302
    for candidate in db.session.execute(select(CandidateGap).filter_by(
            assessment_id=assessment.id, status="proposed")).scalars().all():
        manager.post(f"/candidates/{candidate.id}/reject", data={})
    response = manager.post(f"/assessments/{assessment.id}/publish", data={})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Assessment, assessment.id).status == "published"


def test_a_collector_or_reviewer_cannot_import_or_review(login_as, runner, db):
    assessment = _import_fraud(runner, db)
    for role in ("collector", "reviewer"):
        browser = login_as(role)
        assert browser.get("/assessments/import").status_code == 403
        assert browser.get(f"/assessments/{assessment.id}/review").status_code == 403


def _next_version(tmp_path: Path) -> Path:
    text = FRAUD.read_text(encoding="utf-8")
    text = text.replace("Version: 1.1", "Version: 2.0")
    text = text.replace("The number of businesses that lose money without reporting it remains "
                        "unclear.", "The number of businesses that lose money without reporting "
                                    "it still remains unclear.")
    text = re.sub(r"4\.2 The extent to which insiders.*?intelligence gap\.",
                  "4.2 Insiders in telecoms companies have been convicted of assisting SIM-swap "
                  "fraud.", text)
    path = tmp_path / "fraud-2025.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_next_years_version_carries_the_gaps_forward(runner, db, login_as, tmp_path):
    first = _import_fraud(runner, db)
    manager = login_as("manager")
    accepted = {}
    for candidate in db.session.execute(select(CandidateGap).filter_by(
            assessment_id=first.id).order_by(CandidateGap.id)).scalars().all():
        manager.post(f"/candidates/{candidate.id}/accept", data={
            f"accept-{candidate.id}-version": candidate.version,
            f"accept-{candidate.id}-title": candidate.title,
            f"accept-{candidate.id}-statement": candidate.statement})
        accepted[candidate.statement] = candidate.paragraph_numbers
    old_gaps = {gap.statement: gap for gap in db.session.execute(
        select(Gap).filter_by(assessment_id=first.id)).scalars()}
    assert len(old_gaps) == 10

    result = runner.invoke(args=["import-assessment", str(_next_version(tmp_path))])
    assert result.exit_code == 0, result.output
    second = db.session.execute(select(Assessment).filter_by(reference="NFTA-2024-01",
                                                             version="2.0")).scalar_one()
    carried = {gap.statement: gap for gap in db.session.execute(
        select(Gap).filter_by(assessment_id=second.id)).scalars()}
    dropped = [statement for statement in old_gaps if "insiders in telecoms" in statement]
    assert dropped and not set(dropped) & set(carried)
    assert len(carried) == 9
    edited = next(gap for statement, gap in carried.items() if "without reporting" in statement)
    assert edited.continues.assessment_id == first.id
    review = manager.get(f"/assessments/{second.id}/review").text
    assert "No longer in the text (1)" in review and "insiders in telecoms" in review
    gap_page = manager.get(f"/gaps/{edited.id}").text
    assert "still open after 2 assessments" in gap_page
    # What was carried forward is not proposed a second time.
    waiting = db.session.execute(select(CandidateGap.statement).filter_by(
        assessment_id=second.id, status="proposed")).scalars().all()
    assert not set(waiting) & set(carried)


def test_marking_a_gap_as_continuing_an_earlier_one(runner, db, login_as):
    assessment = _import_fraud(runner, db)
    manager = login_as("manager")
    candidate = db.session.execute(select(CandidateGap).filter_by(assessment_id=assessment.id)
                                   ).scalars().first()
    manager.post(f"/candidates/{candidate.id}/accept", data={
        f"accept-{candidate.id}-version": candidate.version,
        f"accept-{candidate.id}-title": "Fraud scale", f"accept-{candidate.id}-statement": "x"})
    new_gap = db.session.execute(select(Gap).filter_by(title="Fraud scale")).scalar_one()
    old_gap = db.session.execute(select(Gap).filter_by(ref="G-024")).scalar_one()
    response = manager.post(f"/gaps/{new_gap.id}/continues", data={"earlier": old_gap.id})
    assert response.status_code == 302
    assert "still open after 2 assessments" in manager.get(f"/gaps/{new_gap.id}").text
    circular = manager.post(f"/gaps/{old_gap.id}/continues", data={"earlier": new_gap.id})
    assert circular.status_code == 422
    assert "in a circle" in circular.text
    assert "Continues a gap of an earlier assessment" in manager.get(f"/gaps/{old_gap.id}").text
