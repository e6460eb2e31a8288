"""Machine-readable exports under api/: models.json, models.csv, licences.json, runs.json and the JSON Schemas.

Records are built as ExportModel / ExportLicence objects (defined here), so the JSON Schema published
beside them describes exactly what is written. Output is stable: sorted keys, fixed order.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from typing import Any, Literal

from pydantic import BaseModel, Field

from .. import routes
from ..catalog.fields import Architecture, Kind, Modality, SourceKind, Strict, Ternary, UseCase
from ..catalog.resolve import Catalog, ModelEntry
from ..catalog.schema import Config, Licence, Model, WeightsPrecision
from ..catalog.schemafiles import dump_json, file_schemas
from ..model import hardware, memory, selector

CSV_COLUMNS = (
    "id",
    "name",
    "family",
    "publisher",
    "release_date",
    "license",
    "commercial_use",
    "kind",
    "params_b",
    "active_params_b",
    "architecture",
    "context_length",
    "tool_calling",
    "hf_repo",
    "ollama_tag",
    "url",
)


class ExportMemory(Strict):
    weights_gb: dict[str, float | None] = Field(description="Weights in GB (10^9 bytes) per quantization.")
    kv_cache_gb: dict[str, float | None] = Field(
        description="16-bit KV cache for one sequence, GB, by context length in tokens (a string of the integer: "
        "4096, 32768, 131072 and the model's maximum), as llama.cpp allocates it (cells padded to 256, "
        "sliding-window and chunked layers capped at window + 512); null where it cannot be computed."
    )
    state_gb: float | None = Field(
        description="Fixed recurrent state per sequence (linear-attention and state-space layers), GB, whatever "
        "the context; 0 without such layers; null where it cannot be computed."
    )
    formula: str | None = Field(description="The memory formula in words, or what is missing to compute it.")


class ExportScore(Strict):
    score: float
    source: str
    setting: str | None
    kind: SourceKind
    as_of: str | None


def described(schema: type[BaseModel], name: str) -> Any:
    """An export field described by the authored field it comes from: each field has one sentence, written
    in the schema where contributors see it too."""
    return Field(description=schema.model_fields[name].description)


class ExportModel(Strict):
    """One object of api/models.json. Unknown is null, never a guess."""

    id: str = Field(description="The file name without .yaml; unique across the catalog.")
    name: str = described(Model, "name")
    family: str = Field(description="Family id (folder under catalog/models/).")
    publisher: str = Field(description="Who released the weights.")
    release_date: str | None = described(Model, "release_date")
    license: str | None = described(Model, "licence")
    license_name: str | None = described(Licence, "name")
    commercial_use: Ternary | None = described(Licence, "commercial_use")
    kind: Kind | None = described(Model, "kind")
    params_b: float | None = described(Model, "params_b")
    active_params_b: float | None = described(Model, "active_params_b")
    architecture: Architecture | None = described(Model, "architecture")
    context_length: int | None = described(Model, "context_length")
    modalities: dict[Literal["input", "output"], list[Modality]] | None = described(Model, "modalities")
    tool_calling: bool | None = described(Model, "tool_calling")
    hf_repo: str | None = described(Model, "hf_repo")
    ollama_tag: str | None = described(Model, "ollama_tag")
    url: str = Field(description="Path of the model's page, relative to the site root.")
    config: Config = described(Model, "config")
    weights_precision: WeightsPrecision | None = described(Model, "weights_precision")
    gated: bool | None = described(Model, "gated")
    vision_encoder_params_b: float | None = described(Model, "vision_encoder_params_b")
    audio_encoder_params_b: float | None = described(Model, "audio_encoder_params_b")
    memory: ExportMemory = Field(description="Computed memory needs (see the model page for the method).")
    benchmarks: dict[str, ExportScore] = described(Model, "benchmarks")
    use_cases: list[UseCase] = described(Model, "use_cases")
    verified: str = described(Model, "verified")
    sources: list[dict[str, object]] = Field(description="Sources: url, kind, and the fields each supports.")


class ExportLicence(Strict):
    """One object of api/licences.json: the licence file's terms plus where it is used."""

    id: str = Field(description="The licence file name without .yaml.")
    name: str = described(Licence, "name")
    spdx: str | None = described(Licence, "spdx")
    text_url: str = described(Licence, "text_url")
    summary: str = described(Licence, "summary")
    commercial_use: Ternary = described(Licence, "commercial_use")
    commercial_use_note: str | None = described(Licence, "commercial_use_note")
    user_cap: str | None = described(Licence, "user_cap")
    output_training_restriction: str | None = described(Licence, "output_training_restriction")
    attribution: str | None = described(Licence, "attribution")
    redistribution: Ternary = described(Licence, "redistribution")
    redistribution_note: str | None = described(Licence, "redistribution_note")
    acceptable_use_policy: str | None = described(Licence, "acceptable_use_policy")
    territory_restriction: str | None = described(Licence, "territory_restriction")
    territory_checked: bool = Field(
        description="Whether the licence file states territory_restriction (null then means none); false: unknown."
    )
    gated_download: bool = described(Licence, "gated_download")
    url: str = Field(description="Path of the licence's page, relative to the site root.")
    models: list[str] = Field(description="Ids of the catalog's models under this licence.")
    sources: list[dict[str, object]] = Field(description="Sources of the terms.")


EXPORT_SCHEMAS: dict[str, type[Strict]] = {"models": ExportModel, "licences": ExportLicence}


def _sources(sources) -> list[dict[str, object]]:
    return [s.model_dump(mode="json", exclude_none=True) for s in sources]


def export_model(entry: ModelEntry) -> ExportModel:
    m, c = entry.model, entry.model.config
    return ExportModel(
        id=entry.id,
        name=m.name,
        family=entry.family_id,
        publisher=entry.family.publisher if entry.family else "",
        release_date=m.release_date.isoformat() if m.release_date else None,
        license=m.licence,
        license_name=entry.licence.name if entry.licence else None,
        commercial_use=entry.licence.commercial_use if entry.licence else None,
        kind=m.kind,
        params_b=m.params_b,
        active_params_b=m.active_params_b,
        architecture=m.architecture,
        context_length=m.context_length,
        modalities={"input": list(m.modalities.input), "output": list(m.modalities.output)} if m.modalities else None,
        tool_calling=m.tool_calling,
        hf_repo=m.hf_repo,
        ollama_tag=m.ollama_tag,
        url=routes.html(routes.model(entry)),
        config=c.model_copy(update={"head_dim": memory.head_dim(m)}),  # head_dim worked out when not stated
        weights_precision=m.weights_precision,
        gated=m.gated,
        vision_encoder_params_b=m.vision_encoder_params_b,
        audio_encoder_params_b=m.audio_encoder_params_b,
        memory=_memory(m),
        benchmarks={
            name: ExportScore(
                score=s.score,
                source=s.source,
                setting=s.setting,
                kind=s.kind,
                as_of=s.as_of.isoformat() if s.as_of else None,
            )
            for name, s in sorted(m.benchmarks.items())
        },
        use_cases=list(m.use_cases or []),
        verified=m.verified.isoformat(),
        sources=_sources(entry.sources),
    )


def export_licence(licence_id: str, catalog: Catalog) -> ExportLicence:
    licence = catalog.licences[licence_id]
    data = licence.model_dump(mode="json", exclude={"sources", "common_mistakes"})
    return ExportLicence(
        id=licence_id,
        url=routes.html(routes.licence(licence_id)),
        models=[e.id for e in catalog.models.values() if e.model.licence == licence_id],
        sources=_sources(licence.sources),
        territory_checked="territory_restriction" in licence.model_fields_set,
        **data,
    )


def models_csv(records: list[ExportModel]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in records:
        row = r.model_dump(mode="json")
        writer.writerow(["" if row[k] is None else row[k] for k in CSV_COLUMNS])
    return out.getvalue()


def json_schemas() -> dict[str, str]:
    """JSON Schema of each catalog file kind (for editors) and of each export, as published under api/."""
    files = {routes.json_schema(name): dump_json(schema) for name, schema in file_schemas().items()}
    files.update(
        {
            routes.json_schema(f"{name}-export"): dump_json(cls.model_json_schema())
            for name, cls in EXPORT_SCHEMAS.items()
        }
    )
    return files


class RecommendedHardware(Strict):
    id: str
    name: str
    usable_gb: float = Field(description="Memory a model may use on it, GB (spec-sheet GiB converted).")
    budget_gb: float = Field(description="usable_gb less the headroom kept free: what the ranking fits into.")
    headroom: float = Field(description="Share of usable_gb kept free for the desktop and the runtime's growth.")
    bandwidth_gb_s: float | None


class EvidenceScore(Strict):
    benchmark: str
    score: float
    setting: str | None = Field(description="The setting as the source states it.")
    compared_as: str = Field(description="The comparison class: version and mode (generator/model/ranking.yaml).")
    kind: str = Field(description="publisher or independent")
    comparable: bool = Field(description="Whether enough comparable scores exist to place it (it counts only then).")
    source: str


class Recommended(Strict):
    model: str = Field(description="Catalog id of the model.")
    runtime: str = Field(description="Runtime the format and command are for (catalog/runtimes id).")
    format: str = Field(description="The format chosen: the best of the model's ladder that fits.")
    memory_gb: float = Field(description="Weights + KV cache and state + runtime overhead, GB.")
    weights_gb: float
    kv_gb: float = Field(description="KV cache plus recurrent state at the context, GB.")
    tokens_per_s: float | None = Field(description="Decode speed estimate, tokens/s (null without a bandwidth).")
    aggregate_tokens_per_s: dict[str, float | None] = Field(
        description="Estimated decode tokens/s summed over 1, 8 and 32 concurrent sequences (memory-bound: each "
        "step reads the active weights once and every sequence's KV cache); null where that many sequences' "
        "caches do not fit or the bandwidth is unknown."
    )
    command: str | None = Field(
        description="The first command that runs it (the runtime's), or null when no repository is known."
    )
    evidence: list[EvidenceScore] = Field(
        description="The benchmark scores its rank rests on (comparable ones first); empty when it has none for the task."
    )
    band: int = Field(
        description="1: ranked on benchmark evidence; 0: no evidence for the task, placed by size and recency below."
    )
    score: float = Field(
        description="Band 1: 100 x quality - format cost - slow penalty; band 0: the size-and-recency score."
    )
    reason: list[str] = Field(description="Why it fits: format, memory, runtime, speed.")


class RecommendationSet(Strict):
    hardware: str
    task: str
    context: int
    ranked: list[Recommended]
    cant_tell: list[dict[str, str]] = Field(description="Models that pass the filters but whose fit is unknown.")


class Recommendations(Strict):
    hardware: list[RecommendedHardware]
    results: list[RecommendationSet]


RECOMMENDED_TOP = 10
EXPORT_SCHEMAS["recommendations"] = Recommendations


def recommendations(catalog: Catalog, rankings: selector.Rankings) -> Recommendations:
    """The ranking for every listed machine and task at the task's default context (long documents at 32K): the
    same answers as the selector, the tier pages and the trees."""
    data = rankings.data
    h = selector.columns(data, "hardware")
    rows = {row[0]: row for row in data["models"]}
    machines, results = [], []
    for row in data["hardware"]:
        query = selector.machine_query(data, row[h["id"]])
        machines.append(
            RecommendedHardware(
                id=row[h["id"]],
                name=row[h["name"]],
                usable_gb=row[h["usable_gb"]],
                budget_gb=selector.budget_gb(query),
                headroom=query.headroom,
                bandwidth_gb_s=row[h["bandwidth_gb_s"]],
            )
        )
        for task in selector.TASK_KEYS:
            q = replace(query, task=task, context=selector.task_context(task), limit=RECOMMENDED_TOP)
            ranked = [
                Recommended(
                    model=r["id"],
                    runtime=r["runtime"],
                    format=r["format"],
                    memory_gb=r["memory_gb"],
                    weights_gb=round(r["memory_gb"] - r["context_gb"] - hardware.OVERHEAD_GB * q.gpus, 2),
                    kv_gb=r["context_gb"],
                    tokens_per_s=r["tokens_per_s"],
                    aggregate_tokens_per_s=_aggregate(catalog, r, q),
                    command=r["commands"][0][1] if r["commands"] else None,
                    evidence=_evidence(catalog, data, rows[r["id"]], task),
                    band=r["band"],
                    score=r["score"],
                    reason=r["reason"].split("; "),
                )
                for r in rankings(q)
            ]
            results.append(
                RecommendationSet(
                    hardware=row[h["id"]],
                    task=task,
                    context=q.context,
                    ranked=ranked,
                    cant_tell=selector.cant_tell(data, q),
                )
            )
    return Recommendations(hardware=machines, results=results)


def _evidence(catalog: Catalog, data: dict, row: list, task: str) -> list[EvidenceScore]:
    """The scores behind a model's rank for a task, with their settings and sources from its catalog file."""
    m = selector.columns(data, "models")
    model_id = row[m["id"]]
    index = selector.TASK_KEYS.index(task)
    used: list[list] = next((u for t, _, u in row[m["evidence"]] if t == index), [])
    benchmarks = catalog.models[model_id].model.benchmarks
    out = []
    for bench, value, cls, independent, comparable in used:
        name = data["benchmarks"][bench][0]
        out.append(
            EvidenceScore(
                benchmark=name,
                score=value,
                setting=benchmarks[name].setting,
                compared_as=data["classes"][cls][0],
                kind="independent" if independent else "publisher",
                comparable=bool(comparable),
                source=str(benchmarks[name].source),
            )
        )
    return out


CONCURRENCY = (1, 8, 32)


def _aggregate(catalog: Catalog, r: dict, q: selector.Query) -> dict[str, float | None]:
    """Tokens/s summed over N concurrent sequences, for N in CONCURRENCY: N x achievable bandwidth / (weights one
    step reads for N tokens (hardware.active_weights_gb: a mixture of experts reads more experts as N grows) + N
    x one sequence's cache), when N caches fit beside the weights; tensor parallelism reads from every GPU."""
    model = catalog.models[r["id"]].model
    weights = r["memory_gb"] - r["context_gb"] - hardware.OVERHEAD_GB * q.gpus
    out: dict[str, float | None] = dict.fromkeys(map(str, CONCURRENCY))
    if not q.bandwidth_gb_s or r["ram_gb"]:
        return out
    gpus = q.gpus if r["runtime"] == hardware.GPU_RUNTIME else 1
    for n in CONCURRENCY:
        read = hardware.active_weights_gb(model, r["format"], n)
        if read is not None and weights + n * r["context_gb"] + hardware.OVERHEAD_GB * q.gpus <= selector.budget_gb(q):
            achievable = q.bandwidth_gb_s * gpus * hardware.BANDWIDTH_SHARE
            out[str(n)] = round(n * achievable / (read + n * r["context_gb"]), 1)
    return out


def all_exports(catalog: Catalog, rankings: selector.Rankings) -> dict[str, str]:
    models = [export_model(e) for e in catalog.models.values()]
    licences = [export_licence(k, catalog) for k in catalog.licences]
    files = {
        routes.MODELS_JSON: dump_json([m.model_dump(mode="json") for m in models]),
        routes.MODELS_CSV: models_csv(models),
        routes.LICENCES_JSON: dump_json([lic.model_dump(mode="json") for lic in licences]),
        routes.RECOMMENDATIONS_JSON: dump_json(recommendations(catalog, rankings).model_dump(mode="json")),
        routes.RUNS_JSON: dump_json(
            [
                {"id": run_id, **run.model_dump(mode="json")}
                for run_id, run in (catalog.runs | catalog.harness_runs | catalog.speed_runs).items()
            ]
        ),
    }
    files.update(json_schemas())
    return files


def _memory(m: Model) -> ExportMemory:
    found = memory.layout(m)
    weights = hardware.weights_gb(m)
    if found is None:  # keeps no context
        return ExportMemory(weights_gb=weights, kv_cache_gb={}, state_gb=0.0, formula="no KV cache")
    contexts = [str(c) for c in hardware.contexts(m)]
    if isinstance(found, memory.Unknown):
        return ExportMemory(
            weights_gb=weights, kv_cache_gb=dict.fromkeys(contexts), state_gb=None, formula=found.formula
        )
    return ExportMemory(
        weights_gb=weights,
        kv_cache_gb={c: round(found.kv_gb(int(c)), 4) for c in contexts},
        state_gb=round(found.state_gb(), 6),
        formula=found.formula,
    )
