"""Charts (generator/render/charts/): derived from the catalog, valid SVG naming what they plot, stable bytes,
rendered once per data change."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.catalog import authored, resolve
from generator.model import costs, selector
from generator.render.charts import svg as charts
from generator.render.charts.catalog import MAIN_BENCHMARKS

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def catalog():
    return resolve.resolve(authored.read_authored(ROOT / "catalog"))


@pytest.fixture(scope="module")
def rendered(catalog, tmp_path_factory):
    figures = charts.figures(catalog, selector.Rankings(selector.selector_data(catalog)), costs.all_inputs(catalog))
    cache = tmp_path_factory.mktemp("chart-cache")
    svgs, report = charts.render(figures, cache)
    return figures, svgs, report, cache


@pytest.mark.browser  # Kaleido draws in headless Chromium
@pytest.mark.xdist_group("test_charts")  # the real catalog's charts, drawn once
def test_every_chart_is_svg_naming_its_models(catalog, rendered):
    figures, svgs, report, _ = rendered
    names = {c.name for c in figures}
    expected = {
        "performance-vs-size-mmlu",
        "benchmark-heatmap",
        "memory-by-quantization",
        "context-by-release",
    }
    expected |= {f"ranked-{b.lower()}" for b in MAIN_BENCHMARKS}
    expected |= {f"cost-by-volume-{i['id']}" for i in costs.all_inputs(catalog)}
    assert len(expected) > 10 and expected <= names
    assert report.rendered == len(figures) and report.cached == 0
    for chart in figures:
        root = ET.fromstring(svgs[chart.name])
        assert root.tag == f"{SVG}svg"
        assert root.find(f"{SVG}title").text == chart.title
        text = svgs[chart.name].decode()
        for model in chart.models:
            assert model.replace("&", "&amp;") in text, (chart.name, model)


@pytest.mark.browser  # Kaleido draws in headless Chromium
@pytest.mark.xdist_group("test_charts")  # the real catalog's charts, drawn once
def test_chart_data_comes_from_the_catalog(catalog, rendered):
    figures, *_ = rendered
    mmlu = next(c for c in figures if c.name == "ranked-mmlu")
    scores = sorted((e.model.benchmarks["MMLU"].score for e in catalog.models.values() if "MMLU" in e.model.benchmarks),
                    reverse=True)  # fmt: skip
    assert [row[1] for row in mmlu.rows] == scores[: len(mmlu.rows)]
    top = mmlu.rows[0][0]
    assert top in svgs_text(rendered, "ranked-mmlu")


def svgs_text(rendered, name: str) -> str:
    return rendered[1][name].decode()


@pytest.mark.browser  # Kaleido draws in headless Chromium
@pytest.mark.xdist_group("test_charts")  # the real catalog's charts, drawn once
def test_same_data_same_bytes_and_cached_rebuild_renders_nothing(catalog, rendered, tmp_path):
    figures, svgs, _, cache = rendered
    again, report = charts.render(
        charts.figures(catalog, selector.Rankings(selector.selector_data(catalog)), costs.all_inputs(catalog)), cache
    )
    assert report.rendered == 0 and report.cached == len(figures)
    assert again == svgs
    sample = [c for c in figures if c.name in ("benchmark-heatmap", "performance-vs-size-mmlu")]
    fresh, report = charts.render(sample, tmp_path)  # a cold render in a new browser: identical bytes
    assert report.rendered == 2
    assert all(fresh[c.name] == svgs[c.name] for c in sample)


@pytest.mark.browser  # Kaleido draws in headless Chromium
@pytest.mark.xdist_group("test_charts")  # the real catalog's charts, drawn once
def test_changed_data_renders_only_that_chart(catalog, rendered):
    figures, _, _, cache = rendered
    chart = figures[0]
    chart.figure.update_layout(title_text="changed")
    _, report = charts.render(figures, cache)
    assert (report.rendered, report.cached) == (1, len(figures) - 1)


@pytest.mark.browser  # Kaleido draws in headless Chromium
@pytest.mark.xdist_group("test_charts")  # the real catalog's charts, drawn once
def test_the_chart_set_is_rebuilt_only_when_charted_facts_change(catalog, rendered, monkeypatch):
    figures, svgs, _, cache = rendered
    rankings, cost_inputs = selector.Rankings(selector.selector_data(catalog)), costs.all_inputs(catalog)
    key = charts.charted_facts_key(catalog, rankings, cost_inputs)
    first_id, first = next(iter(catalog.models.items()))

    def with_model(**changes):
        entry = dataclasses.replace(first, model=first.model.model_copy(update=changes))
        return dataclasses.replace(catalog, models={**catalog.models, first_id: entry})

    prose = with_model(description="Edited prose.", strengths=["edited"])
    assert charts.charted_facts_key(prose, rankings, cost_inputs) == key
    assert charts.charted_facts_key(with_model(params_b=first.model.params_b + 1), rankings, cost_inputs) != key

    charts.build(catalog, rankings, cost_inputs, cache)  # the figures are rendered already: this writes the set
    monkeypatch.setattr(charts, "figures", lambda *a: pytest.fail("a known chart set built its figures"))
    again, again_svgs, report = charts.build(prose, rankings, cost_inputs, cache)
    assert report.rendered == 0 and again_svgs == svgs
    assert [(c.name, c.caption, c.rows) for c in again] == [(c.name, c.caption, c.rows) for c in figures]


def test_uncharted_fields_are_never_read_by_chart_code():
    assert {"render/charts/catalog.py", "model/hardware.py", "model/costs.py"} <= set(charts._CHARTING_MODULES)
    for module in charts._CHARTING_MODULES:  # the code that draws (a change to it redraws the charts)
        code = (ROOT / "generator" / module).read_text(encoding="utf-8")
        for name in charts.UNCHARTED_FIELDS:
            assert not re.search(rf"\.{name}\b", code), (
                f"generator/{module} reads .{name}: drop it from UNCHARTED_FIELDS"
            )
