"""The site's chart set: every figure (from catalog.py and usage.py) rendered to SVG by Kaleido
(headless Chromium), with two caches.

Stages: `figures(catalog, rankings, cost_inputs)` builds every Chart (a figure, its caption, alt text
and data table) from catalog facts only (the selector's ranking and costs.inputs are derived from them);
`render(charts, cache)` turns them into SVG bytes with one Kaleido browser for the whole build, skipping any
chart whose figure JSON and library versions hash to a cached file. `build` wraps both for the site: when
the charted facts are those of an earlier build (an edit to prose only), it reads that build's charts back
without building a figure. Output bytes are stable: every trace has a fixed uid and Plotly's random figure
id is replaced by the chart's name.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from pydantic import BaseModel

from ... import routes
from ...cachefile import store
from ...catalog.resolve import Catalog
from ...model import selector
from .catalog import (
    MAIN_BENCHMARKS,
    benchmark_heatmap,
    context_by_release,
    family_size_vs_score,
    memory_by_quantization,
    performance_vs_size,
    ranked_bars,
    releases_over_time,
    use_case_ranking,
)
from .style import HEIGHT, WIDTH, Chart
from .usage import accuracy_vs_speed, cost_by_volume


def figures(catalog: Catalog, rankings: selector.Rankings, cost_inputs: list[dict]) -> list[Chart]:
    """Every chart of the site, in page order; a chart with no data is left out."""
    charts = [
        performance_vs_size(catalog),
        benchmark_heatmap(catalog),
        *(ranked_bars(catalog, b) for b in MAIN_BENCHMARKS),
        memory_by_quantization(catalog),
        context_by_release(catalog),
        releases_over_time(catalog),
        *(cost_by_volume(i) for i in cost_inputs),
        *(family_size_vs_score(catalog, f) for f in catalog.families),
        *(accuracy_vs_speed(catalog, suite_id) for suite_id in catalog.suites),
    ]
    charts += [use_case_ranking(catalog, task, label, rankings) for task, label in selector.TASKS if task != "chat"]
    return [c for c in charts if c is not None]


# ---------------------------------------------------------------- rendering


def _versions() -> str:
    return ";".join(f"{p}={metadata.version(p)}" for p in ("plotly", "kaleido"))


def fingerprint(chart: Chart) -> str:
    assert chart.figure is not None, "a chart read back from the cache is not drawn again"
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
                assert chart.figure is not None
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
# The code charts are drawn by, as paths under generator/: a change to it redraws them.
_CHARTING_MODULES = ("render/charts/style.py", "render/charts/catalog.py", "render/charts/usage.py",
                     "render/charts/svg.py", "model/hardware.py", "model/costs.py", "model/selector.py")  # fmt: skip


def charted_facts_key(catalog: Catalog, rankings: selector.Rankings, cost_inputs: list[dict]) -> str:
    """A hash of everything the charts are drawn from: the catalog minus UNCHARTED_FIELDS, the ranking and
    cost inputs, the code that draws them and the library versions."""
    digest = hashlib.sha256(f"{_versions()}\n{WIDTH}x{HEIGHT}\n".encode())
    here = routes.ROOT / "generator"
    for name in _CHARTING_MODULES:
        digest.update((here / name).read_bytes())
    for e in catalog.models.values():
        facts = e.model.model_dump(mode="json", exclude=set(UNCHARTED_FIELDS))
        digest.update(json.dumps([e.id, e.family_id, facts], sort_keys=True).encode())
    rest: list[Mapping[str, BaseModel]] = [catalog.licences, catalog.families, catalog.hardware, catalog.suites,
                                           catalog.runs, catalog.prices]  # fmt: skip
    for records in rest:
        digest.update(json.dumps({k: v.model_dump(mode="json") for k, v in records.items()}, sort_keys=True).encode())
    digest.update(json.dumps([rankings.data, cost_inputs], sort_keys=True, default=str).encode())
    return digest.hexdigest()[:20]


def build(
    catalog: Catalog, rankings: selector.Rankings, cost_inputs: list[dict], cache_dir: Path
) -> tuple[list[Chart], dict[str, bytes], RenderReport]:
    """Every chart and its SVG. A chart set whose charted facts were seen before is read back from
    `cache_dir` (charts without figures, SVGs by fingerprint); otherwise figures are built and rendered."""
    index = cache_dir / f"set-{charted_facts_key(catalog, rankings, cost_inputs)}.pickle"
    try:
        saved: list[tuple[Chart, str]] = pickle.loads(index.read_bytes())
        svgs = {chart.name: (cache_dir / f"{key}.svg").read_bytes() for chart, key in saved}
        return [chart for chart, _ in saved], svgs, RenderReport(cached=len(saved))
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        pass  # not built before, or the cache is damaged: build it
    charts = figures(catalog, rankings, cost_inputs)
    svgs, report = render(charts, cache_dir)
    saved = [(replace(chart, figure=None), report.keys[chart.name]) for chart in charts]
    store(index, pickle.dumps(saved, protocol=pickle.HIGHEST_PROTOCOL))
    return charts, svgs, report
