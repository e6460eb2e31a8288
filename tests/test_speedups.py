"""The build's speed-ups change nothing but speed: cached parses match fresh ones and follow every edit,
squeezed pages keep every verbatim block, model pages rendered by forked workers are the ones rendered in
order, and the nav stays small however big a family grows."""

from __future__ import annotations

from pathlib import Path

from generator import routes
from generator.catalog import authored, resolve
from generator.catalog.parse import parse_file, parse_text
from generator.model import selector
from generator.render.inputs import Inputs
from generator.render.jinja import Renderer
from generator.render.nav import NAV_GROUP_MAX, nav_groups, run_length, runs_of
from generator.render.sections import models
from generator.site.minify import aligned_cells, first_abbreviations, squeeze

ROOT = Path(__file__).resolve().parent.parent


def test_parse_cache_returns_what_a_parse_would_and_follows_edits(tmp_path):
    cache = tmp_path / "cache"
    source = tmp_path / "m.yaml"
    source.write_text("name: First\nparams_b: 7\n")
    fresh = parse_file(source, "catalog/m.yaml", cache)
    assert len(list(cache.rglob("*.pickle"))) == 1
    again = parse_file(source, "catalog/m.yaml", cache)
    assert again.data == fresh.data == {"name": "First", "params_b": 7}
    assert again.value_marks == fresh.value_marks and again.key_marks == fresh.key_marks
    source.write_text("name: Second\nparams_b: 7\n")
    assert parse_file(source, "catalog/m.yaml", cache).data["name"] == "Second"
    for entry in cache.rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")  # a broken entry is parsed again
    assert parse_file(source, "catalog/m.yaml", cache).data == parse_text("catalog/m.yaml", source.read_text()).data


def test_squeeze_collapses_blank_runs_and_keeps_verbatim_blocks():
    page = "<ul>\n\n    <li>a</li>\n      \n  <li>b</li>\n</ul>\n<pre>  x\n\n    y</pre>\n\n<script>\n  var a = 1;\n\n</script>"
    squeezed = squeeze(page)
    assert squeezed.startswith("<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n")
    assert "<pre>  x\n\n    y</pre>" in squeezed and "<script>\n  var a = 1;\n\n</script>" in squeezed


def test_an_abbreviation_is_expanded_on_its_first_use_only():
    page = (
        '<p><abbr title="Key-value cache">KV</abbr> and <abbr title="Bfloat16">BF16</abbr></p>'
        '<td><abbr title="Bfloat16">BF16</abbr></td><td><abbr title="Key-value cache">KV</abbr></td>'
    )
    assert first_abbreviations(page) == (
        '<p><abbr title="Key-value cache">KV</abbr> and <abbr title="Bfloat16">BF16</abbr></p>'
        "<td><abbr>BF16</abbr></td><td><abbr>KV</abbr></td>"
    )


def test_right_aligned_cells_get_a_class_instead_of_an_inline_style():
    row = '<tr><th style="text-align: right;">GB</th><td>x</td><td style="text-align: right;">4</td></tr>'
    assert aligned_cells(row) == '<tr><th class="num">GB</th><td>x</td><td class="num">4</td></tr>'


class _Entry:
    def __init__(self, i: int, params: float):
        self.family_id, self.id = "f", f"m{i}"
        self.url = routes.model(self)
        self.model = type("M", (), {"params_b": params, "name": f"Model {i:04d}"})()


def test_a_big_family_is_grouped_in_the_nav():
    small = [_Entry(i, 7) for i in range(NAV_GROUP_MAX)]
    assert nav_groups(small) == [e.url for e in small]
    big = [_Entry(i, (1, 7, 7, 70)[i % 4]) for i in range(400)]
    groups = nav_groups(big)
    pages = [url for group in groups for (label, urls) in group.items() for url in urls]
    assert sorted(pages) == sorted(e.url for e in big)
    assert all(len(urls) <= NAV_GROUP_MAX for group in groups for urls in group.values())
    small_runs = [label for group in groups for label in group if label.startswith("Small")]
    assert small_runs == [f"Small (3–10B), {i} of 8" for i in range(1, 9)]  # 200 of 400: runs of 25
    assert "Tiny (&lt; 3B), 1 of 4" in [label for group in groups for label in group]  # titles are HTML


def test_runs_are_near_equal_and_about_the_square_root_of_the_family_long():
    assert [run_length(n) for n in (41, 400, 985, 5000)] == [8, 25, 39, 40]
    for n, length in ((41, 8), (200, 25), (985, 39)):
        runs = runs_of(list(range(n)), length)
        assert [x for run in runs for x in run] == list(range(n))
        assert max(map(len, runs)) - min(map(len, runs)) <= 1 and max(map(len, runs)) <= length


def test_model_pages_from_forked_workers_match_pages_rendered_in_order(monkeypatch, tmp_path):
    catalog = resolve.resolve(authored.read_authored(ROOT / "catalog"))
    inputs = Inputs(catalog, selector.Rankings(selector.selector_data(catalog)))
    render = Renderer(catalog, tmp_path / "templates")
    stale = {next(iter(catalog.models))}
    monkeypatch.setattr(models.os, "cpu_count", lambda: 1)
    in_order = models.model_pages(inputs, render, stale)
    monkeypatch.setattr(models.os, "cpu_count", lambda: 3)
    monkeypatch.setattr(models, "PARALLEL_MIN_MODELS", 10)
    forked = models.model_pages(inputs, render, stale)
    assert forked == in_order and len(forked) == len(catalog.models)
    assert [url for url, _ in forked] == [routes.model(e) for e in catalog.models.values()]
    assert list(tmp_path.joinpath("templates").iterdir())  # compiled templates are kept for the next build
