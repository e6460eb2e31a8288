"""The cost page: buy, rent or pay per token, for each model rules/costs.yaml compares. Per model a chart with
its cheapest option by volume, and a calculator (overrides/assets/atlas/cost.js) with its data inlined; then
every price with its source and date, the machine figures used, and the assumptions."""

from __future__ import annotations

from collections.abc import Iterator

from ... import routes
from ...catalog.fields import Source
from ...catalog.schema import Hardware
from ...model import costs
from .. import escape
from ..format import tokens
from ..inputs import Inputs
from ..jinja import Renderer, Safe


def _backing(machine: Hardware, name: str) -> list[Source]:
    return [s for s in machine.sources if name in s.supports]


def pages(inputs: Inputs, render: Renderer) -> Iterator[tuple[str, str]]:
    catalog = inputs.catalog
    comparisons, used, machines = [], [], {}
    for i in inputs.cost_inputs:
        found = costs.options(i)
        lo, hi = i["volume_range_m"]
        comparisons.append({
            "inputs": i,
            "labels": {o.key: o.label for o in found},
            "ranges": costs.cheapest_ranges(found, lo, hi),
            "evens": costs.break_evens(found, lo, hi),
            "chart": inputs.figures.get(f"cost-by-volume-{i['id']}"),
            "data": Safe(escape.script_json(i)),
        })  # fmt: skip
        for p in (i["local"]["price"], i["rented"]["price"], *(a["price"] for a in i["apis"]), i["electricity"]):
            if p not in used:
                used.append(p)
        for side in ("local", "rented"):
            machines[i[side]["hardware_id"]] = catalog.hardware[i[side]["hardware_id"]]
    facts = []
    for machine in machines.values():
        for field, label, unit in (("bandwidth_gb_s", "memory bandwidth", "GB/s"), ("power_w", "power at full load", "W"),
                                   ("bf16_tflops", "dense BF16 compute", "TFLOPS"), ("memory_gb", "memory", "GB")):  # fmt: skip
            value = getattr(machine, field)
            if value is not None:
                facts.append((f"{machine.name}: {label}", f"{value:g} {unit}", _backing(machine, field)))
    yield render("cost.md.j2", routes.COST, comparisons=comparisons, rules=costs.rules(),
                 prices=[(p, catalog.prices[p]) for p in used], machine_facts=facts, days=costs.DAYS_PER_MONTH,
                 tokens=tokens)  # fmt: skip
