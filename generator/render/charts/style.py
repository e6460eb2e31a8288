"""What every chart shares: the Chart record (figure, caption, alt text, data table) and the look: size,
colours that read on light and dark pages, axes, and horizontal ranking bars."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import plotly.graph_objects as go

WIDTH, HEIGHT = 820, 480
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
    rows: Sequence[Sequence[object]] = field(default_factory=list)
    models: list[str] = field(default_factory=list)  # model names it plots (tests look for them)


def layout(fig: go.Figure, *, x: str, y: str, legend: bool = True) -> go.Figure:
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


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def ranking_bars(uid: str, *, names, values, labels, x_title: str, height: int, margin: dict) -> go.Figure:
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
    layout(fig, x=x_title, y="", legend=False)
    fig.update_layout(height=height, margin=margin)
    return fig
