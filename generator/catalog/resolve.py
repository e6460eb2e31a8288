"""Authored records -> resolved catalog: family defaults merged into models, references joined.

Merge rules (documented on the Data API page):
1. A model's own value wins over its family's default; a default fills only a field the model
   file leaves out or sets to null.
2. An inherited field brings along the family sources whose `supports` name it, so the fact
   keeps its source.
3. A dense model's active parameters equal its total parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import get_args

from .authored import Authored, Record
from .fields import HardwareKind, Source
from .schema import Family, Glossary, Hardware, Licence, Model, Price, Runtime, WatchReport
from .schema_runs import HarnessRun, Run, SpeedRun, Suite


@dataclass(frozen=True)
class ModelEntry:
    """A model as templates and exports see it."""

    id: str
    family_id: str
    path: str  # catalog file, for messages and "edit this page"
    model: Model  # with family defaults merged
    family: Family | None
    licence: Licence | None
    sources: tuple[Source, ...]  # own sources, then inherited ones
    inherited: frozenset[str]


@dataclass(frozen=True)
class Catalog:
    licences: dict[str, Licence]
    families: dict[str, Family]
    models: dict[str, ModelEntry]  # ordered: family id, then release date, then name
    licence_paths: dict[str, str]
    family_paths: dict[str, str]
    hardware: dict[str, Hardware]  # ordered: kind, then memory
    prices: dict[str, Price]  # ordered by id
    runtimes: dict[str, Runtime]  # ordered: runtimes, then front ends, by name
    suites: dict[str, Suite] = field(default_factory=dict)
    runs: dict[str, Run] = field(default_factory=dict)  # "<model folder>/<file stem>", ordered by suite then date
    harness_runs: dict[str, HarnessRun] = field(default_factory=dict)  # imported lm-eval results, by date
    speed_runs: dict[str, SpeedRun] = field(default_factory=dict)  # measured speeds, by date
    watch: dict[str, WatchReport] = field(default_factory=dict)  # the last watch's report, by family id
    glossary: Glossary | None = None

    def models_of_family(self, family_id: str) -> list[ModelEntry]:
        return [e for e in self.models.values() if e.family_id == family_id]

    def models_of_licence(self, licence_id: str) -> list[ModelEntry]:
        return [e for e in self.models.values() if e.model.licence == licence_id]


def _inherit(record: Record[Model], family: Family | None) -> tuple[Model, tuple[Source, ...], frozenset[str]]:
    model = record.data
    updates: dict[str, object] = {}
    if family is not None:
        for name, default in family.defaults:
            if default is not None and getattr(model, name) is None:
                updates[name] = default
    if (updates.get("architecture") or model.architecture) == "dense" and model.active_params_b is None:
        updates["active_params_b"] = model.params_b
    inherited = frozenset(k for k in updates if k != "active_params_b")
    sources = list(model.sources)
    if family is not None and inherited:
        sources += [s for s in family.sources if inherited.intersection(s.supports) and s not in sources]
    return model.model_copy(update=updates), tuple(sources), inherited


def _order(entry: ModelEntry) -> tuple:
    date = entry.model.release_date.isoformat() if entry.model.release_date else "9999"
    return (entry.family_id, date, entry.model.name.lower(), entry.id)


def _hardware_order(record: Record[Hardware]) -> tuple:
    kinds = get_args(HardwareKind)
    return (kinds.index(record.data.kind), record.data.memory_gb, record.data.name.lower(), record.id)


def resolve(authored: Authored) -> Catalog:
    licences = {k: r.data for k, r in sorted(authored.licences.items())}
    families = {k: r.data for k, r in sorted(authored.families.items())}
    entries = []
    for model_id, record in authored.models.items():
        family = families.get(record.family_id or "")
        model, sources, inherited = _inherit(record, family)
        licence = licences.get(model.licence or "")
        entries.append(
            ModelEntry(model_id, record.family_id or "", record.doc.path, model, family, licence, sources, inherited)
        )
    entries.sort(key=_order)
    bench_runs = [(r.id, r.data) for r in authored.runs.values() if isinstance(r.data, Run)]
    harness_runs = [(r.id, r.data) for r in authored.runs.values() if isinstance(r.data, HarnessRun)]
    speed_runs = [(r.id, r.data) for r in authored.runs.values() if isinstance(r.data, SpeedRun)]
    runtimes = sorted(authored.runtimes.values(), key=lambda r: (r.data.kind != "runtime", r.data.name.lower()))
    return Catalog(
        licences=licences,
        families=families,
        models={e.id: e for e in entries},
        licence_paths={k: r.doc.path for k, r in authored.licences.items()},
        family_paths={k: r.doc.path for k, r in authored.families.items()},
        hardware={r.id: r.data for r in sorted(authored.hardware.values(), key=_hardware_order)},
        prices={k: r.data for k, r in sorted(authored.prices.items())},
        glossary=authored.glossary.data if authored.glossary else None,
        suites={k: r.data for k, r in sorted(authored.suites.items())},
        runs=dict(sorted(bench_runs, key=lambda pair: (pair[1].suite, pair[1].date, pair[0]))),
        harness_runs=dict(sorted(harness_runs, key=lambda pair: (pair[1].date, pair[0]))),
        speed_runs=dict(sorted(speed_runs, key=lambda pair: (pair[1].date, pair[0]))),
        runtimes={r.id: r.data for r in runtimes},
        watch={k: r.data for k, r in sorted(authored.watch.items())},
    )
