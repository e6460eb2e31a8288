"""The hardware section: how memory and speed are estimated (with every machine), the selector, and one
page per memory size ranking the models for each task."""

from __future__ import annotations

from collections.abc import Iterator

from ... import routes
from ...catalog.resolve import Catalog
from ...catalog.schema import Runtime
from ...model import evidence, hardware, selector
from .. import escape
from ..format import context
from ..inputs import Inputs
from ..jinja import Renderer, Safe

SELECTOR_CONTEXTS = (2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144, 1048576)


ACCELERATOR_LABELS = {"nvidia": "NVIDIA", "amd": "AMD", "apple": "Apple silicon", "intel": "Intel", "cpu": "CPU only"}


def runtime_rows(c: Catalog) -> list[tuple[str, list[str], list[Runtime]]]:
    """(kind of machine, its machines' names, the runtimes that run on it) for each kind in the catalog."""
    rows = []
    for key, label in ACCELERATOR_LABELS.items():
        names = [h.name for h in c.hardware.values() if hardware.accelerator(h) == key]
        if names:
            machine = next(h for h in c.hardware.values() if hardware.accelerator(h) == key)
            rows.append((label, names, [c.runtimes[r] for r in hardware.runtimes_for(machine, c.runtimes)]))
    return rows


def pages(inputs: Inputs, render: Renderer) -> Iterator[tuple[str, str]]:
    c, rankings = inputs.catalog, inputs.rankings
    yield render("hardware.md.j2", routes.HARDWARE, machines=c.hardware, usable=hardware.usable_gb,
                 share=hardware.DEFAULT_USABLE_SHARE, formats=hardware.FORMATS, overhead=hardware.OVERHEAD_GB,
                 quantize_table=hardware.QUANTIZE_TABLE, tiers=selector.TIER_BUDGETS_GB,
                 bandwidth_share=round(hardware.BANDWIDTH_SHARE * 100),
                 runtime_rows=runtime_rows(c))  # fmt: skip
    yield render(
        "selector.md.j2",
        routes.SELECTOR,
        base="",
        tasks=selector.TASKS,
        contexts=[(0, "No requirement (speech, short texts)")] + [(n, context(n)) for n in SELECTOR_CONTEXTS],
        data=Safe(escape.script_json(rankings.data)),
        ladder=hardware.LADDER,
        overhead=hardware.OVERHEAD_GB,
        tier_budgets=selector.TIER_BUDGETS_GB,
        default_context=selector.DEFAULT_CONTEXT,
        headrooms=selector.HEADROOM_CHOICES,
        default_headroom=round(selector.DEFAULT_HEADROOM * 100),
        bandwidth_share=round(hardware.BANDWIDTH_SHARE * 100),
        ram_choices=selector.RAM_CHOICES,
        ram_bandwidth=rankings.data["constants"]["ram_bandwidth_gb_s"] or "unknown",
        ranking=evidence.rules(selector.TASK_KEYS),
    )
    labels = dict(selector.TASKS)
    for budget in selector.TIER_BUDGETS_GB:
        sections = [(key, label, rankings.tier(budget, key)) for key, label in selector.TASKS]
        usable = selector.tier_usable_gb(budget)
        fit_gb = selector.budget_gb(selector.Query(budget_gb=usable))
        yield render("tier.md.j2", routes.tier(budget), budget=budget, sections=sections, usable=usable,
                     fit_gb=fit_gb, headroom=round(selector.DEFAULT_HEADROOM * 100),
                     default_context=selector.DEFAULT_CONTEXT,
                     task_contexts=[(labels[k], v) for k, v in selector.TASK_CONTEXT.items()])  # fmt: skip
