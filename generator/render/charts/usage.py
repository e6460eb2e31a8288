"""Charts of what running models costs and how stored runs did: monthly cost against volume (with the
break-evens) and, per suite, accuracy against speed."""

from __future__ import annotations

import html
import math

import plotly.graph_objects as go

from ...catalog.resolve import Catalog
from ...model import costs
from ..format import money, run_label, tokens
from .style import HEIGHT, INK, Chart, colour, layout


def cost_by_volume(cost_inputs: dict) -> Chart:
    """Monthly cost of each way of running one model against the tokens generated, with break-evens."""
    found = costs.options(cost_inputs)
    lo, hi = cost_inputs["volume_range_m"]
    fig = go.Figure()
    for i, option in enumerate(found):
        grid = set(costs.log_grid(lo, hi, 200))
        if option.capacity_m:  # draw each step where one more machine is needed
            k = 1
            while k * option.capacity_m < hi:
                grid.update((k * option.capacity_m, k * option.capacity_m * (1 + 1e-9)))
                k += 1
        xs = sorted(x for x in grid if lo <= x <= hi)
        fig.add_trace(go.Scatter(uid=f"option-{i}", name=option.label, mode="lines", x=xs,
                                 y=[costs.monthly_usd(option, x) for x in xs], line={"color": colour(i), "width": 2}))  # fmt: skip
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
    layout(fig, x="Tokens generated per month (millions, log scale)", y="USD per month (log scale)")
    fig.update_xaxes(type="log")
    fig.update_yaxes(type="log")
    fig.update_layout(legend={"orientation": "h", "y": -0.2, "bgcolor": "rgba(0,0,0,0)"}, height=HEIGHT + 60,
                      margin={"b": 110})  # fmt: skip
    decades = [10**k for k in range(round(math.log10(lo)), round(math.log10(hi)) + 1)]
    rows = [[tokens(v), *(money(costs.monthly_usd(o, v)) for o in found)] for v in decades]
    summary = "; ".join(
        f"{labels[e['cheaper_after']]} is cheaper from {tokens(e['volume_m'])} tokens a month "
        f"(against {labels[e['b'] if e['cheaper_after'] == e['a'] else e['a']]})"
        for e in evens
    )
    return Chart(
        name=f"cost-by-volume-{cost_inputs['id']}",
        title=f"Monthly cost of running {cost_inputs['model']}",
        caption=f"{cost_inputs['model']} bought, rented or from an API, against the tokens it generates a month "
        f"({cost_inputs['input_per_output']} prompt tokens per generated token; up to {cost_inputs['local']['streams']} "
        f"and {cost_inputs['rented']['streams']} conversations at once on the bought and rented GPU, as many as "
        "their memory holds). Steps mark another machine; diamonds mark the first break-even of each pair. "
        "Inputs and their sources are on the Cost page, whose calculator redraws the numbers for yours.",
        alt=f"Line chart, log scales, of monthly cost for {len(found)} options from {tokens(lo)} to {tokens(hi)} "
        f"tokens a month. {summary or 'No break-even in this range'}.",
        figure=fig,
        columns=["Tokens per month", *(o.label for o in found)],
        rows=rows,
        models=[cost_inputs["model"]],
    )


def accuracy_vs_speed(catalog: Catalog, suite_id: str) -> Chart | None:
    """The stored runs of one suite: accuracy (with its 95 % interval) against output tokens per second."""
    runs = [r for r in catalog.runs.values() if r.suite == suite_id and r.summary.output_tokens_per_s_p50]
    if not runs:
        return None
    suite = catalog.suites[suite_id]
    speeds = [s for r in runs if (s := r.summary.output_tokens_per_s_p50) is not None]
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
                         "arrayminus": [100 * (r.summary.accuracy - low)], "color": colour(i)},
                marker={"color": colour(i), "size": 11, "symbol": "circle-open" if r.example else "circle"},
            )
        )  # fmt: skip
    layout(fig, x="Output tokens per second per request (median, log scale)", y="Accuracy (%)")
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
        f"speed from {min(speeds):g} to {max(speeds):g} tokens/s.",
        figure=fig,
        columns=["Run", "Accuracy (%)", "95 % interval", "Output tokens/s (p50)", "Latency p50 (s)", "Hardware"],
        rows=rows,
        models=[str(row[0]) for row in rows],
    )
