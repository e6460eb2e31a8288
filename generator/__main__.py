"""Command line: `python -m generator <command>`. Commands are declared as data in COMMANDS; each imports
what it needs when it runs, so `--help` and `clean` work before the virtualenv is set up."""

from __future__ import annotations

import argparse
import contextlib
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
    if missing := [p for p in args.paths if not Path(p).exists()]:
        print(f"{missing[0]}: no such file or folder", file=sys.stderr)
        return 2
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


def known(root: Path, kind: str, wanted: str, what: str) -> str | None:
    """None when catalog/<kind> has a file for `wanted`; else a one-line refusal naming the closest known ids."""
    import difflib

    pattern = "*/*.yaml" if kind == "models" else "*.yaml"
    ids = sorted(p.stem for p in (root / routes.CATALOG / kind).glob(pattern))
    if wanted in ids:
        return None
    close = difflib.get_close_matches(wanted, ids, n=5, cutoff=0.4)
    hint = (
        f"; did you mean {', '.join(close)}?"
        if close
        else f"; known: {', '.join(ids[:12])}{' …' if len(ids) > 12 else ''}"
    )
    return f"unknown {what} '{wanted}' (no catalog/{kind} file){hint}"


def refused(args: argparse.Namespace, files: dict[str, str | None]) -> str | None:
    """The first problem with the arguments that name files, models or machines, as one line; None when none."""
    root = Path(args.root).resolve()
    for flag, value in files.items():
        if value is not None and not Path(value).is_file():
            return f"{flag} {value}: no such file"
    checks = (
        ("--catalog-id", "catalog_id", "models", "catalog model"),
        ("--hardware", "hardware", "hardware", "machine"),
    )
    for flag, attribute, kind, what in checks:
        wanted = getattr(args, attribute, None)
        if wanted and (problem := known(root, kind, wanted, what)):
            return f"{flag}: {problem}"
    return None


def api_key(args: argparse.Namespace) -> str | None:
    if not args.api_key_env:
        return "not-needed"
    key = os.environ.get(args.api_key_env, "")
    if not key:
        print(f"the environment variable {args.api_key_env} is not set", file=sys.stderr)
        return None
    return key


def engine_flags(pairs: list[str]) -> dict | str:
    """--engine-flag key=value pairs as a dict (numbers and true/false read as such), or the bad pair."""
    flags: dict = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            return pair
        flags[key] = {"true": True, "false": False}.get(value.lower(), value)
        for number in (int, float):
            if isinstance(flags[key], str):
                with contextlib.suppress(ValueError):
                    flags[key] = number(value)
    return flags


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench.client import ServerProblem
    from .bench.runner import BenchError, Options, run

    if not args.speed and not args.suite:
        print("give --suite FILE (a prompt suite), or --speed for a speed run", file=sys.stderr)
        return 2
    if problem := refused(args, {"--suite": args.suite, "--weights": args.weights}):
        print(problem, file=sys.stderr)
        return 2
    key = api_key(args)
    if key is None:
        return 2
    root = Path(args.root).resolve()
    if args.speed:
        return speed_run(args, root, key)
    options = Options(
        base_url=args.base_url, model=args.model, suite_path=Path(args.suite), root=root,
        api_key=key, concurrency=args.concurrency, repeats=args.repeats, resume=args.resume,
        timeout_s=args.timeout, deadline_s=args.deadline, retries=args.retries,
        hardware=machine_name(root, args.hardware), hardware_id=args.hardware, catalog_id=args.catalog_id, quantization=args.quantization, example=args.example, note=args.note,
        out=Path(args.out) if args.out else None, weights=Path(args.weights) if args.weights else None,
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


def _numbers(text: str, flag: str) -> tuple[int, ...] | str:
    try:
        values = tuple(int(v) for v in text.split(","))
    except ValueError:
        return f"{flag} {text}: give whole numbers separated by commas, e.g. 1,4,16"
    return values if values and all(v >= 1 for v in values) else f"{flag} {text}: each value must be at least 1"


def speed_run(args: argparse.Namespace, root: Path, key: str) -> int:
    from .bench.client import ServerProblem
    from .bench.runner import BenchError
    from .bench.speed import SpeedOptions, measure

    lengths, streams = (
        _numbers(args.prompt_tokens, "--prompt-tokens"),
        _numbers(args.concurrency_levels, "--concurrency-levels"),
    )
    flags = engine_flags(args.engine_flag or [])
    for problem in (lengths, streams):
        if isinstance(problem, str):
            print(problem, file=sys.stderr)
            return 2
    if isinstance(flags, str):
        print(f"--engine-flag {flags}: give KEY=VALUE, e.g. n_ctx=4096", file=sys.stderr)
        return 2
    assert not isinstance(lengths, str) and not isinstance(streams, str)
    options = SpeedOptions(
        base_url=args.base_url, model=args.model, root=root, api_key=key, prompt_tokens=lengths,
        concurrency=streams, output_tokens=args.output_tokens, retries=args.retries, catalog_id=args.catalog_id,
        quantization=args.quantization, hardware=args.hardware, weights=Path(args.weights) if args.weights else None,
        engine=args.engine, engine_version=args.engine_version, engine_flags=flags, example=args.example,
        note=args.note, out=Path(args.out) if args.out else None,
    )  # fmt: skip
    try:
        path, record = measure(options)
    except (BenchError, ServerProblem) as exc:
        print(exc, file=sys.stderr)
        return 2
    for pt in record["points"]:
        print(f"{pt['prompt_tokens']:>6} prompt tokens x{pt['concurrency']:<3} ttft {pt['ttft_s']} s, "
              f"prefill {pt['prefill_tokens_per_s']} tok/s, decode {pt['decode_tokens_per_s']} tok/s per request, "
              f"{pt['throughput_tokens_per_s']} tok/s in all")  # fmt: skip
    print(f"stored {path}")
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


def cmd_watch(args: argparse.Namespace) -> int:
    import datetime as dt
    import json

    from .catalog.load import load_catalog
    from .watch import draft, releases
    from .watch.hub import Hub

    root = Path(args.root).resolve()
    catalog_root = root / routes.CATALOG
    catalog, problems = load_catalog(catalog_root, root)
    if problems:
        report(problems)
        print("the watch needs a valid catalog: fix the problems above first", file=sys.stderr)
        return 1
    watched = {k: f for k, f in catalog.families.items() if f.watch}
    for family_id in args.family or []:
        if family_id not in watched:
            print(f"--family {family_id}: not a family with a `watch:` list ({', '.join(watched)})", file=sys.stderr)
            return 2
    hub = Hub(endpoint=args.endpoint)
    summaries = Path(args.summary) if args.summary else None
    with_drafts = []
    for family_id in args.family or watched:
        found = releases.watch_family(hub, catalog, family_id, watched[family_id], dt.date.today())
        path = catalog_root / "watch" / f"{family_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(releases.report_text(found, catalog_root), encoding="utf-8")
        drafted = []
        for release in found.releases if args.draft else []:
            written, said = draft.write(release, catalog, catalog_root, family_id)
            drafted += [said] if written else []
            print(f"{family_id}: {said}")
        r = found.report
        print(f"{family_id}: {len(r.releases)} new, {sum(r.skipped.values())} passed over, "
              f"{len(r.not_checked)} not checked -> {path.relative_to(root)}")  # fmt: skip
        for n in r.not_checked:
            print(f"{family_id}: not checked: {n.what}: {n.reason}")
        if summaries is not None:
            summaries.mkdir(parents=True, exist_ok=True)
            (summaries / f"{family_id}.md").write_text(releases.summary(found, drafted), encoding="utf-8")
        with_drafts += [family_id] if drafted else []
    if summaries is not None:
        (summaries / "drafted.json").write_text(json.dumps(with_drafts) + "\n", encoding="utf-8")
    return 0


def machine_name(root: Path, hardware: str | None) -> str:
    """The catalog machine's name, for a run's free-text `hardware`; "not described" without one."""
    if hardware is None:
        return "not described"
    import yaml

    data = yaml.safe_load((root / routes.CATALOG / "hardware" / f"{hardware}.yaml").read_text(encoding="utf-8"))
    return str(data.get("name") or hardware) if isinstance(data, dict) else hardware


def cmd_import(args: argparse.Namespace) -> int:
    from .bench.runner import BenchError

    if problem := refused(args, {args.format: args.results}):
        print(problem, file=sys.stderr)
        return 2
    root = Path(args.root).resolve()
    out = Path(args.out) if args.out else None
    try:
        if args.format == "llama-bench":
            from .bench.speed import LlamaBenchOptions, import_llama_bench

            path, record = import_llama_bench(LlamaBenchOptions(
                results=Path(args.results), root=root, catalog_id=args.catalog_id, hardware=args.hardware,
                example=args.example, note=args.note, out=out))  # fmt: skip
            print(f"{len(record['points'])} llama-bench tests of {record['model']['served_name']}")
            print(f"stored {path}")
            return 0
        from .bench.harness import ImportOptions, import_lm_eval

        options = ImportOptions(
            results=Path(args.results), root=root, catalog_id=args.catalog_id, model_name=args.model_name,
            hardware=machine_name(root, args.hardware), quantization=args.quantization, example=args.example,
            note=args.note, out=out,
        )  # fmt: skip
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
            (("--suite",), {"help": "a suite file, e.g. catalog/suites/starter.yaml"}),
            (("--speed",), {"action": "store_true", "help": "measure prefill, decode and time to first token instead"}),
            (
                ("--prompt-tokens",),
                {"default": "128,512,1024", "help": "--speed: prompt lengths (default 128,512,1024)"},
            ),
            (("--concurrency-levels",), {"default": "1,4,16", "help": "--speed: requests at once (default 1,4,16)"}),
            (("--output-tokens",), {"type": int, "default": 64, "help": "--speed: tokens to generate (default 64)"}),
            (
                ("--engine",),
                {"help": "--speed: the engine's name, when the server does not say (e.g. llama-cpp-python)"},
            ),
            (("--engine-version",), {"help": "--speed: the engine's version, when the server does not say"}),
            (
                ("--engine-flag",),
                {
                    "action": "append",
                    "metavar": "KEY=VALUE",
                    "help": "--speed: a setting the server runs with (n_ctx=4096, n_threads=2, type_k=f16 …); repeat",
                },
            ),
            (("--weights",), {"metavar": "FILE", "help": "the weights file the server loaded: its SHA-256 is stored"}),
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
            (
                ("--hardware",),
                {"metavar": "ID", "help": "the catalog/hardware machine the server runs on, e.g. rtx-4090"},
            ),
            (("--catalog-id",), {"help": "the catalog model id this is (names the run's folder)"}),
            (("--quantization",), {"help": "the weights' format, e.g. Q4_K_M (Ollama reports its own)"}),
            *RUN_LABELS,
            (("--out",), {"help": "where to write the run file (default catalog/runs/<model>/<date>-<suite>.yaml)"}),
        ),
    ),
    Command(
        "import",
        "turn lm-evaluation-harness results or llama-bench output into a stored run under catalog/runs/",
        cmd_import,
        (
            (("format",), {"choices": ["lm-eval", "llama-bench"], "help": "the results' format"}),
            (
                ("results",),
                {"metavar": "RESULTS.json", "help": "lm-eval's results_<date>.json, or llama-bench -o json output"},
            ),
            (("--catalog-id",), {"help": "the catalog model it is (default: the model whose hf_repo it names)"}),
            (("--model-name",), {"help": "the model's name, when the results file does not give one"}),
            (("--hardware",), {"metavar": "ID", "help": "the catalog/hardware machine it ran on, e.g. a100-80gb"}),
            (("--quantization",), {"help": "the weights' format, when not full precision"}),
            *RUN_LABELS,
            (("--out",), {"help": "where to write the run file (default catalog/runs/<model>/<date>-lm-eval.yaml)"}),
        ),
    ),
    Command(
        "watch",
        "list what publishers released on the Hugging Face Hub that the catalog lacks (catalog/watch/<family>.yaml)",
        cmd_watch,
        (
            (("--family",), {"action": "append", "metavar": "ID", "help": "only this family (repeat); default all"}),
            (("--draft",), {"action": "store_true", "help": "also write a model file to finish for each new release"}),
            (
                ("--summary",),
                {"metavar": "DIR", "help": "write <family>.md (a pull request's text) and drafted.json there"},
            ),
            (
                ("--endpoint",),
                {"help": "the Hub's address (default: HF_ENDPOINT or https://huggingface.co); HF_TOKEN is read too"},
            ),
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
