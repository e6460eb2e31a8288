"""What a build needs installed, checked before it starts: one line per missing piece and the command that
installs it, instead of a traceback from deep inside the build (a half set-up checkout). NEEDS is the table;
each entry is found without importing or running anything heavy, so the CLI and the MkDocs hook call
`missing` before touching docs/ or site/. Standard library only (and chromium.py, likewise).
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

from . import chromium, routes

# The stages: the catalog to docs/ (`python -m generator build`); the engine's side (theme, plugins, the
# vendored browser assets, the hook's CSP); printing the built site.
GENERATE, MKDOCS, PDF = "generate", "mkdocs", "pdf"

# What each command needs (the hook: MKDOCS alone when ATLAS_PREGENERATED=1, else both).
BUILD = frozenset({GENERATE})
SITE = frozenset({GENERATE, MKDOCS})
PRINT = frozenset({PDF})

VENV_STAMP = Path(".venv") / ".installed"  # the Makefile's stamps: while one exists, `make setup` skips its step
VENDOR_STAMP = routes.VENDOR / ".installed"


class MissingPrerequisite(Exception):
    """Something the build needs is not installed; `lines` says what, one line each, and how to install it."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True)
class Need:
    kind: str  # "python" (targets: its module), "npm" or "vendored" (targets: files under the root), "chromium"
    name: str  # the Python distribution or the npm package it comes from
    targets: tuple[str, ...]
    stages: frozenset[str]


def _python(distribution: str, module: str, *stages: str) -> Need:
    return Need("python", distribution, (module,), frozenset(stages))


def _files(kind: str, package: str, paths: tuple[str, ...], *stages: str) -> Need:
    return Need(kind, package, paths, frozenset(stages))


MERMAID = ("node_modules/mermaid/dist/mermaid.min.js", "node_modules/mermaid/package.json")
SHIM = (f"{routes.VENDOR}/iframe-worker/shim.js",)
TABLESORT = (f"{routes.VENDOR}/tablesort/tablesort.min.js", f"{routes.VENDOR}/tablesort/tablesort.number.min.js")

NEEDS = (
    _python("jinja2", "jinja2", GENERATE, MKDOCS),
    _python("markupsafe", "markupsafe", GENERATE, MKDOCS),
    _python("pyyaml", "yaml", GENERATE, MKDOCS),
    _python("ruamel.yaml", "ruamel.yaml", GENERATE, MKDOCS),  # the macros read the catalog too
    _python("pydantic", "pydantic", GENERATE, MKDOCS),
    _python("jsonschema", "jsonschema", GENERATE),  # the runs' comparison pages describe the suites' checks
    _python("plotly", "plotly", GENERATE),
    _python("kaleido", "kaleido", GENERATE),
    _python("playwright", "playwright", GENERATE, PDF),
    _python("mkdocs", "mkdocs", MKDOCS),
    _python("mkdocs-material", "material", MKDOCS),
    _python("mkdocs-macros-plugin", "mkdocs_macros", MKDOCS),
    _python("mkdocs-print-site-plugin", "mkdocs_print_site_plugin", MKDOCS),
    # The decision trees are drawn with Mermaid in Chromium; its version is part of their cache key.
    _files("npm", "mermaid", MERMAID, GENERATE),
    # Copied from node_modules by the Makefile's $(VENDOR)/.installed rule; the theme serves them, csp.py hashes the shim.
    _files("vendored", "iframe-worker", SHIM, MKDOCS),
    _files("vendored", "tablesort", TABLESORT, MKDOCS),
    Need("chromium", "chromium", (), frozenset({GENERATE, PDF})),  # charts (Kaleido), trees, the PDF
)


def _found(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:  # "ruamel.yaml" when "ruamel" itself is missing
        return False


def _setup(root: Path, stamp: Path) -> str:
    """The command that installs what a step of `make setup` provides: with the step's stamp in place, make
    would skip it, so the stamp goes first."""
    return f"`rm {stamp} && make setup`" if (root / stamp).exists() else "`make setup`"


def chromium_line() -> str:
    return (
        f"missing prerequisite: Chromium ({chromium.executable()}, the distribution's package chromium): "
        "run `make setup`"
    )


def _problem(need: Need, root: Path) -> str | None:
    """The line for `need` if it is missing, else None."""
    if need.kind == "python":
        (module,) = need.targets
        if _found(module):
            return None
        what = f"missing prerequisite: the Python package {need.name} (import {module})"
        if Path(sys.prefix).resolve() != (root / ".venv").resolve():  # not the project's virtualenv
            return f"{what} for {sys.executable}: run `make setup` and use .venv/bin/python"
        return f"{what}: run {_setup(root, VENV_STAMP)}"
    if need.kind == "chromium":
        return None if chromium.installed() else chromium_line()
    absent = [path for path in need.targets if not (root / path).is_file()]
    if not absent:
        return None
    if need.kind == "npm":
        return f"missing prerequisite: the npm package {need.name} ({absent[0]}): run {_setup(root, VENDOR_STAMP)}"
    return (
        f"missing prerequisite: the vendored asset {absent[0]} (from the npm package {need.name}): "
        f"run {_setup(root, VENDOR_STAMP)}"
    )


def missing(root: Path, stages: frozenset[str] = SITE) -> list[str]:
    """One line per thing the given stages need that is not installed for the project at `root` (the
    checkout holding node_modules/, overrides/ and .venv/), in NEEDS' order; empty when all is there."""
    return [line for need in NEEDS if need.stages & stages and (line := _problem(need, root)) is not None]


def stop_if_missing(root: Path, stages: frozenset[str], outcome: str) -> bool:
    """For a command: whether anything `stages` need is missing; if so, its lines on stderr, then `outcome`
    (what was left as it was)."""
    lines = missing(root, stages)
    for line in [*lines, outcome] if lines else []:
        print(line, file=sys.stderr)
    return bool(lines)
