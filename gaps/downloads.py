"""Exports as downloads, for pages and the API alike; every export is recorded."""

from flask import Response, stream_with_context
from flask_login import current_user

from gaps import reports, services
from gaps.exports import CONTENT_TYPES, ExportTable, filename


def send_export(table: ExportTable, export_format: str | None, what: str,
                chart_images=()) -> Response:
    """The table as a file in the chosen format, recorded in the audit trail.

    CSV and JSON are streamed as they are read from the database, so a whole register never
    sits in memory; XLSX and PDF are written whole (XLSX in constant memory, PDF bounded).
    """
    export_format = reports.check_format(export_format)
    body = reports.render(table, export_format, chart_images)
    services.record_export(current_user, what, export_format, table.row_count)
    if not isinstance(body, bytes):
        body = stream_with_context(body)
    response = Response(body, content_type=CONTENT_TYPES[export_format])
    # The marking travels with the file even where the format has no place for it (CSV).
    response.headers["X-Protective-Marking"] = table.marking
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{filename(table.title, export_format, table.generated_at)}"')
    return response
