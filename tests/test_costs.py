"""The cost comparison (generator/costs.py), its twin in the browser (overrides/assets/atlas/cost.js), and the
price files it reads (catalog/prices)."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import minimal_catalog

from generator.catalog import authored, resolve
from generator.catalog.load import load_catalog
from generator.model import costs, hardware

ROOT = Path(__file__).resolve().parent.parent
NODE = shutil.which("node")


@pytest.fixture(scope="module")
def catalog():
    return resolve.resolve(authored.read_authored(ROOT / "catalog"))


def simple_inputs() -> dict:
    """Round numbers: one hour makes 1M tokens on either GPU, so every cost can be worked out by hand."""
    per_hour = 1e6 / 3600
    return {
        "model": "M", "model_url": "m.md", "context": 4096, "streams": 1, "input_per_output": 0,
        "hours_per_day": 24, "amortize_months": 36, "usd_per_kwh": 0.1, "electricity": "e",
        "local": {"price": "buy", "hardware": "Card", "format": "Q4_K_M", "usd": 3600, "power_w": 1000,
                  "memory_gb": 5, "tokens_per_s": per_hour},
        "rented": {"price": "rent", "hardware": "Big", "seller": "Cloud", "format": "BF16", "usd_per_hour": 1,
                   "memory_gb": 20, "tokens_per_s": per_hour},
        "apis": [{"price": "api", "name": "API", "input_usd_per_m": 5, "output_usd_per_m": 1.1}],
        "volume_range_m": [1, 10000], "constants": costs.CONSTANTS,
    }  # fmt: skip


def test_costs_worked_by_hand():
    local, rented, api = costs.options(simple_inputs())
    hours = 24 * 365.25 / 12  # 730.5 hours, so 730.5M tokens per GPU a month
    assert local.fixed_usd == pytest.approx(100) and local.usd_per_m == pytest.approx(0.1)  # 1 kWh per 1M
    assert local.capacity_m == pytest.approx(hours) and rented.capacity_m == pytest.approx(hours)
    assert rented.fixed_usd == pytest.approx(hours) and rented.usd_per_m == 0
    assert api.usd_per_m == pytest.approx(1.1) and api.capacity_m is None  # no prompt tokens in this case
    assert costs.monthly_usd(local, 50) == pytest.approx(105)
    assert costs.monthly_usd(local, 1000) == pytest.approx(2 * 100 + 100)  # a second card past 730.5M
    assert costs.machines(rented, 1461.1) == 3
    evens = costs.break_evens([local, rented, api], 1, 10000)
    first = {(e["a"], e["b"]): e for e in reversed(evens)}
    assert first[("local", "api")]["volume_m"] == pytest.approx(100, rel=1e-9)  # 100 + 0.1 V = 1.1 V
    assert first[("local", "api")]["cheaper_after"] == "local"
    assert first[("rented", "api")]["volume_m"] == pytest.approx(hours / 1.1, rel=1e-9)
    assert ("local", "rented") not in first  # owning stays cheaper than renting all the way


def test_prompt_tokens_are_priced_for_apis_only():
    i = simple_inputs()
    i["input_per_output"] = 3
    local, rented, api = costs.options(i)
    assert api.usd_per_m == pytest.approx(3 * 5 + 1.1)
    assert (local.usd_per_m, rented.usd_per_m) == (pytest.approx(0.1), 0)


def test_real_catalog_inputs_come_from_sourced_files(catalog):
    rules = costs.rules()
    found = costs.all_inputs(catalog)
    assert [i["id"] for i in found] == [s["model"] for s in rules["scenarios"]], "a scenario lacks a price or figure"
    for scenario, i in zip(rules["scenarios"], found, strict=True):
        buy = catalog.prices[scenario["local"]["price"]]
        card = catalog.hardware[buy.hardware]
        assert (i["local"]["usd"], i["local"]["power_w"]) == (buy.usd, card.power_w)
        assert i["usd_per_kwh"] == catalog.prices[rules["electricity"]].usd_per_kwh
        model = catalog.models[scenario["model"]].model
        fmt, ctx, streams = scenario["local"]["format"], rules["context"], i["local"]["streams"]
        assert 1 <= streams <= rules["max_streams"]
        # as many conversations as fit: one more would not
        room = hardware.usable_gb(card) - hardware.weights_gb(model)[fmt] - hardware.OVERHEAD_GB
        assert streams == rules["max_streams"] or (streams + 1) * hardware.context_gb(model, ctx) > room
        bound = (streams * card.bandwidth_gb_s * hardware.BANDWIDTH_SHARE
                 / (hardware.active_weights_gb(model, fmt, sequences=streams) + streams * hardware.context_gb(model, ctx)))  # fmt: skip
        params = model.active_params_b or model.params_b
        expected = min(bound, card.bf16_tflops * 1e12 / (2 * params * 1e9)) if card.bf16_tflops else bound
        assert i["local"]["tokens_per_s"] == round(expected)
        assert [a["price"] for a in i["apis"]] == scenario["apis"]
        assert all(catalog.prices[p].as_of is not None for p in scenario["apis"]), "an API price is undated"


def test_cheapest_ranges_change_once_per_change():
    i = simple_inputs()
    found = costs.options(i)
    ranges = costs.cheapest_ranges(found, 1, 10000)
    assert [r["key"] for r in ranges] == ["api", "local"]  # the API up to 100M a month, then owning
    assert ranges[0]["from_m"] == 1 and ranges[-1]["to_m"] == 10000
    assert ranges[0]["to_m"] == ranges[1]["from_m"] == pytest.approx(100)  # where one ends, the next begins


def test_missing_price_leaves_the_comparison_out(catalog):
    rules = copy.deepcopy(costs.rules())
    scenario = rules["scenarios"][0]
    assert costs.inputs(catalog, {**scenario, "apis": ["no-such-price"]}, rules) is None
    rules["context"] = 10_000_000  # not one conversation's KV cache fits beside the weights
    assert costs.inputs(catalog, scenario, rules) is None


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_browser_twin_gives_the_same_answers(catalog):
    real = costs.all_inputs(catalog)[0]
    cases = [simple_inputs(), real]
    for change in ({"hours_per_day": 8}, {"input_per_output": 0.5}, {"amortize_months": 12, "usd_per_kwh": 0.4}):
        cases.append({**copy.deepcopy(real), **change})
    cheap_rent = copy.deepcopy(real)
    cheap_rent["rented"]["usd_per_hour"] = 0.5
    cases.append(cheap_rent)
    volumes = [1, 7.5, 100, 2500, 9999]
    script = """
      const cost = require(process.argv[1]);
      const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
      const out = cases.map(([inputs, volumes]) => {
        const found = cost.options(inputs);
        const [lo, hi] = inputs.volume_range_m;
        return {options: found, costs: volumes.map((v) => found.map((o) => cost.monthlyUsd(o, v))),
                evens: cost.breakEvens(found, lo, hi, inputs.constants)};
      });
      process.stdout.write(JSON.stringify(out));
    """
    payload = json.dumps([[c, volumes] for c in cases])
    done = subprocess.run([NODE, "-e", script, str(ROOT / "overrides/assets/atlas/cost.js")], input=payload,
                          capture_output=True, text=True, check=True)  # fmt: skip
    for case, js in zip(cases, json.loads(done.stdout), strict=True):
        found = costs.options(case)
        assert [o["key"] for o in js["options"]] == [o.key for o in found]
        assert [o["label"] for o in js["options"]] == [o.label for o in found]
        for o, twin in zip(found, js["options"], strict=True):
            assert twin["fixed_usd"] == pytest.approx(o.fixed_usd, rel=1e-12)
            assert twin["usd_per_m"] == pytest.approx(o.usd_per_m, rel=1e-12, abs=1e-15)
            assert twin["capacity_m"] == (None if o.capacity_m is None else pytest.approx(o.capacity_m, rel=1e-12))
        assert js["costs"] == [[pytest.approx(costs.monthly_usd(o, v), rel=1e-12) for o in found] for v in volumes]
        python = costs.break_evens(found, *case["volume_range_m"])
        assert [(e["a"], e["b"], e["cheaper_after"]) for e in js["evens"]] == [
            (e["a"], e["b"], e["cheaper_after"]) for e in python
        ]
        assert [e["volume_m"] for e in js["evens"]] == [pytest.approx(e["volume_m"], rel=1e-9) for e in python]
    assert any(len(r["evens"]) >= 2 for r in json.loads(done.stdout))  # the cases do cross


PRICE = """\
kind: {kind}
name: Example price
seller: Example seller
{body}
as_of: 2025-01-01
sources:
  - url: https://example.org/prices
    supports: [{supports}]
verified: 2025-02-01
"""


def test_price_files_are_checked(write_catalog):
    files = minimal_catalog()
    files["hardware/card.yaml"] = (
        "name: Card\nkind: gpu\nvendor: V\nsegment: consumer\nmemory_gb: 24\nbandwidth_gb_s: 1000\n"
        "sources:\n  - url: https://example.org/card\n    supports: [memory_gb, bandwidth_gb_s]\nverified: 2025-02-01\n"
    )
    files["prices/ok.yaml"] = PRICE.format(kind="purchase", body="hardware: card\nusd: 999", supports="usd")
    files["prices/no-rate.yaml"] = PRICE.format(kind="rental", body="hardware: card", supports="usd")
    files["prices/stray.yaml"] = PRICE.format(
        kind="api", body="input_usd_per_m: 1\noutput_usd_per_m: 2\nusd_per_hour: 3",
        supports="input_usd_per_m, output_usd_per_m, usd_per_hour",
    )  # fmt: skip
    files["prices/ghost.yaml"] = PRICE.format(kind="purchase", body="hardware: ghost\nusd: 5", supports="usd")
    files["prices/unsourced.yaml"] = PRICE.format(kind="electricity", body="usd_per_kwh: 0.2", supports="usd")
    files["prices/negative.yaml"] = PRICE.format(kind="electricity", body="usd_per_kwh: -1", supports="usd_per_kwh")
    root = write_catalog(files)
    _, problems = load_catalog(root / "catalog", root)
    found = sorted(str(p) for p in problems if "prices/" in p.path)
    assert found == [
        "catalog/prices/ghost.yaml:4:11: hardware 'ghost' has no file catalog/hardware/ghost.yaml",
        "catalog/prices/negative.yaml:4:14: usd_per_kwh: input should be greater than 0",
        "catalog/prices/no-rate.yaml:1:7: a price of kind 'rental' needs 'usd_per_hour'",
        "catalog/prices/stray.yaml:6:1: 'usd_per_hour' does not belong in a price of kind 'api'",
        "catalog/prices/unsourced.yaml:4:14: 'usd_per_kwh' has no source: add it to the 'supports' of a source",
    ]
