"""The `ftr` commands that talk to a running server: import, export, search, compare, demo tour.

They use `service.client.FtrClient`, the same client partners' scripts use, against `--url`
(default `$FTR_URL` or http://127.0.0.1:8000) with the key in `--key` (default
`$FTR_API_KEY`). `register_remote_commands(app)` adds them to the `ftr` app of `service.cli`.

Exit codes, for scripts:

| code | meaning |
| --- | --- |
| 0 | done (`ftr compare`: the names match) |
| 1 | `ftr import`: some rows failed (written to a file to fix and import again); |
|   | `ftr compare`: the names do not match |
| 2 | a usage error, no key, or the server refused the request or the file |
| 3 | the server cannot be reached |
"""

from __future__ import annotations

import csv
import json
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from service import schemas
from service.client import DEFAULT_URL, FtrApiError, FtrClient, FtrUnreachableError
from service.import_chunks import ChunkError, ChunkPlan, chunk_reason, plan_chunks

console = Console()
errors = Console(stderr=True)

EXIT_OK, EXIT_ROWS_FAILED, EXIT_REFUSED, EXIT_UNREACHABLE = 0, 1, 2, 3
# Below the server's limits (100,000 rows, 64 MiB): a job's report is read on every poll, so
# smaller jobs keep each poll small.
CHUNK_ROWS = 10_000
CHUNK_BYTES = 32 * 1_048_576

Url = Annotated[
    str,
    typer.Option(
        "--url", envvar="FTR_URL", help="The server's address ($FTR_URL).", show_default=True
    ),
]
Key = Annotated[
    str | None,
    typer.Option(
        "--key", envvar="FTR_API_KEY", help="Your API key ($FTR_API_KEY).", show_default=False
    ),
]


class FileFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    PFIF = "pfif"
    JSON = "json"


class KindOption(StrEnum):
    TRACING_REQUEST = "tracing_request"
    ENQUIRY = "enquiry"


class ExportFormat(StrEnum):
    PFIF = "pfif"
    CSV = "csv"


class SexOption(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


FORMAT_OF_SUFFIX = {
    ".csv": FileFormat.CSV,
    ".jsonl": FileFormat.JSONL,
    ".ndjson": FileFormat.JSONL,
    ".xml": FileFormat.PFIF,
    ".pfif": FileFormat.PFIF,
    ".json": FileFormat.JSON,
}


def make_client(url: str, key: str) -> FtrClient:
    """The client the commands use (tests replace this to talk to an app in-process)."""
    return FtrClient(url, api_key=key)


def _client(url: str, key: str | None) -> FtrClient:
    if not key:
        errors.print(
            "[red]No API key.[/red] Set FTR_API_KEY (or pass --key); `ftr keys create` "
            "issues one, `ftr serve --demo` prints development keys."
        )
        raise typer.Exit(EXIT_REFUSED)
    return make_client(url, key)


@contextmanager
def _reporting(url: str) -> Iterator[None]:
    """Turn the client's failures into a clear message and the documented exit code."""
    try:
        yield
    except FtrUnreachableError as error:
        errors.print(f"[red]Cannot reach the server at {url}.[/red] Is `ftr serve` running?")
        errors.print(f"  ({error})", markup=False, highlight=False)
        raise typer.Exit(EXIT_UNREACHABLE) from None
    except FtrApiError as error:
        _print_problem(error)
        raise typer.Exit(EXIT_REFUSED) from None


def _print_problem(error: FtrApiError) -> None:
    errors.print(f"[red]Refused ({error.status} {error.title}).[/red]")
    if error.detail:
        errors.print(f"  {error.detail}", markup=False, highlight=False)
    for item in error.errors[:20]:
        if item.get("message") == error.detail:
            continue
        errors.print(
            f"  - {item.get('field', '?')}: {item.get('message', '')}",
            markup=False,
            highlight=False,
        )


# -- import -------------------------------------------------------------------------------


class RateColumn(ProgressColumn):
    """Rows per second, over rich's recent window."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} rows/s" if speed else "– rows/s", style="progress.data.speed")


@dataclass(slots=True)
class Failure:
    row: int  # in the file: CSV spreadsheet row, JSON Lines line, or position (PFIF, JSON)
    external_id: str | None
    reason: str


@dataclass(slots=True)
class ImportTally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    jobs: list[str] = field(default_factory=list)
    broken_jobs: list[str] = field(default_factory=list)  # finished with status "failed"
    failures: list[Failure] = field(default_factory=list)
    # PFIF notes' duplicate links, by outcome, and the failed ones with their reasons.
    links: Counter[str] = field(default_factory=Counter)
    failed_links: list[schemas.ImportLinkOut] = field(default_factory=list)

    def add(self, job: schemas.ImportJobOut) -> None:
        self.created += job.counts.created
        self.updated += job.counts.updated
        self.unchanged += job.counts.unchanged
        self.failed += job.counts.failed
        for link in job.duplicate_links:
            self.links[link.outcome or "pending"] += 1
            if link.outcome == "failed":
                self.failed_links.append(link)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.failed


def _format_of(path: Path, given: FileFormat | None) -> FileFormat:
    if given is not None:
        return given
    found = FORMAT_OF_SUFFIX.get(path.suffix.lower())
    if found is None:
        errors.print(
            f"[red]Cannot tell the format of {path.name} from its extension.[/red] "
            "Say it with --format csv|jsonl|pfif|json."
        )
        raise typer.Exit(EXIT_REFUSED)
    return found


def _consent(
    tracing: bool | None, share: bool | None, given_by: str | None, date: str | None
) -> dict[str, Any] | None:
    if tracing is None and share is None and given_by is None and date is None:
        return None
    consent: dict[str, Any] = {"tracing": bool(tracing), "share_with_partners": bool(share)}
    if given_by:
        consent["given_by"] = given_by
    if date:
        consent["date"] = date
    return consent


def failed_rows_path(path: Path, file_format: FileFormat) -> Path:
    """Where the failed rows of `path` go: people.csv → people.failed.csv."""
    suffix = ".jsonl" if file_format is FileFormat.JSONL else ".csv"
    return path.with_name(f"{path.stem}.failed{suffix}")


def import_command(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, readable=True, help="CSV, JSON Lines, PFIF or JSON."
        ),
    ],
    format: Annotated[
        FileFormat | None,
        typer.Option("--format", help="The file's format; by default from its extension."),
    ] = None,
    kind: Annotated[
        KindOption | None, typer.Option(help="The kind of the rows that do not say theirs.")
    ] = None,
    consent_tracing: Annotated[
        bool | None,
        typer.Option(
            "--consent-tracing/--no-consent-tracing",
            help="Consent to tracing for every row that states none (absent means none).",
            show_default=False,
        ),
    ] = None,
    consent_share: Annotated[
        bool | None,
        typer.Option(
            "--consent-share/--no-consent-share",
            help="Consent to sharing with partners, for rows that state none.",
            show_default=False,
        ),
    ] = None,
    consent_given_by: Annotated[
        schemas.ConsentGivenBy | None, typer.Option(help="Who gave the file's consent.")
    ] = None,
    consent_date: Annotated[
        str | None, typer.Option(help="When the file's consent was given (YYYY-MM-DD).")
    ] = None,
    failed_file: Annotated[
        Path | None,
        typer.Option(help="Where to write the failed rows (default FILE.failed.csv/.jsonl)."),
    ] = None,
    chunk_rows: Annotated[
        int, typer.Option(min=1, max=100_000, help="Rows per upload; larger files are split.")
    ] = CHUNK_ROWS,
    chunk_bytes: Annotated[
        int, typer.Option(min=1024, max=64 * 1_048_576, help="Bytes per upload at most.")
    ] = CHUNK_BYTES,
    poll: Annotated[float, typer.Option(min=0.0, help="Seconds between progress checks.")] = 1.0,
    summary_json: Annotated[
        Path | None,
        typer.Option(help="Also write the counts, job ids and seconds to this JSON file."),
    ] = None,
    url: Url = DEFAULT_URL,
    key: Key = None,
) -> None:
    """Import a file of records, upserted by external_id; shows progress, then a summary.

    Exit 0 when every row was stored, 1 when some rows failed (written to FILE.failed.csv or
    .jsonl with their reasons: fix them and import that file again), 2 when the file or the
    request is refused, 3 when the server cannot be reached.
    """
    file_format = _format_of(file, format)
    consent = _consent(
        consent_tracing,
        consent_share,
        consent_given_by.value if consent_given_by else None,
        consent_date,
    )
    if file_format is FileFormat.JSON and (kind is not None or consent is not None):
        errors.print(
            "[yellow]--kind and --consent-* apply to CSV, JSON Lines and PFIF files;[/yellow] "
            'the records of a {"records": [...]} file state their own kind and consent.'
        )
    client = _client(url, key)
    plan: ChunkPlan | None = None
    if file_format in (FileFormat.CSV, FileFormat.JSONL):
        try:
            plan = plan_chunks(file, file_format.value, max_rows=chunk_rows, max_bytes=chunk_bytes)
        except ChunkError as error:
            if file.stat().st_size > chunk_bytes:
                errors.print(f"[red]Cannot split {file.name}:[/red]")
                errors.print(f"  {error}", markup=False, highlight=False)
                raise typer.Exit(EXIT_REFUSED) from None
            plan = None  # small enough to send whole: the server says what is wrong with it
        if plan is not None and not plan.chunks:
            plan = None  # an empty file: the server explains what it needs
    tally = ImportTally()
    started = time.monotonic()
    with client, _reporting(url):
        try:
            _run_import(client, file, file_format, plan, kind, consent, poll, tally)
        except FtrApiError:
            if tally.jobs:
                _print_summary(file, tally, time.monotonic() - started)
                errors.print("[yellow]The rows above were imported before the refusal.[/yellow]")
            raise
    seconds = time.monotonic() - started
    _print_summary(file, tally, seconds)
    if summary_json is not None:
        summary = {
            "file": str(file),
            "created": tally.created,
            "updated": tally.updated,
            "unchanged": tally.unchanged,
            "failed": tally.failed,
            "jobs": tally.jobs,
            "seconds": round(seconds, 3),
        }
        summary_json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    if tally.broken_jobs:
        errors.print(
            f"[red]Import jobs that did not finish:[/red] {', '.join(tally.broken_jobs)}; "
            "their rows are reported as far as they went. Import the file again."
        )
    if not tally.failures:
        raise typer.Exit(EXIT_ROWS_FAILED if tally.broken_jobs else EXIT_OK)
    target = failed_file or failed_rows_path(file, file_format)
    _write_failures(file, file_format, plan, tally.failures, target)
    if plan is not None:
        advice = "fix them there and run `ftr import` on that file"
    else:
        advice = "fix those rows in the original file and import it again"
    errors.print(
        f"[yellow]{len(tally.failures):,} rows failed;[/yellow] {target} lists them with "
        f"their reasons: {advice}."
    )
    raise typer.Exit(EXIT_ROWS_FAILED)


def _run_import(
    client: FtrClient,
    file: Path,
    file_format: FileFormat,
    plan: ChunkPlan | None,
    kind: KindOption | None,
    consent: dict[str, Any] | None,
    poll: float,
    tally: ImportTally,
) -> None:
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
    )
    total = plan.total_rows if plan is not None else None
    uploads = len(plan.chunks) if plan is not None else 1
    with Progress(*columns, console=errors, transient=False) as progress:
        task = progress.add_task(f"Uploading {file.name}", total=total)
        done_before = 0
        for number in range(uploads):
            label = f"{file.name} ({number + 1}/{uploads})" if uploads > 1 else file.name
            progress.update(task, description=f"Uploading {label}")
            if plan is not None:
                chunk = plan.chunks[number]
                source: Any = lambda chunk=chunk: plan.body(chunk)  # noqa: E731
            else:
                source = file
            job = client.import_file(
                source, file_format.value, kind=kind.value if kind else None, consent=consent
            )
            tally.jobs.append(job.id)
            progress.update(task, description=f"Importing {label}")
            if plan is None:
                progress.update(task, total=job.total)

            def show(job: schemas.ImportJobOut, before: int = done_before) -> None:
                progress.update(task, completed=before + job.processed)

            finished = client.wait_for_import(job.id, poll=poll, on_progress=show)
            tally.add(finished)
            if finished.status == "failed":
                tally.broken_jobs.append(finished.id)
            done_before += finished.total
            for row in finished.errors:
                tally.failures.append(_failure(plan, number, row))
        progress.update(task, description=f"Imported {file.name}")


def _failure(plan: ChunkPlan | None, chunk_number: int, row: schemas.ImportRowOut) -> Failure:
    if plan is None:
        return Failure(row.index + 1, row.external_id, row.reason or "failed")
    rows = plan.chunks[chunk_number].rows
    file_row = rows[row.index] if row.index < len(rows) else row.index + 1
    return Failure(file_row, row.external_id, chunk_reason(row.reason) or "failed")


def _print_summary(file: Path, tally: ImportTally, seconds: float) -> None:
    table = Table(title=f"Import of {file.name}", title_justify="left")
    table.add_column("outcome")
    table.add_column("rows", justify="right")
    for label, count, style in (
        ("created", tally.created, "green"),
        ("updated", tally.updated, "green"),
        ("unchanged", tally.unchanged, ""),
        ("failed", tally.failed, "red" if tally.failed else ""),
    ):
        table.add_row(Text(label, style=style), f"{count:,}")
    table.add_row(Text("total", style="bold"), Text(f"{tally.total:,}", style="bold"))
    console.print(table)
    rate = tally.total / seconds if seconds > 0 else 0.0
    console.print(
        f"{tally.total:,} rows in {seconds:,.1f} s ({rate:,.0f} rows/s); "
        f"{len(tally.jobs)} import job{'s' if len(tally.jobs) != 1 else ''}: "
        + ", ".join(tally.jobs[:5])
        + (" …" if len(tally.jobs) > 5 else ""),
        highlight=False,
    )
    if tally.links:
        console.print(
            f"{sum(tally.links.values()):,} duplicate links from the file's notes, pending "
            "review as duplicates: "
            + ", ".join(f"{outcome} {count:,}" for outcome, count in sorted(tally.links.items())),
            highlight=False,
        )
    for link in tally.failed_links[:20]:
        # As text, not markup: ids and reasons come from the file and the server.
        errors.print(
            Text.assemble(
                (f"link {link.from_external_id} → {link.to_external_id} not stored: ", "yellow"),
                link.reason or "",
            ),
            highlight=False,
        )


def _write_failures(
    file: Path,
    file_format: FileFormat,
    plan: ChunkPlan | None,
    failures: list[Failure],
    target: Path,
) -> None:
    by_row = {failure.row: failure for failure in failures}
    if file_format is FileFormat.CSV and plan is not None:
        _write_failed_csv_rows(file, plan, by_row, target)
    elif file_format is FileFormat.JSONL and plan is not None:
        _write_failed_jsonl_lines(file, plan, by_row, target)
    else:
        with target.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["row", "external_id", "reason"])
            for failure in failures:
                writer.writerow([failure.row, failure.external_id or "", failure.reason])


def _write_failed_csv_rows(
    file: Path, plan: ChunkPlan, by_row: dict[int, Failure], target: Path
) -> None:
    """The failed rows as they were in the file, plus `row` and `reason` columns."""
    with (
        file.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as source,
        target.open("w", encoding="utf-8", errors="surrogateescape", newline="") as out,
    ):
        reader = csv.reader(source)
        writer = csv.writer(out)
        header = next(reader)
        width = len(header) - 2 if plan.annotated else len(header)
        writer.writerow([*header[:width], "row", "reason"])
        for number, cells in enumerate(reader, start=2):
            failure = by_row.get(number)
            if failure is not None:
                writer.writerow([*cells[:width], number, failure.reason])


def _write_failed_jsonl_lines(
    file: Path, plan: ChunkPlan, by_row: dict[int, Failure], target: Path
) -> None:
    """The failed lines as JSON objects with `row` and `reason` first."""
    with file.open("rb") as source, target.open("w", encoding="utf-8") as out:
        for number, raw in enumerate(source, start=1):
            failure = by_row.get(number)
            if failure is None:
                continue
            text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            try:
                value: Any = json.loads(text)
            except ValueError:
                value = None
            annotation = {"row": number, "reason": failure.reason}
            if isinstance(value, dict):
                for key in ("row", "reason"):
                    value.pop(key, None)
                line = {**annotation, **value}
            else:
                line = {**annotation, "line": text}
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


# -- export -------------------------------------------------------------------------------


def export_command(
    format: Annotated[ExportFormat, typer.Option("--format", help="PFIF 1.4 XML or CSV.")] = (
        ExportFormat.CSV
    ),
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The file to write (default: standard output)."),
    ] = None,
    url: Url = DEFAULT_URL,
    key: Key = None,
) -> None:
    """Export your organisation's records (streamed; enquirers' contacts are never in it)."""
    client = _client(url, key)
    with client, _reporting(url):
        export: Callable[[IO[bytes]], int] = (
            client.export_pfif if format is ExportFormat.PFIF else client.export_csv
        )
        if output is None:
            stdout: IO[bytes] = typer.get_binary_stream("stdout")
            export(stdout)
            stdout.flush()
            return
        partial = output.with_name(output.name + ".part")
        try:
            with partial.open("wb") as out:
                written = export(out)
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
    errors.print(f"Wrote {written:,} bytes of {format.value.upper()} to {output}.")


# -- search -------------------------------------------------------------------------------


def bidi_isolated(text: str) -> str:
    """Text with right-to-left letters wrapped in a first-strong isolate (U+2068 … U+2069).

    A terminal that lays out bidirectional text then keeps an Arabic or Hebrew name within
    its own cell instead of reordering the columns around it; rich counts the isolates as
    zero-width, and a terminal without bidi support shows the letters in logical order.
    """
    if any(unicodedata.bidirectional(char) in ("R", "AL") for char in text):
        return f"\u2068{text}\u2069"
    return text


def _names(person: schemas.Person | None) -> Text:
    if person is None:
        return Text("not shared with your organisation", style="dim italic")
    names = [person.full_name]
    for other in (person.native_name, *(person.other_names[:2])):
        if other and other not in names:
            names.append(other)
    return Text("\n".join(bidi_isolated(name) for name in names))


def _clues(explanation: list[schemas.ExplanationStep], count: int = 3) -> str:
    """The clues that moved the score most, either way (the prior is not a clue)."""
    moved = [step for step in explanation if step.clue != "prior" and step.bits]
    moved.sort(key=lambda step: abs(step.bits), reverse=True)
    return "\n".join(f"{step.title}: {step.label} ({step.bits:+.1f})" for step in moved[:count])


def search_table(results: schemas.SearchResults, title: str) -> Table:
    """The candidates ranked by score, with band, organisation, names and the top clues."""
    table = Table(title=title, title_justify="left", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("score", justify="right")
    table.add_column("band")
    table.add_column("record")
    table.add_column("organisation")
    table.add_column("names")
    table.add_column("strongest clues")
    for rank, candidate in enumerate(results.candidates, start=1):
        band = candidate.band.value if candidate.band else "below possible"
        style = {"likely": "bold green", "possible": "yellow"}.get(band, "dim")
        table.add_row(
            str(rank),
            f"{candidate.score:.3f}",
            Text(band, style=style),
            f"{candidate.kind.value}\n{candidate.record_id}"
            + (f" (child {candidate.child_index + 1})" if candidate.child_index else ""),
            candidate.organisation.name,
            _names(candidate.person),
            _clues(candidate.explanation),
        )
    return table


def search_command(
    name: Annotated[str, typer.Argument(help="The name as written, in any script.")],
    age: Annotated[str | None, typer.Option(help='Age in years, such as 9 or "8-10".')] = None,
    sex: Annotated[SexOption | None, typer.Option(help="The person's sex.")] = None,
    country: Annotated[
        str | None, typer.Option(help="Country of origin (ISO 3166-1 alpha-2, such as SO).")
    ] = None,
    born: Annotated[
        str | None, typer.Option(help="Date of birth: YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    kind: Annotated[
        KindOption | None, typer.Option(help="Only records of this kind (default both).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=100, help="At most this many.")] = 20,
    min_score: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Default: the possible band.")
    ] = None,
    url: Url = DEFAULT_URL,
    key: Key = None,
) -> None:
    """Search the registry for a person (officers and reviewers): a ranked table."""
    person: dict[str, Any] = {"full_name": name}
    if age is not None:
        person["age"] = age
    if sex is not None:
        person["sex"] = sex.value
    if country is not None:
        person["place_of_origin"] = {"country": country}
    if born is not None:
        person["date_of_birth"] = born
    client = _client(url, key)
    with client, _reporting(url):
        results = client.search(
            person, kind=kind.value if kind else None, limit=limit, min_score=min_score
        )
    if not results.candidates:
        console.print(f"No candidates for {bidi_isolated(name)}.", highlight=False)
        return
    console.print(search_table(results, f"Candidates for {bidi_isolated(name)}"))


# -- compare ------------------------------------------------------------------------------


def compare_command(
    first: Annotated[str, typer.Argument(metavar="NAME", help="A name, in any script.")],
    second: Annotated[str, typer.Argument(metavar="NAME", help="Another name.")],
    offline: Annotated[
        bool, typer.Option(help="Use this installation's matcher; no server needed.")
    ] = False,
    url: Url = DEFAULT_URL,
    key: Key = None,
) -> None:
    """The name matcher's verdict on two names, with its explanation.

    Exit 0 when the names match, 1 when they do not (like grep), 2 or 3 on an error.
    """
    if offline:
        from matching.names import NAME_MATCH_THRESHOLD, compare_names

        found = compare_names(first, second)
        score, match, threshold = found.score, found.match, NAME_MATCH_THRESHOLD
        explanation, forms = found.explanation, found.forms
    else:
        client = _client(url, key)
        with client, _reporting(url):
            verdict = client.compare_names(first, second)
        score, match, threshold = verdict.score, verdict.match, verdict.threshold
        explanation, forms = verdict.explanation, verdict.forms
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    table.add_row(
        "verdict", Text("match", style="bold green") if match else Text("no match", style="red")
    )
    table.add_row("score", f"{score:.3f} (threshold {threshold:.2f})")
    table.add_row("names", f"{bidi_isolated(first)}  ↔  {bidi_isolated(second)}")
    table.add_row("compared", f"{bidi_isolated(forms[0])}  ↔  {bidi_isolated(forms[1])}")
    table.add_row("why", Text(explanation))
    console.print(table)
    raise typer.Exit(EXIT_OK if match else EXIT_ROWS_FAILED)


# -- demo tour ----------------------------------------------------------------------------


def demo_tour(url: Url = DEFAULT_URL, key: Key = None) -> None:
    """How to start the demo, and, with a running server and a key, a few records and a search."""
    console.print(
        "[bold]The demo[/bold] (synthetic people only):\n"
        "  1. ftr serve --demo          starts the server with demo records and prints one key "
        "per role\n"
        "  2. export FTR_API_KEY=<the officer key>\n"
        '  3. ftr search "Mohamed Abdalla" --sex male --age 10\n'
        '     ftr compare "محمد عبدالله" "Mohamed Abdalla"\n'
        "     ftr export --format csv -o records.csv\n"
        "  API docs: <url>/docs"
    )
    if not key:
        console.print("Set FTR_API_KEY to see demo records from a running server here.")
        return
    with make_client(url, key) as client:
        try:
            tracing = list(_first(client.iter_records("tracing_request", limit=5), 5))
        except FtrUnreachableError:
            console.print(f"No server answers at {url}: start one with `ftr serve --demo`.")
            return
        except FtrApiError as error:
            _print_problem(error)
            return
        table = Table(title=f"A few tracing requests at {url}", title_justify="left")
        for column in ("record", "external id", "organisation", "child"):
            table.add_column(column)
        for record in tracing:
            assert isinstance(record, schemas.TracingRequestOut)
            table.add_row(
                record.id, record.external_id, record.organisation.name, _names(record.subject)
            )
        console.print(table)
        if not tracing:
            console.print("No records yet: `ftr serve --demo` loads some.")
            return
        first = tracing[0]
        assert isinstance(first, schemas.TracingRequestOut)
        subject = first.subject
        query = {"full_name": subject.full_name, "sex": subject.sex.value}
        try:
            results = client.search(query, kind="enquiry", limit=5)
        except FtrApiError as error:
            console.print("Search needs an officer's or a reviewer's key:")
            _print_problem(error)
            return
        console.print(
            search_table(results, f"Enquiries that may be about {bidi_isolated(subject.full_name)}")
        )


def _first(items: Iterator[Any], count: int) -> Iterator[Any]:
    for number, item in enumerate(items):
        if number >= count:
            return
        yield item


# -- registration -------------------------------------------------------------------------


def register_remote_commands(app: typer.Typer) -> None:
    """Add import, export, search, compare and `demo tour` to the `ftr` app."""
    app.command("import")(import_command)
    app.command("export")(export_command)
    app.command("search")(search_command)
    app.command("compare")(compare_command)
    for group in app.registered_groups:
        if group.name == "demo" and group.typer_instance is not None:
            group.typer_instance.command("tour")(demo_tour)
