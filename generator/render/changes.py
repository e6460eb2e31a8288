"""`python -m generator changes --base REF`: what a pull request changes in the catalog, for reviewers:
catalog/diff.py's changes rendered by `markdown` for a CI job summary, every value escaped as Markdown text.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..catalog.diff import ABSENT, Changes, FileChange, compare, snapshot, snapshot_at
from . import escape

SHOWN_CHARS = 120  # a value longer than this is cut in the summary
SUMMARISED_KINDS = ("runs",)  # files too large to list field by field: only said to be added/changed


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
