"""The catalog stage as one call: `load_catalog` parses every file (parse.py), validates it against the
schema (authored.py), merges family defaults (resolve.py), runs the cross-file checks (checks.py) and
checks the editor schema files (schemafiles.py). It returns the resolved catalog and every problem found,
sorted by file and line; `CatalogInvalid` carries them when a caller cannot go on.
"""

from __future__ import annotations

from pathlib import Path

from . import schemafiles
from .authored import read_authored
from .checks import run_checks
from .parse import Problem
from .resolve import Catalog, resolve


class CatalogInvalid(Exception):
    """The catalog has problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the catalog")
        self.problems = problems


def load_catalog(
    catalog_dir: Path, display_root: Path | None = None, parse_cache: Path | None = None
) -> tuple[Catalog, list[Problem]]:
    """Read, validate, resolve and check; every problem found, sorted by file and line."""
    authored = read_authored(catalog_dir, display_root, parse_cache)
    catalog = resolve(authored)
    base = display_root if display_root is not None else catalog_dir.parent
    problems = authored.problems + run_checks(authored, catalog)
    problems += schemafiles.line_problems(catalog_dir, base) + schemafiles.stale(catalog_dir, base)
    return catalog, sorted(set(problems))
