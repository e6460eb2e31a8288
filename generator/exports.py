"""Machine-readable exports under api/: models.json, models.csv, licences.json and the JSON Schemas.

Records are built as schema.ExportModel / ExportLicence objects, so the JSON Schema published
beside them describes exactly what is written. Output is stable: sorted keys, fixed order.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from typing import Union

from pydantic import TypeAdapter

from . import hardware
from .resolve import Catalog, ModelEntry
from .schema import FILE_KINDS, FILE_VARIANTS, ExportLicence, ExportModel, Glossary

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
EXPORT_SCHEMAS = {"models": ExportModel, "licences": ExportLicence}


def dump_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


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
        modalities=m.modalities.model_dump() if m.modalities else None,
        tool_calling=m.tool_calling,
        hf_repo=m.hf_repo,
        ollama_tag=m.ollama_tag,
        url=entry.url.removesuffix(".md") + ".html",
        config={
            "layers": c.layers,
            "hidden_size": c.hidden_size,
            "attention_heads": c.attention_heads,
            "kv_heads": c.kv_heads,
            "head_dim": hardware.head_dim(m),
            "vocab_size": c.vocab_size,
            "experts": c.experts,
            "experts_per_token": c.experts_per_token,
            "sliding_window": c.sliding_window,
        },
        memory={
            "weights_gb": hardware.weights_gb(m),
            "kv_cache_gb_per_1k_tokens": hardware.kv_cache_gb_per_1k_tokens(m),
        },
        benchmarks={
            name: {"score": s.score, "source": s.source, "setting": s.setting, "kind": s.kind}
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
        url=f"licences/{licence_id}.html",
        models=[e.id for e in catalog.models.values() if e.model.licence == licence_id],
        sources=_sources(licence.sources),
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


SINGULAR = {
    "licences": "licence",
    "families": "family",
    "models": "model",
    "hardware": "hardware",
    "prices": "price",
    "runtimes": "runtime",
    "suites": "suite",
    "runs": "run",
    "glossary": "glossary",
}


@functools.cache  # pure in the schema classes; the build publishes them and the check compares them
def file_schemas() -> dict[str, dict]:
    """JSON Schema of each catalog file kind, by its singular name (model, licence, …, glossary).
    A kind whose files come in variants (schema.FILE_VARIANTS) accepts any of them."""
    schemas = {SINGULAR[kind]: cls.model_json_schema() for kind, cls in FILE_KINDS.items()}
    schemas["glossary"] = Glossary.model_json_schema()
    for kind, (_, _, variants) in FILE_VARIANTS.items():
        schemas[SINGULAR[kind]] = TypeAdapter(Union[tuple(variants.values())]).json_schema()  # noqa: UP007
    return schemas


def json_schemas() -> dict[str, str]:
    """JSON Schema of each catalog file kind (for editors) and of each export, as published under api/."""
    files = {f"api/schema/{name}.json": dump_json(schema) for name, schema in file_schemas().items()}
    files.update(
        {f"api/schema/{name}-export.json": dump_json(cls.model_json_schema()) for name, cls in EXPORT_SCHEMAS.items()}
    )
    return files


def all_exports(catalog: Catalog) -> dict[str, str]:
    models = [export_model(e) for e in catalog.models.values()]
    licences = [export_licence(k, catalog) for k in catalog.licences]
    files = {
        "api/models.json": dump_json([m.model_dump(mode="json") for m in models]),
        "api/models.csv": models_csv(models),
        "api/licences.json": dump_json([lic.model_dump(mode="json") for lic in licences]),
        "api/runs.json": dump_json(
            [
                {"id": run_id, **run.model_dump(mode="json")}
                for run_id, run in (catalog.runs | catalog.harness_runs).items()
            ]
        ),
    }
    files.update(json_schemas())
    return files
