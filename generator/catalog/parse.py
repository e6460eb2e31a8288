"""Read catalog YAML into plain Python data, remembering where every key and value stood.

The reader is deliberately narrow: one document per file, UTF-8, at most 1 MB, no anchors,
aliases or tags, no duplicate keys, bounded nesting. Plain scalars follow the YAML 1.2 core
schema, except that forms whose meaning changed between YAML 1.1 and 1.2 (`no`, `on`, `010`,
`1:20`) are refused rather than guessed. Problems are collected, never raised as tracebacks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from ruamel.yaml import YAML
from ruamel.yaml import events as ev
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..cachefile import store

MAX_BYTES = 1_000_000
MAX_DEPTH = 20

Loc = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the catalog, located for a contributor (1-based line and column)."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


@dataclass
class Document:
    """A parsed file: its data plus the position of every key and value in it."""

    path: str
    data: object
    key_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    value_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def where(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Position of `loc`, or of its nearest enclosing value when it has none (a missing key)."""
        marks = self.key_marks if key else self.value_marks
        for n in range(len(loc), -1, -1):
            if loc[:n] in marks:
                return marks[loc[:n]]
            if loc[:n] in self.value_marks:
                return self.value_marks[loc[:n]]
        return (1, 1)

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        line, col = self.where(loc, key=key)
        return Problem(self.path, line, col, message)


class ParseError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


# YAML 1.2 core schema, plus the 1.1 forms we refuse.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_BOOL_11 = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_INT_OTHER = re.compile(r"^(?:0o[0-7]+|0x[0-9a-fA-F]+)$")
_LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_TIMESTAMP = re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ]|\s+)[0-9]")


def plain_scalar(text: str) -> object:
    """Resolve an unquoted scalar. Raises ValueError with a contributor-facing sentence."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _BOOL_11.match(text):
        raise ValueError(
            f"'{text}' is ambiguous (YAML 1.1 read it as a boolean): "
            "write true or false, or quote it if you mean the text"
        )
    if _LEADING_ZERO.match(text):
        raise ValueError(
            f"'{text}' has a leading zero (YAML 1.1 read it as octal): drop the zero, or quote it if it is text"
        )
    if _INT.match(text):
        return int(text)
    if _INT_OTHER.match(text):
        return int(text, 0)
    if _FLOAT.match(text):
        return float(text)
    if _SEXAGESIMAL.match(text):
        raise ValueError(f"'{text}' looks like a base-60 number to YAML 1.1: quote it")
    if _DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"'{text}' is not a real calendar date") from None
    if _TIMESTAMP.match(text):
        raise ValueError(f"'{text}' is a timestamp: write a date (YYYY-MM-DD), or quote it if it is text")
    return text


def _position(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def parse_text(path: str, text: str) -> Document:
    """Build plain data from YAML text. Raises ParseError at the first structural problem."""
    doc = Document(path, None)
    parser = YAML(typ="safe", pure=True)
    # Stack entries: [container, loc, pending_key_or_None, key_loc_mark]
    stack: list[list] = []
    documents = 0

    def fail(mark, message: str) -> NoReturn:
        line, col = _position(mark) if mark is not None else (1, 1)
        raise ParseError(Problem(path, line, col, message))

    def put(value: object, event) -> None:
        if not stack:
            doc.data = value
            doc.value_marks[()] = _position(event.start_mark)
            return
        top = stack[-1]
        container, loc = top[0], top[1]
        if isinstance(container, list):
            item_loc = (*loc, len(container))
            container.append(value)
            doc.value_marks.setdefault(item_loc, _position(event.start_mark))
            return
        if top[2] is None:  # this value is a key
            if not isinstance(value, str):
                fail(event.start_mark, "keys must be plain text")
            if value in container:
                fail(event.start_mark, f"duplicate key '{value}'")
            top[2] = value
            doc.key_marks[(*loc, value)] = _position(event.start_mark)
            return
        key = top[2]
        container[key] = value
        doc.value_marks.setdefault((*loc, key), _position(event.start_mark))
        top[2] = None

    def child_loc() -> Loc:
        if not stack:
            return ()
        container, loc, key = stack[-1][0], stack[-1][1], stack[-1][2]
        return (*loc, len(container)) if isinstance(container, list) else (*loc, key)

    try:
        for event in parser.parse(text):
            if isinstance(event, ev.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    fail(event.start_mark, "only one YAML document per file (remove the '---' separator)")
            if isinstance(event, ev.AliasEvent):
                fail(event.start_mark, "aliases (*name) are not allowed: write the value out")
            if isinstance(event, ev.NodeEvent) and event.anchor:
                fail(event.start_mark, "anchors (&name) are not allowed: write values out in full")
            if isinstance(event, ev.NodeEvent | ev.CollectionStartEvent) and (tag := getattr(event, "tag", None)):
                fail(event.start_mark, f"tags like '{tag}' are not allowed")
            if isinstance(event, ev.ScalarEvent):
                if event.style is None:
                    try:
                        value = plain_scalar(event.value)
                    except ValueError as exc:
                        where = ".".join(map(str, child_loc())) if stack and stack[-1][2] is not None else ""
                        fail(event.start_mark, f"{where}: {exc}" if where else str(exc))
                else:
                    value = event.value
                put(value, event)
            elif isinstance(event, ev.MappingStartEvent | ev.SequenceStartEvent):
                if len(stack) >= MAX_DEPTH:
                    fail(event.start_mark, f"nesting deeper than {MAX_DEPTH} levels")
                if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                    fail(event.start_mark, "keys must be plain text")
                container: dict | list = {} if isinstance(event, ev.MappingStartEvent) else []
                loc = child_loc()
                stack.append([container, loc, None, event])
            elif isinstance(event, ev.MappingEndEvent | ev.SequenceEndEvent):
                container, _loc, _key, start = stack.pop()
                put(container, start)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = (exc.problem or exc.context or "invalid YAML").strip()
        if "'\\t'" in reason or "tab" in reason.lower():
            reason = "a tab character where YAML needs spaces: indent with spaces"
        fail(mark, f"invalid YAML: {reason}")
    except YAMLError as exc:  # pragma: no cover - unmarked parser errors are rare
        fail(None, f"invalid YAML: {exc}")
    if doc.data is None and documents == 0:
        fail(None, "the file is empty")
    return doc


def decode(path: str, raw: bytes) -> str:
    """Bytes to text: UTF-8 only (a leading BOM is allowed and dropped)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        raise ParseError(Problem(path, line, col, "not valid UTF-8: save the file as UTF-8")) from None


# Parsed documents are cached by content: ruamel's pure-Python parser is most of a cold load, and a rebuild
# after editing one file then parses that file only. The key covers the file's bytes, its shown path and
# this module's own source (a change to the parser invalidates every entry). Entries are pickles the build
# writes itself into its own cache folder; a broken one is parsed again.
PARSER_KEY = hashlib.sha256(Path(__file__).read_bytes()).digest()


def parse_file(file: Path, display: str, cache_dir: Path | None = None) -> Document:
    """Read and parse one file; raises ParseError with a located problem."""
    size = file.stat().st_size
    if size > MAX_BYTES:
        raise ParseError(Problem(display, 1, 1, f"file is {size:,} bytes; the limit is {MAX_BYTES:,}"))
    raw = file.read_bytes()
    if cache_dir is None:
        return parse_text(display, decode(display, raw))
    key = hashlib.sha256(PARSER_KEY + display.encode() + b"\0" + raw).hexdigest()
    cached = cache_dir / key[:2] / f"{key}.pickle"
    try:
        doc = pickle.loads(cached.read_bytes())
        if isinstance(doc, Document):
            return doc
    except Exception:  # missing, or written by another version: parse again
        pass
    doc = parse_text(display, decode(display, raw))
    store(cached, pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
    return doc
