"""What each catalog commit changed, as a reader would say it: a model added or removed, a fact corrected
from one value to another. The What's new page, its feed and each model's History show these, not file
paths; a commit that changed no catalog fact (a schema pointer, a regenerated JSON Schema) shows nothing.

Both versions of every file a commit touched are read in one `git cat-file --batch` process, parsed as
the catalog reader parses them, and compared field by field (diff.field_changes). Commits never change, so
each commit's edits are cached under its hash and the code that computed them.
"""

from __future__ import annotations

import hashlib
import pickle
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..cachefile import store
from .diff import ABSENT, field_changes, flatten, name_of
from .history import Commit, History
from .parse import PARSER_KEY, ParseError, decode, parse_text

Action = Literal["added", "removed", "changed", "checked"]
# A cached commit's edits are read again when the code that found them changes (the reader, the diff, this).
CODE_KEY = hashlib.sha256(
    PARSER_KEY + b"".join((Path(__file__).parent / name).read_bytes() for name in ("diff.py", "edits.py"))
).digest()
CHECK_ONLY = frozenset({"verified"})  # a change to these alone is a re-check, not a corrected fact


@dataclass(frozen=True)
class Edit:
    """One catalog file's change in one commit."""

    path: str  # from the project root, e.g. catalog/models/qwen/qwen3-8b.yaml
    kind: str  # the catalog folder: models, families, licences, …
    name: str  # the name the file gives, else its file name
    action: Action
    fields: tuple[tuple[str, object, object], ...] = ()  # (field, old, new); diff.ABSENT when missing


def _blobs(root: Path, specs: list[str]) -> dict[str, bytes | None]:
    """The content of each `revision:./path` in `specs` (None when it does not exist), in one git process."""
    if not specs:
        return {}
    try:
        done = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"], input="\n".join(specs).encode() + b"\n",
                              capture_output=True, check=False)  # fmt: skip
    except (FileNotFoundError, OSError):
        return dict.fromkeys(specs)
    out: dict[str, bytes | None] = {}
    data, at = done.stdout, 0
    for spec in specs:
        end = data.index(b"\n", at)
        header = data[at:end].decode(errors="replace").split()
        at = end + 1
        if len(header) == 3 and header[1] == "blob":
            size = int(header[2])
            out[spec] = data[at : at + size]
            at += size + 1
        else:  # "<spec> missing"
            out[spec] = None
    return out


def _parsed(path: str, raw: bytes | None) -> object:
    if raw is None:
        return ABSENT
    try:
        return parse_text(path, decode(path, raw)).data
    except ParseError:
        return "unreadable YAML"


def _kind(path: str) -> str:
    parts = path.split("/")
    return parts[1] if len(parts) > 2 else parts[-1].removesuffix(".yaml")


def _name(data: object, path: str) -> str:
    return name_of(data) or path.rsplit("/", 1)[-1].removesuffix(".yaml")


def edit_of(path: str, before: object, after: object) -> Edit | None:
    """The reader's view of one file's change; None when no fact changed."""
    kind = _kind(path)
    if before is ABSENT and after is ABSENT:
        return None
    if before is ABSENT:
        return Edit(path, kind, _name(after, path), "added")
    if after is ABSENT:
        return Edit(path, kind, _name(before, path), "removed")
    fields = tuple(field_changes(flatten(before), flatten(after)))
    if not fields:
        return None
    action: Action = "checked" if {f[0] for f in fields} <= CHECK_ONLY else "changed"
    return Edit(path, kind, _name(after, path), action, fields)


def commit_edits(root: Path, commit: Commit, cache_dir: Path | None = None) -> list[Edit]:
    """Every catalog fact a commit changed, file by file, in the order git lists the files."""
    files = [(status, path) for status, path in commit.files if path.startswith("catalog/") and path.endswith(".yaml")]
    key = hashlib.sha256(CODE_KEY + commit.sha.encode() + repr(files).encode()).hexdigest()
    cached = cache_dir / f"{key}.pickle" if cache_dir else None
    if cached is not None:
        try:
            found = pickle.loads(cached.read_bytes())
            if isinstance(found, list):
                return found
        except Exception:  # missing or written by another version: read again
            pass
    specs = [spec for _, path in files for spec in (f"{commit.sha}^:./{path}", f"{commit.sha}:./{path}")]
    blobs = _blobs(root, specs)
    edits = []
    for _, path in files:
        before = _parsed(path, blobs.get(f"{commit.sha}^:./{path}"))
        after = _parsed(path, blobs.get(f"{commit.sha}:./{path}"))
        if (edit := edit_of(path, before, after)) is not None:
            edits.append(edit)
    if cached is not None:
        store(cached, pickle.dumps(edits, protocol=pickle.HIGHEST_PROTOCOL))
    return edits


def read_edits(root: Path, history: History, cache_dir: Path | None = None) -> dict[str, list[Edit]]:
    """Each catalog commit's edits, by commit hash."""
    return {c.sha: commit_edits(root, c, cache_dir) for c in history.commits}
