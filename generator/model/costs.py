"""What a month of generated tokens costs: on a GPU you buy, on one you rent, or from a paid API.

Stages: `inputs(catalog)` joins the assumptions in rules/costs.yaml with sourced prices (catalog/prices)
and machine figures (catalog/hardware) into plain numbers, estimating each GPU's throughput from its
memory bandwidth; `options(inputs)` turns them into a fixed cost per machine, a cost per million tokens
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


def throughput_tokens_per_s(model, fmt: str, context: int, streams: int, bandwidth_gb_s: float) -> float | None:
    """Memory-bound decode, `streams` conversations at once: each step reads the active weights once and
    every stream's KV cache, and yields one token per stream. An estimate, like the model pages'."""
    active = hardware.active_weights_gb(model, fmt)
    held = hardware.context_gb(model, context)
    if active is None or held is None:
        return None
    return streams * bandwidth_gb_s * hardware.BANDWIDTH_SHARE / (active + streams * held)


def _memory_gb(model, fmt: str, context: int, streams: int) -> float | None:
    weights = hardware.weights_gb(model)[fmt]
    held = hardware.context_gb(model, context, sequences=streams)
    if weights is None or held is None:
        return None
    return weights + held + hardware.OVERHEAD_GB


def inputs(catalog: Catalog, assumptions: dict | None = None) -> dict | None:
    """The calculator's starting values, or None when the catalog lacks a price or figure they need."""
    a = assumptions or rules()
    entry = catalog.models.get(a["model"])
    names = [a["local"]["price"], a["rented"]["price"], *a["apis"], a["electricity"]]
    if entry is None or any(n not in catalog.prices for n in names):
        return None
    buy, rent = catalog.prices[a["local"]["price"]], catalog.prices[a["rented"]["price"]]
    own, hired = catalog.hardware.get(buy.hardware or ""), catalog.hardware.get(rent.hardware or "")
    if own is None or hired is None or own.power_w is None or not own.bandwidth_gb_s or not hired.bandwidth_gb_s:
        return None
    machines = []
    for machine, fmt in ((own, a["local"]["format"]), (hired, a["rented"]["format"])):
        need = _memory_gb(entry.model, fmt, a["context"], a["streams"])
        bandwidth = machine.bandwidth_gb_s or 0.0  # both known: checked above
        speed = throughput_tokens_per_s(entry.model, fmt, a["context"], a["streams"], bandwidth)
        if need is None or speed is None or need > hardware.usable_gb(machine):
            return None
        machines.append((need, speed))
    (local_gb, local_speed), (rented_gb, rented_speed) = machines
    return {
        "model": entry.model.name,
        "model_url": routes.model(entry),
        "context": a["context"],
        "streams": a["streams"],
        "input_per_output": a["input_per_output"],
        "hours_per_day": a["hours_per_day"],
        "amortize_months": a["amortize_months"],
        "usd_per_kwh": catalog.prices[a["electricity"]].usd_per_kwh,
        "electricity": a["electricity"],
        "local": {"price": a["local"]["price"], "hardware": own.name, "format": a["local"]["format"],
                  "usd": buy.usd, "power_w": own.power_w, "memory_gb": round(local_gb, 1),
                  "tokens_per_s": round(local_speed)},
        "rented": {"price": a["rented"]["price"], "hardware": hired.name, "seller": rent.seller,
                   "format": a["rented"]["format"], "usd_per_hour": rent.usd_per_hour,
                   "memory_gb": round(rented_gb, 1), "tokens_per_s": round(rented_speed)},
        "apis": [{"price": p, "name": catalog.prices[p].name, "input_usd_per_m": catalog.prices[p].input_usd_per_m,
                  "output_usd_per_m": catalog.prices[p].output_usd_per_m} for p in a["apis"]],
        "volume_range_m": list(a["volume_range_m"]),
        "constants": CONSTANTS,
    }  # fmt: skip


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
