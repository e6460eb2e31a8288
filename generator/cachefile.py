"""Entries of the build's caches (.atlas-cache/) are written whole: each goes to a file named for the writing
process, then is renamed over the entry, so a build running beside another (parallel tests, `mkdocs serve`
and `make site`) never reads half an entry."""

from __future__ import annotations

import os
from pathlib import Path


def store(entry: Path, data: bytes) -> None:
    """Write `data` as the cache entry `entry`, creating its folder."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    partial = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
    partial.write_bytes(data)
    partial.replace(entry)
