"""`python -m generator changes --base REF`: what a pull request changes in the catalog, for reviewers.

Stages: `snapshot` reads every catalog file of a git revision (via `git archive`) or of the working tree
as parsed YAML, exactly as written (an invalid file still shows); `compare` pairs them by path into added,
removed and changed files, each change a field path with its old and new value; `markdown` renders that
for a CI job summary, every value escaped as Markdown text.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..catalog.authored import catalog_files
from ..catalog.parse import ParseError, parse_file
from . import escape

SHOWN_CHARS = 120  # a value longer than this is cut in the summary
SUMMARISED_KINDS = ("runs",)  # files too large to list field by field: only said to be added/changed


class ChangesError(Exception):
    """The revision cannot be read (no git, an unknown ref); the message says which."""


def snapshot(catalog_root: Path) -> dict[str, tuple[str, object]]:
    """Every catalog file under `catalog_root`: path relative to it -> (kind, parsed data or an error)."""
    files = {}
    for kind, file in catalog_files(catalog_root):
        rel = file.relative_to(catalog_root).as_posix()
        try:
            files[rel] = (kind, parse_file(file, rel).data)
        except ParseError as exc:
            files[rel] = (kind, ParseError(exc.problem))
    return files


def snapshot_at(root: Path, ref: str) -> dict[str, tuple[str, object]]:
    """The catalog as it was at git revision `ref`."""
    try:
        done = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", ref, "catalog"],
                              capture_output=True, check=False)  # fmt: skip
    except FileNotFoundError:
        raise ChangesError("git is not installed") from None
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise ChangesError(f"cannot read the catalog at '{ref}': {message[-1] if message else 'git archive failed'}")
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(fileobj=io.BytesIO(done.stdout)) as tar:
        tar.extractall(tmp, filter="data")
        return snapshot(Path(tmp) / "catalog")


def flatten(value: object, prefix: str = "") -> dict[str, object]:
    """Nested data as {dotted path: leaf value}; an empty list or mapping is a leaf."""
    if isinstance(value, dict) and value:
        out: dict[str, object] = {}
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(value, list) and value:
        out = {}
        for i, v in enumerate(value):
            out.update(flatten(v, f"{prefix}.{i}" if prefix else str(i)))
        return out
    return {prefix or "(file)": value}


@dataclass
class FileChange:
    path: str
    kind: str
    name: str
    fields: list[tuple[str, object, object]] = field(default_factory=list)  # (field, old, new); _ = absent


@dataclass
class Changes:
    added: list[FileChange] = field(default_factory=list)
    removed: list[FileChange] = field(default_factory=list)
    changed: list[FileChange] = field(default_factory=list)


ABSENT = object()


def _name(data: object) -> str:
    return str(data.get("name") or data.get("model", {}).get("served_name", "")) if isinstance(data, dict) else ""


def compare(old: dict[str, tuple[str, object]], new: dict[str, tuple[str, object]]) -> Changes:
    found = Changes()
    for path in sorted(old.keys() | new.keys()):
        kind = (new.get(path) or old[path])[0]
        before = old[path][1] if path in old else ABSENT
        after = new[path][1] if path in new else ABSENT
        name = _name(after if after is not ABSENT else before)
        if before is ABSENT:
            found.added.append(FileChange(path, kind, name))
        elif after is ABSENT:
            found.removed.append(FileChange(path, kind, name))
        else:
            a = flatten(before) if not isinstance(before, ParseError) else {"(file)": "unreadable YAML"}
            b = flatten(after) if not isinstance(after, ParseError) else {"(file)": f"unreadable YAML: {after}"}
            diffs = [(k, a.get(k, ABSENT), b.get(k, ABSENT)) for k in sorted(a.keys() | b.keys(), key=_order(a, b))
                     if a.get(k, ABSENT) != b.get(k, ABSENT)]  # fmt: skip
            if diffs:
                found.changed.append(FileChange(path, kind, name, diffs))
    return found


def _order(a: dict, b: dict):
    """Fields in the order the file has them (new file first, then fields only the old one had)."""
    position = {k: i for i, k in enumerate([*b, *(k for k in a if k not in b)])}
    return lambda k: position[k]


def _value(value: object) -> str:
    if value is ABSENT:
        return "(absent)"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"
    return escape.md(text)


def _kind_word(kind: str, n: int) -> str:
    singular = {"models": "model", "families": "family", "licences": "licence", "runs": "run",
                "hardware": "machine", "prices": "price", "runtimes": "runtime", "suites": "suite"}  # fmt: skip
    word = singular.get(kind, kind)
    return word if n == 1 else ("families" if word == "family" else word + ("" if word.endswith("s") else "s"))


def _path(c: FileChange) -> str:
    return escape.md(f"catalog/{c.path}")


def markdown(changes: Changes) -> str:
    lines = ["## Catalog changes", ""]
    if not (changes.added or changes.removed or changes.changed):
        return "\n".join([*lines, "This pull request changes no catalog file.", ""])
    counts = []
    for label, group in (("added", changes.added), ("changed", changes.changed), ("removed", changes.removed)):
        per_kind: dict[str, int] = {}
        for c in group:
            per_kind[c.kind] = per_kind.get(c.kind, 0) + 1
        counts += [f"{n} {_kind_word(k, n)} {label}" for k, n in per_kind.items()]
    lines += ["; ".join(counts) + ".", ""]
    for title, group in (("Added", changes.added), ("Removed", changes.removed)):
        if group:
            lines += [f"### {title}", ""]
            lines += [f"- {_path(c)}" + (f": {escape.md(c.name)}" if c.name else "") for c in group]
            lines.append("")
    if changes.changed:
        lines += ["### Changed", "", "| File | Field | Old | New |", "|---|---|---|---|"]
        for c in changes.changed:
            if c.kind in SUMMARISED_KINDS:
                lines.append(f"| {_path(c)} | {len(c.fields)} values | (see the file's diff) | |")
                continue
            for name, old, new in c.fields:
                lines.append(f"| {_path(c)} | {escape.md(name)} | {_value(old)} | {_value(new)} |")
        lines.append("")
    return "\n".join(lines)


def changes_since(root: Path, base: str, head: str | None = None) -> Changes:
    """The catalog at `head` (default: the working tree) against the catalog at `base`."""
    new = snapshot_at(root, head) if head else snapshot(root / "catalog")
    return compare(snapshot_at(root, base), new)
