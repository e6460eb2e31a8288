"""The JSON Schema files editors use while a contributor types, and the line that points each file at its own.

catalog/schema/<kind>.json is written by `python -m generator schemas` from the one schema (`file_schemas`;
the site publishes the same under api/schema/), and every catalog file starts with `# yaml-language-server: $schema=<relative path>`
so that editors with the YAML language server autocomplete keys and flag mistakes. In a catalog that has a
schema/ folder, `validate` checks both: each file's first line, and that the schema files are current.
"""

from __future__ import annotations

import functools
import json
import operator
import os
from pathlib import Path

from pydantic import TypeAdapter

from .authored import catalog_files, display_path
from .parse import Problem
from .schema import FILE_KINDS, FILE_VARIANTS, Glossary

FOLDER = "schema"
PREFIX = "# yaml-language-server: $schema="


def dump_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


SINGULAR = {
    "licences": "licence",
    "families": "family",
    "models": "model",
    "hardware": "hardware",
    "prices": "price",
    "runtimes": "runtime",
    "suites": "suite",
    "runs": "run",
    "watch": "watch-report",
    "glossary": "glossary",
}


@functools.cache  # pure in the schema classes; the build publishes them and the check compares them
def file_schemas() -> dict[str, dict]:
    """JSON Schema of each catalog file kind, by its singular name (model, licence, …, glossary).
    A kind whose files come in variants (schema.FILE_VARIANTS) accepts any of them."""
    schemas = {SINGULAR[kind]: cls.model_json_schema() for kind, cls in FILE_KINDS.items()}
    schemas["glossary"] = Glossary.model_json_schema()
    for kind, (_, _, variants) in FILE_VARIANTS.items():
        either = functools.reduce(operator.or_, variants.values())  # Run | HarnessRun
        schemas[SINGULAR[kind]] = TypeAdapter(either).json_schema()
    return schemas


def line_for(file: Path, kind: str, catalog_root: Path) -> str:
    """The first line `file` (of `kind`, e.g. "models" or "glossary") must carry."""
    target = catalog_root / FOLDER / f"{SINGULAR[kind]}.json"
    return PREFIX + Path(os.path.relpath(target, file.parent)).as_posix()


def line_problems(catalog_root: Path, display_base: Path) -> list[Problem]:
    """Files whose first line is not the one pointing at their schema (only where catalog/schema/ exists)."""
    if not (catalog_root / FOLDER).is_dir():
        return []
    problems = []
    for kind, file in catalog_files(catalog_root):
        expected = line_for(file, kind, catalog_root)
        with file.open(encoding="utf-8", errors="replace") as f:
            first = f.readline().rstrip("\r\n")
        if first != expected:
            problems.append(Problem(
                display_path(file, display_base), 1, 1,
                f"the first line must be '{expected}' (editors check the file with it while you type); "
                "`python -m generator schemas` adds it",
            ))  # fmt: skip
    return problems


def expected_files() -> dict[str, str]:
    return {f"{name}.json": dump_json(schema) for name, schema in file_schemas().items()}


def stale(catalog_root: Path, display_base: Path) -> list[Problem]:
    """Schema files that differ from what generator/schema.py gives (only where catalog/schema/ exists)."""
    folder = catalog_root / FOLDER
    if not folder.is_dir():
        return []
    problems = []
    for name, text in expected_files().items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            shown = display_path(path, display_base)
            problems.append(
                Problem(shown, 1, 1, "out of date with generator/schema.py: run `python -m generator schemas`")
            )
    return problems


def write(catalog_root: Path) -> tuple[int, int]:
    """Write the schema files, and put the right first line on every catalog file; (schemas, files) changed."""
    folder = catalog_root / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    schemas = 0
    for name, text in expected_files().items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            schemas += 1
    files = 0
    for kind, file in catalog_files(catalog_root):
        text = file.read_text(encoding="utf-8")
        line = line_for(file, kind, catalog_root)
        head, _, rest = text.partition("\n")
        if head == line:
            continue
        body = rest if head.startswith(PREFIX) else text
        file.write_text(f"{line}\n{body}", encoding="utf-8")
        files += 1
    return schemas, files
