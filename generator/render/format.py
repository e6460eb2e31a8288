"""How numbers and facts read on a page: parameters, context lengths, yes/no/unknown, size classes, token
volumes, money, measured figures, run labels. Plain text out; the templates escape it like any value."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlsplit

from ..catalog.diff import ABSENT
from ..catalog.edits import Edit
from ..catalog.schema_runs import Run
from ..model.selector import round_half_up

SIZE_CLASSES = (  # upper bound in billions (exclusive), label
    (3, "Tiny (< 3B)"),
    (10, "Small (3–10B)"),
    (40, "Medium (10–40B)"),
    (100, "Large (40–100B)"),
    (float("inf"), "Frontier (≥ 100B)"),
)
SIZE_ORDER = {label: i for i, (_, label) in enumerate(SIZE_CLASSES)}


def size_class(params_b: float | None) -> str:
    if params_b is None:
        return "Unknown size"
    return next(label for bound, label in SIZE_CLASSES if params_b < bound)


def params(value: float | None) -> str:
    if value is None:
        return "unknown"
    return f"{value:,.0f}B" if value >= 100 else f"{value:g}B"


def context(value: int | None) -> str:
    if value is None:
        return "unknown"
    if value % 1024 == 0 and value >= 2048:
        return f"{value:,} ({value // 1024}K)"
    return f"{value:,}"


def yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def gb(value: float | None) -> str:
    """Memory in GB to one decimal, rounded as the selector's browser twin rounds it."""
    return "unknown" if value is None else f"{round_half_up(value, 1):.1f}"


def host(url: str) -> str:
    return urlsplit(url).hostname or url


def tokens(volume_m: float) -> str:
    """Million tokens as a reader says them: 1.5M, 64M, 2.3B."""
    value = float(f"{volume_m:.3g}")
    value, unit = (float(f"{value / 1000:.3g}"), "B") if value >= 1000 else (value, "M")
    return f"{value:g}{unit}"


def money(usd: float) -> str:
    return f"${usd:,.0f}" if usd >= 10 else f"${usd:,.2f}"


def figure(value: float) -> str:
    """A measured figure as the Performance page shows it: whole numbers with thousands separators, else 2
    to 3 significant digits."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def run_label(run: Run) -> str:
    """How a stored run is named on charts and in the comparator: served name, quantization, example."""
    quant = f" {run.model.quantization}" if run.model.quantization else ""
    return f"{run.model.served_name}{quant}{' (example)' if run.example else ''}"


SHOWN_FIELDS = 6  # an edit lists this many changed fields, then how many more
SHOWN_VALUE_CHARS = 60


def value(v: object) -> str:
    """A catalog value as a change shows it: short, JSON-like for lists and mappings."""
    if v is ABSENT:
        return "(none)"
    if v is None:
        return "unknown"
    if isinstance(v, dt.date):
        return v.isoformat()
    text = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)
    return text if len(text) <= SHOWN_VALUE_CHARS else text[: SHOWN_VALUE_CHARS - 1] + "…"


# Fields a reader wants named, not quoted: prose and the sources behind the facts.
PROSE = frozenset({"sources", "description", "strengths", "note", "context_note", "common_mistakes", "history",
                   "links", "summary", "title", "verified"})  # fmt: skip


def edit_fields(edit: Edit) -> str:
    """What a change did to a file's facts: 'context_length 8192 → 131072; …' with old and new values, then the
    prose and sources it edited by name; or that a check confirmed the facts."""
    if edit.action == "checked":
        return "facts re-checked against their sources"
    facts = [f for f in edit.fields if f[0].split(".", 1)[0] not in PROSE]
    shown = [f"{name} {value(old)} → {value(new)}" for name, old, new in facts[:SHOWN_FIELDS]]
    if len(facts) > SHOWN_FIELDS:
        shown.append(f"and {len(facts) - SHOWN_FIELDS} more")
    prose = sorted({f[0].split(".", 1)[0] for f in edit.fields} & PROSE - {"verified"})
    if prose:
        shown.append(", ".join(prose) + " edited")
    return "; ".join(shown)
