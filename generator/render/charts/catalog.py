"""Charts of the catalog's facts: scores against size, benchmark heatmap and rankings, memory per format,
context and releases over time, each family's sizes, and the selector's ranking per use case."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from typing import TypeVar

import plotly.graph_objects as go

from ...catalog.resolve import Catalog, ModelEntry
from ...model import hardware, selector
from .style import HEIGHT, INK, PALETTE, Chart, colour, layout, ranking_bars

MAIN_BENCHMARKS = ("MMLU", "HumanEval", "MATH", "GSM8K")
T = TypeVar("T")
HEATMAP_BENCHMARKS = ("MMLU", "HellaSwag", "TruthfulQA", "HumanEval", "GSM8K", "MATH")


def _known(values: Iterable[T | None]) -> list[T]:
    """The values that are not None (of entries already filtered for them: for the type checker)."""
    return [v for v in values if v is not None]


def _released(e: ModelEntry) -> dt.date:
    """The release date of an entry already filtered for having one."""
    assert e.model.release_date is not None
    return e.model.release_date


def _scored(catalog: Catalog, benchmark: str) -> list[tuple[ModelEntry, float]]:
    return [
        (e, e.model.benchmarks[benchmark].score) for e in catalog.models.values() if benchmark in e.model.benchmarks
    ]


def performance_vs_size(catalog: Catalog, benchmark: str = "MMLU") -> Chart | None:
    points = [(e, s) for e, s in _scored(catalog, benchmark) if e.model.params_b]
    if not points:
        return None
    fig = go.Figure()
    licences = sorted({e.licence.name if e.licence else "unknown" for e, _ in points})
    for i, name in enumerate(licences):
        group = [(e, s) for e, s in points if (e.licence.name if e.licence else "unknown") == name]
        fig.add_trace(
            go.Scatter(
                uid=f"licence-{i}",
                name=name,
                mode="markers",
                x=[e.model.params_b for e, _ in group],
                y=[s for _, s in group],
                text=[e.model.name for e, _ in group],
                marker={
                    "size": [6 + 3 * math.log2(max((e.model.context_length or 2048) / 2048, 1)) for e, _ in group],
                    "color": colour(i),
                    "line": {"width": 0},
                    "opacity": 0.85,
                },
            )
        )
    layout(fig, x="Total parameters (billions, log scale)", y=f"{benchmark} score")
    fig.update_xaxes(type="log")
    rows = sorted(
        ([e.model.name, e.model.params_b, s, e.model.context_length, e.licence.name if e.licence else "unknown"]
         for e, s in points),
        key=lambda r: (r[1], r[0]),
    )  # fmt: skip
    return Chart(
        name=f"performance-vs-size-{benchmark.lower()}",
        title=f"{benchmark} score against model size",
        caption=f"{benchmark} as reported (setting varies; see each model page) against total parameters; "
        "marker size grows with context length, colour is the licence.",
        alt=f"Scatter plot of {len(points)} models, {benchmark} from {min(s for _, s in points):g} to "
        f"{max(s for _, s in points):g}, sizes from {min(_known(e.model.params_b for e, _ in points)):g}B to "
        f"{max(_known(e.model.params_b for e, _ in points)):g}B.",
        figure=fig,
        columns=["Model", "Parameters (B)", benchmark, "Context", "Licence"],
        rows=rows,
        models=[str(r[0]) for r in rows],
    )


def benchmark_heatmap(catalog: Catalog) -> Chart | None:
    entries = [e for e in catalog.models.values() if sum(b in e.model.benchmarks for b in HEATMAP_BENCHMARKS) >= 3]
    if not entries:
        return None
    entries.sort(key=lambda e: e.model.name.lower())
    z = [
        [(e.model.benchmarks[b].score if b in e.model.benchmarks else None) for b in HEATMAP_BENCHMARKS]
        for e in entries
    ]
    fig = go.Figure(
        go.Heatmap(
            uid="heatmap",
            z=z,
            x=list(HEATMAP_BENCHMARKS),
            y=[e.model.name for e in entries],
            colorscale="Viridis",
            zmin=0,
            zmax=100,
            text=[["" if v is None else f"{v:g}" for v in row] for row in z],
            texttemplate="%{text}",
            hoverongaps=False,
            colorbar={"title": {"text": "score"}},
        )
    )
    layout(fig, x="Benchmark", y="", legend=False)
    fig.update_layout(height=max(HEIGHT, 22 * len(entries) + 80), margin={"l": 240})
    fig.update_yaxes(autorange="reversed")
    return Chart(
        name="benchmark-heatmap",
        title="Benchmark scores side by side",
        caption="Publisher-reported scores for models with at least three of the six classic benchmarks; "
        "blank cells are not published. Settings (shots, CoT) differ between publishers.",
        alt=f"Heatmap of {len(entries)} models against {', '.join(HEATMAP_BENCHMARKS)}.",
        figure=fig,
        columns=["Model", *HEATMAP_BENCHMARKS],
        rows=[[e.model.name, *row] for e, row in zip(entries, z, strict=True)],
        models=[e.model.name for e in entries],
    )


def ranked_bars(catalog: Catalog, benchmark: str, top: int = 20) -> Chart | None:
    points = sorted(_scored(catalog, benchmark), key=lambda p: (-p[1], p[0].model.name))[:top]
    if not points:
        return None
    fig = ranking_bars(
        "bars",
        names=[e.model.name for e, _ in points],
        values=[s for _, s in points],
        labels=[f"{s:g}" for _, s in points],
        x_title=f"{benchmark} score",
        height=max(HEIGHT, 24 * len(points) + 80),
        margin={"l": 240, "r": 50},
    )
    rows = [[e.model.name, s, e.model.benchmarks[benchmark].setting or "", e.model.benchmarks[benchmark].kind]
            for e, s in points]  # fmt: skip
    return Chart(
        name=f"ranked-{benchmark.lower()}",
        title=f"Top models by {benchmark}",
        caption=f"The {len(points)} highest {benchmark} scores in the catalog, as reported; compare settings "
        "before drawing conclusions.",
        alt=f"Horizontal bar chart ranking {len(points)} models by {benchmark}; the highest is "
        f"{rows[0][0]} with {rows[0][1]:g}.",
        figure=fig,
        columns=["Model", benchmark, "Setting", "Reported by"],
        rows=rows,
        models=[str(r[0]) for r in rows],
    )


def memory_by_quantization(catalog: Catalog, targets=(3, 8, 14, 32, 70)) -> Chart | None:
    dense = [e for e in catalog.models.values() if e.model.params_b and e.model.architecture == "dense"]
    chosen: list[ModelEntry] = []
    for target in targets:
        best = min(dense, key=lambda e: (abs(math.log(e.model.params_b / target)), e.id), default=None)
        if best and best not in chosen:
            chosen.append(best)
    if not chosen:
        return None
    fig = go.Figure()
    rows = []
    for i, e in enumerate(chosen):
        weights = hardware.weights_gb(e.model)
        values = [weights[f] for f in hardware.LADDER]
        rows.append([e.model.name, *values])
        fig.add_trace(go.Bar(uid=f"model-{i}", name=e.model.name, x=list(hardware.LADDER), y=values,
                             marker={"color": colour(i)}))  # fmt: skip
    for gb in selector.TIER_BUDGETS_GB:
        fig.add_hline(y=gb, line={"color": INK, "width": 1, "dash": "dot"})
        # On a log axis an annotation's y is the exponent (add_hline's own label would sit at 10**gb).
        fig.add_annotation(x=1, xref="paper", xanchor="left", y=math.log10(gb), yref="y", text=f"{gb} GB",
                           showarrow=False, font={"color": INK})  # fmt: skip
    layout(fig, x="Format", y="Weights (GB, log scale)")
    shown = [v for row in rows for v in row[1:] if isinstance(v, float) and v] + list(selector.TIER_BUDGETS_GB)
    low, high = min(shown) / 1.5, max(shown) * 1.5
    ticks = [t for t in (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000) if low <= t <= high]
    fig.update_yaxes(
        type="log", range=[math.log10(low), math.log10(high)], tickvals=ticks, ticktext=[f"{t:g}" for t in ticks]
    )
    fig.update_layout(legend={"orientation": "h", "x": 0, "y": -0.25, "yanchor": "top"}, margin={"r": 70})
    fig.update_layout(barmode="group")
    return Chart(
        name="memory-by-quantization",
        title="Weight memory by quantization format",
        caption="Weights only (add the KV cache and about 1 GB of runtime overhead) for representative model "
        "sizes; dotted lines mark common GPU memory sizes.",
        alt="Grouped bar chart: weight memory falls from BF16 to Q2_K for each model size; lines at "
        + ", ".join(f"{g} GB" for g in selector.TIER_BUDGETS_GB)
        + ".",
        figure=fig,
        columns=["Model", *hardware.LADDER],
        rows=rows,
        models=[e.model.name for e in chosen],
    )


def context_by_release(catalog: Catalog) -> Chart | None:
    points = [e for e in catalog.models.values() if e.model.release_date and e.model.context_length]
    if not points:
        return None
    fig = go.Figure()
    families = sorted({e.family_id for e in points})
    for i, fam in enumerate(families):
        group = sorted((e for e in points if e.family_id == fam), key=lambda e: (_released(e), e.id))
        name = catalog.families[fam].name if fam in catalog.families else fam
        fig.add_trace(
            go.Scatter(uid=f"family-{i}", name=name, mode="markers",
                       x=[_released(e).isoformat() for e in group],
                       y=[e.model.context_length for e in group], text=[e.model.name for e in group],
                       marker={"color": colour(i), "size": 8})
        )  # fmt: skip
    layout(fig, x="Release date", y="Context length (tokens, log scale)")
    fig.update_yaxes(type="log")
    rows = sorted(([e.model.name, _released(e).isoformat(), e.model.context_length] for e in points),
                  key=lambda r: (r[1], r[0]))  # fmt: skip
    return Chart(
        name="context-by-release",
        title="Context length over time",
        caption="Supported context length of each model against its release date, by family.",
        alt=f"Scatter plot of {len(points)} models, contexts from {min(_known(e.model.context_length for e in points)):,} "
        f"to {max(_known(e.model.context_length for e in points)):,} tokens, released "
        f"{min(_released(e) for e in points)} to {max(_released(e) for e in points)}.",
        figure=fig,
        columns=["Model", "Released", "Context (tokens)"],
        rows=rows,
        models=[str(r[0]) for r in rows],
    )


def releases_over_time(catalog: Catalog) -> Chart | None:
    dated = [e for e in catalog.models.values() if e.model.release_date]
    if not dated:
        return None

    def quarter(e: ModelEntry) -> str:
        d = _released(e)
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"

    def publisher(e: ModelEntry) -> str:
        return e.family.publisher if e.family else "unknown"

    quarters = sorted({quarter(e) for e in dated})
    counts = Counter((publisher(e), quarter(e)) for e in dated)
    publishers = sorted({publisher(e) for e in dated})
    fig = go.Figure()
    for i, pub in enumerate(publishers):
        fig.add_trace(go.Bar(uid=f"publisher-{i}", name=pub, x=quarters, y=[counts[(pub, q)] for q in quarters],
                             marker={"color": colour(i)}))  # fmt: skip
    layout(fig, x="Quarter", y="Model variants released")
    fig.update_layout(barmode="stack")
    return Chart(
        name="releases-over-time",
        title="Releases per quarter, by publisher",
        caption="Model variants in the catalog with a known release date, counted per quarter.",
        alt=f"Stacked bar chart of {len(dated)} releases across {len(quarters)} quarters and "
        f"{len(publishers)} publishers.",
        figure=fig,
        columns=["Publisher", *quarters],
        rows=[[pub, *[counts[(pub, q)] for q in quarters]] for pub in publishers],
        models=[],
    )


def family_size_vs_score(catalog: Catalog, family_id: str) -> Chart | None:
    entries = [e for e in catalog.models.values() if e.family_id == family_id and e.model.params_b]
    benchmark = next(
        (b for b in (*MAIN_BENCHMARKS, "MMLU-Pro", "GPQA") if any(b in e.model.benchmarks for e in entries)), None
    )
    if benchmark is None:
        return None
    points = sorted(((e, e.model.benchmarks[benchmark].score) for e in entries if benchmark in e.model.benchmarks),
                    key=lambda p: (p[0].model.params_b, p[0].id))  # fmt: skip
    if len(points) < 2:
        return None
    family = catalog.families[family_id].name if family_id in catalog.families else family_id
    fig = go.Figure(
        go.Scatter(uid="family", mode="markers+text", x=[e.model.params_b for e, _ in points],
                   y=[s for _, s in points], text=[e.model.name for e, _ in points], textposition="top center",
                   marker={"color": PALETTE[0], "size": 10})
    )  # fmt: skip
    layout(fig, x="Total parameters (billions, log scale)", y=f"{benchmark} score", legend=False)
    fig.update_xaxes(type="log")
    return Chart(
        name=f"family-{family_id}",
        title=f"{family}: size against {benchmark}",
        caption=f"{benchmark} as reported for each {family} model with a score, against its size.",
        alt=f"Scatter plot of {len(points)} {family} models by parameters and {benchmark}.",
        figure=fig,
        columns=["Model", "Parameters (B)", benchmark],
        rows=[[e.model.name, e.model.params_b, s] for e, s in points],
        models=[e.model.name for e, _ in points],
    )


def use_case_ranking(
    catalog: Catalog, task: str, label: str, rankings: selector.Rankings, budget_gb: int = 24
) -> Chart | None:
    """The selector's ranking for a task at one memory size, in its order, as bars of each pick's quality from
    cited benchmarks (0-100); a pick without evidence (ranked below, by size and recency) has no bar and says so."""
    results = rankings.tier(budget_gb, task, limit=10)
    if not results:
        return None
    names = [catalog.models[r["id"]].model.name for r in results]
    quality = [round(100 * r["quality"], 1) if r["quality"] is not None else 0.0 for r in results]
    fig = ranking_bars(
        "ranking",
        names=names,
        values=quality,
        labels=[r["format"] + ("" if r["quality"] is not None else " · no evidence") for r in results],
        x_title="Quality from cited benchmarks, 0-100 (see the selector page)",
        height=max(360, 28 * len(results) + 80),
        margin={"l": 260, "r": 130},
    )
    rows = [[n, r["format"], r["memory_gb"], r["quality"] if r["quality"] is not None else "no evidence"]
            for n, r in zip(names, results, strict=True)]  # fmt: skip
    return Chart(
        name=f"use-case-{task}",
        title=f"{label}: the ranking at {budget_gb} GB",
        caption=f"The selector's ranking for {label.lower()} with {budget_gb} GB of memory, in its order, with the "
        "best format that fits each model and its quality from cited benchmarks (models without evidence come "
        "last, placed by size and recency).",
        alt=f"Horizontal bar chart of the top {len(results)} models for {label.lower()} at {budget_gb} GB; "
        f"first is {rows[0][0]}.",
        figure=fig,
        columns=["Model", "Format", "Needs (GB)", "Quality (0-1)"],
        rows=rows,
        models=[str(r[0]) for r in rows],
    )
