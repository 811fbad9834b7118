"""The `linkvet` command: a thin face over the Python API.

Exit codes:

\b
  0  every profile checked rated low
  3  the highest rating was medium
  4  the highest rating was high
  5  bad input: a file could not be read as a profile (the others are still reported)
  6  a rule or config file is malformed
  2  wrong usage (unknown option, missing argument, unknown detector)
  1  an unexpected internal error (please report it)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import sys
import warnings
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, NoReturn

import click
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape
from rich.progress import track
from rich.table import Table
from rich.text import Text

from linkvet import __version__
from linkvet._files import write_atomically
from linkvet.api import read_input_file, read_limited
from linkvet.config import Config, load_config
from linkvet.engine import Engine
from linkvet.errors import ConfigError, InputError, LinkvetError
from linkvet.exposure import check_own_profile
from linkvet.ingest.reader import ReadInput, read_input
from linkvet.local_store import LocalStore
from linkvet.model import Assessment, Band, Profile
from linkvet.registry import (
    DetectorOptions,
    available_detector_classes,
    default_detectors,
    select_detectors,
)
from linkvet.report.envelope import CheckReport, CheckResult, ErrorDetail
from linkvet.report.text import BAND_STYLE, printable, render_assessment, render_reading
from linkvet.text.phrases import PhraseRule

if TYPE_CHECKING:
    from collections.abc import Callable

    from linkvet.batch.scoring import Scorer
    from linkvet.store import BackupInfo, Store


class ExitCode(IntEnum):
    LOW = 0
    INTERNAL = 1
    USAGE = 2
    MEDIUM = 3
    HIGH = 4
    BAD_INPUT = 5
    BAD_CONFIG = 6


SEMANTIC_ID: Final = "approach.semantic"
DEFAULT_STORE: Final = Path("var") / "linkvet.sqlite"
BAND_EXIT: Final = {Band.LOW: ExitCode.LOW, Band.MEDIUM: ExitCode.MEDIUM, Band.HIGH: ExitCode.HIGH}

SCHEMAS: Final[dict[str, type[BaseModel]]] = {
    "profile": Profile,
    "assessment": Assessment,
    "check-report": CheckReport,
    "config": Config,
    "phrase-rule": PhraseRule,
}


@click.group(help=__doc__, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="linkvet")
def cli() -> None:
    warnings.simplefilter("default")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text",
    show_default=True, help="A readable report, or the JSON envelope of `linkvet schema check-report`.",
)  # fmt: skip
@click.option(
    "--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
    help="A YAML file overriding weights, priors, thresholds (default: $LINKVET_CONFIG).",
)  # fmt: skip
@click.option(
    "--detectors", "detector_ids", metavar="IDS",
    help="Comma-separated detector ids or families to run (default: all local detectors).",
)  # fmt: skip
@click.option(
    "--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Judge dates as if seen on this day (default: the profile's observed_at, else today).",
)  # fmt: skip
@click.option(
    "--store", "store_path", type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_STORE, show_default=True, envvar="LINKVET_STORE",
    help="The local store in which texts and photos of checked profiles are kept, so that a later "
    "profile reusing them is flagged ($LINKVET_STORE); pictures of evidence go beside it.",
)  # fmt: skip
@click.option("--no-store", is_flag=True, help="Neither compare with nor add to the local store.")
@click.option(
    "--semantic", is_flag=True,
    help="Also catch paraphrased warning signs with sentence embeddings (needs the 'semantic' "
    "extra; loading the model takes a few seconds).",
)  # fmt: skip
def check(
    files: tuple[Path, ...],
    output_format: str,
    config_path: Path | None,
    detector_ids: str | None,
    as_of: dt.datetime | None,
    store_path: Path,
    no_store: bool,
    semantic: bool,
) -> None:
    """Assess profiles: linkvet JSON, JSON Resume, LinkedIn's "Save to PDF" file, or a
    screenshot of the profile page (PNG, JPEG, WebP), told apart by content. FILE may be - for
    standard input. From a screenshot, the fields read and their places are shown, with a
    picture of the boxes under var/pictures/."""
    store = None if no_store else _open_store(store_path)
    options: dict[str, dict[str, Any]] = store.detector_options() if store else {}
    if semantic:
        options[SEMANTIC_ID] = {"enabled": True}
    engine = _engine(config_path, detector_ids, options)
    day = as_of.date() if as_of else None
    pictures = None if no_store else store_path.parent / "pictures"
    results = [_check_one(engine, path, day, store, pictures) for path in files]
    if output_format == "json":
        report = CheckReport(linkvet=__version__, results=tuple(results))
        click.echo(report.model_dump_json(indent=2))
    else:
        _print_text(results)
    sys.exit(_exit_code(results))


def _open_store(path: Path) -> LocalStore:
    try:
        return LocalStore(path)
    except (OSError, sqlite3.Error) as error:
        _fail(f"cannot open the store {path}: {error}", ExitCode.BAD_CONFIG)


def _engine(config_path: Path | None, detector_ids: str | None, options: DetectorOptions) -> Engine:
    try:
        config = load_config(config_path)
        detectors = (
            select_detectors(detector_ids.split(","), options=options)
            if detector_ids
            else default_detectors(options=options)
        )
        return Engine(detectors=detectors, config=config)
    except ConfigError as error:
        _fail(f"config: {error}", ExitCode.BAD_CONFIG)
    except LinkvetError as error:
        _fail(str(error), ExitCode.USAGE)


def _check_one(
    engine: Engine,
    path: Path,
    as_of: dt.date | None,
    store: LocalStore | None,
    pictures: Path | None,
) -> CheckResult:
    source = str(path)
    try:
        read = _read(path, pictures=pictures)
        profile = read.profile
        assessment = engine.assess(profile, as_of=as_of, artifacts_dir=pictures)
    except InputError as error:
        return CheckResult(
            source=source, ok=False, error=ErrorDetail(kind="input", message=str(error))
        )
    if store is not None:
        store.remember(profile)  # after the assessment, so a profile never matches itself
    reading = read.reading if read.reading.kind != "json" else None
    return CheckResult(source=source, ok=True, assessment=assessment, read=reading)


def _read(path: Path, *, pictures: Path | None = None) -> ReadInput:
    """A profile file of any kind `check` reads, or standard input for "-"."""
    if str(path) == "-":
        return read_input(read_limited(sys.stdin.buffer, source="-"), source="-", pictures=pictures)
    return read_input_file(path, pictures=pictures)


def _print_text(results: list[CheckResult]) -> None:
    console = Console()
    errors = Console(stderr=True)
    for result in results:
        if result.read is not None:
            console.print(render_reading(result.read))
        if result.assessment is not None:
            console.print(render_assessment(result.assessment, source=result.source))
        elif result.error is not None:
            errors.print(
                f"[bold red]error:[/] {_escape(result.error.message)}",
                highlight=False,
                soft_wrap=True,
            )


def _exit_code(results: list[CheckResult]) -> ExitCode:
    if any(not result.ok for result in results):
        return ExitCode.BAD_INPUT
    bands = [result.assessment.band for result in results if result.assessment is not None]
    worst = max(bands, key=list(Band).index, default=Band.LOW)
    return BAND_EXIT[worst]


@cli.command("self-check")
@click.argument("file", type=click.Path(path_type=Path, allow_dash=True))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def self_check(file: Path, output_format: str) -> None:
    """Check YOUR OWN profile for what it tells a hostile recruiter (clearances, sensitive work).

    Exits 0 when nothing stands out, 3 when something does, 5 on bad input.
    """
    try:
        profile = _read(file).profile
    except InputError as error:
        _fail(str(error), ExitCode.BAD_INPUT)
    findings = check_own_profile(profile)
    if output_format == "json":
        payload = {
            "linkvet": __version__,
            "findings": [f.model_dump(mode="json") for f in findings],
        }
        click.echo(json.dumps(payload, indent=2))
    else:
        console = Console()
        if not findings:
            console.print("[green]Nothing in your profile names a clearance or sensitive work.[/]")
        for finding in findings:
            console.print(Text(f"• {finding.explanation}", style="bold"))
            for evidence in finding.evidence:
                console.print(Text(f"    {evidence.field}: {evidence.excerpt}", style="dim"))
            if finding.advice:
                console.print(Text(f"    {finding.advice}"))
    sys.exit(ExitCode.MEDIUM if findings else ExitCode.LOW)


@cli.group()
def photos() -> None:
    """The local photo index (reuse of photos under other names) and the AI-face evaluation."""


@photos.command("add")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option(
    "--label", required=True, type=click.Choice(["known-fake", "stock", "genuine"]),
    help="What these photos are: from earlier confirmed fakes, stock libraries, or real people.",
)  # fmt: skip
@click.option(
    "--store", "store_path", type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_STORE, show_default=True, envvar="LINKVET_STORE",
)  # fmt: skip
def photos_add(folder: Path, label: str, store_path: Path) -> None:
    """Index every photo in FOLDER (and below) under LABEL, named by file name."""
    from linkvet.photo.collection import add_folder

    store = _open_store(store_path)
    if store.photos is None:
        _fail(
            "the photo index needs the 'photo' extra: pip install 'linkvet[photo]'",
            ExitCode.BAD_CONFIG,
        )
    added, problems = add_folder(store.photos, folder, label=label)
    console = Console()
    console.print(
        f"Indexed {added} photo(s) from {escape(str(folder))} as {label}; {len(store.photos)} in the index."
    )
    for path, reason in problems:
        Console(stderr=True).print(Text(f"skipped {path}: {reason}"))
    sys.exit(ExitCode.BAD_INPUT if problems and not added else ExitCode.LOW)


@photos.command("match")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--store", "store_path", type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_STORE, show_default=True, envvar="LINKVET_STORE",
)  # fmt: skip
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def photos_match(file: Path, store_path: Path, output_format: str) -> None:
    """List indexed photos that match FILE (same photo, or same face), with their distances.

    Exits 0 with no match, 3 with matches, 5 when the photo cannot be read.
    """
    from linkvet.photo.analysis import analyse
    from linkvet.photo.image import PhotoError, read_photo_bytes

    store = _open_store(store_path)
    if store.photos is None:
        _fail(
            "the photo index needs the 'photo' extra: pip install 'linkvet[photo]'",
            ExitCode.BAD_CONFIG,
        )
    try:
        analysis = analyse(read_photo_bytes(file))
    except PhotoError as error:
        _fail(f"{file}: {error}", ExitCode.BAD_INPUT)
    matches = store.photos.match(analysis.photo.pixels, embedding=analysis.embedding, limit=20)
    if output_format == "json":
        rows = [
            {
                "name": m.name,
                "label": m.label,
                "kind": m.kind,
                "hash_distance": m.phash_distance,
                "face_distance": m.embedding_distance,
            }
            for m in matches
        ]
        click.echo(
            json.dumps({"linkvet": __version__, "file": str(file), "matches": rows}, indent=2)
        )
    else:
        table = Table(
            title=f"Matches for {escape(str(file))} among {len(store.photos)} indexed photos"
        )
        for column in ("name", "label", "kind", "hash distance", "face distance"):
            table.add_column(column)
        for m in matches:
            face = "—" if m.embedding_distance is None else f"{m.embedding_distance:.3f}"
            table.add_row(Text(m.name), m.label, m.kind, str(m.phash_distance), face)
        Console().print(table if matches else "No match in the photo index.")
    sys.exit(ExitCode.MEDIUM if matches else ExitCode.LOW)


@photos.command("eval")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def photos_eval(folder: Path, workers: int, output_format: str) -> None:
    """Measure the AI-face detector on FOLDER/fake/<source>/ and FOLDER/real/<source>/.

    Grouped cross-validation (a seed, prompt or person never on both sides), after a simulated
    platform upload; prints AUC and the share caught at 1% and 0.5% false positives, per source,
    and for each generator left out of training.
    """
    from linkvet.photo.evaluation import evaluate_folder, render_figures

    report = evaluate_folder(folder, workers=workers)
    if output_format == "json":
        click.echo(json.dumps(report, indent=2))
    else:
        Console().print(render_figures(report))


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@click.option("--to", "target_format", type=click.Choice(["json", "json-resume"]),
              default="json", show_default=True,
              help="linkvet's own profile JSON, or JSON Resume (jsonresume.org).")  # fmt: skip
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
              default="-", show_default=True, help="Where to write; - for standard output.")  # fmt: skip
def convert(file: Path, target_format: str, output: Path) -> None:
    """Read a profile from any file `check` reads (JSON, JSON Resume, LinkedIn PDF, screenshot)
    and write it as linkvet JSON or JSON Resume. A photo cut from a screenshot is kept inline in
    linkvet JSON; JSON Resume only holds a photo's URL, so it is left out there."""
    from linkvet.ingest.json_resume import json_resume_from_profile

    try:
        read = _read(file)
    except InputError as error:
        _fail(str(error), ExitCode.BAD_INPUT)
    if target_format == "json-resume":
        text = json.dumps(json_resume_from_profile(read.profile), indent=2, ensure_ascii=False)
    else:
        text = read.profile.model_dump_json(indent=2, exclude_none=True)
    if str(output) == "-":
        click.echo(text)
        return
    write_atomically(output, text + "\n")
    Console(stderr=True).print(f"Wrote {escape(str(output))} ({target_format})")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; loopback unless you put it behind a proxy.")  # fmt: skip
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes serving requests (one per core is a good start).")  # fmt: skip
@click.option("--trusted-proxy", "trusted_proxy", default=None, metavar="ADDRESS",
              help="Behind a reverse proxy at ADDRESS: take the client's address from its "
              "X-Forwarded-For (sign-in limits per address need it) and the scheme from "
              "X-Forwarded-Proto.")  # fmt: skip
def serve(host: str, port: int, workers: int, trusted_proxy: str | None) -> None:
    """Serve the web app (check a contact, see why, report it, learn the signs) and the JSON API
    under /api/v1, on the embedded SQLite store under ./var/ (or $LINKVET_DATABASE_URL)."""
    try:
        import uvicorn

        from linkvet.web import create_app  # noqa: F401 (fail here if the extra is missing)
    except ImportError:
        _fail("the web app needs the 'web' extra: pip install 'linkvet[web]'", ExitCode.USAGE)
    Console(stderr=True).print(f"linkvet: serving on http://{escape(host)}:{port}/ (Ctrl+C stops)")
    uvicorn.run(
        "linkvet.web:create_app", factory=True, host=host, port=port, workers=workers,
        log_level="warning", proxy_headers=trusted_proxy is not None,
        forwarded_allow_ips=trusted_proxy,
    )  # fmt: skip


def _case_store() -> Store:
    """The web app's case store ($LINKVET_DATABASE_URL, else var/cases.sqlite), or exit."""
    from linkvet.store import StoreError, open_store
    from linkvet.web.settings import WebSettings

    try:
        settings = WebSettings()
        settings.var_dir.mkdir(parents=True, exist_ok=True)
        return open_store(settings.store_url)
    except (StoreError, OSError) as error:
        _fail(str(error), ExitCode.BAD_CONFIG)


ORGANISATION_OPTION: Final = click.option(
    "--organisation", default="default", show_default=True, metavar="SLUG",
    help="The organisation (its short name).",
)  # fmt: skip


@cli.group()
def token() -> None:
    """API tokens for /api/v1 (scopes: assess, report, learn, cases)."""


@token.command("create")
@click.argument("name")
@click.option("--scopes", default="assess,report,learn", show_default=True,
              help="Comma-separated: assess, report, learn, cases.")  # fmt: skip
@ORGANISATION_OPTION
def token_create(name: str, scopes: str, organisation: str) -> None:
    """Make a token; it is shown once and only its hash is kept."""
    from linkvet.store import TOKEN_SCOPES, StoreError

    wanted = [scope.strip() for scope in scopes.split(",") if scope.strip()]
    unknown = sorted(set(wanted) - set(TOKEN_SCOPES))
    if unknown or not wanted:
        _fail(f"unknown scope(s): {', '.join(unknown) or '(none given)'}", ExitCode.USAGE)
    with _case_store() as store:
        try:
            plain, record = store.create_token(name, wanted, organisation=organisation)
        except StoreError as error:
            _fail(str(error), ExitCode.BAD_CONFIG)
    click.echo(plain)
    Console(stderr=True).print(
        f"token '{escape(record.name)}' ({escape(' '.join(wanted))}): keep it secret; it is not "
        "shown again"
    )


@cli.group("org")
def organisations() -> None:
    """Organisations: each has its own accounts, cases and tokens, and sees no other's."""


@organisations.command("create")
@click.argument("slug")
@click.argument("name")
def organisation_create(slug: str, name: str) -> None:
    """Add an organisation: SLUG is its short name (a-z, 0-9, - and _), NAME its full name."""
    from linkvet.store import StoreError

    with _case_store() as store:
        try:
            record = store.create_organisation(slug, name)
        except StoreError as error:
            _fail(str(error), ExitCode.USAGE)
    click.echo(f"organisation {record.slug}: {escape(record.name)}")


@cli.group("user")
def users() -> None:
    """Accounts for the web app: reporter, analyst or admin."""


@users.command("create")
@click.argument("email")
@click.option("--name", "display_name", required=True, help="The person's name as shown.")
@click.option("--role", type=click.Choice(["reporter", "analyst", "admin"]), required=True)
@ORGANISATION_OPTION
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of standard input instead of asking.")  # fmt: skip
def user_create(
    email: str, display_name: str, role: str, organisation: str, password_stdin: bool
) -> None:
    """Add an account. The password is asked for (hidden), never given as an argument."""
    from linkvet.store import MIN_PASSWORD_CHARS, StoreError

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            f"Password (at least {MIN_PASSWORD_CHARS} characters)", hide_input=True,
            confirmation_prompt=True,
        )  # fmt: skip
    with _case_store() as store:
        try:
            record = store.create_user(
                email, password, role=role, display_name=display_name,
                organisation=organisation, actor="linkvet user create (command line)",
            )  # fmt: skip
        except StoreError as error:
            _fail(str(error), ExitCode.USAGE)
    click.echo(f"{record.email}: {record.role.value} in {record.organisation}")


@cli.group("cases")
def cases() -> None:
    """The security team's cases: retention and labels for evaluation."""


@cases.command("purge")
def cases_purge() -> None:
    """Erase the cases older than their organisation's retention (the server also does this
    when it starts)."""
    from linkvet.web.retention import erase_expired
    from linkvet.web.settings import WebSettings

    with _case_store() as store:
        purged = erase_expired(store, WebSettings())
    for slug, count in sorted(purged.cases.items()):
        click.echo(f"{slug}: {count} case(s) erased")
    if not purged.cases:
        click.echo("no case is past its organisation's retention")


@cases.command("labels")
@click.option("-o", "--output", "target", type=click.Path(path_type=Path, dir_okay=False),
              required=True, help="The JSONL file to write (batch format).")  # fmt: skip
@ORGANISATION_OPTION
def cases_labels(target: Path, organisation: str) -> None:
    """Write the cases with an analyst's verdict as a labelled batch file for `linkvet
    evaluate`: confirmed fake and reported to the platform are 1, benign is 0."""
    from linkvet.store import StoreError, profile_of

    lines = []
    with _case_store() as store:
        try:
            for case, pictures in store.labelled_cases(organisation):
                profile = profile_of(case.profile_json, pictures)
                lines.append(
                    json.dumps(
                        {
                            "id": case.id,
                            "label": case.label,
                            "group": f"cases-{organisation}",
                            "profile": profile.model_dump(mode="json", exclude_none=True),
                        },
                        ensure_ascii=False,
                    )
                )
        except StoreError as error:
            _fail(str(error), ExitCode.BAD_CONFIG)
    write_atomically(target, "".join(line + "\n" for line in lines).encode())
    click.echo(f"wrote {len(lines)} labelled case(s) to {escape(str(target))}")


@cli.command("scan-export")
@click.argument("archive", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--report", "report_path", type=click.Path(path_type=Path, dir_okay=False),
    default=Path("var") / "export-report.html", show_default=True,
    help="Where to write the self-contained HTML report.",
)  # fmt: skip
@click.option("--recent-days", type=click.IntRange(0, 3650), default=30, show_default=True,
              help="A connection this recent still counts as a stranger.")  # fmt: skip
@click.option("--top", type=click.IntRange(1, 1000), default=15, show_default=True,
              help="How many of the riskiest contacts to list in the terminal.")  # fmt: skip
def scan_export(archive: Path, report_path: Path, recent_days: int, top: int) -> None:
    """Assess every incoming invitation and every conversation opened by a stranger in
    LinkedIn's data export (the "Get a copy of your data" zip), riskiest first.

    Exits 0 when all are low, 3 or 4 for the highest band found, 5 when the archive is unusable.
    """
    from linkvet.ingest.linkedin_export import read_export
    from linkvet.report.html_report import render_html_report

    try:
        contents = read_export(archive, recent_days=recent_days)
    except InputError as error:
        _fail(str(error), ExitCode.BAD_INPUT)
    engine = Engine()
    assessed = []
    for approach in track(contents.approaches, description="Assessing contacts", transient=True):
        try:
            assessed.append(engine.assess(approach.profile()))
        except InputError as error:
            contents = dataclasses.replace(
                contents, notes=(*contents.notes, f"{approach.name}: skipped ({error.detail})")
            )
    ranked = sorted(assessed, key=lambda a: (-a.probability, a.subject.name or ""))
    page = render_html_report(
        ranked, title=f"LinkedIn export: {archive.name}", notes=contents.notes
    )
    write_atomically(report_path, page)
    table = Table(title=f"{len(ranked)} contacts from {escape(archive.name)}, riskiest first")
    for column in ("#", "risk", "contact", "strongest reason"):
        table.add_column(column)
    for rank, assessment in enumerate(ranked[:top], start=1):
        strongest = next(
            (r.signal.explanation for r in assessment.reasons if r.contribution > 0), "—"
        )
        table.add_row(
            str(rank),
            Text(assessment.band.value, style=BAND_STYLE[assessment.band]),
            Text(printable(assessment.subject.name or "Unnamed contact")),
            Text(printable(strongest)),
        )
    console = Console()
    console.print(table)
    for note in contents.notes:
        console.print(Text(f"note: {printable(note)}", style="dim"))
    console.print(f"Report: {escape(str(report_path))}")
    worst = max((a.band for a in ranked), key=list(Band).index, default=Band.LOW)
    sys.exit(BAND_EXIT[worst])


@cli.command()
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("-o", "--output", "target", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Where to write the scores (.csv, .jsonl or .parquet); written aside, then renamed.")  # fmt: skip
@click.option("--detectors", "detector_ids", default="all", show_default=True, metavar="IDS",
              help="Comma-separated detector ids or families; 'account.model' alone is vectorised.")  # fmt: skip
@click.option(
    "--workers", type=click.IntRange(1, 64), default=None, help="Processes (default: up to 2)."
)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None)
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where chunks are scored: a process pool here, or a Dask cluster.")  # fmt: skip
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="A Dask scheduler (tcp://host:8786); without it, --engine dask starts a local cluster of --workers processes.")  # fmt: skip
@click.option("--resume", is_flag=True,
              help="Reuse the chunks that an interrupted run with the same arguments finished (kept in OUTPUT.parts/).")  # fmt: skip
@click.option("--chunk-rows", type=click.IntRange(100, 1_000_000), default=65_536, show_default=True,
              help="Rows per chunk sent to a worker; smaller chunks spread slow work (photos) over more workers.")  # fmt: skip
@click.option("--campaigns", "find_campaigns", is_flag=True,
              help="Also find campaigns across all rows (shared text templates or photos, or an employer or e-mail domain among accounts made the same week): members get their campaign's columns and score; the campaigns go to OUTPUT.campaigns/ (see 'linkvet campaigns').")  # fmt: skip
@click.option("--text-similarity", type=click.FloatRange(0.05, 1.0), default=0.5, show_default=True,
              help="With --campaigns: estimated Jaccard similarity of word 3-grams that links two texts.")  # fmt: skip
@click.option("--window-days", type=click.IntRange(0, 365), default=7, show_default=True,
              help="With --campaigns: accounts made this many days apart or fewer were made together.")  # fmt: skip
@click.option("--attribute-links", default="employer+window,email_domain+window", show_default=True, metavar="LINKS",
              help="With --campaigns: comma-separated attribute links: employer, email_domain or pattern (the handle's shape), each alone or '+' another or '+window' (made within --window-days).")  # fmt: skip
@click.option("--oversized-blocks", type=click.Choice(["skip", "star"]), default="skip", show_default=True,
              help="With --campaigns: what to do with a value shared by over 1,000 profiles (a stock photo, a boilerplate text): skip it, or link its holders through its first one.")  # fmt: skip
def batch(
    source: Path, target: Path, detector_ids: str, workers: int | None, config_path: str | None,
    engine: str, scheduler: str | None, resume: bool, chunk_rows: int, find_campaigns: bool,
    text_similarity: float, window_days: int, attribute_links: str, oversized_blocks: str,
) -> None:  # fmt: skip
    """Score every row of a batch file (docs/batch-format.md): band, probability, top reasons;
    with --campaigns, the campaigns across the rows too (docs/campaigns.md)."""
    from linkvet.batch.runner import score_file
    from linkvet.campaigns.clustering import CampaignConfig

    if scheduler is not None and engine != "dask":
        _fail("--scheduler needs --engine dask", ExitCode.USAGE)
    scorer = _scorer(detector_ids, config_path)
    campaigns = None
    if find_campaigns:
        links = tuple(link.strip() for link in attribute_links.split(",") if link.strip())
        try:
            campaigns = CampaignConfig(
                text_similarity=text_similarity, window_days=window_days,
                attribute_links=links,
                oversized_blocks="star" if oversized_blocks == "star" else "skip",
            )  # fmt: skip
        except ValueError as error:
            _fail(f"--attribute-links: {error}", ExitCode.USAGE)
    try:
        run = score_file(
            source, target, scorer, engine=engine, workers=workers, scheduler=scheduler,
            resume=resume, chunk_rows=chunk_rows, campaigns=campaigns,
        )  # fmt: skip
    except (ValueError, OSError) as error:
        _fail(str(error), ExitCode.BAD_INPUT)
    reused = (
        f", {run.chunks_reused:,} chunk(s) taken from the interrupted run"
        if run.chunks_reused
        else ""
    )
    console = Console(stderr=True)
    console.print(f"Scored {run.rows:,} rows into {escape(str(target))}{reused}.")
    if run.campaigns is not None and run.campaign_folder is not None:
        found = run.campaigns
        console.print(
            f"Found {found.campaigns.num_rows:,} campaign(s) with {found.members.num_rows:,} "
            f"member rows; written to {escape(str(run.campaign_folder))}. "
            f"See them with: linkvet campaigns show {escape(str(run.campaign_folder))}"
        )


@cli.group("campaigns")
def campaigns_commands() -> None:
    """Campaigns that 'linkvet batch --campaigns' found (docs/campaigns.md)."""


_CAMPAIGN_FOLDER = click.Path(path_type=Path, exists=True)


@campaigns_commands.command("show")
@click.argument("folder", type=_CAMPAIGN_FOLDER, metavar="OUTPUT_OR_FOLDER")
@click.option("--by", type=click.Choice(["score", "size"]), default="score", show_default=True,
              help="Rank campaigns by their score (riskiest first) or by their size.")  # fmt: skip
@click.option("--top", type=click.IntRange(1, 10_000), default=10, show_default=True)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def campaigns_show(folder: Path, by: str, top: int, output_format: str) -> None:
    """The largest or riskiest campaigns, with what their members share. OUTPUT_OR_FOLDER is the
    batch output or its OUTPUT.campaigns folder."""
    from linkvet.campaigns.view import as_json, open_campaigns, overview, ranked, summary_table

    try:
        found = open_campaigns(folder)
    except (ValueError, OSError) as error:
        _fail(str(error), ExitCode.BAD_INPUT)
    chosen = ranked(found, by="size" if by == "size" else "score", top=top)
    if output_format == "json":
        click.echo(json.dumps(as_json(found, chosen), indent=2, default=str))
        return
    console = Console()
    for line in overview(found):
        console.print(Text(line))
    if chosen:
        title = f"The {len(chosen)} {'largest' if by == 'size' else 'riskiest'} campaign(s)"
        console.print(summary_table(found, chosen, title))
        numbers = " ".join(str(campaign["campaign"]) for campaign in chosen[:3])
        drawing = f"linkvet campaigns graph {folder} -o campaigns.png --campaign {numbers}"
        console.print(Text(f"Draw them: {drawing}"))


@campaigns_commands.command("graph")
@click.argument("folder", type=_CAMPAIGN_FOLDER, metavar="OUTPUT_OR_FOLDER")
@click.option("-o", "--output", "target", required=True,
              type=click.Path(path_type=Path, dir_okay=False), help="The picture (.png or .svg).")  # fmt: skip
@click.option("--campaign", "numbers", type=click.IntRange(1), multiple=True,
              help="A campaign to draw (repeat for up to 6); default: the riskiest ones.")  # fmt: skip
@click.option("--top", type=click.IntRange(1, 6), default=3, show_default=True,
              help="Without --campaign: how many of the riskiest campaigns to draw.")  # fmt: skip
def campaigns_graph(folder: Path, target: Path, numbers: tuple[int, ...], top: int) -> None:
    """Draw campaigns: profiles as nodes, a shared text template, photo or attribute as edges."""
    from linkvet.campaigns.view import draw_graph, open_campaigns, ranked

    try:
        found = open_campaigns(folder)
        chosen = list(numbers) or [c["campaign"] for c in ranked(found, by="score", top=top)]
        if not chosen:
            _fail(f"{found.folder}: no campaigns were found, so there is nothing to draw",
                  ExitCode.BAD_INPUT)  # fmt: skip
        draw_graph(found, chosen, target)
    except (ValueError, OSError) as error:
        _fail(str(error), ExitCode.BAD_INPUT)
    click.echo(f"Drew campaign(s) {', '.join(map(str, chosen))} in {target}")


@cli.command()
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--detectors", "detector_ids", default="all", show_default=True, metavar="IDS",
              help="Comma-separated detector ids or families to evaluate together.")  # fmt: skip
@click.option("--cross-validate", is_flag=True,
              help="For account.model: retrain it in 5 folds on this file and score each row by a "
              "model that never saw it (honest figures for a set the shipped model was trained on).")  # fmt: skip
@click.option("--plots", "plots_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Write roc.png, calibration.png and confusion.png here (default: var/evaluate/<file>).")  # fmt: skip
@click.option("--workers", type=click.IntRange(1, 64), default=None)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None)
def evaluate(
    source: Path, detector_ids: str, cross_validate: bool, plots_dir: Path | None,
    workers: int | None, output_format: str, config_path: str | None,
) -> None:  # fmt: skip
    """Measure detectors on a labelled batch file: AUC, precision, recall, F1, TPR at 1% FPR,
    the confusion matrix, and ROC and calibration plots as PNG."""
    from linkvet.batch.evaluation import evaluate_file, render_evaluation

    scorer = _scorer(detector_ids, config_path)
    folder = plots_dir or Path("var") / "evaluate" / source.stem
    try:
        report = evaluate_file(
            source, scorer, plots=folder, cross_validate=cross_validate, workers=workers
        )
    except (ValueError, OSError) as error:
        _fail(str(error), ExitCode.BAD_INPUT)
    if output_format == "json":
        click.echo(json.dumps(report, indent=2))
    else:
        Console().print(render_evaluation(report))


def _scorer(detector_ids: str, config_path: str | None) -> Scorer:
    from linkvet.batch.scoring import Scorer

    ids = [item.strip() for item in detector_ids.split(",") if item.strip()]
    if ids == ["all"]:
        ids = [cls.id for cls in available_detector_classes() if not cls.remote and not cls.opt_in]
    try:
        select_detectors(ids)  # unknown ids are a usage error, before any work
        load_config(config_path)
    except ConfigError as error:
        _fail(f"config: {error}", ExitCode.BAD_CONFIG)
    except LinkvetError as error:
        _fail(str(error), ExitCode.USAGE)
    return Scorer(detector_ids=tuple(ids), config_path=config_path)


@cli.group()
def datasets() -> None:
    """The shared labelled datasets, in linkvet's batch format (docs/datasets.md)."""


@datasets.command("export")
@click.argument("name", type=click.Choice(["cresci2015", "instafake", "instagram_kaggle"]))
@click.argument("target", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--datasets", "root", type=click.Path(path_type=Path, file_okay=False, exists=True),
              envvar="LINKVET_DATASETS", required=True, help="The shared datasets folder ($LINKVET_DATASETS).")  # fmt: skip
def datasets_export(name: str, target: Path, root: Path) -> None:
    """Write dataset NAME as a labelled batch file TARGET (.csv, .jsonl or .parquet)."""
    from linkvet.account.adapters import ADAPTERS
    from linkvet.batch.fileformat import BatchWriter

    columns = ADAPTERS[name](root)
    columns.pop("split", None)
    with BatchWriter(target) as writer:
        writer.write({key: value.tolist() for key, value in columns.items()})
    Console(stderr=True).print(
        f"Wrote {len(columns['label']):,} rows of {name} to {escape(str(target))}."
    )


@cli.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def detectors(output_format: str) -> None:
    """List the available detectors: ids, versions, the fields they need."""
    classes = available_detector_classes()
    rows: list[dict[str, Any]] = [
        {
            "id": cls.id,
            "version": cls.version,
            "requires": list(cls.requires),
            "remote": cls.remote,
            "description": cls.description,
        }
        for cls in classes
    ]
    if output_format == "json":
        click.echo(json.dumps({"linkvet": __version__, "detectors": rows}, indent=2))
        return
    table = Table(title="linkvet detectors")
    table.add_column("id", no_wrap=True)
    table.add_column("version")
    table.add_column("requires")
    table.add_column("description")
    for row in rows:
        requires = ", ".join(path.replace("|", " or ") for path in row["requires"]) or "—"
        remote = " (remote, off by default)" if row["remote"] else ""
        table.add_row(row["id"], row["version"], requires, row["description"] + remote)
    Console().print(table)


@cli.command()
@click.argument("which", type=click.Choice(list(SCHEMAS)), default="profile")
def schema(which: str) -> None:
    """Print a JSON Schema: profile (input), assessment, check-report (JSON output), config, or
    phrase-rule (one entry under `phrases:` in a rule file)."""
    click.echo(json.dumps(json_schema(which), indent=2))


def json_schema(which: str) -> dict[str, Any]:
    """The published schema: inputs as they are validated, outputs as they are written."""
    model = SCHEMAS[which]
    mode: Literal["validation", "serialization"] = (
        "validation" if model in {Profile, Config, PhraseRule} else "serialization"
    )
    return model.model_json_schema(mode=mode)


def _fail(message: str, code: ExitCode) -> NoReturn:
    Console(stderr=True).print(
        f"[bold red]error:[/] {_escape(message)}", highlight=False, soft_wrap=True
    )
    sys.exit(code)


def _escape(text: str) -> str:
    return escape(text)


def main() -> None:
    """Entry point: never a traceback for the user, always a documented exit code."""
    try:
        cli.main(standalone_mode=False)
    except click.ClickException as error:
        error.show()
        sys.exit(ExitCode.USAGE)
    except click.exceptions.Abort:
        sys.exit(ExitCode.INTERNAL)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except LinkvetError as error:
        _fail(str(error), ExitCode.BAD_INPUT)
    except Exception as error:
        _fail(
            f"internal error ({type(error).__name__}: {error}); please report it", ExitCode.INTERNAL
        )


@cli.group("bench")
def bench() -> None:
    """Corpora for speed benchmarks (never for training or measuring detection quality)."""


@bench.command("generate")
@click.option("-o", "--output", "target", required=True,
              type=click.Path(path_type=Path, dir_okay=False),
              help="The batch file to write (.parquet, .jsonl or .csv); the truth file goes beside it.")  # fmt: skip
@click.option("--profiles", type=click.IntRange(1, 100_000_000), required=True)
@click.option("--campaigns", type=click.IntRange(0, 10_000_000), default=0, show_default=True,
              help="Planted campaigns (at most a third of the profiles).")  # fmt: skip
@click.option("--photos", is_flag=True, help="Also write photos (campaigns reuse theirs, altered).")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=0, show_default=True)
def bench_generate(target: Path, profiles: int, campaigns: int, photos: bool, seed: int) -> None:
    """Write a realistic-looking corpus with planted campaigns of different sizes and
    obfuscation, and beside it the truth (which rows belong to which campaign), so that
    campaign detection can be measured at any scale."""
    from typing import cast

    from linkvet.campaigns.corpus import CorpusFormat, generate_corpus

    kind = {".parquet": "parquet", ".jsonl": "jsonl", ".csv": "csv"}.get(target.suffix.lower())
    if kind is None:
        _fail(f"{target}: the name must end in .parquet, .jsonl or .csv", ExitCode.USAGE)
    try:
        summary = generate_corpus(
            target, profiles=profiles, campaigns=campaigns, photos=photos, seed=seed,
            format=cast(CorpusFormat, kind), progress=True,
        )  # fmt: skip
    except (ValueError, OSError) as error:
        _fail(str(error), ExitCode.BAD_INPUT)
    click.echo(
        f"{summary.rows:,} profiles ({summary.campaign_rows:,} in {summary.campaigns:,} "
        f"campaigns) in {summary.seconds:.1f} s, peak memory {summary.peak_rss_bytes / 2**20:,.0f} MiB"
    )
    for path in summary.files:
        click.echo(f"  {path}")


@cli.group("store")
def store_commands() -> None:
    """Back up and restore the case store: reports, their pictures, accounts and API tokens
    (docs/operations.md)."""


DATABASE_URL_OPTION: Final = click.option(
    "--database-url", metavar="URL",
    help="The case store (default: the one `serve` uses: $LINKVET_DATABASE_URL, else "
    "cases.sqlite in var/ or $LINKVET_VAR).",
)  # fmt: skip


@store_commands.command("backup")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@DATABASE_URL_OPTION
def store_backup(path: Path, database_url: str | None) -> None:
    """Copy the case store into the file PATH while the server keeps running (SQLite: a copy of
    the database; PostgreSQL: a pg_dump custom-format file). The copy is checked, then renamed
    into place: PATH is never half-written."""
    from linkvet.store import backup

    _print_backup("Backed up to", _with_store(lambda url: backup(url, path), database_url))


@store_commands.command("restore")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@DATABASE_URL_OPTION
@click.option("--force", is_flag=True, help="Replace a store that holds reports.")
def store_restore(path: Path, database_url: str | None, force: bool) -> None:
    """Replace the case store with the backup PATH. Stop the server first. Refuses a file that
    is no linkvet backup, is damaged or comes from a newer linkvet, and a store that holds
    reports unless --force is given."""
    from linkvet.store import open_store, restore
    from linkvet.web.retention import erase_expired
    from linkvet.web.settings import WebSettings

    def restored(url: str) -> BackupInfo:
        info = restore(path, url, force=force)
        # What the backup brought back that should not be: sessions (everyone signs in again)
        # and cases past their retention since it was made.
        with open_store(url) as store:
            store.end_all_sessions()
            erase_expired(store, WebSettings())
        return info

    _print_backup("Restored from", _with_store(restored, database_url))


def _with_store(action: Callable[[str], BackupInfo], database_url: str | None) -> BackupInfo:
    """Run `action` on the store `serve` uses (or `database_url`); a StoreError ends the command."""
    from linkvet.store import StoreError
    from linkvet.web.settings import WebSettings

    try:
        return action(database_url or WebSettings().store_url)
    except StoreError as error:
        _fail(str(error), ExitCode.BAD_CONFIG)


def _print_backup(done: str, info: BackupInfo) -> None:
    click.echo(f"{done} {info.path}")
    click.echo(f"  database: {info.kind}, schema revision {info.revision}")
    click.echo(f"  reports:  {info.reports:,}")
    click.echo(f"  size:     {info.bytes:,} bytes")
