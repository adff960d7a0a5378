"""The `ftr` command: serve, migrate, organisations, API keys, secrets, retention, demo data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from cryptography.fernet import Fernet
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service import store
from service.auth import ROLE_DESCRIPTIONS, Role
from service.db import create_db_engine, migrate
from service.problems import Problem
from service.settings import Settings, SettingsError, get_settings
from service.store.matches import rebuild_stale_keys

app = typer.Typer(help="Family tracing and reunification matching service.", no_args_is_help=True)
orgs_app = typer.Typer(help="Organisations.", no_args_is_help=True)
keys_app = typer.Typer(
    help="API keys: each for one named holder, organisation and role.", no_args_is_help=True
)
secrets_app = typer.Typer(help="Secrets for production settings.", no_args_is_help=True)
demo_app = typer.Typer(help="Synthetic demo data (development only).", no_args_is_help=True)
app.add_typer(orgs_app, name="orgs")
app.add_typer(keys_app, name="keys")
app.add_typer(secrets_app, name="secrets")
app.add_typer(demo_app, name="demo")
model_app = typer.Typer(
    help="The match model: train it on the registry, show it.", no_args_is_help=True
)
app.add_typer(model_app, name="model")
retention_app = typer.Typer(
    help="Retention: erase records closed longer than FTR_RETENTION_CLOSED_DAYS.",
    no_args_is_help=True,
)
app.add_typer(retention_app, name="retention")

console = Console()
DEMO_NOTE = "synthetic people only."
errors = Console(stderr=True)


WORKER_HEALTHCHECK_SECONDS = 60


def _settings() -> Settings:
    try:
        return get_settings()
    except SettingsError as error:
        errors.print(f"[red]Configuration error:[/red] {error}")
        raise typer.Exit(2) from error


def _engine(settings: Settings) -> Engine:
    # Administration (training, retention, key rotation) may rightly run statements longer
    # than a request may: no time limit here.
    engine = create_db_engine(settings.effective_database_url, statement_time_limit=None)
    if engine.dialect.name == "sqlite":
        migrate(engine)
    return engine


def _fail(message: str, code: int = 1) -> typer.Exit:
    errors.print(f"[red]{message}[/red]")
    return typer.Exit(code)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (PostgreSQL only).")] = 1,
    demo: Annotated[
        bool, typer.Option(help="Development only: load demo data and print one key per role.")
    ] = False,
) -> None:
    """Run the HTTP service (the embedded SQLite database is migrated on start)."""
    import uvicorn

    settings = _settings()
    engine = _engine(settings)
    if demo:
        if settings.is_production:
            raise _fail("--demo is for development only.", 2)
        _print_demo_keys(settings, _load_demo(settings, engine))
        console.print(f"API docs: http://{host}:{port}/docs")
    if workers > 1:
        uvicorn.run(
            "service.main:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            # uvicorn kills a worker that does not answer its ping within this time (5 s by
            # default) and starts another; on a busy machine a freshly spawned worker can
            # take longer than that just to import, and is then killed again and again.
            timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        )
    else:
        from service.main import create_app

        uvicorn.run(create_app(settings, engine=engine), host=host, port=port, log_level="warning")


@app.command()
def worker(
    poll: Annotated[float, typer.Option(help="Seconds to wait when there is nothing to do.")] = 2.0,
    once: Annotated[bool, typer.Option(help="Do what is waiting, then stop.")] = False,
) -> None:
    """Finish imports and owed matching in the background (run several for more throughput)."""
    import signal
    import threading

    from service.crypto import ContactCipher
    from service.observability import configure_logging
    from service.worker import run_once, run_worker

    settings = _settings()
    configure_logging(settings.log_level)
    engine = _engine(settings)
    cipher = ContactCipher(settings.encryption_keys)
    if once:
        done = run_once(engine, cipher, match_processes=settings.effective_match_processes)
        console.print(f"Finished {done} jobs and records.")
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    from service.matching_pool import close_pools

    try:
        run_worker(
            engine,
            cipher,
            stop=stop,
            poll_seconds=poll,
            match_processes=settings.effective_match_processes,
        )
    finally:
        close_pools()


@app.command("migrate")
def migrate_command() -> None:
    """Bring the database schema up to date (production runs this before serving)."""
    settings = _settings()
    engine = create_db_engine(settings.effective_database_url, statement_time_limit=None)
    migrate(engine)
    console.print("Database schema is up to date.")
    rebuilt = rebuild_stale_keys(engine)
    if rebuilt:
        console.print(
            f"Search keys rebuilt for {rebuilt} records (the code deriving them changed)."
        )
    console.print("Search keys are up to date.")


@orgs_app.command("create")
def orgs_create(name: Annotated[str, typer.Argument(help="The organisation's name.")]) -> None:
    """Create an organisation."""
    engine = _engine(_settings())
    with Session(engine, expire_on_commit=False) as session:
        try:
            organisation = store.create_organisation(session, name=name)
        except Problem as problem:
            raise _fail(problem.detail or problem.title) from problem
    console.print(f"Created organisation {organisation.name!r} ({organisation.id}).")


@orgs_app.command("list")
def orgs_list() -> None:
    """List organisations."""
    engine = _engine(_settings())
    table = Table("id", "name", "created")
    with Session(engine, expire_on_commit=False) as session:
        for organisation in store.list_organisations(session):
            table.add_row(organisation.id, organisation.name, f"{organisation.created_at:%Y-%m-%d}")
    console.print(table)


@keys_app.command("create")
def keys_create(
    org: Annotated[str, typer.Option(help="The organisation's name.")],
    role: Annotated[Role, typer.Option(help="One role per key.")],
    holder: Annotated[
        str, typer.Option(help="The named person or partner system holding the key.")
    ] = "unnamed holder",
) -> None:
    """Issue an API key. It is printed once, as the last line; only its hash is stored."""
    engine = _engine(_settings())
    with Session(engine, expire_on_commit=False) as session:
        organisation = store.find_organisation(session, name=org)
        if organisation is None:
            raise _fail(f"No organisation named {org!r}; create it with: ftr orgs create")
        issued = store.create_api_key(session, organisation=organisation, role=role, holder=holder)
    console.print(
        f"Key {issued.key.id} for {holder!r} ({role.value}: {ROLE_DESCRIPTIONS[role]}) "
        f"in {organisation.name!r}. Store it now; it cannot be shown again:"
    )
    typer.echo(issued.secret)


@keys_app.command("list")
def keys_list(
    org: Annotated[str | None, typer.Option(help="Only this organisation.")] = None,
) -> None:
    """List keys (never the keys themselves: only their first characters)."""
    engine = _engine(_settings())
    table = Table("id", "prefix", "holder", "role", "organisation", "created", "revoked")
    with Session(engine, expire_on_commit=False) as session:
        organisation = store.find_organisation(session, name=org) if org else None
        if org and organisation is None:
            raise _fail(f"No organisation named {org!r}.")
        for key, key_org in store.list_api_keys(session, organisation=organisation):
            table.add_row(
                key.id,
                key.prefix + "…",
                key.holder,
                key.role,
                key_org.name,
                f"{key.created_at:%Y-%m-%d}",
                f"{key.revoked_at:%Y-%m-%d}" if key.revoked_at else "",
            )
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="The key's id (from keys list).")],
) -> None:
    """Revoke a key; it stops working at once."""
    engine = _engine(_settings())
    with Session(engine, expire_on_commit=False) as session:
        try:
            store.revoke_api_key(session, key_id=key_id)
        except Problem as problem:
            raise _fail(f"No API key with id {key_id!r}.") from problem
    console.print(f"Revoked key {key_id}.")


@secrets_app.command("rotate")
def secrets_rotate() -> None:
    """Re-encrypt stored contact details and webhook secrets under the first key.

    Rotation: generate a key, put it first in FTR_ENCRYPTION_KEYS (keep the old one after
    it) and restart the servers; run this; then remove the old key and restart again.
    """
    from service.crypto import ContactCipher

    settings = _settings()
    engine = _engine(settings)
    with Session(engine, expire_on_commit=False) as session:
        count = store.rotate_encrypted_values(
            session, cipher=ContactCipher(settings.encryption_keys)
        )
    console.print(f"Re-encrypted {count} values under the first key.")


@secrets_app.command("generate")
def secrets_generate() -> None:
    """Print a new encryption key for FTR_ENCRYPTION_KEYS."""
    typer.echo(Fernet.generate_key().decode("ascii"))


@model_app.command("train")
def model_train(
    pairs: Annotated[
        int, typer.Option(help="Random pairs to measure chance agreement on.")
    ] = 20_000,
    sample: Annotated[int, typer.Option(help="Records of each kind to draw pairs from.")] = 20_000,
) -> None:
    """Learn the registry's chance agreements (u), activate the model, re-score pending matches."""
    from service.training import TrainingRefused, train_model

    try:
        report = train_model(_engine(_settings()), pairs=pairs, sample=sample)
    except TrainingRefused as refusal:
        raise _fail(f"Not trained: {refusal}.") from refusal
    console.print(
        f"Model {report.version} is active, trained on {report.tracing_requests} tracing "
        f"requests and {report.enquiries} enquiries ({report.pairs} pairs). Re-scored "
        f"{report.rescored} pending matches; {report.withdrawn} fell below every band."
    )


@model_app.command("show")
def model_show() -> None:
    """Print the active model's parameters: m and u per clue and level."""
    from sqlmodel import Session as DbSession

    from matching.scoring import DEFAULT_MODEL
    from service.store.models import active_model

    with DbSession(_engine(_settings())) as session:
        model = active_model(session, DEFAULT_MODEL)
    table = Table("clue", "level", "m", "u", "bits", title=f"Model {model.version}")
    for comparison in model.comparisons:
        for level in comparison.levels:
            if not level.null:
                table.add_row(
                    comparison.id,
                    level.id,
                    f"{level.m:.4g}",
                    f"{level.u:.4g}",
                    f"{level.weight:+.1f}",
                )
    console.print(table)


@retention_app.command("run")
def retention_run(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be erased; erase nothing.")
    ] = False,
) -> None:
    """Erase (as DELETE does: tombstone and audit event kept) every record closed more than
    FTR_RETENTION_CLOSED_DAYS days ago. Exits 2 when the setting is unset: a scheduled run
    that erases nothing because retention was never configured should not pass silently."""
    from service.store.retention import run_retention

    settings = _settings()
    if settings.retention_closed_days is None:
        raise _fail("Retention is off: FTR_RETENTION_CLOSED_DAYS is not set. Nothing erased.", 2)
    with Session(_engine(settings)) as session:
        run = run_retention(session, closed_days=settings.retention_closed_days, dry_run=dry_run)
    verb = "erased" if run.erased else "would be erased (dry run)"
    table = Table("kind", "records", "ids", title=f"Closed before {run.cutoff:%Y-%m-%d %H:%M} UTC")
    for kind, ids in sorted(run.ids_by_kind().items()):
        table.add_row(kind, str(len(ids)), "\n".join(ids))
    if run.expired:
        console.print(table)
    count = len(run.expired)
    console.print(
        f"{count} {'record' if count == 1 else 'records'} closed more than "
        f"{settings.retention_closed_days} days ago {verb}."
    )


@demo_app.command("load")
def demo_load() -> None:
    """Load the synthetic demo records and print one development key per role."""
    settings = _settings()
    if settings.is_production:
        raise _fail("Demo data is for development only.", 2)
    engine = _engine(settings)
    _print_demo_keys(settings, _load_demo(settings, engine))


def _load_demo(settings: Settings, engine: Engine) -> dict[str, dict[str, str]]:
    from service.demo_loader import load_demo

    return load_demo(engine=engine, settings=settings)


def _print_demo_keys(settings: Settings, keys: dict[str, dict[str, str]]) -> None:
    # Plain lines, never a table: a key cut short by a narrow terminal is useless.
    console.print(
        "[bold]Development API keys[/bold] (development only; kept in "
        f"{Path(settings.data_dir) / settings.dev_keys_file}):"
    )
    for role, key in keys.items():
        console.print(f"  {role:<9} {key['holder']}, {key['organisation']}")
        print(f"            {key['key']}")  # noqa: T201
    console.print(f"Use one as: Authorization: Bearer <key>. Demo records: {DEMO_NOTE}")


from service.cli_remote import register_remote_commands  # noqa: E402

register_remote_commands(app)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
