"""Command-line interface: `flask seed`, `flask users …`, `flask register …` and the rest."""

import csv
import json
import secrets
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from gaps import queries, reports, services
from gaps.backup import BackupFailed, backup, restore
from gaps.domain.accounts import MAXIMUM_TOKEN_DAYS, TOKEN_SCOPES
from gaps.domain.dates import uk_datetime
from gaps.domain.errors import DomainError
from gaps.domain.reports import FeedRefused
from gaps.domain.vocabulary import ROLES
from gaps.extensions import db
from gaps.importer import (
    DEFAULT_MAX_BYTES,
    ImportRefused,
    read_assessment,
    read_document,
    refuse_if_too_large,
)
from gaps.seeding import SeedError, read_seed

MAX_IMPORT_BYTES = DEFAULT_MAX_BYTES
users = AppGroup("users", help="Manage accounts and API tokens.")
register = AppGroup("register", help="Export, rank or take a snapshot of the priority register.")
bench = AppGroup("bench", help="Synthetic data for benchmarks.")
notify = AppGroup("notify", help="Daily e-mail digests of what is due.")


def register_cli(app: Flask) -> None:
    """Add the project's commands to `flask`."""
    app.cli.add_command(seed)
    app.cli.add_command(users)
    app.cli.add_command(register)
    app.cli.add_command(bench)
    app.cli.add_command(notify)
    app.cli.add_command(import_assessment)
    app.cli.add_command(import_reports)
    app.cli.add_command(backup_database)
    app.cli.add_command(restore_database)


@click.command("seed")
@with_appcontext
@click.option("--demo", is_flag=True, help="Also create one demo account per role.")
@click.option("--directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Seed folder (default: seed_data/ or GAPS_SEED_DIR).")
def seed(demo: bool, directory: Path | None) -> None:
    """Load the shipped assessments; running it again changes nothing."""
    folder = directory or Path(current_app.config["GAPS_SEED_DIR"])
    try:
        bundle = read_seed(folder)
    except SeedError as error:
        click.echo(f"Seed refused; nothing was loaded. {len(error.problems)} problem(s):", err=True)
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1) from error
    created = services.load_seed(bundle)
    summary = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in created.items()
                        if count)
    click.echo(f"Seed loaded: {summary}." if summary else "Seed already loaded: nothing changed.")
    if demo:
        _demo_accounts()


def _demo_accounts() -> None:
    password = current_app.config.get("GAPS_DEMO_PASSWORD")
    generated = not password
    if generated:
        password = secrets.token_urlsafe(12)
    accounts = services.ensure_demo_accounts(password)
    created_any = any(created for *_, created in accounts)
    click.echo("Demo accounts:")
    for email, role, team, created in accounts:
        note = f", team {team}" if team else ""
        click.echo(f"  {email:<24} {role}{note}{'' if created else ' (already existed)'}")
    if created_any and generated:
        click.echo(f"Their password (shown once; set GAPS_DEMO_PASSWORD to choose it): {password}")
    elif created_any:
        click.echo("Their password is the value of GAPS_DEMO_PASSWORD.")
    else:
        click.echo("Their password is unchanged.")


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@users.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--team", "team_name", default=None, help="Team name (required for collectors).")
def create_user(email: str, role: str, team_name: str | None) -> None:
    """Create an account; the password is read from a prompt or standard input."""
    try:
        user = services.create_user(email, role, _read_password(), team_name=team_name)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created {user.email} ({user.role}).")


@users.command("set-password")
@click.argument("email")
def set_password(email: str) -> None:
    """Set an account's password, read twice from a prompt or standard input; its sessions
    end."""
    first, second = _read_password_twice()
    if first != second:
        raise click.ClickException("The two passwords differ: nothing was changed.")
    try:
        user = services.set_password(email, first)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Password of {user.email} set; their sessions have ended.")


def _read_password_twice() -> tuple[str, str]:
    if sys.stdin.isatty():
        first = click.prompt("New password", hide_input=True)
        return first, click.prompt("New password again", hide_input=True)
    return sys.stdin.readline().rstrip("\r\n"), sys.stdin.readline().rstrip("\r\n")


@users.command("token")
@click.argument("email")
@click.option("--name", default="", help="What the token is for.")
@click.option("--scope", type=click.Choice(TOKEN_SCOPES), default="read", show_default=True,
              help="read: GET only; write: may change things too.")
@click.option("--expires-days", type=click.IntRange(1, MAXIMUM_TOKEN_DAYS), default=None,
              help="Lifetime in days (default GAPS_TOKEN_DAYS, 90).")
def issue_token(email: str, name: str, scope: str, expires_days: int | None) -> None:
    """Issue a new API token for an account and print it once (only its digest is kept)."""
    try:
        token = services.issue_api_token(email, name=name, scope=scope,
                                         expires_days=expires_days)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(token)


@users.command("tokens")
@click.argument("email")
def list_tokens(email: str) -> None:
    """List an account's API tokens: id, name, scope, created, expires, last used, revoked."""
    try:
        tokens = db.session.execute(queries.api_tokens_of(
            services.account_by_email(email).id)).scalars().all()
    except DomainError as error:
        raise click.ClickException(error.message) from error
    if not tokens:
        click.echo("No API tokens.")
        return
    click.echo("id\tname\tscope\tcreated\texpires\tlast used\trevoked")
    for token in tokens:
        click.echo("\t".join([str(token.id), token.name, token.scope,
                              uk_datetime(token.created_at), uk_datetime(token.expires_at),
                              uk_datetime(token.last_used_at) or "never",
                              uk_datetime(token.revoked_at) or "no"]))


@users.command("revoke-tokens")
@click.argument("email")
@click.option("--id", "token_id", type=click.IntRange(1), default=None,
              help="Only this token (see `flask users tokens EMAIL`).")
def revoke_tokens(email: str, token_id: int | None) -> None:
    """Revoke every active API token of an account, or only one."""
    try:
        revoked = services.revoke_api_tokens(email, token_id=token_id)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"{revoked} token(s) revoked.")


@register.command("export")
@click.option("--format", "export_format", required=True,
              type=click.Choice(("csv", "xlsx", "pdf", "json")))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write.")
def export_register(export_format: str, output: Path) -> None:
    """Write every row of the register to a file (the export is recorded in the audit)."""
    today = services.current_register().today
    charts = reports.register_charts(today) if export_format == "pdf" else ()
    table = reports.register_table(queries.RegisterFilters(), today, export_format)
    body = reports.render(table, export_format, charts)
    with output.open("wb") as file:
        for chunk in [body] if isinstance(body, bytes) else body:
            file.write(chunk)
    services.record_export(None, "priority register (command line)", export_format,
                           table.row_count)
    written = min(table.row_count, reports.PDF_ROW_LIMIT) if export_format == "pdf" \
        else table.row_count
    click.echo(f"Wrote {written} of {table.row_count} rows to {output} ({table.marking}).")


@register.command("rank")
def rank_register() -> None:
    """Re-rank the register for today (run it from cron just after midnight)."""
    written = services.rank_register()
    click.echo(f"Register ranked: {written} positions changed.")


@register.command("snapshot")
@click.option("--title", required=True, help="For example: SGG meeting, March 2027.")
def snapshot_register(title: str) -> None:
    """Freeze the register as it stands now."""
    try:
        taken = services.take_snapshot(None, title)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Snapshot {taken.id} “{taken.title}” taken: {taken.row_count} requirements.")


@bench.command("populate")
@click.option("--requirements", "requirement_count", type=click.IntRange(1, 1_000_000),
              default=10_000, show_default=True, help="Requirements to add (on N/5 gaps).")
@click.option("--audit-events", "audit_event_count", type=click.IntRange(0, 50_000_000),
              default=1_000_000, show_default=True, help="Audit events to add, in all.")
@click.option("--seed", "random_seed", type=int, default=1, show_default=True,
              help="Random seed: the same seed gives the same data.")
def populate(requirement_count: int, audit_event_count: int, random_seed: int) -> None:
    """Add realistic synthetic data (requirements, gaps, teams, history, a snapshot).

    The last line printed is one JSON object describing what was added.
    """
    from gaps.benchdata import populate as add_synthetic_data

    try:
        added = add_synthetic_data(requirement_count, audit_event_count, random_seed)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(added.as_dict()))


@click.command("import-assessment")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Read and report, but write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--title", default=None, help="The assessment's title, if the document's is wrong.")
def import_assessment(path: Path, dry_run: bool, as_json: bool, title: str | None) -> None:
    """Read an assessment (plain text or PDF): paragraphs, key judgements, proposed gaps."""
    try:
        refuse_if_too_large(path.stat().st_size, MAX_IMPORT_BYTES)
        text = read_document(path.read_bytes(), path.name, max_bytes=MAX_IMPORT_BYTES)
        imported = _read_with_progress(text, title, show=sys.stdout.isatty() and not as_json)
    except ImportRefused as refusal:
        raise click.ClickException(f"{path.name}: {refusal}. Nothing was written.") from refusal
    result = imported.to_json_dict()
    if not dry_run:
        try:
            assessment = services.import_assessment(None, imported, full_text=text)
        except DomainError as error:
            raise click.ClickException(f"{error.message} Nothing was written.") from error
        result["assessment_id"] = assessment.id
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(f"{imported.title}: {len(imported.paragraphs)} paragraphs, "
               f"{len(imported.key_judgements)} key judgements, "
               f"{len(imported.candidate_gaps)} proposed gaps.")
    if dry_run:
        click.echo("Dry run: nothing was written.")
    else:
        click.echo(f"Imported as draft assessment {result['assessment_id']}: review it at "
                   f"/assessments/{result['assessment_id']}/review")


@click.command("import-reports")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--by", "email", default=None,
              help="The account recording them (a collector, manager or admin); default: the "
                   "feed itself.")
def import_reports(path: Path, email: str | None) -> None:
    """Load a feed of reports (CSV with a header row, or JSON Lines: title, text, source,
    found_on, grading, handling_conditions, marking) and match each to open requirements.
    Every row is checked first: if any is bad, each is named by its line and nothing is
    written."""
    actor = None
    if email:
        actor = db.session.execute(queries.user_by_email(email)).scalar_one_or_none()
        if actor is None:
            raise click.ClickException(f"There is no account {email}.")
    rows, problems = _feed_rows(path)
    if problems:
        _refuse_feed(path, problems)
    try:
        with click.progressbar(length=len(rows), label="Matching reports") as bar:
            summary = services.import_reports(actor, rows, progress=bar.update)
    except FeedRefused as refusal:
        _refuse_feed(path, refusal.problems)
    except DomainError as error:
        raise click.ClickException(f"{error.message} Nothing was written.") from error
    click.echo(f"Imported {summary.reports} report{'s' if summary.reports != 1 else ''} from "
               f"{path.name} (RPT-{summary.report_ids[0]} to RPT-{summary.report_ids[-1]}) with "
               f"{summary.proposals} proposed match{'es' if summary.proposals != 1 else ''}; "
               "triage them at /reports?state=waiting")


def _refuse_feed(path: Path, problems: list[str]) -> None:
    click.echo(f"{path.name}: {len(problems)} bad row(s); nothing was written.", err=True)
    for problem in problems:
        click.echo(f"  {problem}", err=True)
    raise SystemExit(1)


def _feed_rows(path: Path) -> tuple[list[tuple[int, dict]], list[str]]:
    """A feed's rows numbered by their line, and the lines that cannot be read at all."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        return [], [f"the file is not UTF-8 text ({error.reason} at byte {error.start})"]
    rows, problems = [], []
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(text.splitlines(keepends=True))
        try:
            for row in reader:
                if None in row:
                    problems.append(f"line {reader.line_num}: more values than columns")
                    continue
                rows.append((reader.line_num, {key: value for key, value in row.items()
                                               if value not in (None, "")}))
        except csv.Error as error:
            problems.append(f"line {reader.line_num}: {error}")
        return rows, problems
    for line, content in enumerate(text.splitlines(), start=1):
        if not content.strip():
            continue
        try:
            rows.append((line, json.loads(content)))
        except json.JSONDecodeError as error:
            problems.append(f"line {line}: not JSON ({error.msg})")
    return rows, problems


def _read_with_progress(text: str, title: str | None, show: bool):
    if not show:
        return read_assessment(text, title=title)
    with click.progressbar(length=100, label="Reading paragraphs") as bar:
        done_so_far = [0]

        def progress(done: int, total: int) -> None:
            percent = int(100 * done / max(total, 1))
            bar.update(percent - done_so_far[0])
            done_so_far[0] = percent

        return read_assessment(text, title=title, progress=progress)


@click.command("backup")
@with_appcontext
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write the backup to.")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def backup_database(output: Path, force: bool) -> None:
    """Back up the database while it runs (SQLite online backup, or pg_dump)."""
    if output.exists() and not force:
        raise click.ClickException(f"{output} exists: choose another file, or add --force to "
                                   "replace it.")
    if force:
        output.unlink(missing_ok=True)  # the SQLite backup API would write into the old file
    try:
        backup(db.engine, output)
    except BackupFailed as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up {db.engine.url.render_as_string(hide_password=True)} to {output}.")


@click.command("restore")
@with_appcontext
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_database(source: Path, yes: bool) -> None:
    """Replace the database's whole content with a backup."""
    if not yes:
        if not sys.stdin.isatty():
            raise click.ClickException("Restoring replaces everything: add --yes to confirm.")
        click.confirm("Restoring replaces everything in the database. Go on?", abort=True)
    try:
        restore(db.engine, source)
    except BackupFailed as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {source}.")


@notify.command("send")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send nothing.")
def notify_send(dry_run: bool) -> None:
    """Send today's digests (for cron): each person at most once a day, only when something
    is due; exits 1 when any could not be sent (the others still go)."""
    from gaps.notify.mail import send_digests

    try:
        report = send_digests(dry_run=dry_run, echo=click.echo)
    except DomainError as error:
        click.echo(error.message, err=True)
        raise SystemExit(2) from error
    verb = "Would send" if dry_run else "Sent"
    click.echo(f"{verb} {len(report.sent)} digest(s); {len(report.nothing_due)} with nothing "
               f"due; {len(report.failed)} failed.")
    for email, reason in report.failed:
        click.echo(f"Not sent to {email}: {reason}", err=True)
    if report.failed:
        raise SystemExit(1)
