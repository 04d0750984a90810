"""The `werkdata` command line: turns the library's errors into messages and exit codes.

Both publish paths (the Prefect flow and --local) end in the same handlers, so every outcome
prints the same report and exits with the same code. Prefect is imported only by `publish`
without --local, and only when the plan has work to do (or --record-run asks for a flow run).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
import traceback
from pathlib import Path

from flows import draft_command
from pipeline.core.errors import IntegrityError, RawDataInvalid, WerkdataError
from pipeline.core.paths import DATASET, Project

EXIT_CODES = """exit codes:
  0   done, or unchanged
  1   invalid input, or input that cannot be published safely (the report says why)
  2   usage error: unknown option, not a werkdata project (see --root), nothing published yet
  3   another run holds the publish lock (the message names its pid, host and start time)
  4   a damaged publication: a version folder that fails its records, or a malformed catalog.json,
      datapackage.json or SHA256SUMS (named in the message)
  70  a bug in werkdata: one line names the file that holds the full traceback
  141 the reader of the output stopped early (as `| head` does): the output was cut, nothing else
"""

# How the command ends when something went wrong outside the library's own errors: a bug
# (exit 70, the traceback in a file) or a reader that stopped reading (exit 141).
BUG = 70  # EX_SOFTWARE (sysexits.h)
READER_GONE = 141  # 128 + SIGPIPE: what a shell reports for a writer whose reader went away


def stdout_reader_gone() -> bool:
    """Whether the reader of standard output has closed it: poll reports an error on the
    writing end of a pipe whose reading end is closed."""
    import select

    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(event & select.POLLERR for _, event in poller.poll(0))
    except (OSError, ValueError):  # no file descriptor behind stdout (a test's capture)
        return False


def reader_gone() -> int:
    """The exit code when the reader of standard output closed it (`werkdata query ... | head`).

    Standard output is pointed at /dev/null first, so that Python's final flush of what is
    still buffered does not fail a second time with a message at exit.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return READER_GONE


def bug_report(exc: Exception, root: Path | None) -> str:
    """Write the full traceback of an unexpected error to a file only its owner can read; one
    line saying where. The line names the kind of error, not its text: a traceback may quote a
    respondent's value, so it stays in the file.

    The file is `.werkdata/bug-<stamp>-<pid>.txt` under the project root, or in the user's
    state folder (~/.local/state/werkdata/) when no project root was found or it cannot be
    written.
    """
    from pipeline.core.private_files import local_state, user_state, write_private

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"bug-{stamp}-{os.getpid()}.txt"
    text = f"werkdata {' '.join(sys.argv[1:])}\n\n{''.join(traceback.format_exception(exc))}"
    folders = [folder for folder in (root and local_state(root), user_state()) if folder]
    tried = []
    for folder in folders:
        try:
            path = write_private(folder / name, text)
        except OSError as error:
            tried.append(f"{error.strerror or type(error).__name__}: {error.filename}")
            continue
        return (
            f"internal error, a bug in werkdata ({type(exc).__name__}); "
            f"the full traceback is in {shown_path(path)}"
        )
    return (
        f"internal error, a bug in werkdata ({type(exc).__name__}); the traceback could not "
        f"be saved ({'; '.join(tried)})"
    )


# What a publish says when it is done: the outcome, where the package is, and a DuckDB query to
# try, written for the folder the user is in.
TRY_QUERY = (
    "SELECT edition, population_id, value, status FROM findings "
    "WHERE indicator_id = {indicator} ORDER BY edition"
)


# A release of respondent data alone (a synthetic project, say) has estimates and no findings.
TRY_ESTIMATES = (
    "SELECT population_id, value, ci_low, ci_high, respondents, status FROM estimates "
    "WHERE indicator_id = {indicator} AND breakdown_id = 'totaal' ORDER BY population_id"
)


def try_query(project: Project, rows: dict | None = None) -> str:
    """TRY_QUERY with the example indicator of the project's schemas/dataset.json; on the
    estimates when the release has estimates and no findings."""
    from pipeline.core.schemas import dataset_metadata
    from pipeline.core.sql import sql_literal

    indicator = sql_literal(dataset_metadata(project.schemas)["example"]["indicator_id"])
    rows = rows or {}
    if rows.get("estimates") and not rows.get("findings"):
        return TRY_ESTIMATES.format(indicator=indicator)
    return TRY_QUERY.format(indicator=indicator)


def shown_path(path: Path) -> Path:
    """`path` relative to the working folder when it is inside it (what a user types)."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def folder_options(project: Project) -> str:
    """The options that point a command run from here at `project` (empty in its root)."""
    options = ""
    if project.root != Path.cwd().resolve():
        options += f" --root {shown_path(project.root)}"
    if project.published != project.root / "published":
        options += f" --published {shown_path(project.published)}"
    return options


def print_outcome(project: Project, outcome: dict) -> None:
    """What happened, where the package is, and a DuckDB query to try from this folder."""
    shown = shown_path(Path(outcome["folder"]))
    werkdata = shown_path(Path(sys.argv[0]).absolute()) if sys.argv[0] else "werkdata"
    python = shown_path(Path(sys.executable))
    if outcome["status"] == "published":
        print(f"published werkonderzoek {outcome['version']}: {outcome['summary']}")
    else:
        print(outcome["summary"])
    print(f"package: {shown}/datapackage.json")
    query = try_query(project, outcome.get("rows"))
    table = "estimates" if "FROM estimates" in query else "findings"
    parquet = f"{shown.parent}/latest/data/{table}.parquet"
    print("try:")
    print(f'  {werkdata}{folder_options(project)} query "{query}"')
    print(f'  {python} -c "import duckdb; duckdb.sql(\\"FROM \'{parquet}\' LIMIT 5\\").show()"')
    if (outcome.get("rows") or {}).get("estimates"):
        show_disclosure_report(project)


def show_disclosure_report(project: Project) -> None:
    """Where the reasons of the suppressed cells are: the local report the estimate step wrote
    in this run (it writes one whenever there are estimates), readable by its owner only. The
    terminal gets its path, never its content: a reason per cell tells an attacker that a cell
    is small or that a sensitive rule fired (D9)."""
    from pipeline.orchestrate.disclosure_report import report_path

    path = report_path(project.root)
    print(
        f"why each cell was suppressed: {shown_path(path)} (readable by you only; never published)"
    )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="werkdata",
        description=__doc__.splitlines()[0],
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--root", default=".", help="project folder (default: the current one)")
    p.add_argument("--raw", help="raw inputs folder (default: ROOT/raw)")
    p.add_argument("--published", help="output folder (default: ROOT/published)")
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check the raw inputs and report every problem")
    v.add_argument("--json", metavar="PATH", help="also write the report as JSON to PATH")
    pub = sub.add_parser("publish", help="validate, build and publish the next version")
    pub.add_argument(
        "--local", action="store_true", help="run the same steps in-process, without Prefect"
    )
    pub.add_argument(
        "--record-run",
        action="store_true",
        help="run the Prefect flow even when nothing changed, so that Prefect records the run "
        "(otherwise an unchanged publish answers without starting Prefect)",
    )
    pub.add_argument(
        "--task-runner",
        choices=["default", "dask"],
        default="default",
        help="where the estimate's parts run: the flow's own process (default) or Dask",
    )
    pub.add_argument(
        "--dask-address",
        metavar="ADDRESS",
        help="the Dask scheduler, tcp://host:8786 (default with dask: a LocalCluster here)",
    )
    pub.add_argument(
        "--bump",
        choices=["major", "minor", "patch"],
        help="raise the version bump (never below what the changes require)",
    )
    sub.add_parser(
        "clean-cache",
        help="delete every typed copy of a respondent file from the cache (.werkdata/cache/)",
    )
    sub.add_parser("verify", help="re-hash every published file against its release's records")
    sub.add_parser("versions", help="list the published versions")
    s = sub.add_parser("serve", help="run the refresh flow on a cron schedule (Prefect server)")
    s.add_argument("--cron", default="0 6 * * 1", help='cron schedule (default "0 6 * * 1")')
    s.add_argument(
        "--port", type=int, default=4200, help="port of the Prefect server to find or start"
    )
    sub.add_parser("shell", help="the DuckDB shell in the latest release, its views loaded")
    q = sub.add_parser("query", help="run SQL on the latest release (tables by name)")
    q.add_argument("sql", help='for example "SELECT count(*) FROM findings"')
    q.add_argument("--json", action="store_true", help="print rows as JSON lines")
    syn = sub.add_parser(
        "synth", help="write a synthetic project (respondents calibrated to the real figures)"
    )
    syn.add_argument("--respondents", type=positive, required=True, help="respondents (rows)")
    syn.add_argument("--seed", type=int, required=True, help="random seed (same seed, same files)")
    syn.add_argument("--out", required=True, help="folder of the synthetic project to write")
    syn.add_argument("--partitions", type=positive, default=1, help="Parquet files (default 1)")
    syn.add_argument("--items", type=positive, default=150, help="questionnaire items (150)")
    syn.add_argument(
        "--format",
        choices=["parquet", "sav", "dta", "csv"],
        default="parquet",
        help="respondent file format (default parquet); sav, dta and csv are laid out as an "
        "agency delivers them, mapped by edition.yaml's columns: and codes:",
    )
    draft_command.add_parser(sub)
    return p


def positive(text: str) -> int:
    """An argparse type: an integer of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


class NotAProject(Exception):
    """The folders a command needs are not where it looked (exit 2: point it with --root)."""

    exit_code = 2


def project_of(args: argparse.Namespace) -> Project:
    return Project.at(args.root, raw=args.raw, published=args.published)


def missing_folders(args: argparse.Namespace) -> list[Path]:
    """The folders the command needs that are not there: the inputs for validate, publish,
    serve and synth; published/ for the commands that read it."""
    project = project_of(args)
    if args.command == draft_command.COMMAND:  # reads a file; a project's code lists if any
        return []
    if args.command in {"validate", "publish", "serve", "synth", "clean-cache"}:
        needed = [project.schemas / "raw-inputs.json", project.raw]
    else:
        needed = [project.published]
    return [path for path in needed if not path.exists()]


def require_folders(args: argparse.Namespace) -> None:
    """Raise NotAProject naming where it looked when the command cannot find its folders."""
    looked = missing_folders(args)
    if looked:
        names = " and ".join(str(path) for path in looked)
        raise NotAProject(
            f"not a werkdata project: looked for {names} and found nothing. Run it in the "
            f"project folder, or point to it: werkdata --root DIR {args.command}"
        )


def project_root(args: argparse.Namespace) -> Path | None:
    """The root of the project the command runs on, or None when it found no project there
    (or cannot tell: this runs while a bug is being reported)."""
    try:
        return None if missing_folders(args) else project_of(args).root
    except Exception:
        return None


def cmd_validate(args: argparse.Namespace) -> int:
    from pipeline.orchestrate.runner import validate_local

    report, _ = validate_local(project_of(args))
    if args.json:
        Path(args.json).write_text(report.to_json(), encoding="utf-8")
    stream = sys.stdout if report.valid else sys.stderr
    stream.write(report.to_text())
    show_respondent_log(args)
    return 0 if report.valid else 1


def show_respondent_log(args: argparse.Namespace) -> None:
    """Where the problems that name respondents are: the local log validation wrote, which
    only its owner can read. The terminal gets its path, never its content (a terminal's
    output is kept and shared in places that file is not)."""
    from pipeline.checks.microdata.editions import local_log

    path = local_log(project_of(args))
    if path.is_file():
        sys.stderr.write(
            f"\nThe respondents concerned are named in {shown_path(path)} "
            "(readable by you only; never published)\n"
        )


def cmd_publish(args: argparse.Namespace) -> int:
    from flows.progress_view import terminal_bars

    project = project_of(args)
    with terminal_bars():  # a bar per long step when stderr is a terminal
        if args.local:
            from pipeline.orchestrate.runner import publish_local

            outcome = publish_local(project, bump=args.bump).to_dict()
        else:
            outcome = None if args.record_run else settled_outcome(project)
            if outcome is None:
                outcome = publish_with_prefect(
                    project, args.bump, args.task_runner, args.dask_address
                )
    print_outcome(project, outcome)
    return 0


def settled_outcome(project: Project) -> dict | None:
    """The outcome of a publish that would find nothing to do (the plan's own check,
    `pipeline.orchestrate.plan.settled`), without starting Prefect; None when the flow has work.
    The flow keeps its own check, for the runs Prefect schedules."""
    from pipeline.orchestrate.plan import settled

    result = settled(project)
    return None if result is None else result.to_dict()


def publish_with_prefect(
    project: Project, bump: str | None, task_runner: str = "default", address: str | None = None
) -> dict:
    """Run the Prefect flow on the server `flows.servers.chosen_server` picks, after one line on
    stderr saying which; a failed run raises its own exception here, as --local would.

    Prefect keeps its record of the run (UI, API, log); the terminal gets a failure once,
    through main's handlers.
    """
    from flows.servers import chosen_server, using

    server = chosen_server(project.root)
    print(server.line(), file=sys.stderr, flush=True)
    from flows.publish_flow import publish_flow
    from flows.quiet import console_only_critical

    with using(server), console_only_critical():
        state = publish_flow(
            root=str(project.root),
            raw=str(project.raw),
            published=str(project.published),
            bump=bump,
            task_runner=task_runner,
            dask_address=address,
            return_state=True,
        )
    outcome = state.result(raise_on_failure=False)
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def cmd_synth(args: argparse.Namespace) -> int:
    """Write a synthetic project from this project's code lists, schemas and real figures."""
    from pipeline.synth import write_project

    with generation_progress(args.items) as on_item:
        result = write_project(
            project_of(args),
            Path(args.out),
            args.respondents,
            args.seed,
            partitions=args.partitions,
            items=args.items,
            on_item=on_item,
            file_format=args.format,
        )
    files = result.files[0] if len(result.files) == 1 else result.files[0].parent
    print(
        f"synthetic project: {shown_path(result.root)} ({result.respondents} respondents x "
        f"{result.items} items, seed {args.seed}; respondents in {shown_path(files)})"
    )
    return 0


@contextlib.contextmanager
def generation_progress(items: int):
    """A rich progress bar over the generated items when stdout is a terminal, else nothing."""
    if not sys.stdout.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress() as progress:
        task = progress.add_task("generating answers", total=items)
        yield lambda done: progress.update(task, completed=done)


def cmd_clean_cache(args: argparse.Namespace) -> int:
    from pipeline.core.config import load_config
    from pipeline.ingest.microdata_cache import cache_folder, clean

    project = project_of(args)
    folder = cache_folder(project.root, load_config(project.config_file).microdata_cache_dir)
    deleted = clean(folder)
    print(f"deleted {deleted} typed respondent file(s) from {shown_path(folder)}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from pipeline.release.verify import verify_dataset

    root = project_of(args).dataset_dir(DATASET)
    checked, problems = verify_dataset(root)
    if problems:
        raise IntegrityError(problems)
    print(f"verified: {len(checked)} version(s) intact ({', '.join(checked) or 'none'})")
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    from pipeline.release.records import read_catalog

    catalog = read_catalog(project_of(args).dataset_dir(DATASET))  # IntegrityError if damaged
    if catalog is None:
        print("no versions published yet")
        return 0
    for entry in catalog["versions"]:
        mark = "  (latest)" if entry["version"] == catalog["latest"] else ""
        editions = ",".join(map(str, entry["editions"]))
        print(
            f"{entry['version']:<10} {entry['created']}  editions {editions}  "
            f"{entry['reason'] or ''}{mark}"
        )
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    from pipeline.read.query import run_query

    root = project_of(args).dataset_dir(DATASET)
    try:
        columns, rows = run_query(root, args.sql)
    except duckdb.Error as exc:
        print(f"werkdata query: {exc}", file=sys.stderr)
        return 2
    if args.json:
        for row in rows:
            print(json.dumps(dict(zip(columns, row, strict=True)), default=str, ensure_ascii=False))
        return 0
    print("\t".join(columns))
    for row in rows:
        print("\t".join("" if v is None else str(v) for v in row))
    return 0


def cmd_shell(args: argparse.Namespace) -> int:
    """Replace this process by the DuckDB CLI, started in the latest release with its views."""
    from pipeline.read.shell import duckdb_shell

    shell = duckdb_shell(project_of(args).dataset_dir(DATASET))
    sys.stdout.flush()
    os.chdir(shell.folder)
    os.execv(shell.program, shell.argv)  # noqa: S606 (a fixed program, no shell)
    return 0  # not reached


def cmd_serve(args: argparse.Namespace) -> int:
    from flows.serve import serve

    try:
        serve(project_of(args).root, args.cron, args.port)
    except KeyboardInterrupt:
        print("stopped")
    return 0


COMMANDS = {
    "validate": cmd_validate,
    "publish": cmd_publish,
    "verify": cmd_verify,
    "versions": cmd_versions,
    "query": cmd_query,
    "serve": cmd_serve,
    "shell": cmd_shell,
    "synth": cmd_synth,
    draft_command.COMMAND: lambda args: draft_command.run(args, project_of(args).codelists),
    "clean-cache": cmd_clean_cache,
}


def check_runner(p: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse a choice of task runner that does not fit together (usage error, exit 2)."""
    from flows.runners import runner_problem

    if args.command == "publish":
        problem = runner_problem(args.task_runner, args.dask_address, args.local)
        if args.local and args.record_run:
            problem = "--record-run records a Prefect flow run: it cannot be combined with --local"
        if problem:
            p.error(problem)


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    check_runner(p, args)
    try:
        require_folders(args)
        return COMMANDS[args.command](args)
    except RawDataInvalid as exc:
        sys.stderr.write(exc.report.to_text())
        show_respondent_log(args)
        return exc.exit_code
    except IntegrityError as exc:
        print(f"werkdata {args.command}: integrity check failed", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return exc.exit_code
    except (WerkdataError, NotAProject) as exc:
        print(f"werkdata {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError as exc:
        if stdout_reader_gone():
            return reader_gone()
        print(f"werkdata {args.command}: {bug_report(exc, project_root(args))}", file=sys.stderr)
        return BUG  # another pipe broke (a worker's, a server's): a real failure
    except Exception as exc:
        print(f"werkdata {args.command}: {bug_report(exc, project_root(args))}", file=sys.stderr)
        return BUG


if __name__ == "__main__":
    sys.exit(main())
