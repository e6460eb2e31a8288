"""The model selector's ranking, and the compact data the selector page inlines.

One ranking, two runtimes: `rank` here drives the tier pages (and the PDF); overrides/assets/atlas/selector.js
implements the same steps for the widget. tests/selector_vectors.json holds both to the same answers.

Ranking, for each model that passes the filters (task, context, input modality, tool calling, licence):
1. the best format on the quantization ladder whose weights + KV cache at the needed context + overhead fit;
2. score = log2(effective size) - llama.cpp's perplexity increase for that format
          + 1 per year since 2023 (newer models do more per parameter)
          + 1 when the task is the model's primary use (a coder for coding)
          - 1 when the estimated speed is under 5 tokens/s;
   effective size is the parameter count of a dense model and sqrt(total x active) of a mixture of experts.
Scores are rounded to 4 decimals and ties go to the id, so both runtimes order identically.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

from .. import routes
from ..catalog.resolve import Catalog, ModelEntry
from ..catalog.schema import Licence
from . import hardware

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
               "kv_full_bytes", "kv_window_bytes", "window", "tasks", "primary_task", "inputs", "tool_calling",
               "age_years"),
    "licences": ("id", "name", "commercial_use", "user_cap", "output_training_restriction", "osi_approved"),
    "formats": ("name", "bits", "ppl_increase"),
    "hardware": ("id", "name", "usable_gb", "bandwidth_gb_s"),
    "families": ("id", "name"),
    "tasks": ("key", "label"),
}  # fmt: skip


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


def selector_data(catalog: Catalog) -> dict:
    """Everything the widget needs, as compact rows (the page inlines it; keep it small)."""
    licence_ids = list(catalog.licences)
    family_ids = list(catalog.families)
    models = []
    for entry in catalog.models.values():
        m = entry.model
        shape = hardware.kv_shape(m)
        text_out = m.modalities is not None and "text" in m.modalities.output
        kv = [None, 0, 0] if text_out and shape is None else [0, 0, 0]
        if shape:
            kv = [round(shape.full_bytes), round(shape.window_bytes), shape.window]
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
                *kv,
                sum(1 << TASK_KEYS.index(t) for t in tasks),
                TASK_KEYS.index(primary) if primary else -1,
                sum(1 << INPUTS.index(i) for i in inputs if i in INPUTS),
                {True: 1, False: 0, None: -1}[m.tool_calling],
                _age_years(m.release_date),
            ]
        )
    return {
        "columns": {table: list(names) for table, names in COLUMNS.items()},
        "constants": {
            "default_context": DEFAULT_CONTEXT,
            "slow_tokens_per_s": SLOW_TOKENS_PER_S,
            "model_page": routes.MODEL_HTML_TEMPLATE,  # {family} and {id} filled in by the widget
        },
        "formats": [[f, hardware.FORMAT[f].bits, hardware.FORMAT[f].ppl_increase] for f in hardware.LADDER],
        "overhead": hardware.OVERHEAD_GB,
        "tasks": [list(t) for t in TASKS],
        "inputs": list(INPUTS),
        "licences": [_licence_row(k, v) for k, v in catalog.licences.items()],
        "families": [[k, catalog.families[k].name] for k in family_ids],
        "hardware": [[k, h.name, hardware.usable_gb(h), h.bandwidth_gb_s] for k, h in catalog.hardware.items()],
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
    commercial: bool = False
    no_user_cap: bool = False
    free_outputs: bool = False
    osi: bool = False
    limit: int = 10


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


def rank(data: dict, q: Query) -> list[dict]:
    """Models that fit the query, best first, each with its format, memory, speed bound and reason."""
    task_bit = 1 << TASK_KEYS.index(q.task) if q.task else 0
    input_bit = 1 << INPUTS.index(q.input) if q.input else 0
    names, lc = data["columns"]["models"], columns(data, "licences")
    results = []
    for row in data["models"]:
        r = dict(zip(names, row, strict=True))
        params, active, ctx, tasks = r["params_b"], r["active_params_b"], r["context_length"], r["tasks"]
        if task_bit and not tasks & task_bit:
            continue
        if params is None or (q.context and (ctx is None or ctx < q.context)):
            continue  # context 0: no requirement (speech, short embeddings)
        if input_bit and not r["inputs"] & input_bit:
            continue
        if q.tools and r["tool_calling"] != 1:
            continue
        lic = r["licence"]
        if not _licence_ok(data["licences"][lic] if lic >= 0 else None, lc, q):
            continue
        kv_full = r["kv_full_bytes"]  # None: the config is unknown
        kv_gb = ((kv_full or 0) * q.context + r["kv_window_bytes"] * min(q.context, r["window"])) / 1e9
        fit = _best_format(data, params, kv_gb, q.budget_gb)
        if fit is None:
            continue
        fmt, bits, ppl, memory = fit
        speed = None
        if q.bandwidth_gb_s:
            speed = round_half_up(q.bandwidth_gb_s / (active * bits / 8 + kv_gb), 1)
        effective = params if active == params else math.sqrt(params * active)
        primary = r["primary_task"]
        specialist = q.task is not None and primary >= 0 and TASK_KEYS[primary] == q.task
        slow = speed is not None and speed < SLOW_TOKENS_PER_S
        age, bonus, penalty = r["age_years"], 1 if specialist else 0, 1 if slow else 0
        score = round_half_up(math.log2(effective) - ppl + age + bonus - penalty, 4)  # selector.js's order
        reason = _reason(fmt, memory, q, speed, specialist, kv_full is None)
        results.append(
            {"id": r["id"], "format": fmt, "memory_gb": memory, "tokens_per_s": speed, "score": score, "reason": reason}
        )
    results.sort(key=lambda found: (-found["score"], found["id"]))
    return results[: q.limit]


def _best_format(data: dict, params: float, kv_gb: float, budget_gb: float) -> tuple | None:
    """The first format on the ladder (best first) whose weights, KV cache and overhead fit the budget."""
    f = columns(data, "formats")
    for row in data["formats"]:
        fmt, bits, ppl = row[f["name"]], row[f["bits"]], row[f["ppl_increase"]]
        memory = round_half_up(round_half_up(params * bits / 8, 2) + kv_gb + data["overhead"], 2)
        if memory <= budget_gb:
            return fmt, bits, ppl, memory
    return None


def _reason(fmt: str, memory: float, q: Query, speed: float | None, specialist: bool, kv_unknown: bool) -> str:
    parts = []
    if specialist:
        parts.append("built for " + dict(TASKS)[q.task or ""].lower())
    parts.append(f"{fmt} needs {round_half_up(memory, 1):.1f} of {q.budget_gb:g} GB")
    if kv_unknown:
        parts.append("KV cache not counted (config unknown)")
    if speed is not None:
        parts.append(f"up to {round_half_up(speed, 0):.0f} tokens/s" + (" (slow)" if speed < SLOW_TOKENS_PER_S else ""))
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


class Rankings:
    """The rankings one build shows, each computed once: tier pages, use-case pages, charts and decision
    trees that ask the same question (a query, whatever its limit) share one answer."""

    def __init__(self, data: dict):
        self.data = data
        self._ranked: dict[Query, list[dict]] = {}

    def __call__(self, query: Query) -> list[dict]:
        everything = replace(query, limit=len(self.data["models"]))
        if everything not in self._ranked:
            self._ranked[everything] = rank(self.data, everything)
        return self._ranked[everything][: query.limit]

    def tier(self, budget_gb: float, task: str, limit: int = TIER_TOP) -> list[dict]:
        """The ranking a tier or use-case page shows: a task at its own context, for one memory size."""
        return self(Query(budget_gb=budget_gb, task=task, context=task_context(task), limit=limit))
