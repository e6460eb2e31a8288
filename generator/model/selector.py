"""The model selector's ranking, and the compact data the selector page inlines.

One ranking, two runtimes: `rank` here drives the tier pages, use-case pages, trees and the recommendations
export; overrides/assets/atlas/selector.js implements the same steps for the widget. tests/selector_vectors.json
holds both to the same answers.

Fit, for each model that passes the filters (task, context, input modality, tool calling, licence):
- memory = weights in the format + KV cache at the context and cache type + recurrent state + overhead, where the
  cache is computed per layer group as llama.cpp allocates it (generator/model/memory.py: cells padded to 256,
  windowed groups capped at window + 512);
- it must fit the machine's usable memory less the headroom kept free (a share, 10 % unless the reader sets it);
- the format is the first on the model's ladder that fits (hardware.ladder: its native release format, then Q8_0
  down to Q2_K; only the quantizations the catalog's GGUF repositories hold, with their real sizes, when it
  knows any); a model whose memory cannot be computed is never ranked: it is listed as "can't tell", with the
  facts that are missing, and so is a model whose context length or (when tools are required) tool calling is
  unknown;
- N identical GPUs add up their memory (llama.cpp splits layers); given system RAM, a model that fits no other
  way may keep its routed experts (--cpu-moe) or some layers (--n-gpu-layers) there, when that is estimated to
  run at 5 tokens/s or more;
- a low-precision release (FP8, MXFP4, INT4) is run as published by vLLM where the machine's GPU generation
  supports it (catalog/runtimes/vllm.yaml), tensor-parallel across N GPUs.
Order, from cited evidence (generator/model/evidence.py, rules in ranking.yaml): a model with comparable benchmark
scores for the task (general ability when no task is chosen) ranks first, by
        100 x quality - format_cost_per_ppl x llama.cpp's perplexity increase for its format
        - slow_penalty when the estimated speed is under 5 tokens/s;
a model without evidence comes after all of those ("no benchmark evidence for this task"), by
        log2(effective size) - the perplexity increase + 1 per year since 2023 + 1 when the task is its primary
        use - 1 under 5 tokens/s,
effective size being the parameter count of a dense model and sqrt(total x active) of a mixture of experts.
Scores are rounded to 4 decimals and ties go to the id, so both runtimes order identically.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

from .. import routes
from ..catalog.resolve import Catalog, ModelEntry
from ..catalog.schema import Licence
from . import commands, evidence, hardware, memory

EPOCH = dt.date(2023, 1, 1)
SLOW_TOKENS_PER_S = 5.0
TASKS: tuple[tuple[str, str], ...] = (
    ("chat", "General chat"),
    ("coding", "Coding"),
    ("reasoning", "Reasoning and math"),
    ("multilingual", "Multilingual"),
    ("vision", "Vision (images in)"),
    ("edge", "Edge and mobile"),
    ("agents", "Agents and tool calling"),
    ("long", "Long documents"),
    ("embeddings", "Embeddings"),
    ("speech", "Speech recognition"),
)
TASK_KEYS = tuple(key for key, _ in TASKS)
INPUTS = ("text", "image", "audio", "video")
# SPDX ids of licences the Open Source Initiative approved (https://opensource.org/licenses).
OSI_APPROVED = frozenset({"Apache-2.0", "MIT", "BSD-3-Clause", "BSD-2-Clause", "MPL-2.0"})
# Context a task is ranked at when the reader has not chosen one (tier pages, use-case pages, trees):
# long documents at 32K; embeddings at 512 (short passages); speech has no context length to require.
DEFAULT_CONTEXT = 8192
TASK_CONTEXT = {"long": 32768, "embeddings": 512, "speech": 0}
# The memory sizes the site ranks for (tier pages, charts' GPU lines) and how many it lists on each.
TIER_BUDGETS_GB = (8, 12, 16, 24, 48, 80)
TIER_TOP = 5
DEFAULT_HEADROOM = 0.1
HEADROOM_CHOICES = (0, 5, 10, 20, 30)  # per cent, the selector's "keep free" control
RAM_CHOICES = (32, 64, 128, 256)  # GB of system RAM the selector offers for MoE experts
# Every format a model's ladder may use, in one table the rows index.
FORMATS: tuple[str, ...] = (*hardware.GPU_RELEASES, *hardware.LADDER)
# How a format entry of a model can be run (a bit mask in its rows): a GGUF file (llama.cpp, Ollama), the
# publisher's own low-precision release through the GPU runtime (vLLM), or both (gpt-oss's MXFP4).
VIA_GGUF, VIA_RELEASE = 1, 2
EDGE_MAX_PARAMS_B = 4.0  # "edge and mobile": small enough for phones and laptops
LONG_CONTEXT = 131072  # "long documents": 128K tokens or more


def tasks_of(entry: ModelEntry) -> list[str]:
    """The selector tasks a model serves, from its use cases, kind, modalities and facts."""
    m = entry.model
    uses = set(m.use_cases or [])
    inputs = set(m.modalities.input) if m.modalities else set()
    outputs = set(m.modalities.output) if m.modalities else set()
    text_out = "text" in outputs
    checks = {
        "chat": text_out and ("chat" in uses or m.kind in ("instruct", "reasoning", "vision")),
        "coding": text_out and ("coding" in uses or m.kind == "code"),
        "reasoning": text_out and bool(uses & {"reasoning", "math"} or m.kind == "reasoning"),
        "multilingual": text_out and "multilingual" in uses,
        "vision": text_out and "image" in inputs,
        "edge": "on-device" in uses or (m.params_b is not None and m.params_b <= EDGE_MAX_PARAMS_B),
        "agents": text_out and (m.tool_calling is True or "agents" in uses),
        "long": text_out and ((m.context_length or 0) >= LONG_CONTEXT or "long-context" in uses),
        "embeddings": "embedding" in outputs or m.kind == "embedding",
        "speech": "audio" in inputs and text_out and (m.kind == "speech" or "speech-recognition" in uses),
    }
    return [key for key in TASK_KEYS if checks[key]]


def task_context(task: str | None) -> int:
    return TASK_CONTEXT.get(task or "", DEFAULT_CONTEXT)


def primary_task(entry: ModelEntry) -> str | None:
    """The task a model is built for, when it is a specialist (a coder, a reasoner, an embedder...)."""
    by_kind = {
        "code": "coding",
        "reasoning": "reasoning",
        "vision": "vision",
        "embedding": "embeddings",
        "speech": "speech",
    }
    return by_kind.get(entry.model.kind or "")


def _age_years(date: dt.date | None) -> float:
    return 0.0 if date is None else round((date - EPOCH).days / 365.25, 2)


# The widget's data is compact rows; each table names its columns once, and Python, the browser and the tests
# index rows by these names (columns(data, table)), never by position.
COLUMNS: dict[str, tuple[str, ...]] = {
    "models": ("id", "name", "family", "licence", "params_b", "active_params_b", "context_length",
               "layers", "expert_params_b", "cache", "state_bytes", "unknown", "formats", "downloads", "tasks",
               "primary_task", "inputs", "tool_calling", "age_years", "formula", "evidence"),
    "licences": ("id", "name", "commercial_use", "user_cap", "output_training_restriction", "osi_approved"),
    "formats": ("name", "bits", "ppl_increase"),
    "hardware": ("id", "name", "usable_gb", "bandwidth_gb_s", "precisions"),
    "families": ("id", "name"),
    "tasks": ("key", "label"),
    "benchmarks": ("name",),
    "classes": ("label",),
}  # fmt: skip
# The task whose evidence ranks a query with no task: general ability.
GENERAL_TASK = "chat"
NO_EVIDENCE = "no benchmark evidence for this task — placed by size and recency"


def columns(data: dict, table: str) -> dict[str, int]:
    """Column name -> position in each row of one of the data's tables."""
    return {name: i for i, name in enumerate(data["columns"][table])}


def _licence_row(licence_id: str, licence: Licence) -> list:
    return [
        licence_id,
        licence.name,
        licence.commercial_use,
        1 if licence.user_cap else 0,
        1 if licence.output_training_restriction else 0,
        1 if licence.spdx in OSI_APPROVED else 0,
    ]


def memory_columns(model) -> tuple[list, float, str | None, str]:
    """A model's memory as the widget's data states it: cache groups as [bytes per cell at 16 bits, window or
    0], recurrent state bytes per sequence, the facts missing to compute them (None when none are), the formula."""
    found = memory.layout(model)
    if found is None:  # keeps no context: an embedder or a speech model
        return [], 0.0, None if model.params_b is not None else "params_b", "no KV cache"
    missing = [] if model.params_b is not None else ["params_b"]
    if isinstance(found, memory.Unknown):
        return [], 0.0, ", ".join(missing + list(found.missing)), found.formula
    cache = [[g.layers * (g.k + g.v) * 2, g.window or 0] for g in found.cache]
    return cache, found.state_bytes(), ", ".join(missing) or None, found.formula


def format_rows(model, names: list[str], rows: dict[str, list]) -> list[list]:
    """[format index, weights GB from a real file or None, how it runs (VIA_*)] for the formats a model is tried
    in, best first. When the catalog knows GGUF repositories of the model (its download rows), only the GGUF
    formats they hold (a command can fetch them). A low-precision release with a repository comes first, run
    through the GPU runtime where the machine supports it (weights estimated from its precision)."""
    held = {q for _, quants in rows["gguf"] for q in quants}
    out = []
    release = model.weights_precision if model.weights_precision in hardware.GPU_RELEASES and model.hf_repo else None
    for f in hardware.ladder(model):
        if held and f.upper() not in held:
            continue
        found = commands.gguf_repo(rows, f)
        out.append([names.index(f), found[1] if found else None, VIA_GGUF | (VIA_RELEASE if f == release else 0)])
    if release and not any(row[0] == names.index(release) for row in out):
        out.insert(0, [names.index(release), hardware.weights_gb(model)[release], VIA_RELEASE])
    return out


def selector_data(catalog: Catalog) -> dict:
    """Everything the widget needs, as compact rows (the page inlines it; keep it small)."""
    licence_ids = list(catalog.licences)
    family_ids = list(catalog.families)
    format_names = list(FORMATS)
    found_quality = evidence.qualities(catalog, TASK_KEYS)
    benchmark_names = sorted(
        {s.benchmark for q in found_quality.values() for t in q.values() for s in t.used + t.shown}
    )
    class_labels = sorted({s.label for q in found_quality.values() for t in q.values() for s in t.used + t.shown})

    def evidence_rows(model_id: str) -> list[list]:
        """Per task with evidence: [task index, quality, [[benchmark, score, class, independent, comparable]]]."""
        return [
            [TASK_KEYS.index(task), q.quality, [
                [benchmark_names.index(s.benchmark), s.value, class_labels.index(s.label),
                 1 if s.kind == "independent" else 0, 1 if s in q.used else 0]
                for s in sorted(q.used + q.shown, key=lambda s: (s not in q.used, benchmark_names.index(s.benchmark)))
            ]]
            for task, q in found_quality.get(model_id, {}).items()
        ]  # fmt: skip

    models = []
    for entry in catalog.models.values():
        m = entry.model
        cache, state, unknown, formula = memory_columns(m)
        downloads = commands.download_rows(m)
        tasks = tasks_of(entry)
        primary = primary_task(entry)
        inputs = m.modalities.input if m.modalities else []
        models.append(
            [
                entry.id,
                m.name,
                family_ids.index(entry.family_id) if entry.family_id in family_ids else -1,
                licence_ids.index(m.licence) if m.licence in licence_ids else -1,
                m.params_b,
                m.active_params_b if m.active_params_b is not None else m.params_b,
                m.context_length,
                m.config.layers,
                hardware.expert_params_b(m),
                cache,
                state,
                unknown,
                format_rows(m, format_names, downloads),
                downloads,
                sum(1 << TASK_KEYS.index(t) for t in tasks),
                TASK_KEYS.index(primary) if primary else -1,
                sum(1 << INPUTS.index(i) for i in inputs if i in INPUTS),
                {True: 1, False: 0, None: -1}[m.tool_calling],
                _age_years(m.release_date),
                formula,
                evidence_rows(entry.id),
            ]
        )
    return {
        "columns": {table: list(names) for table, names in COLUMNS.items()},
        "constants": {
            "default_context": DEFAULT_CONTEXT,
            "slow_tokens_per_s": SLOW_TOKENS_PER_S,
            "model_page": routes.MODEL_HTML_TEMPLATE,  # {family} and {id} filled in by the widget
            "compare_page": routes.html(routes.MODEL_COMPARE),
            "overhead_gb": hardware.OVERHEAD_GB,
            "headroom": DEFAULT_HEADROOM,
            "cell_padding": memory.CELL_PADDING,
            "micro_batch": memory.MICRO_BATCH,
            "cache_types": memory.CACHE_TYPES,
            "bandwidth_share": hardware.BANDWIDTH_SHARE,
            "ram_bandwidth_gb_s": ram.bandwidth_gb_s if (ram := catalog.hardware.get(hardware.RAM_MACHINE)) else None,
            "general_task": GENERAL_TASK,
            "format_cost_per_ppl": evidence.rules(TASK_KEYS).format_cost_per_ppl,
            "slow_penalty": evidence.rules(TASK_KEYS).slow_penalty,
            "no_evidence": NO_EVIDENCE,
        },
        "benchmarks": [[b] for b in benchmark_names],
        "classes": [[label] for label in class_labels],
        "formats": [[f, hardware.FORMAT[f].bits, hardware.FORMAT[f].ppl_increase] for f in FORMATS],
        "tasks": [list(t) for t in TASKS],
        "inputs": list(INPUTS),
        "licences": [_licence_row(k, v) for k, v in catalog.licences.items()],
        "families": [[k, catalog.families[k].name] for k in family_ids],
        "hardware": [
            [k, h.name, hardware.usable_gb(h), h.bandwidth_gb_s, hardware.gpu_precisions(h, catalog.runtimes)]
            for k, h in catalog.hardware.items()
        ],
        "models": models,
    }


@dataclass(frozen=True)
class Query:
    """What a reader asks: a task, a memory budget (GB) and optionally bandwidth, context, constraints."""

    budget_gb: float
    task: str | None = None
    bandwidth_gb_s: float | None = None
    context: int = DEFAULT_CONTEXT
    input: str | None = None  # a modality the model must accept, e.g. "image"
    tools: bool = False
    tools_unknown: bool = False  # with tools: also rank models whose tool calling is unknown
    cache: str = "f16"  # KV cache type: f16, q8_0 or q4_0 (llama.cpp), or fp8 (vLLM)
    headroom: float = 0.1  # share of the memory kept free for the desktop and the runtime's growth
    gpus: int = 1  # identical GPUs of budget_gb each: llama.cpp splits layers across them, vLLM tensors
    precisions: tuple[str, ...] = ()  # low-precision releases the machine's GPU runtime serves (hardware row)
    ram_gb: float = 0  # system RAM a mixture of experts may keep its routed experts in (llama.cpp --cpu-moe)
    commercial: bool = False
    no_user_cap: bool = False
    free_outputs: bool = False
    osi: bool = False
    limit: int = 10


def machine_query(data: dict, machine_id: str, **choices) -> Query:
    """The query for one of the catalog's machines (its usable memory, bandwidth and GPU-runtime precisions)."""
    h = columns(data, "hardware")
    row = next(found for found in data["hardware"] if found[h["id"]] == machine_id)
    return Query(budget_gb=row[h["usable_gb"]], bandwidth_gb_s=row[h["bandwidth_gb_s"]],
                 precisions=tuple(row[h["precisions"]]), **choices)  # fmt: skip


def round_half_up(x: float, digits: int) -> float:
    """Round half away from zero, as JavaScript's Math.round does for positives: same answers in both."""
    scale = 10**digits
    return math.floor(x * scale + 0.5) / scale


def _licence_ok(row: list | None, c: dict[str, int], q: Query) -> bool:
    if not (q.commercial or q.no_user_cap or q.free_outputs or q.osi):
        return True
    if row is None:
        return False
    return (
        (not q.commercial or row[c["commercial_use"]] != "no")
        and (not q.no_user_cap or not row[c["user_cap"]])
        and (not q.free_outputs or not row[c["output_training_restriction"]])
        and (not q.osi or bool(row[c["osi_approved"]]))
    )


def kv_bytes(cache: list, context: int, data: dict, cache_type: str) -> float:
    """KV cache bytes at `context` tokens: each group's cells (padded; windowed groups capped at window plus a
    micro-batch) times its bytes per cell, scaled from 16 bits to the cache type."""
    k = data["constants"]
    pad = k["cell_padding"]
    cells = -(-context // pad) * pad
    total = 0.0
    for per_cell, window in cache:
        held = cells if not window else -(-min(cells, window + k["micro_batch"]) // pad) * pad
        total += per_cell * held
    return total * k["cache_types"][cache_type] / 2


def budget_gb(q: Query) -> float:
    """The memory a model may take: the usable memory (of every GPU) less the headroom kept free."""
    return round_half_up(q.budget_gb * q.gpus * (1 - q.headroom), 2)


def _screen(data: dict, r: dict, q: Query) -> str | None:
    """Why a model that passes the reader's filters cannot be ranked (what is unknown), or None."""
    if r["unknown"]:
        return r["unknown"] + " unknown"
    if q.context and r["context_length"] is None:
        return "context length unknown"
    if q.tools and r["tool_calling"] == -1 and not q.tools_unknown:
        return "tool calling unknown"
    return None


def _passes(data: dict, r: dict, q: Query, lc: dict[str, int]) -> bool:
    task_bit = 1 << TASK_KEYS.index(q.task) if q.task else 0
    input_bit = 1 << INPUTS.index(q.input) if q.input else 0
    ctx, lic = r["context_length"], r["licence"]
    return (
        (not task_bit or bool(r["tasks"] & task_bit))
        and not (q.context and ctx is not None and ctx < q.context)  # context 0: no requirement
        and (not input_bit or bool(r["inputs"] & input_bit))
        and not (q.tools and r["tool_calling"] == 0)
        and _licence_ok(data["licences"][lic] if lic >= 0 else None, lc, q)
    )


def cant_tell(data: dict, q: Query) -> list[dict]:
    """Models that pass the filters but whose fit cannot be told, each with what is missing, by id."""
    names, lc = data["columns"]["models"], columns(data, "licences")
    out = []
    for row in data["models"]:
        r = dict(zip(names, row, strict=True))
        if _passes(data, r, q, lc) and (why := _screen(data, r, q)):
            out.append({"id": r["id"], "missing": why})
    return sorted(out, key=lambda found: found["id"])


def rank(data: dict, q: Query) -> list[dict]:
    """Models that fit the query, best first, each with its format, memory, speed estimate and reason."""
    names, lc = data["columns"]["models"], columns(data, "licences")
    results = []
    for row in data["models"]:
        r = dict(zip(names, row, strict=True))
        if _passes(data, r, q, lc) and not _screen(data, r, q) and (found := _fit_row(data, r, q)):
            results.append(found)
    results.sort(key=lambda found: (-found["band"], -found["score"], found["id"]))
    return results[: q.limit]


def fit(data: dict, model_id: str, q: Query, row: list | None = None) -> dict:
    """One model on one query, whatever the filters: {"fits": True, ...rank's fields} , {"fits": False}, or
    {"fits": None, "missing": ...} when it cannot be told. Model pages use it (through Rankings.fit, which finds
    the row by id once), so they agree with the ranking."""
    names = data["columns"]["models"]
    row = row if row is not None else next(found for found in data["models"] if found[0] == model_id)
    r = dict(zip(names, row, strict=True))
    if why := _screen(data, r, replace(q, tools=False)):
        return {"fits": None, "missing": why}
    found = _fit_row(data, r, q)
    return {"fits": True, **found} if found else {"fits": False}


def _fit_row(data: dict, r: dict, q: Query) -> dict | None:
    params, active = r["params_b"], r["active_params_b"]
    context_gb = (kv_bytes(r["cache"], q.context, data, q.cache) + r["state_bytes"]) / 1e9
    budget = budget_gb(q)
    share = data["constants"]["bandwidth_share"]
    best = _best_format(data, r, context_gb, budget, q)
    offload = None
    if best is None and q.ram_gb and r["expert_params_b"]:
        offload = _best_offload(data, r, context_gb, budget, q)
    if best is None and offload is None and q.ram_gb and r["layers"]:
        offload = _best_layer_split(data, r, context_gb, budget, q)
    if offload:
        best = (offload["format"], offload["bits"], offload["ppl"], offload["need"], offload["via"], "llama-cpp")
    if best is None:
        return None
    fmt, bits, ppl, need, via, runtime = best
    speed = None
    ram_bandwidth = data["constants"]["ram_bandwidth_gb_s"]
    if offload and q.bandwidth_gb_s and ram_bandwidth:  # part from the GPU, part from system RAM
        from_ram = active_experts_b(r) if offload["kind"] == "experts" else active * offload["ram_share"]
        gpu_bytes = (active - from_ram) * bits / 8 + context_gb
        seconds = gpu_bytes / (q.bandwidth_gb_s * share) + from_ram * bits / 8 / (ram_bandwidth * share)
        speed = round_half_up(1 / seconds, 1)
    elif q.bandwidth_gb_s and not offload:
        # llama.cpp's layer split runs the GPUs one after another; tensor parallelism reads from all at once
        bandwidth = q.bandwidth_gb_s * (q.gpus if runtime == hardware.GPU_RUNTIME else 1)
        speed = round_half_up(bandwidth * share / (active * bits / 8 + context_gb), 1)
    if offload and (speed is None or speed < SLOW_TOKENS_PER_S):
        return None  # spilling into RAM is offered only when it is estimated to run at a usable speed
    primary = r["primary_task"]
    specialist = q.task is not None and primary >= 0 and TASK_KEYS[primary] == q.task
    slow = speed is not None and speed < SLOW_TOKENS_PER_S
    found = _evidence(data, r, q)
    k = data["constants"]
    if found:  # quality from cited scores, less the format's quality cost and a slow speed
        score = round_half_up(100 * found[0] - k["format_cost_per_ppl"] * ppl - (k["slow_penalty"] if slow else 0), 4)
    else:  # no evidence: its own band, below, by size and recency
        effective = params if active == params else math.sqrt(params * active)
        age, bonus, penalty = r["age_years"], 1 if specialist else 0, 1 if slow else 0
        score = round_half_up(math.log2(effective) - ppl + age + bonus - penalty, 4)  # selector.js's order
    tools_unknown = r["tool_calling"] == -1 and q.tools
    return {
        "id": r["id"],
        "format": fmt,
        "runtime": runtime,
        "memory_gb": need,
        "context_gb": round_half_up(context_gb, 2),
        "tokens_per_s": speed,
        "score": score,
        "band": 1 if found else 0,
        "quality": found[0] if found else None,
        "evidence": _evidence_text(data, found),
        "reason": _reason(fmt, need, q, budget, speed, specialist, tools_unknown, offload, runtime),
        "commands": commands_for(r["downloads"], fmt, q, offload, runtime, via),
        "ram_gb": offload["in_ram"] if offload else 0,
    }


def _evidence(data: dict, r: dict, q: Query) -> tuple[float, list] | None:
    """(quality, scores) of a model for the query's task (general ability when none), or None without evidence."""
    task = TASK_KEYS.index(q.task or data["constants"]["general_task"])
    return next(((quality, used) for t, quality, used in r["evidence"] if t == task), None)


def _evidence_text(data: dict, found: tuple[float, list] | None) -> str:
    """The scores a rank rests on, in words: 'GPQA 68.4 (Diamond, thinking), ...: quality 0.71 from 2 comparable
    scores (0 independent)'; scores that cannot be compared are named apart."""
    if not found:
        return data["constants"]["no_evidence"]
    quality, used = found

    def score(s: list) -> str:
        name, label = data["benchmarks"][s[0]][0], data["classes"][s[2]][0]
        return f"{name} {s[1]:g} ({label}{', independent' if s[3] else ''})"

    compared = [s for s in used if s[4]]
    text = ", ".join(score(s) for s in compared) + (
        f": quality {round_half_up(quality, 2):.2f} from {len(compared)} comparable score"
        + ("s" if len(compared) != 1 else "")
        + f" ({sum(s[3] for s in compared)} independent)"
    )
    apart = [score(s) for s in used if not s[4]]
    return text + ("; not comparable: " + ", ".join(apart) if apart else "")


def active_experts_b(r: dict) -> float:
    """Parameters of the routed experts one token uses, billions (active minus the part every token reads)."""
    experts = r["expert_params_b"]
    total, active = r["params_b"], r["active_params_b"]
    shared = total - experts  # attention, embeddings and shared experts
    return max(active - shared, 0.0)


GGUF_CACHES = ("f16", "q8_0", "q4_0")  # the KV cache types llama.cpp offers
RELEASE_CACHES = ("f16", "fp8")  # and vLLM


def _formats(data: dict, r: dict):
    """(format, bits, ppl, weights GB, via) for each of a model's formats, best first (the real file size when
    known); a row without its third element is a GGUF file."""
    f = columns(data, "formats")
    for entry in r["formats"]:
        index, file_gb = entry[0], entry[1]
        row = data["formats"][index]
        weights = file_gb if file_gb is not None else round_half_up(r["params_b"] * row[f["bits"]] / 8, 2)
        via = entry[2] if len(entry) > 2 else VIA_GGUF
        yield row[f["name"]], row[f["bits"]], row[f["ppl_increase"]] or 0, weights, via


def runtime_for(fmt: str, via: int, q: Query) -> str | None:
    """What runs a format entry on the query's machine: the GPU runtime for a release it serves there, else
    llama.cpp for a GGUF file; None when neither can (a GGUF file with vLLM's fp8 cache, say)."""
    if via & VIA_RELEASE and fmt in q.precisions and q.cache in RELEASE_CACHES:
        return hardware.GPU_RUNTIME
    if via & VIA_GGUF and q.cache in GGUF_CACHES:
        return "llama-cpp"
    return None


def _best_format(data: dict, r: dict, context_gb: float, budget: float, q: Query) -> tuple | None:
    """The first of the model's formats (best first) that runs on the machine and whose weights (the real file's
    size when the catalog has it), context memory and overhead (one runtime overhead per GPU) fit."""
    for fmt, bits, ppl, weights, via in _formats(data, r):
        runtime = runtime_for(fmt, via, q)
        need = round_half_up(weights + context_gb + data["constants"]["overhead_gb"] * q.gpus, 2)
        if runtime and need <= budget:
            return fmt, bits, ppl, need, via, runtime
    return None


def _gguf_formats(data: dict, r: dict, q: Query):
    """The formats llama.cpp can run with part of the model in system RAM."""
    return (found for found in _formats(data, r) if runtime_for(found[0], found[4] & VIA_GGUF, q))


def _best_offload(data: dict, r: dict, context_gb: float, budget: float, q: Query) -> dict | None:
    """With --cpu-moe: the best format whose shared part, context and overhead fit the GPUs and whose routed
    experts fit the system RAM the reader gave (less the same headroom)."""
    share_of_experts = r["expert_params_b"] / r["params_b"]
    ram_budget = round_half_up(q.ram_gb * (1 - q.headroom), 2)
    for fmt, bits, ppl, weights, via in _gguf_formats(data, r, q):
        in_ram = round_half_up(weights * share_of_experts, 2)
        need = round_half_up(weights - in_ram + context_gb + data["constants"]["overhead_gb"] * q.gpus, 2)
        if need <= budget and in_ram <= ram_budget:
            return {"kind": "experts", "format": fmt, "bits": bits, "ppl": ppl, "need": need, "in_ram": in_ram,
                    "via": via}  # fmt: skip
    return None


def _best_layer_split(data: dict, r: dict, context_gb: float, budget: float, q: Query) -> dict | None:
    """With --n-gpu-layers N: the best format of which N of the model's layers (N >= 1), the KV cache and the
    overhead fit the GPUs and the other layers fit the system RAM (less the headroom). Weights are spread
    evenly over the layers (an estimate: embeddings and output are counted as layers' share)."""
    layers, ram_budget = r["layers"], round_half_up(q.ram_gb * (1 - q.headroom), 2)
    room = budget - context_gb - data["constants"]["overhead_gb"] * q.gpus
    for fmt, bits, ppl, weights, via in _gguf_formats(data, r, q):
        on_gpu = min(math.floor(room / (weights / layers)), layers - 1) if room > 0 else 0
        in_ram = round_half_up(weights * (layers - on_gpu) / layers, 2)
        if on_gpu >= 1 and in_ram <= ram_budget:
            need = round_half_up(weights - in_ram + context_gb + data["constants"]["overhead_gb"] * q.gpus, 2)
            return {"kind": "layers", "format": fmt, "bits": bits, "ppl": ppl, "need": need, "in_ram": in_ram,
                    "gpu_layers": on_gpu, "ram_share": (layers - on_gpu) / layers, "via": via}  # fmt: skip
    return None


def commands_for(
    downloads: dict, fmt: str, q: Query, offload: dict | None = None, runtime: str = "llama-cpp", via: int = VIA_GGUF
) -> list[list[str]]:
    """[runtime id, command] lines that run a ranked model in its format, or []: the GPU runtime's first when it
    serves the release, then llama.cpp's and Ollama's when a GGUF repository holds the format (commands.for_rows)."""
    lines = []
    if runtime == hardware.GPU_RUNTIME:
        lines.append([runtime, commands.vllm_serve(downloads["safetensors"], q.context, q.cache, q.gpus)])
    if via & VIA_GGUF and q.cache in GGUF_CACHES:
        experts = offload is not None and offload["kind"] == "experts"
        gpu_layers = offload["gpu_layers"] if offload is not None and offload["kind"] == "layers" else None
        lines += [list(line) for line in commands.for_rows(downloads, fmt, q.context, q.cache, experts, gpu_layers)]
    return lines


def _reason(
    fmt: str,
    need: float,
    q: Query,
    budget: float,
    speed: float | None,
    specialist: bool,
    tools_unknown: bool,
    offload: dict | None = None,
    runtime: str = "llama-cpp",
) -> str:
    parts = []
    if specialist:
        parts.append("built for " + dict(TASKS)[q.task or ""].lower())
    parts.append(f"{fmt} needs {round_half_up(need, 1):.1f} of {budget:g} GB")
    if runtime == hardware.GPU_RUNTIME:
        parts.append("the publisher's own weights, served by vLLM")
    if offload and offload["kind"] == "experts":
        parts.append(f"its experts ({round_half_up(offload['in_ram'], 1):.1f} GB) in system RAM")
    elif offload:
        parts.append(
            f"{offload['gpu_layers']} layers on the GPU, {round_half_up(offload['in_ram'], 1):.1f} GB in system RAM"
        )
    if q.gpus > 1:
        parts.append(
            f"split across {q.gpus} GPUs " + ("tensor-parallel" if runtime == hardware.GPU_RUNTIME else "by layer")
        )
    if speed is not None:
        parts.append(
            f"about {round_half_up(speed, 0):.0f} tokens/s (estimate)"
            + (" (slow)" if speed < SLOW_TOKENS_PER_S else "")
        )
    if tools_unknown:
        parts.append("tool calling unknown")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


class Rankings:
    """The rankings one build shows, each computed once: tier pages, use-case pages, charts and decision
    trees that ask the same question (a query, whatever its limit) share one answer."""

    def __init__(self, data: dict):
        self.data = data
        self._ranked: dict[Query, list[dict]] = {}
        self._rows = {row[0]: row for row in data["models"]}

    def fit(self, model_id: str, q: Query) -> dict:
        """One model on one query (selector.fit), its row found by id in one step."""
        return fit(self.data, model_id, q, self._rows[model_id])

    def __call__(self, query: Query) -> list[dict]:
        everything = replace(query, limit=len(self.data["models"]))
        if everything not in self._ranked:
            self._ranked[everything] = rank(self.data, everything)
        return self._ranked[everything][: query.limit]

    def tier(self, budget_gb: float, task: str, limit: int = TIER_TOP, commercial: bool = False) -> list[dict]:
        """The ranking a tier or use-case page shows: a task at its own context, for a GPU of that memory size
        (its spec sheet's GB, which are GiB: the same usable memory the selector uses for such a card); the
        decision trees ask it with commercial use required too."""
        query = Query(budget_gb=tier_usable_gb(budget_gb), task=task, context=task_context(task), limit=limit,
                      commercial=commercial)  # fmt: skip
        return self(query)


def tier_usable_gb(spec_gb: float) -> float:
    """Usable memory of a GPU sold as `spec_gb` GB (binary, as spec sheets mean it), as hardware.usable_gb."""
    return round(spec_gb * hardware.GIB / 1e9, 2)
