"""Authored records: every catalog file read, checked against its schema, kept with its positions.

`read_authored` walks catalog/, parses each file (load.py) and validates it (schema.py), turning
pydantic's errors into one plain sentence per problem. It never stops at the first problem.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .fields import ID_PATTERN
from .parse import Document, ParseError, Problem, parse_file
from .schema import FILE_KINDS, FILE_VARIANTS, Family, Glossary, Hardware, Licence, Model, Price, Runtime, WatchReport
from .schema_runs import HarnessRun, Run, SpeedRun, Suite

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Record(Generic[M]):
    """One authored file: its id, its validated content and the parsed document (for positions)."""

    id: str
    kind: str
    data: M
    doc: Document
    family_id: str | None = None  # models only: the folder they sit in


@dataclass
class Authored:
    """Everything read from catalog/, before family defaults are merged."""

    licences: dict[str, Record[Licence]] = field(default_factory=dict)
    families: dict[str, Record[Family]] = field(default_factory=dict)
    models: dict[str, Record[Model]] = field(default_factory=dict)
    hardware: dict[str, Record[Hardware]] = field(default_factory=dict)
    prices: dict[str, Record[Price]] = field(default_factory=dict)
    runtimes: dict[str, Record[Runtime]] = field(default_factory=dict)
    suites: dict[str, Record[Suite]] = field(default_factory=dict)
    runs: dict[str, Record[Run | HarnessRun | SpeedRun]] = field(
        default_factory=dict
    )  # keyed "<model folder>/<file stem>"
    watch: dict[str, Record[WatchReport]] = field(default_factory=dict)  # keyed by family id
    glossary: Record[Glossary] | None = None  # catalog/glossary.yaml, a single file
    problems: list[Problem] = field(default_factory=list)
    rejected: set[tuple[str, str]] = field(default_factory=set)  # (kind, id) of files that failed to read

    def exists(self, kind: str, record_id: str) -> bool:
        """True when a file for the id exists, even if it was rejected (its own errors say why)."""
        return record_id in getattr(self, kind) or (kind, record_id) in self.rejected


_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "date_type": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
}


def _type_name(value: object) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a mapping",
        type(None): "null",
        dt.date: "a date",
    }.get(type(value), type(value).__name__)


def _as_written(value: object) -> str:
    """A read value as the contributor wrote it in YAML (a date as 2024-07-23, not Python's repr)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if isinstance(value, dt.date) else repr(value)


def _field_names(schema: type[BaseModel], loc: tuple) -> list[str]:
    """Known keys at `loc` inside `schema`, for 'did you mean' hints."""
    cls: object = schema
    for part in loc:
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)) or not isinstance(part, str):
            return []
        info = cls.model_fields.get(part)
        if info is None:
            return []
        cls = _model_in(info.annotation)
    return list(cls.model_fields) if isinstance(cls, type) and issubclass(cls, BaseModel) else []


def _model_in(annotation: object) -> object:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def describe(error: ErrorDetails, schema: type[BaseModel]) -> tuple[tuple, str, bool]:
    """A pydantic error as (location, sentence, points-at-key)."""
    loc = tuple(p for p in error["loc"] if p != "[key]")
    where = ".".join(str(p) for p in loc) or "file"
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        known = _field_names(schema, loc[:-1])
        hint = difflib.get_close_matches(str(loc[-1]), known, n=1)
        suggestion = f" (did you mean '{hint[0]}'?)" if hint else f"; allowed: {', '.join(known)}" if known else ""
        return loc, f"unknown key '{loc[-1]}'{suggestion}", True
    if kind == "missing":
        return loc, f"missing required key '{loc[-1]}'", True
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        return loc, f"{where}: {value!r} is not allowed; use one of {expected}", "[key]" in error["loc"]
    if kind in _TYPE_WORDS and value is None:
        return loc, f"{where}: has no value yet; expected {_TYPE_WORDS[kind]}", False
    if kind in _TYPE_WORDS:
        scalar = isinstance(value, (bool, int, float, dt.date))
        quote = ": quote it if it is text" if kind == "string_type" and scalar else ""
        return loc, f"{where}: expected {_TYPE_WORDS[kind]}, got {_type_name(value)} {_as_written(value)}{quote}", False
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        if pattern.startswith("^https://"):
            return loc, f"{where}: {value!r} is not an https: URL", False
        return loc, f"{where}: {value!r} does not have the required form ({pattern})", False
    message = error["msg"][0].lower() + error["msg"][1:]
    return loc, f"{where}: {message}", False


def validate(doc: Document, schema: type[M]) -> tuple[M | None, list[Problem]]:
    """Check one parsed document against its schema; every problem, located."""
    if not isinstance(doc.data, dict):
        return None, [doc.problem((), "the file must be a mapping of keys to values")]
    try:
        return schema.model_validate(doc.data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc, message, at_key = describe(error, schema)
            problems.append(doc.problem(loc, message, key=at_key))
        return None, problems


def variant(kind: str, doc: Document) -> tuple[type[BaseModel] | None, list[Problem]]:
    """The schema a file of `kind` is checked against: the kind's own, or the variant its tag key names."""
    if kind not in FILE_VARIANTS:
        return FILE_KINDS[kind], []
    key, default, schemas = FILE_VARIANTS[kind]
    tag = doc.data.get(key, default) if isinstance(doc.data, dict) else default
    if not isinstance(tag, str) or tag not in schemas:
        return None, [doc.problem((key,), f"{key}: {tag!r} is not allowed; use one of {', '.join(map(repr, schemas))}")]
    return schemas[tag], []


def _files(root: Path, kind: str) -> list[Path]:
    folder = root / kind
    if not folder.is_dir():
        return []
    pattern = "*/*" if kind in ("models", "runs") else "*"
    return sorted(p for p in folder.glob(pattern) if p.is_file())


def catalog_files(root: Path) -> list[tuple[str, Path]]:
    """Every catalog file as (kind, path): the kinds' folders, then glossary.yaml."""
    found = [(kind, file) for kind in FILE_KINDS for file in _files(root, kind) if file.suffix == ".yaml"]
    glossary = root / "glossary.yaml"
    return found + ([("glossary", glossary)] if glossary.is_file() else [])


def read_authored(root: Path, display_root: Path | None = None, parse_cache: Path | None = None) -> Authored:
    """Parse and validate every file under catalog/ `root`. Problems are collected, not raised. With
    `parse_cache`, files parsed before with the same bytes are read back from there (load.parse_file)."""
    authored = Authored()
    base = display_root if display_root is not None else root.parent
    for kind in FILE_KINDS:
        for file in _files(root, kind):
            shown = display_path(file, base)
            if file.suffix != ".yaml":
                authored.problems.append(Problem(shown, 1, 1, "catalog files must end in .yaml"))
                continue
            record_id = file.stem
            if not re.match(ID_PATTERN, record_id):
                authored.problems.append(
                    Problem(
                        shown,
                        1,
                        1,
                        f"file name '{record_id}' must use lowercase letters, digits, '.' and '-'",
                    )
                )
                continue
            try:
                doc = parse_file(file, shown, parse_cache)
            except ParseError as exc:
                authored.problems.append(exc.problem)
                authored.rejected.add((kind, record_id))
                continue
            schema, problems = variant(kind, doc)
            data, more = validate(doc, schema) if schema is not None else (None, [])
            authored.problems.extend(problems + more)
            if data is None:
                authored.rejected.add((kind, record_id))
                continue
            family_id = file.parent.name if kind in ("models", "runs") else None  # runs: the model folder
            if kind == "runs":
                record_id = f"{family_id}/{record_id}"
            record = Record(record_id, kind, data, doc, family_id)
            target = getattr(authored, kind)
            if record_id in target:
                other = target[record_id].doc.path
                authored.problems.append(Problem(shown, 1, 1, f"id '{record_id}' is already used by {other}"))
                continue
            target[record_id] = record
    glossary = root / "glossary.yaml"
    if glossary.is_file():
        try:
            doc = parse_file(glossary, display_path(glossary, base), parse_cache)
            data, problems = validate(doc, Glossary)
            authored.problems.extend(problems)
            if data is not None:
                authored.glossary = Record("glossary", "glossary", data, doc)
        except ParseError as exc:
            authored.problems.append(exc.problem)
    if root.is_dir():
        for stray in sorted(root.glob("models/*")):
            if stray.is_file():
                authored.problems.append(
                    Problem(display_path(stray, base), 1, 1, "model files belong in models/<family>/<id>.yaml")
                )
    return authored


def display_path(file: Path, base: Path) -> str:
    try:
        return str(file.relative_to(base))
    except ValueError:
        return str(file)
