"""Command line: `python -m generator <command>`. Commands are declared as data in COMMANDS."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .build import ROOT, CatalogInvalid, SiteBuildFailed, build_site, generate, load_catalog
from .load import Problem


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
    root = Path(args.root).resolve()
    catalog, problems = load_catalog(root / "catalog", root)
    if args.paths:
        wanted = {os.path.relpath(Path(p).resolve(), root) for p in args.paths}
        problems = [p for p in problems if any(p.path == w or p.path.startswith(w + os.sep) for w in wanted)]
    if problems:
        report(problems)
        return 1
    print(
        f"catalog OK: {len(catalog.models)} models, {len(catalog.families)} families, "
        f"{len(catalog.licences)} licences, {len(catalog.hardware)} machines, {len(catalog.prices)} prices, {len(catalog.runtimes)} runtimes"
    )
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    try:
        written = generate(Path(args.root).resolve())
    except CatalogInvalid as exc:
        report(exc.problems)
        print("nothing was written: docs/ and site/ are as they were", file=sys.stderr)
        return 1
    print(f"generated: {written.changed} written, {written.unchanged} unchanged, {written.removed} removed")
    return 0


def cmd_site(args: argparse.Namespace) -> int:
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
    print(f"built {args.site_dir or root / 'site'}")
    return 0


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: Callable[[argparse.Namespace], int]
    arguments: tuple[tuple[tuple[str, ...], dict], ...] = ()


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
        "site",
        "build, then MkDocs --strict into a temporary folder swapped in at the end",
        cmd_site,
        ((("--site-dir",), {"help": "output folder (default: site/)"}),),
    ),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("--root", default=str(ROOT), help="project folder holding catalog/ and docs/")
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
