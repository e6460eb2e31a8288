"""The selector's ranking: hand-worked vectors, and the same answers from Python and from the widget's JS."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from generator.catalog import authored, resolve
from generator.model import hardware, memory, selector

ROOT = Path(__file__).resolve().parent.parent
VECTORS = json.loads((Path(__file__).parent / "selector_vectors.json").read_text())
NODE = shutil.which("node")


def query(raw: dict) -> selector.Query:
    return selector.Query(**{k: tuple(v) if k == "precisions" else v for k, v in raw.items()})


def rank_in_node(data: dict, queries: list[dict]) -> list[list[dict]]:
    assert NODE, "Node.js is needed for the selector parity tests"
    payload = json.dumps({"data": data, "queries": queries})
    done = subprocess.run(
        [NODE, str(Path(__file__).parent / "js" / "rank.cjs")], input=payload, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def catalog_data():
    return selector.selector_data(resolve.resolve(authored.read_authored(ROOT / "catalog")))


@pytest.mark.parametrize("vector", VECTORS["queries"], ids=lambda v: json.dumps(v["q"], sort_keys=True))
def test_hand_worked_vectors(vector):
    results = selector.rank(VECTORS["data"], query(vector["q"]))
    assert [r["id"] for r in results] == vector["expect"]
    assert [u["id"] for u in selector.cant_tell(VECTORS["data"], query(vector["q"]))] == vector["unknown"]
    if "formats" in vector:
        assert [r["format"] for r in results] == vector["formats"]
    if "commands" in vector:  # the second result is a-7b, the one model with a known repository
        assert [r["commands"] for r in results] == [[], vector["commands"]]
    for r in results:
        assert r["memory_gb"] <= selector.budget_gb(query(vector["q"]))


def catalog_queries(data: dict) -> list[dict]:
    tasks = [None, *selector.TASK_KEYS]
    budgets = [6, 8, 12, 16, 24, 48, 80, 200]
    flags = [{}, {"commercial": True}, {"no_user_cap": True, "free_outputs": True}, {"osi": True, "tools": True}]
    queries = []
    for task, budget, flag in itertools.product(tasks, budgets, flags):
        queries.append({"budget_gb": budget, "task": task, "context": 8192, "limit": 20, **flag})
    for machine in data["hardware"]:
        queries.append({"budget_gb": machine[2], "bandwidth_gb_s": machine[3], "context": 32768, "limit": 50})
        queries.append({"budget_gb": machine[2], "bandwidth_gb_s": machine[3], "context": 131072, "limit": 50,
                        "cache": "q8_0", "headroom": 0.2, "tools": True, "tools_unknown": True})  # fmt: skip
        queries.append({"budget_gb": machine[2], "context": 5000, "cache": "q4_0", "headroom": 0, "tools": True})
        queries.append({"budget_gb": machine[2], "bandwidth_gb_s": machine[3], "gpus": 4, "context": 65536,
                        "precisions": machine[4]})  # fmt: skip
        queries.append({"budget_gb": machine[2], "bandwidth_gb_s": machine[3], "gpus": 8, "context": 32768,
                        "precisions": machine[4], "cache": "fp8", "limit": 50})  # fmt: skip
        queries.append({"budget_gb": machine[2], "bandwidth_gb_s": machine[3], "ram_gb": 128, "context": 32768,
                        "limit": 50})  # fmt: skip
    queries.append({"budget_gb": 48, "input": "image", "context": 131072})
    queries.append({"budget_gb": 8, "task": "speech", "context": 0})
    return queries


def both(data: dict, q: dict) -> list:
    return [selector.rank(data, query(q)), selector.cant_tell(data, query(q))]


def test_python_and_javascript_agree_on_the_vectors():
    raw = [v["q"] for v in VECTORS["queries"]]
    assert rank_in_node(VECTORS["data"], raw) == [both(VECTORS["data"], q) for q in raw]


def test_python_and_javascript_agree_on_the_catalog(catalog_data):
    raw = catalog_queries(catalog_data)
    python = [both(catalog_data, q) for q in raw]
    assert sum(len(ranked) for ranked, _ in python) > 1000 and any(unknown for _, unknown in python)
    assert rank_in_node(catalog_data, raw) == python


def test_catalog_ranking_respects_every_constraint(catalog_data):
    m, lc = selector.columns(catalog_data, "models"), selector.columns(catalog_data, "licences")
    by_id = {row[m["id"]]: row for row in catalog_data["models"]}
    results = selector.rank(catalog_data, selector.Query(budget_gb=8, task="coding", commercial=True, limit=50))
    assert results
    for r in results:
        row = by_id[r["id"]]
        assert r["memory_gb"] <= 8 * (1 - selector.DEFAULT_HEADROOM)
        assert catalog_data["licences"][row[m["licence"]]][lc["commercial_use"]] != "no"
        assert row[m["tasks"]] & (1 << selector.TASK_KEYS.index("coding"))


def test_every_table_names_its_columns(catalog_data):
    """The widget's data carries its column names and constants: Python, the browser and the tests index
    rows by name (a column added or moved cannot silently shift another)."""
    for table, names in selector.COLUMNS.items():
        assert catalog_data["columns"][table] == list(names)
        assert all(len(row) == len(names) for row in catalog_data[table]), table
    assert catalog_data["constants"] == {
        "default_context": selector.DEFAULT_CONTEXT,
        "slow_tokens_per_s": selector.SLOW_TOKENS_PER_S,
        "model_page": "models/{family}/{id}.html",
        "compare_page": "models/compare.html",
        "overhead_gb": hardware.OVERHEAD_GB,
        "headroom": selector.DEFAULT_HEADROOM,
        "cell_padding": memory.CELL_PADDING,
        "micro_batch": memory.MICRO_BATCH,
        "cache_types": memory.CACHE_TYPES,
        "bandwidth_share": hardware.BANDWIDTH_SHARE,
        "ram_bandwidth_gb_s": 89.6,  # catalog/hardware/cpu-ddr5-64gb.yaml
        "general_task": "chat",
        "format_cost_per_ppl": 10.0,  # generator/model/ranking.yaml
        "slow_penalty": 20.0,
        "no_evidence": selector.NO_EVIDENCE,
    }


def test_models_with_evidence_rank_first_and_say_what_it_is(catalog_data):
    """A model with comparable scores for the task ranks on them, above every model without, whatever their size;
    a model without says so. Within the evidence band the score is 100 x quality less the format's cost."""
    m = selector.columns(catalog_data, "models")
    quality = {row[m["id"]]: {t: q for t, q, _ in row[m["evidence"]]} for row in catalog_data["models"]}
    coding = selector.TASK_KEYS.index("coding")
    ranked = selector.rank(catalog_data, selector.Query(budget_gb=24, task="coding", limit=500))
    bands = [r["band"] for r in ranked]
    assert bands == sorted(bands, reverse=True) and 0 in bands and 1 in bands
    for r in ranked:
        if r["band"]:
            ppl = next(f[2] for f in catalog_data["formats"] if f[0] == r["format"]) or 0
            assert r["score"] == pytest.approx(100 * quality[r["id"]][coding] - 10 * ppl, abs=1e-3)
            assert "comparable score" in r["evidence"]
        else:
            assert coding not in quality[r["id"]] and r["evidence"] == selector.NO_EVIDENCE
    embed = selector.rank(catalog_data, selector.Query(budget_gb=8, task="embeddings", context=512))
    assert {"bge-m3", "nomic-embed-text-v1.5"} <= {r["id"] for r in embed}


def test_tier_pages_and_the_selector_agree_on_the_same_card(catalog_data):
    """One memory budget: the 16 GB tier page ranks exactly what the selector ranks for a 16 GB card."""
    h = selector.columns(catalog_data, "hardware")
    card = next(row for row in catalog_data["hardware"] if row[h["id"]] == "rtx-4060-ti-16gb")
    assert selector.tier_usable_gb(16) == card[h["usable_gb"]]
    rankings = selector.Rankings(catalog_data)
    for task in selector.TASK_KEYS:
        tier = rankings.tier(16, task)
        picked = selector.rank(
            catalog_data,
            selector.machine_query(
                catalog_data, "rtx-4060-ti-16gb", task=task, context=selector.task_context(task), limit=5
            ),
        )
        assert [r["id"] for r in tier] == [r["id"] for r in picked], task
        assert all(r["memory_gb"] <= selector.budget_gb(selector.Query(budget_gb=card[h["usable_gb"]])) for r in tier)


def test_recommendations_export_is_the_ranking_with_commands():
    from generator.render import exports

    catalog = resolve.resolve(authored.read_authored(ROOT / "catalog"))
    data = selector.selector_data(catalog)
    found = exports.recommendations(catalog, selector.Rankings(data))
    assert len(found.results) == len(data["hardware"]) * len(selector.TASK_KEYS)
    budgets = {h.id: h.budget_gb for h in found.hardware}
    with_command = 0
    for result in found.results:
        for r in result.ranked:
            assert r.memory_gb <= budgets[result.hardware]
            assert r.weights_gb + r.kv_gb <= r.memory_gb
            if r.command:
                with_command += 1
                model = catalog.models[r.model].model
                if r.runtime == "vllm":  # the publisher's own release, served where the GPU supports it
                    assert r.command.startswith(f"vllm serve {model.hf_repo} ") and r.format == model.weights_precision
                else:
                    repo = r.command.split(" -hf ")[1].split(":")[0]
                    assert repo in {d.repo for d in model.downloads}
        assert all(u["missing"].endswith("unknown") for u in result.cant_tell)
    assert with_command > 100
    assert any(r.runtime == "vllm" for result in found.results for r in result.ranked)
    h100 = next(r for r in found.results if r.hardware == "h100-sxm" and r.task == "chat")
    for r in h100.ranked:  # one sequence is the ranking's own estimate (from rounded figures here)
        assert r.aggregate_tokens_per_s["1"] == pytest.approx(r.tokens_per_s, rel=0.02)
        if r.aggregate_tokens_per_s["8"] is not None:
            assert r.aggregate_tokens_per_s["8"] > r.aggregate_tokens_per_s["1"]


def test_what_does_not_fit_can_keep_part_of_itself_in_system_ram(catalog_data):
    """Only when the whole model does not fit: with 128 GB of RAM, a 24 GB card runs a big MoE with its experts
    in RAM (--cpu-moe), and a big dense model with some layers on the GPU (--n-gpu-layers)."""
    q = selector.Query(budget_gb=25.77, bandwidth_gb_s=1008, context=8192, ram_gb=128, limit=500)
    offloaded = [r for r in selector.rank(catalog_data, q) if r["ram_gb"]]
    alone = {r["id"] for r in selector.rank(catalog_data, replace(q, ram_gb=0))}
    experts = [r for r in offloaded if "experts" in r["reason"]]
    layers = [r for r in offloaded if "layers on the GPU" in r["reason"]]
    assert experts and layers and len(experts) + len(layers) == len(offloaded)
    for r in offloaded:
        assert r["id"] not in alone
        assert r["ram_gb"] <= 128 * 0.9 and r["memory_gb"] <= selector.budget_gb(q)
    assert all("--cpu-moe" in c for r in experts for _, c in r["commands"])
    assert all("--n-gpu-layers" in c for r in layers for _, c in r["commands"])


def test_the_compare_pages_fit_is_the_rankings_fit(catalog_data):
    """One model on one machine, as the compare page asks it (selector.js fitOne) and as the model pages ask it
    (selector.fit): the same answer for every model, on a laptop GPU and a data-centre GPU."""
    m = selector.columns(catalog_data, "models")
    queries = []
    for machine in ("rtx-4090", "h100-sxm"):
        q = selector.machine_query(catalog_data, machine, context=32768)
        raw = {"budget_gb": q.budget_gb, "bandwidth_gb_s": q.bandwidth_gb_s, "precisions": list(q.precisions),
               "context": q.context}  # fmt: skip
        queries += [{**raw, "fit": row[m["id"]]} for row in catalog_data["models"]]
    expected = []
    for raw in queries:
        fields = {k: tuple(v) if k == "precisions" else v for k, v in raw.items() if k != "fit"}
        expected.append(selector.fit(catalog_data, raw["fit"], selector.Query(**fields)))
    assert rank_in_node(catalog_data, queries) == expected
