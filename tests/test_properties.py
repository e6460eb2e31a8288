"""Property-based tests (hypothesis): arbitrary text lands literally wherever contributor text goes. Markdown
text and table cells rendered by Python-Markdown with the site's own extensions (from mkdocs.yml), decision-
tree labels rendered by Mermaid in Chromium, JSON inlined in a <script>; the YAML the atlas writes reads back
as written; and no bytes make the catalog reader fail other than with a located problem."""

from __future__ import annotations

import json
import re
from pathlib import Path

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.bench.runner import RunDumper
from generator.catalog.parse import ParseError, decode, parse_text
from generator.render import trees
from generator.render.escape import md, paragraphs, script_json, visible

ROOT = Path(__file__).resolve().parent.parent


def site_markdown() -> markdown.Markdown:
    """Python-Markdown with mkdocs.yml's extensions and their settings (snippets' auto-append left out: it
    reads files, which is not what these properties are about)."""
    loader = type("Loader", (yaml.SafeLoader,), {})
    loader.add_multi_constructor("!", lambda *_: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=loader)
    names, settings_of = [], {}
    for item in config["markdown_extensions"]:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        if name != "pymdownx.snippets":
            names.append(name)
            settings_of[name] = options or {}
    return markdown.Markdown(extensions=names, extension_configs=settings_of)


MD = site_markdown()


def rendered_text(source: str) -> str:
    MD.reset()
    return BeautifulSoup(MD.convert(source), "html.parser").get_text()


def shown(text: str) -> str:
    return " ".join(visible(text).split())


# Text with the characters that mean something somewhere: Markdown, HTML, Jinja, Mermaid, YAML, tables.
SYNTAX = "<>&\"'`*_[](){}#!|\\-+=~^:;%$@/.,?\n\t \u00a0\u2028\u2029\u202e\u200b\x00\x1b"
texts = st.text(alphabet=st.one_of(st.sampled_from(SYNTAX), st.characters(codec="utf-8")), max_size=80)
words = texts.filter(lambda t: shown(t) != "")


@given(words)
@settings(max_examples=300, deadline=None)
def test_inline_markdown_shows_text_literally(text):
    assert rendered_text(md(text)).strip() == shown(text)


@given(st.lists(words, min_size=1, max_size=4))
@settings(max_examples=200, deadline=None)
def test_table_cells_keep_the_table_shape_and_their_text(cells):
    source = "| " + " | ".join(f"h{i}" for i in range(len(cells))) + " |\n"
    source += "|" + "---|" * len(cells) + "\n| " + " | ".join(md(c) for c in cells) + " |\n"
    MD.reset()
    table = BeautifulSoup(MD.convert(source), "html.parser")
    rows = table.find_all("tr")
    assert len(rows) == 2 and len(rows[1].find_all("td")) == len(cells)
    assert [td.get_text().strip() for td in rows[1].find_all("td")] == [shown(c) for c in cells]


@given(st.lists(words.filter(lambda t: not re.search(r"\n\s*\n", visible(t))), min_size=1, max_size=3))
@settings(max_examples=100, deadline=None)
def test_paragraphs_stay_paragraphs_of_literal_text(parts):
    """Each part one paragraph (a part holding a blank line is two, as it should be: not generated)."""
    MD.reset()
    html = BeautifulSoup(MD.convert(paragraphs("\n\n".join(parts))), "html.parser")
    assert [p.get_text() for p in html.find_all("p")] == [shown(p) for p in parts if shown(p)]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
@settings(max_examples=300, deadline=None)
def test_inlined_json_cannot_close_its_script_and_reads_back(value):
    raw = script_json(value)
    assert not re.search(r"[<>&\u2028\u2029\x7f-\x9f]", raw)  # nothing that ends the script or HTML forbids
    page = BeautifulSoup(f'<script type="application/json">{raw}</script><p>after</p>', "html.parser")
    assert json.loads(page.find("script").string) == value and page.find("p").get_text() == "after"


@given(texts)
@settings(max_examples=300, deadline=None)
def test_text_the_atlas_writes_reads_back_as_written(text):
    written = yaml.dump({"answer": text, "list": [text]}, Dumper=RunDumper, allow_unicode=True, width=120)
    assert parse_text("f.yaml", written).data == {"answer": text, "list": [text]}


@given(st.binary(max_size=300) | texts.map(lambda t: t.encode("utf-8")))
@settings(max_examples=500, deadline=None)
def test_any_bytes_are_read_or_refused_with_a_located_problem(raw):
    try:
        parse_text("f.yaml", decode("f.yaml", raw))
    except ParseError as refused:
        assert refused.problem.line >= 1 and refused.problem.col >= 1 and refused.problem.message


@pytest.fixture(scope="module")
def mermaid(browser):
    page = browser.new_page()
    page.set_content("<!doctype html><html><body></body></html>")
    page.add_script_tag(path=str(trees.MERMAID_JS))
    yield page
    page.close()


@given(words)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@pytest.mark.browser
def test_decision_tree_labels_show_text_literally(mermaid, text):
    source = f'flowchart TD\n    a["{trees.label(text)}"] -->|"{trees.label(text)}"| b["end"]'
    svg = BeautifulSoup(mermaid.evaluate(trees.RENDER_JS, ["property", source]), "html.parser")
    labels = [" ".join(el.get_text().split()) for el in svg.select("span.nodeLabel, span.edgeLabel")]
    assert sorted(labels) == sorted([shown(text), shown(text), "end"])
