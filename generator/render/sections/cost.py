"""The cost page: buy, rent or pay per token. The chart, its inputs with their sources, and the calculator
(overrides/assets/atlas/cost.js) with its data inlined."""

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
    i = inputs.cost_inputs
    if i is None:
        yield render("cost.md.j2", routes.COST, inputs=None)
        return
    found = costs.options(i)
    lo, hi = i["volume_range_m"]
    prices = inputs.catalog.prices
    used = [i["local"]["price"], i["rented"]["price"], *(a["price"] for a in i["apis"]), i["electricity"]]
    own, hired = (inputs.catalog.hardware[prices[p].hardware or ""] for p in used[:2])
    machine_facts = [
        (f"{own.name}: power at full load", f"{own.power_w:g} W", _backing(own, "power_w")),
        (f"{own.name}: memory bandwidth", f"{own.bandwidth_gb_s:g} GB/s", _backing(own, "bandwidth_gb_s")),
        (f"{hired.name}: memory bandwidth", f"{hired.bandwidth_gb_s:g} GB/s", _backing(hired, "bandwidth_gb_s")),
    ]
    yield render(
        "cost.md.j2",
        routes.COST,
        inputs=i,
        options=found,
        evens=costs.break_evens(found, lo, hi),
        labels={o.key: o.label for o in found},
        chart=inputs.figures.get("cost-by-volume"),
        prices=[(p, prices[p]) for p in used],
        machine_facts=machine_facts,
        data=Safe(escape.script_json(i)),
        days=costs.DAYS_PER_MONTH,
        tokens=tokens,
    )
