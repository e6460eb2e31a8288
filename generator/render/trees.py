"""Decision trees: Mermaid flowcharts from rules/trees.yaml plus the catalog, rendered to SVG at
build time so the reader's page loads no mermaid.js.

Stages: `trees(catalog, data)` writes each tree as Mermaid source (questions from the rules file, leaves
answered by the selector's ranking); `render(trees, cache_dir)` turns sources into SVG in one headless
Chromium with mermaid's own bundle (from npm), deterministic ids, and a content-hash cache.
"""

from __future__ import annotations

import hashlib
import json
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import chromium, routes
from ..cachefile import store
from ..catalog.resolve import Catalog
from ..model import selector
from . import escape

RULES = Path(__file__).parent / "rules" / "trees.yaml"
MERMAID_JS = routes.ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
TASK_LABELS = dict(selector.TASKS)
USE_CASES = ("coding", "reasoning", "multilingual", "vision", "edge", "agents", "long", "embeddings", "speech")


@dataclass
class Tree:
    """One decision tree: its Mermaid source, the labels it shows and the model pages it links to."""

    name: str
    title: str
    source: str
    labels: list[str] = field(default_factory=list)


def label(text: str) -> str:
    """Text for a quoted Mermaid label: entity codes for the characters Mermaid would read as syntax, which
    is every ASCII punctuation mark (its label syntax, HTML, and the Markdown it reads in labels: a lone "-"
    became a list, a backslash an escape)."""
    flat = " ".join(escape.visible(str(text)).split())
    named = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;"}
    return "".join(named.get(ch) or (f"#{ord(ch)};" if ch in PUNCTUATION else ch) for ch in flat)


PUNCTUATION = frozenset(string.punctuation)


def href(link: str) -> str:
    """A link the generator made (routes' paths): plain path characters only, written as they are."""
    if not re.fullmatch(r"[A-Za-z0-9._/#-]+", link):
        raise ValueError(f"{link!r} is not a site path")
    return link


class _Builder:
    def __init__(self) -> None:
        self.lines = ["flowchart LR"]
        self.labels: list[str] = []
        self.count = 0

    def node(self, text: str, shape: str = "rect", link: str | None = None) -> str:
        self.count += 1
        node_id = f"n{self.count}"
        open_, close = {"rect": ("[", "]"), "question": ("(", ")"), "leaf": ("([", "])")}[shape]
        self.lines.append(f'    {node_id}{open_}"{label(text)}"{close}')
        self.labels.append(text)
        if link:
            self.lines.append(f'    click {node_id} href "{href(link)}"')
        return node_id

    def edge(self, a: str, b: str, text: str | None = None) -> None:
        self.lines.append(f'    {a} -->|"{label(text)}"| {b}' if text else f"    {a} --> {b}")
        if text:
            self.labels.append(text)


def use_case_tree(catalog: Catalog, rankings: selector.Rankings, rules: dict, task: str, page_prefix: str) -> Tree:
    """Licence -> memory -> the ranking's first pick for that path. The memory branches are the tier pages' sizes
    and each leaf is the first model those pages rank there (with commercial use required, the first whose
    licence allows it), so the tree, the tier pages and the selector agree."""
    b = _Builder()
    lic_question = b.node(rules["licence"]["question"], "question")
    for lic in rules["licence"]["branches"]:
        hw_question = b.node(rules["hardware"]["question"], "question")
        b.edge(lic_question, hw_question, lic["label"])
        for budget in selector.TIER_BUDGETS_GB:
            best = rankings.tier(budget, task, 1, commercial=lic["commercial"])
            if best:
                entry = catalog.models[best[0]["id"]]
                page = routes.html(routes.model(entry))
                text = f"{entry.model.name} ({best[0]['format']}, {best[0]['memory_gb']:.1f} GB)"
                leaf = b.node(text, "leaf", page_prefix + page)
            else:
                leaf = b.node("Nothing in the catalog fits", "leaf")
            b.edge(hw_question, leaf, f"{budget} GB")
    return Tree(f"tree-{task}", f"Choosing a model for {TASK_LABELS[task].lower()}", "\n".join(b.lines), b.labels)


def start_tree(rules: dict, page_prefix: str) -> Tree:
    """Modality -> task, each task leading to its use-case page (which continues with hardware and licence)."""
    b = _Builder()
    start = rules["start"]
    root = b.node(start["question"], "question")
    for branch in start["branches"]:
        kind = b.node(branch["label"])
        b.edge(root, kind)
        for task in branch["tasks"]:  # a task without its own page (chat) leads to the selector
            page = routes.html(routes.use_case(task) if task in USE_CASES else routes.SELECTOR)
            b.edge(kind, b.node(TASK_LABELS[task], "leaf", page_prefix + page))
    return Tree("tree-start", start["title"], "\n".join(b.lines), b.labels)


def load_rules() -> dict:
    return yaml.safe_load(RULES.read_text(encoding="utf-8"))


def trees(catalog: Catalog, rankings: selector.Rankings) -> list[Tree]:
    """The start tree (for the use-cases index) and one tree per use case (links relative to use-cases/)."""
    rules = load_rules()
    out = [start_tree(rules, "../")]
    out += [use_case_tree(catalog, rankings, rules, task, "../") for task in USE_CASES]
    return out


# ---------------------------------------------------------------- rendering


SVG_FORMAT = 7  # bump when the post-processing of mermaid's SVG changes: cached trees are then redrawn


def _fingerprint(tree: Tree) -> str:
    version = json.loads((MERMAID_JS.parent.parent / "package.json").read_text())["version"]
    key = f"mermaid {version} format {SVG_FORMAT}\n{tree.name}\n{tree.source}"
    return hashlib.sha256(key.encode()).hexdigest()[:20]


RENDER_JS = """async ([id, source]) => {
  mermaid.initialize({startOnLoad: false, deterministicIds: true, deterministicIDSeed: id,
                      securityLevel: "antiscript", htmlLabels: true,
                      flowchart: {htmlLabels: true, nodeSpacing: 16, rankSpacing: 24, padding: 6, wrappingWidth: 180},
                      theme: "neutral", fontFamily: "Roboto, Helvetica, Arial, sans-serif"});
  const {svg} = await mermaid.render(id, source);
  return svg;
}"""


def render(items: list[Tree], cache_dir: Path) -> dict[str, str]:
    """SVG text per tree name; cached trees are read back, the rest share one Chromium page."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    out, missing = {}, []
    for tree in items:
        cached = cache_dir / f"{_fingerprint(tree)}.svg"
        if cached.is_file():
            out[tree.name] = cached.read_text(encoding="utf-8")
        else:
            missing.append((tree, cached))
    if not missing:
        return out
    with chromium.browser() as browser:
        page = browser.new_page()
        page.set_content("<!doctype html><html><body></body></html>")
        page.add_script_tag(path=str(MERMAID_JS))
        for tree, cached in missing:
            svg = page.evaluate(RENDER_JS, [tree.name, tree.source])
            svg = re.sub(r"\s*\n\s*", " ", svg)  # one line: Markdown must not see blank lines inside the HTML
            # SVG 2's plain href: the print page (print-site) rewrites <a href="…"> to its own anchors, and
            # would leave xlink:href pointing at the site's files.
            svg = svg.replace(' xlink:href="', ' href="')
            # Mermaid wraps each label's text in <p> inside a <span>, which HTML does not allow: a span, the same
            # (the labels' paragraphs have no margin).
            svg = svg.replace("<p>", "<span>").replace("</p>", "</span>")
            # Drawn at its own size, not scaled to the column: labels stay at the theme's 14-16 px on a laptop and
            # a phone (the page scrolls a wide tree sideways and says so).
            natural = re.search(r'style="max-width: ([0-9.]+)px;?"', svg)
            if natural:
                width = round(float(natural.group(1)))
                svg = svg.replace('width="100%"', f'width="{width}"', 1).replace(natural.group(0), "", 1)
            store(cached, svg.encode("utf-8"))
            out[tree.name] = svg
    return out
