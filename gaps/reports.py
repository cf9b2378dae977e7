"""Reports: the tables behind every export (register, snapshot, lists) and their charts."""

from datetime import date

from flask import current_app, render_template

from gaps import charts, queries
from gaps.domain.dates import uk_date, uk_datetime
from gaps.domain.errors import InvalidValue
from gaps.domain.register import EXPORT_COLUMNS, RegisterRow, export_cells
from gaps.domain.status import STATUS_LABELS
from gaps.domain.vocabulary import highest_marking
from gaps.exports import (
    CONTENT_TYPES,
    ExportTable,
    print_stylesheet,
    to_csv,
    to_json,
    to_pdf,
    to_xlsx,
)
from gaps.extensions import db
from gaps.models import RegisterSnapshot, utcnow

FORMATS = tuple(CONTENT_TYPES)
WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "json": to_json}


def check_format(export_format: str | None) -> str:
    """The export format, if it is one we write."""
    if export_format not in FORMATS:
        raise InvalidValue(f"The format must be one of {', '.join(FORMATS)}.", field="format")
    return export_format


def _marking(markings: list[str]) -> str:
    return highest_marking(markings, current_app.config["GAPS_DEFAULT_MARKING"])


def register_table(rows: list[RegisterRow], filters: queries.RegisterFilters) -> ExportTable:
    """The register as a table, every filtered row."""
    return ExportTable(title="Priority register", columns=list(EXPORT_COLUMNS),
                       rows=[export_cells(row) for row in rows],
                       marking=_marking([row.marking for row in rows]), generated_at=utcnow(),
                       subtitle=filters.describe())


def snapshot_table(snapshot: RegisterSnapshot) -> ExportTable:
    """A frozen snapshot as a table, exactly as it was taken."""
    rows = [[row.rank, row.ref, row.question, row.gap_ref, row.key_judgements,
             row.owner_team or "", row.status, row.score, row.ltiov, row.last_activity, "",
             row.override_rationale or ""] for row in snapshot.rows]
    subtitle = f"Snapshot taken {uk_datetime(snapshot.taken_at)}"
    if snapshot.decision:
        subtitle += f"; {snapshot.decision} {uk_datetime(snapshot.decided_at)}"
    return ExportTable(title=snapshot.title, columns=list(EXPORT_COLUMNS), rows=rows,
                       marking=snapshot.marking, generated_at=utcnow(), subtitle=subtitle)


REQUIREMENT_COLUMNS = ["Reference", "Question", "Gap", "Owner team", "Sources", "LTIOV",
                       "Next review", "Status", "Marking"]


def requirements_table(user, filters: queries.RequirementFilters) -> ExportTable:
    """The requirement list as the user may see it, every filtered row."""
    found = db.session.execute(queries.requirements(user, filters)).scalars().all()
    rows = [[requirement.ref, requirement.question, requirement.gap.ref,
             requirement.owner_team.name if requirement.owner_team else "",
             "; ".join(source.name for source in requirement.sources), requirement.ltiov,
             requirement.review_date, STATUS_LABELS.get(requirement.status),
             requirement.marking] for requirement in found]
    return ExportTable(title="Requirements", columns=REQUIREMENT_COLUMNS, rows=rows,
                       marking=_marking([requirement.marking for requirement in found]),
                       generated_at=utcnow())


GAP_COLUMNS = ["Gap", "Title", "Statement", "Paragraphs", "Section", "Theme", "Key judgements",
               "Requirements"]


def gaps_table(filters: queries.GapFilters) -> ExportTable:
    """The gap list, every filtered row."""
    found = db.session.execute(queries.gaps(filters)).scalars().all()
    rows = [[gap.ref, gap.title, gap.statement, ", ".join(map(str, gap.paragraphs)), gap.section,
             gap.theme, ", ".join(f"KJ{judgement.number}" for judgement in gap.key_judgements),
             ", ".join(requirement.ref for requirement in gap.requirements)] for gap in found]
    return ExportTable(title="Intelligence gaps", columns=GAP_COLUMNS, rows=rows,
                       marking=_marking([gap.assessment.marking for gap in found]),
                       generated_at=utcnow())


def register_charts(rows: list[RegisterRow], today: date) -> list[tuple[str, str]]:
    """The register's charts as (title, data URI) pairs, for pages and PDFs alike."""
    ages = queries.open_requirement_ages(today)
    return [
        ("Requirements by status, per key judgement",
         charts.as_data_uri(charts.status_by_key_judgement(queries.status_by_key_judgement()))),
        ("Age of open requirements", charts.as_data_uri(charts.age_of_open_requirements(ages))),
        ("Distribution of priority scores",
         charts.as_data_uri(charts.score_distribution([row.score for row in rows]))),
    ]


def render(table: ExportTable, export_format: str, chart_images=()) -> bytes:
    """The table in the chosen format; a PDF is printed from its own template."""
    if export_format != "pdf":
        return WRITERS[export_format](table)
    html = render_template(
        "exports/print.html", table=table, charts=chart_images,
        stylesheet=print_stylesheet(table.marking, table.generated_at, table.title),
        generated=uk_datetime(table.generated_at), display=_display_cell)
    return to_pdf(html)


def _display_cell(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return uk_datetime(value)
    if isinstance(value, date):
        return uk_date(value)
    return str(value)
