"""Static charts from the catalog: Plotly figures rendered to SVG by Kaleido (headless Chromium).

Stages: `figures(catalog, ranking_data, cost_inputs)` builds every Chart (a figure, its caption, alt text
and data table) from catalog facts only (the selector's ranking and costs.inputs are derived from them);
`render(charts, cache)` turns them into SVG bytes with one Kaleido browser for the whole build, skipping any
chart whose figure JSON and library versions hash to a cached file. `build` wraps both for the site: when
the charted facts are those of an earlier build (an edit to prose only), it reads that build's charts back
without building a figure. Output bytes are stable: every trace has a fixed uid and Plotly's random figure
id is replaced by the chart's name.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import pickle
import re
import warnings
from collections import Counter
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import plotly.graph_objects as go

from . import costs, hardware, selector
from .cachefile import store
from .resolve import Catalog, ModelEntry
from .schema import Run

WIDTH, HEIGHT = 820, 480
MAIN_BENCHMARKS = ("MMLU", "HumanEval", "MATH", "GSM8K")
HEATMAP_BENCHMARKS = ("MMLU", "HellaSwag", "TruthfulQA", "HumanEval", "GSM8K", "MATH")
GPU_LINES_GB = (8, 12, 16, 24, 48, 80)
# Mid-grey text and grid lines read on both Material's light (white) and dark (slate) backgrounds.
INK, GRID = "#8a8f98", "rgba(138,143,152,0.35)"
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
    "#bab0ac", "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#17becf", "#bcbd22", "#7f7f7f",
)  # fmt: skip


@dataclass
class Chart:
    """One chart: what it shows (caption, alt text), its figure, and its data as rows for a table."""

    name: str
    title: str
    caption: str
    alt: str
    figure: go.Figure | None  # None once rendered and read back from the chart-set cache
    columns: list[str]
    rows: list[list[object]] = field(default_factory=list)
    models: list[str] = field(default_factory=list)  # model names it plots (tests look for them)


def _layout(fig: go.Figure, *, x: str, y: str, legend: bool = True) -> go.Figure:
    fig.update_layout(
        width=WIDTH,
        height=HEIGHT,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        font={"family": "Roboto, Helvetica, Arial, sans-serif", "color": INK, "size": 12},
        margin={"l": 70, "r": 20, "t": 20, "b": 60},
        showlegend=legend,
        legend={"bgcolor": "rgba(0,0,0,0)"},
    )
    fig.update_xaxes(title_text=x, gridcolor=GRID, zerolinecolor=GRID, linecolor=INK)
    fig.update_yaxes(title_text=y, gridcolor=GRID, zerolinecolor=GRID, linecolor=INK)
    return fig


def _scored(catalog: Catalog, benchmark: str) -> list[tuple[ModelEntry, float]]:
    return [
        (e, e.model.benchmarks[benchmark].score) for e in catalog.models.values() if benchmark in e.model.benchmarks
    ]


def _colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


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
                    "color": _colour(i),
                    "line": {"width": 0},
                    "opacity": 0.85,
                },
            )
        )
    _layout(fig, x="Total parameters (billions, log scale)", y=f"{benchmark} score")
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
        f"{max(s for _, s in points):g}, sizes from {min(e.model.params_b for e, _ in points):g}B to "
        f"{max(e.model.params_b for e, _ in points):g}B.",
        figure=fig,
        columns=["Model", "Parameters (B)", benchmark, "Context", "Licence"],
        rows=rows,
        models=[r[0] for r in rows],
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
    _layout(fig, x="Benchmark", y="", legend=False)
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


def _ranking_bars(uid: str, *, names, values, labels, x_title: str, height: int, margin: dict) -> go.Figure:
    """Horizontal bars, best first at the top, each labelled at its end."""
    fig = go.Figure(
        go.Bar(
            uid=uid,
            orientation="h",
            x=list(reversed(values)),
            y=list(reversed(names)),
            marker={"color": PALETTE[0]},
            text=list(reversed(labels)),
            textposition="outside",
            cliponaxis=False,
        )
    )
    _layout(fig, x=x_title, y="", legend=False)
    fig.update_layout(height=height, margin=margin)
    return fig


def ranked_bars(catalog: Catalog, benchmark: str, top: int = 20) -> Chart | None:
    points = sorted(_scored(catalog, benchmark), key=lambda p: (-p[1], p[0].model.name))[:top]
    if not points:
        return None
    fig = _ranking_bars(
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
        models=[r[0] for r in rows],
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
                             marker={"color": _colour(i)}))  # fmt: skip
    for gb in GPU_LINES_GB:
        fig.add_hline(y=gb, line={"color": INK, "width": 1, "dash": "dot"})
        # On a log axis an annotation's y is the exponent (add_hline's own label would sit at 10**gb).
        fig.add_annotation(x=1, xref="paper", xanchor="left", y=math.log10(gb), yref="y", text=f"{gb} GB",
                           showarrow=False, font={"color": INK})  # fmt: skip
    _layout(fig, x="Format", y="Weights (GB, log scale)")
    shown = [v for row in rows for v in row[1:] if v] + list(GPU_LINES_GB)
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
        + ", ".join(f"{g} GB" for g in GPU_LINES_GB)
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
        group = sorted((e for e in points if e.family_id == fam), key=lambda e: (e.model.release_date, e.id))
        name = catalog.families[fam].name if fam in catalog.families else fam
        fig.add_trace(
            go.Scatter(uid=f"family-{i}", name=name, mode="markers",
                       x=[e.model.release_date.isoformat() for e in group],
                       y=[e.model.context_length for e in group], text=[e.model.name for e in group],
                       marker={"color": _colour(i), "size": 8})
        )  # fmt: skip
    _layout(fig, x="Release date", y="Context length (tokens, log scale)")
    fig.update_yaxes(type="log")
    rows = sorted(([e.model.name, e.model.release_date.isoformat(), e.model.context_length] for e in points),
                  key=lambda r: (r[1], r[0]))  # fmt: skip
    return Chart(
        name="context-by-release",
        title="Context length over time",
        caption="Supported context length of each model against its release date, by family.",
        alt=f"Scatter plot of {len(points)} models, contexts from {min(e.model.context_length for e in points):,} "
        f"to {max(e.model.context_length for e in points):,} tokens, released "
        f"{min(e.model.release_date for e in points)} to {max(e.model.release_date for e in points)}.",
        figure=fig,
        columns=["Model", "Released", "Context (tokens)"],
        rows=rows,
        models=[r[0] for r in rows],
    )


def releases_over_time(catalog: Catalog) -> Chart | None:
    dated = [e for e in catalog.models.values() if e.model.release_date]
    if not dated:
        return None

    def quarter(e: ModelEntry) -> str:
        d = e.model.release_date
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"

    def publisher(e: ModelEntry) -> str:
        return e.family.publisher if e.family else "unknown"

    quarters = sorted({quarter(e) for e in dated})
    counts = Counter((publisher(e), quarter(e)) for e in dated)
    publishers = sorted({publisher(e) for e in dated})
    fig = go.Figure()
    for i, pub in enumerate(publishers):
        fig.add_trace(go.Bar(uid=f"publisher-{i}", name=pub, x=quarters, y=[counts[(pub, q)] for q in quarters],
                             marker={"color": _colour(i)}))  # fmt: skip
    _layout(fig, x="Quarter", y="Model variants released")
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
    _layout(fig, x="Total parameters (billions, log scale)", y=f"{benchmark} score", legend=False)
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


def use_case_ranking(catalog: Catalog, task: str, label: str, data: dict, budget_gb: int = 24) -> Chart | None:
    """The selector's ranking for a task at one memory size, as bars of the ranking score."""
    query = selector.Query(budget_gb=budget_gb, task=task, context=selector.task_context(task), limit=10)
    results = selector.rank(data, query)
    if not results:
        return None
    names = [catalog.models[r["id"]].model.name for r in results]
    fig = _ranking_bars(
        "ranking",
        names=names,
        values=[r["score"] for r in results],
        labels=[r["format"] for r in results],
        x_title="Ranking score (see the selector page)",
        height=max(360, 28 * len(results) + 80),
        margin={"l": 260, "r": 70},
    )
    rows = [[n, r["format"], r["memory_gb"], r["score"]] for n, r in zip(names, results, strict=True)]
    return Chart(
        name=f"use-case-{task}",
        title=f"{label}: the ranking at {budget_gb} GB",
        caption=f"The selector's ranking for {label.lower()} with {budget_gb} GB of memory, and the best format "
        "that fits each model.",
        alt=f"Horizontal bar chart of the top {len(results)} models for {label.lower()} at {budget_gb} GB; "
        f"first is {rows[0][0]}.",
        figure=fig,
        columns=["Model", "Format", "Needs (GB)", "Score"],
        rows=rows,
        models=[r[0] for r in rows],
    )


def _money(usd: float) -> str:
    return f"${usd:,.0f}" if usd >= 10 else f"${usd:,.2f}"


def tokens(volume_m: float) -> str:
    """Million tokens as a reader says them: 1.5M, 64M, 2.3B."""
    value = float(f"{volume_m:.3g}")
    value, unit = (float(f"{value / 1000:.3g}"), "B") if value >= 1000 else (value, "M")
    return f"{value:g}{unit}"


def cost_by_volume(cost_inputs: dict | None) -> Chart | None:
    """Monthly cost of each way of running the model against the tokens generated, with break-evens."""
    if cost_inputs is None:
        return None
    found = costs.options(cost_inputs)
    lo, hi = cost_inputs["volume_range_m"]
    fig = go.Figure()
    for i, option in enumerate(found):
        xs = set(costs.log_grid(lo, hi, 200))
        if option.capacity_m:  # draw each step where one more machine is needed
            k = 1
            while k * option.capacity_m < hi:
                xs.update((k * option.capacity_m, k * option.capacity_m * (1 + 1e-9)))
                k += 1
        xs = sorted(x for x in xs if lo <= x <= hi)
        fig.add_trace(go.Scatter(uid=f"option-{i}", name=option.label, mode="lines", x=xs,
                                 y=[costs.monthly_usd(option, x) for x in xs], line={"color": _colour(i), "width": 2}))  # fmt: skip
    evens, pairs = [], set()
    for e in costs.break_evens(found, lo, hi):  # the first per pair: later ones follow each added machine
        if (e["a"], e["b"]) not in pairs:
            pairs.add((e["a"], e["b"]))
            evens.append(e)
    labels = {o.key: o.label for o in found}
    if evens:
        fig.add_trace(go.Scatter(uid="break-even", name="Break-even", mode="markers+text",
                                 x=[e["volume_m"] for e in evens], y=[e["usd"] for e in evens],
                                 text=[tokens(e["volume_m"]) for e in evens],
                                 textposition=[("top left", "bottom right")[k % 2] for k in range(len(evens))],
                                 marker={"color": INK, "size": 9, "symbol": "diamond"}))  # fmt: skip
    _layout(fig, x="Tokens generated per month (millions, log scale)", y="USD per month (log scale)")
    fig.update_xaxes(type="log")
    fig.update_yaxes(type="log")
    fig.update_layout(legend={"orientation": "h", "y": -0.2, "bgcolor": "rgba(0,0,0,0)"}, height=HEIGHT + 60,
                      margin={"b": 110})  # fmt: skip
    decades = [10**k for k in range(round(math.log10(lo)), round(math.log10(hi)) + 1)]
    rows = [[tokens(v), *(_money(costs.monthly_usd(o, v)) for o in found)] for v in decades]
    summary = "; ".join(
        f"{labels[e['cheaper_after']]} is cheaper from {tokens(e['volume_m'])} tokens a month "
        f"(against {labels[e['b'] if e['cheaper_after'] == e['a'] else e['a']]})"
        for e in evens
    )
    return Chart(
        name="cost-by-volume",
        title=f"Monthly cost of running {cost_inputs['model']}",
        caption=f"{cost_inputs['model']} bought, rented or from an API, against the tokens it generates a month "
        f"({cost_inputs['input_per_output']} prompt tokens per generated token, {cost_inputs['streams']} "
        "conversations at once). Steps mark another machine; diamonds mark the first break-even of each pair. "
        "Inputs and "
        "their sources are on the Cost page, whose calculator redraws the numbers for yours.",
        alt=f"Line chart, log scales, of monthly cost for {len(found)} options from {tokens(lo)} to {tokens(hi)} "
        f"tokens a month. {summary or 'No break-even in this range'}.",
        figure=fig,
        columns=["Tokens per month", *(o.label for o in found)],
        rows=rows,
        models=[cost_inputs["model"]],
    )


def run_label(run: Run) -> str:
    """How a stored run is named on charts and in the comparator: served name, quantization, example."""
    quant = f" {run.model.quantization}" if run.model.quantization else ""
    return f"{run.model.served_name}{quant}{' (example)' if run.example else ''}"


def accuracy_vs_speed(catalog: Catalog, suite_id: str) -> Chart | None:
    """The stored runs of one suite: accuracy (with its 95 % interval) against output tokens per second."""
    runs = [r for r in catalog.runs.values() if r.suite == suite_id and r.summary.output_tokens_per_s_p50]
    if not runs:
        return None
    suite = catalog.suites[suite_id]
    fig = go.Figure()
    for i, r in enumerate(runs):
        low, high = r.summary.accuracy_ci95
        fig.add_trace(
            go.Scatter(
                uid=f"run-{i}",
                name=html.escape(run_label(r)),  # Plotly reads <tags> in labels: contributor text stays text
                mode="markers",
                x=[r.summary.output_tokens_per_s_p50],
                y=[100 * r.summary.accuracy],
                error_y={"type": "data", "symmetric": False, "array": [100 * (high - r.summary.accuracy)],
                         "arrayminus": [100 * (r.summary.accuracy - low)], "color": _colour(i)},
                marker={"color": _colour(i), "size": 11, "symbol": "circle-open" if r.example else "circle"},
            )
        )  # fmt: skip
    _layout(fig, x="Output tokens per second per request (median, log scale)", y="Accuracy (%)")
    fig.update_xaxes(type="log")
    fig.update_yaxes(range=[-2, 102])
    rows = [
        [run_label(r), round(100 * r.summary.accuracy, 1),
         f"{100 * r.summary.accuracy_ci95[0]:.1f}–{100 * r.summary.accuracy_ci95[1]:.1f}",
         r.summary.output_tokens_per_s_p50, r.summary.latency_p50_s, r.hardware]
        for r in sorted(runs, key=lambda r: (-r.summary.accuracy, run_label(r)))
    ]  # fmt: skip
    return Chart(
        name=f"runs-accuracy-vs-speed-{suite_id}",
        title=f"{suite.name}: accuracy against speed",
        caption="Each stored run of the suite: accuracy with its 95 % Wilson interval against the median output "
        "speed of one request while streaming. Speed depends on the hardware and server named in the table; "
        "hollow markers are example runs, which measure nothing.",
        alt=f"Scatter plot of {len(runs)} runs of {suite.name}: accuracy from "
        f"{min(100 * r.summary.accuracy for r in runs):.0f} to {max(100 * r.summary.accuracy for r in runs):.0f} %, "
        f"speed from {min(r.summary.output_tokens_per_s_p50 for r in runs):g} to "
        f"{max(r.summary.output_tokens_per_s_p50 for r in runs):g} tokens/s.",
        figure=fig,
        columns=["Run", "Accuracy (%)", "95 % interval", "Output tokens/s (p50)", "Latency p50 (s)", "Hardware"],
        rows=rows,
        models=[row[0] for row in rows],
    )


def figures(catalog: Catalog, ranking_data: dict, cost_inputs: dict | None) -> list[Chart]:
    """Every chart of the site, in page order; a chart with no data is left out."""
    charts = [
        performance_vs_size(catalog),
        benchmark_heatmap(catalog),
        *(ranked_bars(catalog, b) for b in MAIN_BENCHMARKS),
        memory_by_quantization(catalog),
        context_by_release(catalog),
        releases_over_time(catalog),
        cost_by_volume(cost_inputs),
        *(family_size_vs_score(catalog, f) for f in catalog.families),
        *(accuracy_vs_speed(catalog, suite_id) for suite_id in catalog.suites),
    ]
    charts += [use_case_ranking(catalog, task, label, ranking_data) for task, label in selector.TASKS if task != "chat"]
    return [c for c in charts if c is not None]


# ---------------------------------------------------------------- rendering


def _versions() -> str:
    return ";".join(f"{p}={metadata.version(p)}" for p in ("plotly", "kaleido"))


def fingerprint(chart: Chart) -> str:
    spec = json.dumps(chart.figure.to_plotly_json(), sort_keys=True, default=str)
    words = json.dumps([chart.name, chart.title, chart.alt, chart.models])  # finish_svg writes these in
    return hashlib.sha256(f"{_versions()}\n{WIDTH}x{HEIGHT}\n{words}\n{spec}".encode()).hexdigest()[:20]


def finish_svg(svg: str, chart: Chart) -> str:
    """Stable bytes and an accessible name: Plotly's random figure id becomes the chart's name, and a
    <title> and <desc> (the alt text and the models plotted) open the drawing."""
    found = re.search(r'id="defs-([0-9a-f]+)"', svg)
    if found:
        svg = svg.replace(found.group(1), f"-{chart.name}-")
    described = xml_escape(chart.alt + (" Models: " + "; ".join(chart.models) + "." if chart.models else ""))
    head = f"<title>{xml_escape(chart.title)}</title><desc>{described}</desc>"
    return re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + head, svg, count=1)


@dataclass
class RenderReport:
    rendered: int = 0
    cached: int = 0
    keys: dict[str, str] = field(default_factory=dict)  # chart name -> its cache entry (fingerprint)


def render(charts: list[Chart], cache_dir: Path) -> tuple[dict[str, bytes], RenderReport]:
    """SVG bytes per chart name. Cached charts are read back; the rest share one Kaleido browser."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    out: dict[str, bytes] = {}
    report = RenderReport()
    missing = []
    for chart in charts:
        report.keys[chart.name] = fingerprint(chart)
        cached = cache_dir / f"{report.keys[chart.name]}.svg"
        if cached.is_file():
            out[chart.name] = cached.read_bytes()
            report.cached += 1
        else:
            missing.append((chart, cached))
    if missing:
        import kaleido
        import plotly.io as pio

        kaleido.start_sync_server(n=1, mathjax=False, silence_warnings=True)
        try:
            for chart, cached in missing:
                height = chart.figure.layout.height or HEIGHT
                with warnings.catch_warnings():  # plotly warns that a running server ignores per-call options
                    warnings.simplefilter("ignore", UserWarning)
                    raw = pio.to_image(chart.figure, format="svg", width=WIDTH, height=height).decode("utf-8")
                svg = finish_svg(raw, chart).encode("utf-8")
                store(cached, svg)
                out[chart.name] = svg
                report.rendered += 1
        finally:
            kaleido.stop_sync_server(silence_warnings=True)
    return out, report


# ---------------------------------------------------------------- the site's chart set, cached whole

# Model fields no chart reads (prose and provenance): an edit to them leaves the charted facts unchanged.
# tests/test_charts.py checks that the drawing code (_CHARTING_MODULES) never reads them.
UNCHARTED_FIELDS = frozenset({"description", "strengths", "sources", "verified", "context_note"})
_CHARTING_MODULES = ("charts.py", "hardware.py", "costs.py", "selector.py")


def charted_facts_key(catalog: Catalog, ranking_data: dict, cost_inputs: dict | None) -> str:
    """A hash of everything the charts are drawn from: the catalog minus UNCHARTED_FIELDS, the ranking and
    cost inputs, the code that draws them and the library versions."""
    digest = hashlib.sha256(f"{_versions()}\n{WIDTH}x{HEIGHT}\n".encode())
    here = Path(__file__).parent
    for name in _CHARTING_MODULES:
        digest.update((here / name).read_bytes())
    for e in catalog.models.values():
        facts = e.model.model_dump(mode="json", exclude=UNCHARTED_FIELDS)
        digest.update(json.dumps([e.id, e.family_id, facts], sort_keys=True).encode())
    rest = [catalog.licences, catalog.families, catalog.hardware, catalog.suites, catalog.runs, catalog.prices]
    for records in rest:
        digest.update(json.dumps({k: v.model_dump(mode="json") for k, v in records.items()}, sort_keys=True).encode())
    digest.update(json.dumps([ranking_data, cost_inputs], sort_keys=True, default=str).encode())
    return digest.hexdigest()[:20]


def build(
    catalog: Catalog, ranking_data: dict, cost_inputs: dict | None, cache_dir: Path
) -> tuple[list[Chart], dict[str, bytes], RenderReport]:
    """Every chart and its SVG. A chart set whose charted facts were seen before is read back from
    `cache_dir` (charts without figures, SVGs by fingerprint); otherwise figures are built and rendered."""
    index = cache_dir / f"set-{charted_facts_key(catalog, ranking_data, cost_inputs)}.pickle"
    try:
        saved: list[tuple[Chart, str]] = pickle.loads(index.read_bytes())
        svgs = {chart.name: (cache_dir / f"{key}.svg").read_bytes() for chart, key in saved}
        return [chart for chart, _ in saved], svgs, RenderReport(cached=len(saved))
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        pass  # not built before, or the cache is damaged: build it
    charts = figures(catalog, ranking_data, cost_inputs)
    svgs, report = render(charts, cache_dir)
    saved = [(replace(chart, figure=None), report.keys[chart.name]) for chart in charts]
    store(index, pickle.dumps(saved, protocol=pickle.HIGHEST_PROTOCOL))
    return charts, svgs, report
