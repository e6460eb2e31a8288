"""What changed between two states of the catalog, as data: `snapshot` (or `snapshot_at` a git revision)
reads every catalog file as written (an invalid file still shows), `compare` pairs them by path into added,
removed and changed files, each change a field path with its old and new value. The pull-request summary
(render/changes.py) and the What's new page (catalog/history.py's per-commit changes) both read it."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .authored import catalog_files
from .parse import ParseError, parse_file


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


class _Absent:
    """A value a file does not have (a key added or removed); pickled by name, so cached edits keep it."""

    def __repr__(self) -> str:
        return "(absent)"

    def __reduce__(self) -> str:
        return "ABSENT"


ABSENT = _Absent()


def name_of(data: object) -> str:
    """The name a catalog file gives (a run: its served model's), or "" when it gives none."""
    return str(data.get("name") or data.get("model", {}).get("served_name", "")) if isinstance(data, dict) else ""


def field_changes(before: Mapping[str, object], after: Mapping[str, object]) -> list[tuple[str, object, object]]:
    """(field, old, new) for every flattened field whose value differs, in the order the file has them (the new
    file's first, then fields only the old one had); ABSENT stands for a missing field."""
    order = [*after, *(k for k in before if k not in after)]
    return [
        (k, before.get(k, ABSENT), after.get(k, ABSENT)) for k in order if before.get(k, ABSENT) != after.get(k, ABSENT)
    ]


def compare(old: dict[str, tuple[str, object]], new: dict[str, tuple[str, object]]) -> Changes:
    found = Changes()
    for path in sorted(old.keys() | new.keys()):
        kind = (new.get(path) or old[path])[0]
        before = old[path][1] if path in old else ABSENT
        after = new[path][1] if path in new else ABSENT
        name = name_of(after if after is not ABSENT else before)
        if before is ABSENT:
            found.added.append(FileChange(path, kind, name))
        elif after is ABSENT:
            found.removed.append(FileChange(path, kind, name))
        else:
            a = flatten(before) if not isinstance(before, ParseError) else {"(file)": "unreadable YAML"}
            b = flatten(after) if not isinstance(after, ParseError) else {"(file)": f"unreadable YAML: {after}"}
            diffs = field_changes(a, b)
            if diffs:
                found.changed.append(FileChange(path, kind, name, diffs))
    return found
