"""Reports: the tables behind every export (register, snapshot, lists) and their charts."""

import itertools
from collections.abc import Iterable, Iterator
from datetime import date

from flask import current_app, render_template

from gaps import charts, queries
from gaps.domain.actions import DECISION_WORDS, STATE_LABELS
from gaps.domain.dates import uk_date, uk_datetime
from gaps.domain.errors import InvalidValue, NotFound
from gaps.domain.register import EXPORT_COLUMNS, PRINT_COLUMNS
from gaps.domain.status import STATUS_LABELS
from gaps.domain.vocabulary import highest_marking
from gaps.exports import (
    CONTENT_TYPES,
    ExportTable,
    csv_chunks,
    json_chunks,
    print_stylesheet,
    to_pdf,
    to_xlsx,
)
from gaps.models import Action, Assessment, Gap, RegisterSnapshot, Requirement, utcnow

FORMATS = tuple(CONTENT_TYPES)
STREAMED = {"csv": csv_chunks, "json": json_chunks}
# A PDF is for reading and printing, not for every row of a large register: past this many
# rows it says so and points to the CSV and XLSX, which carry everything.
PDF_ROW_LIMIT = 500
PRINT_WIDTHS = (5, 9, 34, 7, 6, 13, 12, 9, 5)
CRITERIA_COLUMNS = ("Indicators", "Match terms", "Exclude terms")


def check_format(export_format: str | None) -> str:
    """The export format, if it is one we write."""
    if export_format not in FORMATS:
        raise InvalidValue(f"The format must be one of {', '.join(FORMATS)}.", field="format")
    return export_format


def _marking(markings: Iterable[str]) -> str:
    return highest_marking(list(markings), current_app.config["GAPS_DEFAULT_MARKING"])


def register_table(filters: queries.RegisterFilters, today: date,
                   export_format: str | None = None) -> ExportTable:
    """The register as a table, every filtered row, read as it is written; for a PDF, the
    page's compact row and at most PDF_ROW_LIMIT rows."""
    baseline = queries.latest_snapshot_id()
    widths: tuple[int, ...] = ()
    if export_format == "pdf":
        rows = queries.register_print_rows(filters, today, baseline, PDF_ROW_LIMIT)
        columns, widths = PRINT_COLUMNS, PRINT_WIDTHS
    else:
        rows = queries.register_export_rows(filters, today, baseline)
        columns = EXPORT_COLUMNS
    markings = queries.register_markings_counted(filters, today)
    return ExportTable(title="Priority register", columns=list(columns), rows=rows, widths=widths,
                       marking=_marking(markings), generated_at=utcnow(),
                       subtitle=filters.describe(), row_count=sum(markings.values()))


def snapshot_table(snapshot: RegisterSnapshot, export_format: str | None = None) -> ExportTable:
    """A frozen snapshot as a table, exactly as it was taken; with each requirement's
    indicators and match criteria, except in a PDF (for reading: the register's columns)."""
    criteria = export_format != "pdf"
    rows = ([row.rank, row.ref, row.question, row.gap_ref, row.key_judgements,
             row.owner_team or "", row.status, row.score,
             row.ltiov, row.last_activity, "", row.override_rationale or "",
             *(["\n".join(row.indicators or []), "; ".join(row.match_terms or []),
                "; ".join(row.exclude_terms or [])] if criteria else [])]
            for row in queries.snapshot_export_rows(snapshot.id))
    subtitle = f"Snapshot taken {uk_datetime(snapshot.taken_at)}"
    if snapshot.decision:
        subtitle += f"; {snapshot.decision} {uk_datetime(snapshot.decided_at)}"
    return ExportTable(title=snapshot.title,
                       columns=[*EXPORT_COLUMNS, *(CRITERIA_COLUMNS if criteria else ())],
                       rows=rows, marking=snapshot.marking, generated_at=utcnow(),
                       subtitle=subtitle, row_count=snapshot.row_count)


REQUIREMENT_COLUMNS = ["Reference", "Question", "Gap", "Owner team", "Sources", "LTIOV",
                       "Next review", "Status", "Marking"]


def requirements_table(user, filters: queries.RequirementFilters) -> ExportTable:
    """The requirement list as the user may see it, every filtered row."""
    statement = queries.requirements(user, filters)
    rows = ([requirement.ref, requirement.question, requirement.gap.ref,
             requirement.owner_team.name if requirement.owner_team else "",
             "; ".join(source.name for source in requirement.sources), requirement.ltiov,
             requirement.review_date, STATUS_LABELS.get(requirement.status),
             requirement.marking] for requirement in queries.in_batches(statement))
    return ExportTable(title="Requirements", columns=REQUIREMENT_COLUMNS, rows=rows,
                       marking=_marking(queries.markings_of(statement, Requirement.marking)),
                       generated_at=utcnow(), row_count=queries.count_of(statement))


GAP_COLUMNS = ["Gap", "Title", "Statement", "Paragraphs", "Section", "Theme", "Key judgements",
               "Requirements"]


def gaps_table(filters: queries.GapFilters) -> ExportTable:
    """The gap list, every filtered row."""
    statement = queries.gaps(filters)
    rows = ([gap.ref, gap.title, gap.statement, ", ".join(map(str, gap.paragraphs)), gap.section,
             gap.theme, ", ".join(f"KJ{judgement.number}" for judgement in gap.key_judgements),
             ", ".join(requirement.ref for requirement in gap.requirements)]
            for gap in queries.in_batches(statement))
    return ExportTable(title="Intelligence gaps", columns=GAP_COLUMNS, rows=rows,
                       marking=_marking(queries.markings_of(statement, Assessment.marking,
                                                            join=Gap.assessment)),
                       generated_at=utcnow(), row_count=queries.count_of(statement))


ACTION_COLUMNS = ["Action", "What is to be done", "Owner", "Due", "State", "Requirement",
                  "Snapshot", "Decision", "Written by", "Written", "Closed by", "Closed",
                  "Closing note"]


def actions_table(filters: queries.ActionFilters) -> ExportTable:
    """The governance group's actions, every filtered row, as the list shows them."""
    statement = queries.actions(filters)
    today = filters.today or utcnow().date()
    rows = ([action.ref, action.text,
             action.owner_user.email if action.owner_user else f"Team: {action.owner_team.name}",
             action.due_on, STATE_LABELS[action.state(today)],
             action.requirement.ref if action.requirement else "", action.snapshot.title,
             DECISION_WORDS.get(action.snapshot.decision or "", ""), action.created_by.email,
             action.created_at, action.closed_by.email if action.closed_by else "",
             action.closed_at, action.closing_note or ""]
            for action in queries.in_batches(statement))
    return ExportTable(title="Actions", columns=ACTION_COLUMNS, rows=rows,
                       marking=_marking(queries.markings_of(statement, RegisterSnapshot.marking,
                                                            join=Action.snapshot)),
                       generated_at=utcnow(), subtitle=filters.describe(),
                       row_count=queries.count_of(statement))


PLAN_COLUMNS = ["Rank", "Reference", "Requirement", "Band", "Score", "Status", "Owner team",
                "LTIOV", "Sources tasked"]
PLAN_FORMATS = ("csv", "xlsx", "json")


def plan_table(filters: queries.RegisterFilters, today: date, viewer: queries.Viewer,
               without_source: bool = False,
               export_format: str | None = None) -> ExportTable:
    """The collection plan as a table: every filtered row in register order, then one column
    per source (its full name) saying whether it is tasked and how many contributions came
    from it; read as it is written."""
    if export_format not in PLAN_FORMATS:
        raise InvalidValue(f"The collection plan is downloaded as {', '.join(PLAN_FORMATS)}.",
                           field="format")
    sources = queries.plan_sources(filters, today, viewer)
    rows = ([row.rank, row.ref, row.title, row.band.capitalize(), row.score,
             STATUS_LABELS.get(row.status, row.status), row.owner_team or "", row.ltiov,
             row.tasked_count, *(row.cell(source.id).describe() for source in sources)]
            for row in queries.plan_rows(filters, today, viewer, without_source))
    subtitle = filters.describe() + ("; only requirements with no source" if without_source
                                     else "")
    return ExportTable(title="Collection plan",
                       columns=PLAN_COLUMNS + [source.name for source in sources], rows=rows,
                       marking=_marking(queries.plan_markings(filters, today, viewer,
                                                              without_source)),
                       generated_at=utcnow(), subtitle=subtitle,
                       row_count=queries.plan_count(filters, today, viewer, without_source))


CHARTS = {
    "status-by-key-judgement": "Requirements by status, per key judgement",
    "age": "Age of open requirements",
    "scores": "Distribution of priority scores",
}


def register_chart(name: str, today: date) -> str:
    """One of the register's charts as SVG, from figures aggregated by the database."""
    if name == "status-by-key-judgement":
        return charts.status_by_key_judgement(queries.status_by_key_judgement())
    if name == "age":
        return charts.age_chart(queries.open_requirement_age_counts(today))
    if name == "scores":
        return charts.score_chart(queries.score_band_counts())
    raise NotFound("There is no such chart.")


def register_charts(today: date) -> list[tuple[str, str]]:
    """The register's charts as (title, data URI) pairs, for the PDF."""
    return [(title, charts.as_data_uri(register_chart(name, today)))
            for name, title in CHARTS.items()]


def render(table: ExportTable, export_format: str, chart_images=()) -> bytes | Iterator[bytes]:
    """The table in the chosen format: CSV and JSON as a stream of chunks, XLSX and PDF whole
    (a PDF is printed from its own template, at most PDF_ROW_LIMIT rows)."""
    if export_format in STREAMED:
        return STREAMED[export_format](table)
    if export_format == "xlsx":
        return to_xlsx(table)
    rows = list(itertools.islice(table.rows, PDF_ROW_LIMIT))
    count = table.row_count if table.row_count is not None else len(rows)
    html = render_template(
        "exports/print.html", table=table, rows=rows, row_count=count,
        limited=count > len(rows), charts=chart_images,
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
