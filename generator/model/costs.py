"""What a month of generated tokens costs: on a GPU you buy, on one you rent, or from a paid API.

Stages: `all_inputs(catalog)` joins the assumptions in rules/costs.yaml with sourced prices (catalog/prices)
and machine figures (catalog/hardware) into plain numbers for each model compared, estimating each GPU's
throughput with as many conversations as its memory holds (or taking a stored speed run's); `options(inputs)` turns them into a fixed cost per machine, a cost per million tokens
and a monthly capacity per machine; `monthly_usd` and `break_evens` answer from those. The Cost page's
calculator (overrides/assets/atlas/cost.js) is the browser twin of `options`, `monthly_usd` and
`break_evens`, reading the constants they share from the inputs (CONSTANTS); tests/test_costs.py runs
both on the same inputs and holds them to the same answers.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import routes
from ..catalog.resolve import Catalog
from . import hardware

RULES = Path(__file__).parent / "rules" / "costs.yaml"
DAYS_PER_MONTH = 365.25 / 12
SAMPLES = 400  # points on the log grid searched for sign changes
BISECTIONS = 60
# What the browser twin reads from the inlined inputs instead of restating it.
CONSTANTS = {"days_per_month": DAYS_PER_MONTH, "samples": SAMPLES, "bisections": BISECTIONS}


def rules() -> dict:
    return yaml.safe_load(RULES.read_text(encoding="utf-8"))


def throughput_tokens_per_s(model, fmt: str, context: int, streams: int, machine) -> float | None:
    """Decode, `streams` conversations at once: each step reads the weights the step's tokens use (an MoE's
    experts shared between them, hardware.active_weights_gb) and every stream's KV cache, and yields one token
    per stream; never above what the machine's BF16 compute allows (2 FLOPs per active parameter per token),
    where its file states that. An estimate, like the model pages'."""
    active = hardware.active_weights_gb(model, fmt, sequences=streams)
    held = hardware.context_gb(model, context)
    if active is None or held is None or not machine.bandwidth_gb_s:
        return None
    memory_bound = streams * machine.bandwidth_gb_s * hardware.BANDWIDTH_SHARE / (active + streams * held)
    params = model.active_params_b or model.params_b
    if machine.bf16_tflops and params:
        return min(memory_bound, machine.bf16_tflops * 1e12 / (2 * params * 1e9))
    return memory_bound


def most_streams(model, fmt: str, context: int, machine, limit: int) -> int:
    """The most conversations of `context` tokens whose KV caches fit beside the weights (up to `limit`); 0 when
    not even one fits or a figure is unknown."""
    weights = hardware.weights_gb(model)[fmt]
    held = hardware.context_gb(model, context)
    if weights is None or held is None:
        return 0
    room = hardware.usable_gb(machine) - weights - hardware.OVERHEAD_GB
    return max(0, min(limit, int(room // held))) if held > 0 else (limit if room > 0 else 0)


def measured_tokens_per_s(catalog: Catalog, model_id: str, hardware_id: str) -> float | None:
    """The highest all-requests throughput a stored speed run of this model on this machine measured."""
    found = [p.throughput_tokens_per_s for r in catalog.speed_runs.values()
             if r.model.catalog_id == model_id and r.hardware == hardware_id
             for p in r.points if p.throughput_tokens_per_s]  # fmt: skip
    return max(found) if found else None


def _machine(catalog: Catalog, model_id: str, want: dict, a: dict) -> dict | None:
    price = catalog.prices.get(want["price"])
    machine = catalog.hardware.get(price.hardware or "") if price else None
    entry = catalog.models.get(model_id)
    if price is None or machine is None or entry is None or not machine.bandwidth_gb_s:
        return None
    fmt = want["format"]
    streams = most_streams(entry.model, fmt, a["context"], machine, a["max_streams"])
    estimated = throughput_tokens_per_s(entry.model, fmt, a["context"], streams, machine) if streams else None
    if estimated is None:
        return None
    measured = measured_tokens_per_s(catalog, model_id, price.hardware or "")
    held = hardware.context_gb(entry.model, a["context"], sequences=streams) or 0.0
    return {
        "price": want["price"], "hardware": machine.name, "hardware_id": price.hardware, "format": fmt,
        "streams": streams, "memory_gb": round((hardware.weights_gb(entry.model)[fmt] or 0) + held + hardware.OVERHEAD_GB, 1),
        "tokens_per_s": round(measured or estimated), "measured": measured is not None,
        "power_w": machine.power_w, "usd": price.usd, "usd_per_hour": price.usd_per_hour, "seller": price.seller,
    }  # fmt: skip


def inputs(catalog: Catalog, scenario: dict, assumptions: dict | None = None) -> dict | None:
    """One model's calculator starting values, or None when the catalog lacks a price or figure they need."""
    a = assumptions or rules()
    entry = catalog.models.get(scenario["model"])
    names = [scenario["local"]["price"], scenario["rented"]["price"], *scenario["apis"], a["electricity"]]
    if entry is None or any(n not in catalog.prices for n in names):
        return None
    local = _machine(catalog, scenario["model"], scenario["local"], a)
    rented = _machine(catalog, scenario["model"], scenario["rented"], a)
    if (
        local is None
        or rented is None
        or local["power_w"] is None
        or local["usd"] is None
        or rented["usd_per_hour"] is None
    ):
        return None
    return {
        "id": scenario["model"],
        "model": entry.model.name,
        "model_url": routes.model(entry),
        "context": a["context"],
        "max_streams": a["max_streams"],
        "input_per_output": a["input_per_output"],
        "hours_per_day": a["hours_per_day"],
        "amortize_months": a["amortize_months"],
        "usd_per_kwh": catalog.prices[a["electricity"]].usd_per_kwh,
        "electricity": a["electricity"],
        "local": local,
        "rented": rented,
        "apis": [{"price": p, "name": catalog.prices[p].name, "input_usd_per_m": catalog.prices[p].input_usd_per_m,
                  "output_usd_per_m": catalog.prices[p].output_usd_per_m} for p in scenario["apis"]],
        "volume_range_m": list(a["volume_range_m"]),
        "constants": CONSTANTS,
    }  # fmt: skip


def all_inputs(catalog: Catalog, assumptions: dict | None = None) -> list[dict]:
    """Every scenario of rules/costs.yaml the catalog can price, in the file's order."""
    a = assumptions or rules()
    return [found for s in a["scenarios"] if (found := inputs(catalog, s, a)) is not None]


def cheapest_ranges(found: list[Option], lo: float, hi: float) -> list[dict]:
    """The volume ranges over which each option is the cheapest, in order: where the answer changes, once per
    change (found by bisection, so one range ends where the next begins), so a reader sees one sequence instead
    of every pair's crossings."""

    def best(v: float) -> str:
        return min(found, key=lambda o: monthly_usd(o, v)).key

    grid = log_grid(lo, hi, SAMPLES)
    ranges = [{"key": best(lo), "from_m": lo, "to_m": hi}]
    for left, right in itertools.pairwise(grid):
        before, after = ranges[-1]["key"], best(right)
        if after == before:
            continue
        for _ in range(BISECTIONS):
            mid = math.sqrt(left * right)
            if best(mid) == before:
                left = mid
            else:
                right = mid
        ranges[-1]["to_m"] = right
        ranges.append({"key": best(right), "from_m": right, "to_m": hi})
    return ranges


@dataclass(frozen=True)
class Option:
    """One way of producing tokens, priced per month: machines x fixed_usd + million tokens x usd_per_m."""

    key: str
    label: str
    fixed_usd: float  # per machine per month
    usd_per_m: float  # per million generated tokens
    capacity_m: float | None  # million tokens one machine generates in a month; None: no limit


def options(i: dict) -> list[Option]:
    hours = i["hours_per_day"] * DAYS_PER_MONTH
    local, rented = i["local"], i["rented"]
    kwh_per_m = local["power_w"] / 1000 * 1e6 / (local["tokens_per_s"] * 3600)
    found = [
        Option("local", f"Buy: {local['hardware']}", local["usd"] / i["amortize_months"],
               kwh_per_m * i["usd_per_kwh"], local["tokens_per_s"] * 3600 * hours / 1e6),
        Option("rented", f"Rent: {rented['hardware']} ({rented['seller']})", rented["usd_per_hour"] * hours, 0.0,
               rented["tokens_per_s"] * 3600 * hours / 1e6),
    ]  # fmt: skip
    for api in i["apis"]:
        per_m = i["input_per_output"] * api["input_usd_per_m"] + api["output_usd_per_m"]
        found.append(Option(api["price"], f"API: {api['name']}", 0.0, per_m, None))
    return found


def machines(option: Option, volume_m: float) -> int:
    if option.capacity_m is None:
        return 0
    return max(1, math.ceil(volume_m / option.capacity_m))


def monthly_usd(option: Option, volume_m: float) -> float:
    return machines(option, volume_m) * option.fixed_usd + volume_m * option.usd_per_m


def log_grid(lo: float, hi: float, n: int = SAMPLES) -> list[float]:
    return [math.exp(math.log(lo) + (math.log(hi) - math.log(lo)) * k / (n - 1)) for k in range(n)]


def break_evens(found: list[Option], lo: float, hi: float) -> list[dict]:
    """Every volume in [lo, hi] where the cheaper of two options changes, found by bisection in log space."""
    grid = log_grid(lo, hi)
    out = []
    for x, a in enumerate(found):
        for b in found[x + 1 :]:

            def diff(v: float, a: Option = a, b: Option = b) -> float:
                return monthly_usd(a, v) - monthly_usd(b, v)

            for left, right in itertools.pairwise(grid):
                if (diff(left) < 0) == (diff(right) < 0):
                    continue
                below = diff(left) < 0
                for _ in range(BISECTIONS):
                    mid = math.sqrt(left * right)
                    if (diff(mid) < 0) == below:
                        left = mid
                    else:
                        right = mid
                cheaper_after = b if below else a
                out.append({"a": a.key, "b": b.key, "volume_m": right, "usd": monthly_usd(cheaper_after, right),
                            "cheaper_after": cheaper_after.key})  # fmt: skip
    return sorted(out, key=lambda e: (e["volume_m"], e["a"], e["b"]))
