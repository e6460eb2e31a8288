"""Decision trees (generator/render/trees.py): Mermaid source escaped, rendered at build time, labels and links kept."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from helpers import generate_docs, make_project, minimal_catalog

from generator.catalog import authored, resolve
from generator.model import selector
from generator.render import trees

ROOT = Path(__file__).resolve().parent.parent


def text_of(svg: str) -> str:
    """The text a reader sees in a rendered tree (labels are HTML inside foreignObject)."""
    without_style = re.sub(r"<style>.*?</style>", "", svg, flags=re.S)
    return " ".join(" ".join(re.findall(r">([^<>]+)<", without_style)).split())


def test_labels_cannot_break_out_of_mermaid_syntax():
    nasty = 'Evil"] --> x[click x call alert(1)] <b>&#x; `code` {a|b}'
    text = trees.label(nasty)
    assert not set('"<>[]{}|`\\-*_') & set(text)  # Mermaid syntax, HTML, and the Markdown it reads in labels
    assert text.startswith("Evil#quot;#93; #45;#45;#gt; x#91;click")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    catalog = resolve.resolve(authored.read_authored(ROOT / "catalog"))
    items = trees.trees(catalog, selector.Rankings(selector.selector_data(catalog)))
    return items, trees.render(items, tmp_path_factory.mktemp("tree-cache"))


@pytest.mark.browser
def test_every_tree_renders_with_its_labels_and_links(rendered):
    items, svgs = rendered
    assert {t.name for t in items} == {"tree-start", *(f"tree-{t}" for t in trees.USE_CASES)}
    for tree in items:
        svg = svgs[tree.name]
        assert svg.startswith("<svg") and "<script" not in svg
        shown = text_of(svg)
        for text in tree.labels:
            assert " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in shown
    coding = svgs["tree-coding"]
    shown = text_of(coding)
    assert all(f"{b} GB" in shown for b in selector.TIER_BUDGETS_GB) and "No: personal or research" in shown
    assert ' href="../models/' in coding
    # drawn at its own size (labels at the theme's size), not scaled down to the column
    assert re.search(r'<svg[^>]* width="[0-9]+"', coding) and "max-width" not in coding.split(">", 1)[0]
    assert ' href="../use-cases/coding.html"' in svgs["tree-start"]


@pytest.mark.browser
def test_contributor_text_in_a_tree_is_text(tmp_path):
    b = trees._Builder()
    b.node('Model "X" <img src=x onerror=alert(1)> & co', "leaf")
    svg = trees.render([trees.Tree("tree-test", "t", "\n".join(b.lines))], tmp_path)["tree-test"]
    assert "<img" not in svg and "<script" not in svg
    assert text_of(svg) == 'Model "X" &lt;img src=x onerror=alert(1)&gt; &amp; co'


@pytest.mark.build
@pytest.mark.browser
def test_two_builds_give_identical_bytes(tmp_path):
    project = make_project(tmp_path / "p", minimal_catalog())

    def snapshot() -> dict[str, str]:
        generate_docs(project)
        docs = project / "docs"
        return {
            str(p.relative_to(docs)): hashlib.sha256(p.read_bytes()).hexdigest() for p in docs.rglob("*") if p.is_file()
        }

    first = snapshot()
    shutil.rmtree(project / ".atlas-cache")  # cold: charts and trees rendered again in fresh browsers
    shutil.rmtree(project / "docs" / "use-cases")
    assert snapshot() == first
    assert any(name.startswith("use-cases/") for name in first)


def test_a_trees_leaves_are_the_tier_pages_first_picks():
    """One ranking: with no licence constraint, each memory branch ends at the model the tier page of that size
    ranks first for the task."""
    catalog = resolve.resolve(authored.read_authored(ROOT / "catalog"))
    rankings = selector.Rankings(selector.selector_data(catalog))
    tree = next(t for t in trees.trees(catalog, rankings) if t.name == "tree-coding")
    for budget in selector.TIER_BUDGETS_GB:
        first = rankings.tier(budget, "coding", 1)[0]
        name = catalog.models[first["id"]].model.name
        assert f"{name} ({first['format']}, {first['memory_gb']:.1f} GB)" in tree.labels, budget
