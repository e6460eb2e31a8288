"""The models section: the families index, the freshness page, a page per family and a page per model
(facts with their sources, memory per format and context, which machines run it, how to run it, its
stored runs and its history)."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Iterator
from typing import TypedDict

from ... import routes
from ...catalog.checks import today
from ...catalog.resolve import Catalog, ModelEntry
from ...catalog.schema import Model, Runtime, UpstreamRelease, WatchReport
from ...model import commands, hardware, memory, selector
from ...model.calibration import calibrate
from .. import escape, model_compare
from ..inputs import Inputs
from ..jinja import Renderer, Safe, verbatim

STALE_AFTER_DAYS = 365  # an entry not verified for this long is listed on the freshness page
FIT_CONTEXT = 8192  # context the "which hardware runs it" table assumes (or the model's maximum, if less)
PARALLEL_MIN_MODELS = 250  # below this many models per core, forking costs more than it saves


class Freshness(TypedDict):
    today: dt.date
    stale_after_days: int
    stale: list[tuple[ModelEntry, int]]  # past STALE_AFTER_DAYS
    ages: list[tuple[ModelEntry, int]]  # every model, oldest facts first
    families: list[tuple[str, str, ModelEntry | None, dt.date | None]]  # id, name, newest release, oldest check
    upstream: list[tuple[str, str, WatchReport | None, list[UpstreamRelease]]]  # watched families: report, gaps


def releases(catalog: Catalog) -> list[ModelEntry]:
    """Every model, newest release first (ties by id); those whose release date is unknown last, never first."""
    by_id = sorted(catalog.models.values(), key=lambda e: e.id)
    dated = sorted((e for e in by_id if e.model.release_date), key=lambda e: e.model.release_date or dt.date.min,
                   reverse=True)  # fmt: skip
    return dated + [e for e in by_id if not e.model.release_date]


def newest_release(catalog: Catalog) -> ModelEntry | None:
    """The catalogued model released last: the home page says the atlas covers releases up to its date."""
    return next((e for e in releases(catalog) if e.model.release_date), None)


def freshness(catalog: Catalog, ordered: list[ModelEntry]) -> Freshness:
    """Every model with the age of its facts, oldest first, and those past STALE_AFTER_DAYS; each family's newest
    release (from `ordered`, the models in releases() order) and oldest check."""
    now = today()
    ages = sorted(
        ((e, (now - e.model.verified).days) for e in catalog.models.values()),
        key=lambda pair: (-pair[1], pair[0].id),
    )
    newest: dict[str, ModelEntry] = {}
    oldest_check: dict[str, dt.date] = {}
    for e in ordered:  # newest release first, so a family's first dated model is its newest
        if e.model.release_date:
            newest.setdefault(e.family_id, e)
        oldest_check[e.family_id] = min(e.model.verified, oldest_check.get(e.family_id, e.model.verified))
    families = [(fid, f.name, newest.get(fid), oldest_check.get(fid)) for fid, f in catalog.families.items()]
    families.sort(key=lambda f: (f[2].model.release_date if f[2] else dt.date.min, f[1].lower()))
    held = {e.model.hf_repo.lower() for e in catalog.models.values() if e.model.hf_repo}
    upstream = []
    for fid, f in catalog.families.items():
        if f.watch or fid in catalog.watch:
            report = catalog.watch.get(fid)
            gaps = [r for r in report.releases if r.repo.lower() not in held] if report else []
            upstream.append((fid, f.name, report, gaps))
    upstream.sort(key=lambda u: (-len(u[3]), u[1].lower()))  # the families with the most not yet covered first
    return {
        "today": now,
        "upstream": upstream,
        "stale_after_days": STALE_AFTER_DAYS,
        "stale": [(e, days) for e, days in ages if days > STALE_AFTER_DAYS],
        "ages": ages,
        "families": families,
    }


def memory_table(entry: ModelEntry, catalog: Catalog, rankings: selector.Rankings) -> dict[str, object]:
    """Totals per format and context, the context's memory per cache type, the formula in words, and the fit on
    each listed machine (the selector's own fit, so the page and the ranking agree)."""
    m = entry.model
    found = memory.layout(m)
    weights = hardware.weights_gb(m)
    files = commands.download_rows(m)
    file_gb = {f: got[1] for f in weights if (got := commands.gguf_repo(files, f)) and got[1] is not None}
    weights.update(file_gb)  # a repository's real file beats the estimate
    from_files = set(file_gb)
    shown = [f for f in ("BF16", *hardware.ladder(m)) if weights.get(f) is not None]
    contexts = hardware.contexts(m) if found is not None else []
    held = {c: hardware.context_gb(m, c) for c in contexts}

    def total(w: float | None, c: int) -> float | None:
        h = held[c]
        return None if w is None or h is None else round(w + h + hardware.OVERHEAD_GB, 2)

    rows = [
        {
            "format": f,
            "weights": weights[f],
            "file": f in from_files,
            "totals": [total(weights[f], c) for c in contexts],
        }
        for f in shown
    ]
    caches = ("f16", "q8_0", "q4_0")
    per_cache = []
    if isinstance(found, memory.Layout):
        per_cache = [(c, [round(found.total_gb(c, t), 2) for t in caches]) for c in contexts]
    fit_context = min(FIT_CONTEXT, m.context_length or FIT_CONTEXT)
    fits = []
    if m.params_b is not None:
        data = rankings.data
        h = selector.columns(data, "hardware")
        for row in data["hardware"]:
            q = selector.machine_query(data, row[h["id"]], context=fit_context)
            fits.append((catalog.hardware[row[h["id"]]], q, selector.budget_gb(q), rankings.fit(entry.id, q)))
    return {
        "rows": rows,
        "contexts": contexts,
        "overhead": hardware.OVERHEAD_GB,
        "formula": found.formula if found is not None else None,
        "missing": ", ".join(found.missing) if isinstance(found, memory.Unknown) else None,
        "caches": caches,
        "per_cache": per_cache,
        "state_gb": found.state_gb() if isinstance(found, memory.Layout) and found.state else None,
        "fit_context": fit_context,
        "headroom": selector.DEFAULT_HEADROOM,
        "fits": fits,
    }


def run_commands(
    model: Model, runtimes: dict[str, Runtime], context: int
) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Per runtime tab: (runtime id, runtime name, [(label, command)]) for the formats the catalog's repositories hold (GGUF
    through llama.cpp, Ollama and LM Studio, MLX through MLX-LM) and the publisher's repository through vLLM."""
    rows = commands.download_rows(model)
    weights = hardware.weights_gb(model)
    lines: dict[str, list[tuple[str, str]]] = {"llama-cpp": [], "ollama": [], "lm-studio": [], "mlx-lm": [], "vllm": []}
    for fmt in hardware.ladder(model):
        found = commands.gguf_repo(rows, fmt)
        if found is None:
            continue
        size = found[1] if found[1] is not None else weights.get(fmt)
        label = f"{fmt}" + (f", {size:.1f} GB of weights" if size is not None else "")
        for runtime, command in commands.for_format(model, fmt, context):
            if runtime != "lm-studio":  # one LM Studio line per repository: it asks for the quantization
                lines[runtime].append((label, command))
    shown = {f.upper() for f in hardware.ladder(model)}
    for repo, quants in rows["gguf"]:  # the best repository only: LM Studio asks which quantization to fetch
        held = [q for q in quants if q in shown]
        if held:
            lines["lm-studio"].append((f"{repo} ({', '.join(held)})", commands.lm_studio(repo, held[0], context)))
            break
    for repo, quants in rows["mlx"]:
        sizes = ", ".join(f"{q}" + (f" {gb:.1f} GB" if gb is not None else "") for q, gb in quants.items())
        lines["mlx-lm"].append((f"{repo} ({sizes})", commands.mlx_server(repo)))
    if model.hf_repo and model.kind not in ("embedding", "speech"):
        release = model.weights_precision or "BF16"
        lines["vllm"].append(
            (f"the publisher's {release} weights, on GPUs", commands.vllm_serve(model.hf_repo, context))
        )
    return [(r, runtimes[r].name if r in runtimes else r, found) for r, found in lines.items() if found]


def quickstarts(model: Model, runtimes: dict[str, Runtime]) -> list[tuple[str, Runtime, str, str]]:
    """(runtime id, runtime, language, command) for every runtime whose quickstart fits this model."""
    out: list[tuple[str, Runtime, str, str]] = []
    for runtime_id, runtime in runtimes.items():
        q = runtime.quickstart
        value = getattr(model, q.needs) if q else None
        if q is None or value is None or model.kind not in q.kinds:
            continue
        command = q.command.replace("{" + q.needs + "}", str(verbatim(value)))
        out.append((runtime_id, runtime, q.language, command))
    return out


def model_page(inputs: Inputs, render: Renderer, entry: ModelEntry, stale_ids: set[str]) -> tuple[str, str]:
    c = inputs.catalog
    run = run_commands(entry.model, c.runtimes, min(FIT_CONTEXT, entry.model.context_length or FIT_CONTEXT))
    return render(
        "model.md.j2",
        routes.model(entry),
        e=entry,
        m=entry.model,
        memory=memory_table(entry, c, inputs.rankings),
        stale=entry.id in stale_ids,
        stale_after_days=STALE_AFTER_DAYS,
        supported_by=lambda field: [s for s in entry.sources if field in s.supports],
        quickstarts=[q for q in quickstarts(entry.model, c.runtimes) if q[0] not in {r for r, _, _ in run}],
        run_context=min(FIT_CONTEXT, entry.model.context_length or FIT_CONTEXT),
        run=run,
        runs=[(rid, r) for rid, r in c.runs.items() if r.model.catalog_id == entry.id],
        harness_runs=[(rid, r) for rid, r in c.harness_runs.items() if r.model.catalog_id == entry.id],
        speed_runs=[(rid, r, calibrate(c, r)) for rid, r in c.speed_runs.items() if r.model.catalog_id == entry.id],
        changes=inputs.changes_to(entry.path),
        commit_url=inputs.commit_url,
        edit_url=routes.repo_edit(inputs.site.repo_url, entry.path) if inputs.site.repo_url else None,
        guide_url=routes.repo_file(inputs.site.repo_url, routes.CONTRIBUTING) if inputs.site.repo_url else None,
    )


# What a forked model-page worker renders from (set in the parent just before the fork).
_forked: tuple[Inputs, Renderer, set[str]] | None = None


def _model_pages_of(ids: list[str]) -> list[tuple[str, str]]:
    assert _forked is not None
    inputs, render, stale_ids = _forked
    return [model_page(inputs, render, inputs.catalog.models[i], stale_ids) for i in ids]


def model_pages(inputs: Inputs, render: Renderer, stale_ids: set[str]) -> list[tuple[str, str]]:
    """Every model page; a large catalog's are rendered by one forked worker per core (the workers inherit
    the inputs, so nothing but the page text crosses between processes)."""
    ids = list(inputs.catalog.models)
    workers = min(os.cpu_count() or 1, len(ids) // PARALLEL_MIN_MODELS)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [model_page(inputs, render, inputs.catalog.models[i], stale_ids) for i in ids]
    global _forked
    _forked = (inputs, render, stale_ids)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            chunks = pool.map(_model_pages_of, [ids[k::workers] for k in range(workers)])
    finally:
        _forked = None
    rendered = dict(page for chunk in chunks for page in chunk)
    paths = [routes.model(inputs.catalog.models[i]) for i in ids]
    return [(path, rendered[path]) for path in paths]


def pages(inputs: Inputs, render: Renderer) -> Iterator[tuple[str, str]]:
    c = inputs.catalog
    ordered = releases(c)
    fresh = freshness(c, ordered)
    yield render("families.md.j2", routes.FAMILIES, models_of=c.models_of_family)
    yield render("freshness.md.j2", routes.FRESHNESS, **fresh)
    yield render("releases.md.j2", routes.RELEASES, models=ordered)
    yield render("model-compare.md.j2", routes.MODEL_COMPARE, selector_data=Safe(escape.script_json(inputs.rankings.data)),
                 compare_data=Safe(escape.script_json(model_compare.compare_data(c))))  # fmt: skip
    for family_id, family in c.families.items():
        yield render("family.md.j2", routes.family(family_id), family_id=family_id, family=family,
                     models=c.models_of_family(family_id), chart=inputs.figures.get(f"family-{family_id}"))  # fmt: skip
    stale_ids = {e.id for e, _ in fresh["stale"]}
    yield from model_pages(inputs, render, stale_ids)
