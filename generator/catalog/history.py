"""The catalog's history from git, read once per build: the commits that touched each catalog file (so a
model page can say when it was added and last changed), and the recent ones for the What's new page and
its Atom feed.

Without git, outside a repository (a tarball) or in a shallow clone (whose oldest commit would look like
the day everything was added), there is no history and the pages leave it out rather than guess.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

RECORD, UNIT = "\x1e", "\x1f"


@dataclass(frozen=True)
class Commit:
    sha: str
    date: dt.datetime
    subject: str
    files: tuple[tuple[str, str], ...]  # (status A/M/D, path from the project root)

    @property
    def short(self) -> str:
        return self.sha[:7]


@dataclass
class History:
    commits: list[Commit] = field(default_factory=list)  # newest first
    by_file: dict[str, list[Commit]] = field(default_factory=dict)  # path -> its commits, newest first

    def of(self, path: str) -> list[Commit]:
        return self.by_file.get(path, [])


def build_epoch() -> int | None:
    """SOURCE_DATE_EPOCH (seconds), when set: the build's "now" for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(epoch) if epoch.isdigit() else None


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    except (FileNotFoundError, OSError):
        return None
    return done.stdout if done.returncode == 0 else None


def commit_time(root: Path) -> int | None:
    """When the checked-out commit was made (epoch seconds; known in a shallow clone too), or None outside git."""
    out = (_git(root, "log", "-1", "--format=%ct") or "").strip()
    return int(out) if out.isdigit() else None


def read_history(root: Path, folder: str = "catalog") -> History | None:
    """Every commit touching `folder`, or None when git cannot tell the whole story."""
    if (_git(root, "rev-parse", "--is-shallow-repository") or "").strip() != "false":
        return None  # not a repository, no git, or a shallow clone
    top = _git(root, "rev-parse", "--show-toplevel")
    log = _git(root, "log", f"--format={RECORD}%H{UNIT}%aI{UNIT}%s", "--name-status", "--no-renames",
               "-z", "--", folder)  # fmt: skip
    if top is None or log is None:
        return None
    prefix = Path(top.strip()).resolve()
    inner = Path(root).resolve().relative_to(prefix).as_posix() if Path(root).resolve() != prefix else ""
    history = History()
    for chunk in log.split(RECORD)[1:]:
        head, _, rest = chunk.partition("\0")  # -z ends the header with NUL, then "\n" and status NUL path NUL …
        sha, date, subject = head.split(UNIT, 2)
        parts = [p for p in rest.strip("\n\0").split("\0") if p]
        files = []
        for status, path in zip(parts[::2], parts[1::2], strict=False):
            if inner and path.startswith(inner + "/"):
                path = path[len(inner) + 1 :]
            files.append((status.strip()[:1], path))
        commit = Commit(sha, dt.datetime.fromisoformat(date), subject, tuple(files))
        history.commits.append(commit)
        for _, path in files:
            history.by_file.setdefault(path, []).append(commit)
    return history


def catalog_modified(root: Path, folder: str = "catalog") -> bool:
    """Whether `folder` has changes git has not committed (the edition's version says so)."""
    return bool((_git(root, "status", "--porcelain", "--", folder) or "").strip())
