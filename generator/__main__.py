"""Command line: `python -m generator <command>`. Commands are declared as data in COMMANDS; each imports
what it needs when it runs, so `--help` and `clean` work before the virtualenv is set up."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import routes

if TYPE_CHECKING:
    from .catalog.parse import Problem


def report(problems: list[Problem]) -> None:
    """Problems on stderr, one per line; GitHub annotations too when running in Actions."""
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for p in problems:
        print(p, file=sys.stderr)
        if annotate:
            message = p.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            print(f"::error file={p.path},line={p.line},col={p.col}::{message}", file=sys.stderr)
    print(f"{len(problems)} problem(s) found", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    from .catalog.load import load_catalog
    from .catalog.perf_results import read_results

    root = Path(args.root).resolve()
    catalog, problems = load_catalog(root / routes.CATALOG, root)
    problems = sorted(problems + read_results(root)[1])  # benchmarks/results.yaml, when hand-edited
    if args.paths:
        wanted = {os.path.relpath(Path(p).resolve(), root) for p in args.paths}
        problems = [p for p in problems if any(p.path == w or p.path.startswith(w + os.sep) for w in wanted)]
    if problems:
        report(problems)
        return 1
    print(
        f"catalog OK: {len(catalog.models)} models, {len(catalog.families)} families, "
        f"{len(catalog.licences)} licences, {len(catalog.hardware)} machines, {len(catalog.prices)} prices, {len(catalog.runtimes)} runtimes, "
        f"{len(catalog.suites)} suites, {len(catalog.runs)} runs"
    )
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .prerequisites import BUILD, stop_if_missing

    if stop_if_missing(routes.ROOT, BUILD, "nothing was written: docs/ and site/ are as they were"):
        return 1
    from .build import generate
    from .catalog.load import CatalogInvalid

    try:
        written = generate(Path(args.root).resolve())
    except CatalogInvalid as exc:
        report(exc.problems)
        print("nothing was written: docs/ and site/ are as they were", file=sys.stderr)
        return 1
    print(f"generated: {written.changed} written, {written.unchanged} unchanged, {written.removed} removed")
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    from .prerequisites import SITE, stop_if_missing

    if stop_if_missing(routes.ROOT, SITE, "nothing was written: docs/ and site/ are as they were"):
        return 1
    from .build import build_site
    from .catalog.load import CatalogInvalid
    from .site.engine import SiteBuildFailed

    root = Path(args.root).resolve()
    try:
        build_site(root, Path(args.site_dir).resolve() if args.site_dir else None)
    except CatalogInvalid as exc:
        report(exc.problems)
        print("nothing was written: docs/ and site/ are as they were", file=sys.stderr)
        return 1
    except SiteBuildFailed as exc:
        print(exc, file=sys.stderr)
        print("the site build failed: the previous site/ is untouched", file=sys.stderr)
        return 1
    print(f"built {args.site_dir or root / routes.SITE}")
    return 0


def built_site(args: argparse.Namespace) -> Path:
    """The built site an edition is made from: --site-dir, else the project's site/."""
    return Path(args.site_dir).resolve() if args.site_dir else Path(args.root).resolve() / routes.SITE


def cmd_pdf(args: argparse.Namespace) -> int:
    from .prerequisites import PRINT, stop_if_missing

    if stop_if_missing(routes.ROOT, PRINT, "no PDF was written: the previous one is untouched"):
        return 1
    from .editions.pdf import EditionFailed, make_pdf

    try:
        printed = make_pdf(built_site(args), Path(args.out).resolve() if args.out else None)
    except EditionFailed as exc:
        print(exc, file=sys.stderr)
        print("no PDF was written: the previous one is untouched", file=sys.stderr)
        return 1
    print(f"wrote {printed.path} ({printed.bytes / 1e6:.1f} MB) in {printed.seconds:.1f} s")
    return 0


def cmd_offline(args: argparse.Namespace) -> int:
    from .editions.offline import OFFLINE_FOLDER, pack_offline
    from .editions.pdf import EditionFailed

    out = Path(args.out).resolve() if args.out else Path(args.root).resolve() / routes.OFFLINE_ZIP
    try:
        count = pack_offline(built_site(args), out)
    except EditionFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    home = f"{OFFLINE_FOLDER}/{routes.html(routes.HOME)}"
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, {count} files): unzip it and open {home}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench.client import ServerProblem
    from .bench.runner import BenchError, Options, run

    api_key = "not-needed"
    if args.api_key_env:
        api_key = os.environ.get(args.api_key_env, "")
        if not api_key:
            print(f"the environment variable {args.api_key_env} is not set", file=sys.stderr)
            return 2
    options = Options(
        base_url=args.base_url, model=args.model, suite_path=Path(args.suite), root=Path(args.root).resolve(),
        api_key=api_key, concurrency=args.concurrency, repeats=args.repeats, resume=args.resume,
        timeout_s=args.timeout, deadline_s=args.deadline, retries=args.retries, hardware=args.hardware,
        catalog_id=args.catalog_id, quantization=args.quantization, example=args.example, note=args.note,
        out=Path(args.out) if args.out else None,
    )  # fmt: skip
    try:
        finished = run(options)
    except (BenchError, ServerProblem) as exc:
        print(exc, file=sys.stderr)
        return 2
    s = finished.summary
    low, high = s["accuracy_ci95"]
    print(
        f"{s['passed']}/{s['prompts']} passed ({s['accuracy']:.1%}, 95 % CI {low:.1%}–{high:.1%}), {s['errors']} errors"
    )
    if s["latency_p50_s"] is not None:
        print(f"latency p50 {s['latency_p50_s']:.2f} s, p95 {s['latency_p95_s']:.2f} s; "
              f"throughput {s['throughput_tokens_per_s'] or 0:.1f} tokens/s over {s['wall_s']:.1f} s")  # fmt: skip
    if finished.path is None:
        print(f"stopped early ({finished.stopped}): {finished.done} of {finished.total} done, kept in "
              f"{finished.journal}; run the same command with --resume to continue", file=sys.stderr)  # fmt: skip
        return 130 if finished.stopped == "interrupted" else 3
    print(f"stored {finished.path}")
    return 0


def cmd_new_model(args: argparse.Namespace) -> int:
    from .catalog.scaffold import ScaffoldError, new_model

    root = Path(args.root).resolve()
    try:
        path, notes = new_model(root, args.target, Path(args.from_hf_config) if args.from_hf_config else None)
    except ScaffoldError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"wrote {path.relative_to(root)}: fill the lines marked FILL, then run `make validate`")
    for note in notes:
        print(f"note: {note}")
    return 0


def cmd_changes(args: argparse.Namespace) -> int:
    from .catalog.diff import ChangesError
    from .render.changes import changes_since, markdown

    try:
        found = changes_since(Path(args.root).resolve(), args.base, args.head)
    except ChangesError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(markdown(found))
    return 0


def cmd_schemas(args: argparse.Namespace) -> int:
    from .catalog import schemafiles

    schemas, files = schemafiles.write(Path(args.root).resolve() / "catalog")
    print(f"catalog/schema: {schemas} schema file(s) written; first line set in {files} catalog file(s)")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .bench.harness import ImportOptions, import_lm_eval
    from .bench.runner import BenchError

    options = ImportOptions(
        results=Path(args.results), root=Path(args.root).resolve(), catalog_id=args.catalog_id,
        model_name=args.model_name, hardware=args.hardware, quantization=args.quantization, example=args.example,
        note=args.note, out=Path(args.out) if args.out else None,
    )  # fmt: skip
    try:
        path, record = import_lm_eval(options)
    except BenchError as exc:
        print(exc, file=sys.stderr)
        return 2
    tasks = {t["task"] for t in record["tasks"]}
    matched = f" (catalog model {record['model']['catalog_id']})" if record["model"]["catalog_id"] else ""
    print(f"{len(tasks)} tasks, {len(record['tasks'])} scores of {record['model']['served_name']}{matched}")
    print(f"stored {path}")
    return 0


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: Callable[[argparse.Namespace], int]
    arguments: tuple[tuple[tuple[str, ...], dict], ...] = ()


# Options every way of storing a run shares.
RUN_LABELS = (
    (("--example",), {"action": "store_true", "help": "label the run a demonstration, not a measurement"}),
    (("--note",), {"help": "a sentence stored with the run"}),
)

COMMANDS = (
    Command(
        "validate",
        "check the catalog; every problem as path:line:col: message",
        cmd_validate,
        (
            (
                ("paths",),
                {"nargs": "*", "metavar": "PATH", "help": "only report problems in these files or folders"},
            ),
        ),
    ),
    Command("build", "validate, then write generated pages and exports under docs/", cmd_build),
    Command(
        "new-model",
        "write catalog/models/<family>/<id>.yaml to fill in (the lines to fill are marked FILL)",
        cmd_new_model,
        (
            (("target",), {"metavar": "FAMILY/ID", "help": "e.g. llama/llama-3.1-8b-instruct"}),
            (("--from-hf-config",), {"metavar": "CONFIG.json", "help": "fill the architecture from a config.json"}),
        ),
    ),
    Command(
        "changes",
        "what changed in the catalog since a git revision, as Markdown (a pull request's job summary)",
        cmd_changes,
        (
            (("--base",), {"required": True, "help": "the revision to compare with, e.g. origin/main"}),
            (("--head",), {"help": "the revision to compare (default: the working tree)"}),
        ),
    ),
    Command(
        "schemas",
        "write catalog/schema/*.json for editors and point every catalog file's first line at its schema",
        cmd_schemas,
    ),
    Command(
        "bench",
        "run a prompt suite against an OpenAI-compatible server and store the run under catalog/runs/",
        cmd_bench,
        (
            (
                ("--base-url",),
                {"required": True, "help": "the server's OpenAI API root, e.g. http://localhost:8080/v1"},
            ),
            (("--model",), {"required": True, "help": "the model name the server knows"}),
            (("--suite",), {"required": True, "help": "a suite file, e.g. catalog/suites/starter.yaml"}),
            (("--api-key-env",), {"metavar": "VAR", "help": "environment variable holding the API key"}),
            (("--concurrency",), {"type": int, "default": 1, "help": "requests in flight at once (default 1)"}),
            (("--repeats",), {"type": int, "default": 1, "help": "times each prompt is asked (default 1)"}),
            (("--resume",), {"action": "store_true", "help": "continue an interrupted run from its journal"}),
            (("--timeout",), {"type": float, "default": 120.0, "help": "seconds per request (default 120)"}),
            (
                ("--deadline",),
                {"type": float, "help": "seconds for the whole run; unfinished prompts wait for --resume"},
            ),
            (("--retries",), {"type": int, "default": 3, "help": "retries on 429, 5xx and dropped connections"}),
            (("--hardware",), {"default": "not described", "help": "what the server runs on, e.g. 'RTX 4090 24GB'"}),
            (("--catalog-id",), {"help": "the catalog model id this is (names the run's folder)"}),
            (("--quantization",), {"help": "the weights' format, e.g. Q4_K_M (Ollama reports its own)"}),
            *RUN_LABELS,
            (("--out",), {"help": "where to write the run file (default catalog/runs/<model>/<date>-<suite>.yaml)"}),
        ),
    ),
    Command(
        "import",
        "turn an lm-evaluation-harness results file into a stored run under catalog/runs/",
        cmd_import,
        (
            (("format",), {"choices": ["lm-eval"], "help": "the results' format"}),
            (("results",), {"metavar": "RESULTS.json", "help": "the harness's results_<date>.json"}),
            (("--catalog-id",), {"help": "the catalog model it is (default: the model whose hf_repo it names)"}),
            (("--model-name",), {"help": "the model's name, when the results file does not give one"}),
            (("--hardware",), {"default": "not described", "help": "what it ran on, e.g. 'A100 80GB'"}),
            (("--quantization",), {"help": "the weights' format, when not full precision"}),
            *RUN_LABELS,
            (("--out",), {"help": "where to write the run file (default catalog/runs/<model>/<date>-lm-eval.yaml)"}),
        ),
    ),
    Command(
        "site",
        "build, then MkDocs --strict into a temporary folder swapped in at the end",
        cmd_site,
        ((("--site-dir",), {"help": "output folder (default: site/)"}),),
    ),
    Command(
        "pdf",
        "print a built site's print page to one PDF with headless Chromium (nothing fetched from the network)",
        cmd_pdf,
        (
            (("--site-dir",), {"help": "the built site (default: site/)"}),
            (("--out",), {"help": "where to write it (default: site/atlas.pdf)"}),
        ),
    ),
    Command(
        "offline",
        "zip a built site into an archive that works opened from a folder (file://)",
        cmd_offline,
        (
            (("--site-dir",), {"help": "the built site (default: site/)"}),
            (("--out",), {"help": "where to write it (default: dist/atlas-offline.zip)"}),
        ),
    ),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("--root", default=str(routes.ROOT), help="project folder holding catalog/ and docs/")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help)
        for flags, options in command.arguments:
            p.add_argument(*flags, **options)
        p.set_defaults(run=command.run)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
