"""The short orchestrator: catalog -> model -> render -> docs/ -> site/, one stage a line.

Everything is rendered in memory first; docs/ is touched only when the whole catalog is valid and every
page rendered, and then only files whose bytes changed are rewritten (so MkDocs' live reload sees real
changes only). The generated paths (routes.GENERATED_DIRS) are the generator's: a stale file in them is
removed. `build_site` then has MkDocs build into a staging folder swapped in at the end, so a failure at
any stage leaves the previous site as it was.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from . import routes
from .catalog.edition import edition_of
from .catalog.edits import read_edits
from .catalog.history import commit_time, read_history
from .catalog.load import CatalogInvalid, load_catalog
from .catalog.perf_results import PerfResults, read_results
from .catalog.resolve import Catalog
from .model import costs, selector
from .render import trees
from .render.charts import svg as charts
from .render.exports import all_exports
from .render.inputs import Inputs
from .render.nav import nav
from .render.pages import render_pages
from .site.engine import run_mkdocs, site_addresses, swap_in


@dataclass(frozen=True)
class Written:
    changed: int
    unchanged: int
    removed: int


def render(catalog: Catalog, root: Path, results: PerfResults | None = None) -> dict[str, str | bytes]:
    """Every generated file of the project at `root` (its caches, git history and mkdocs.yml), with the
    performance figures `make bench` recorded, if any."""
    rankings = selector.Rankings(selector.selector_data(catalog))
    cost_inputs = costs.all_inputs(catalog)
    figures, svgs, _report = charts.build(catalog, rankings, cost_inputs, root / routes.CHART_CACHE)
    decision_trees = trees.trees(catalog, rankings)
    tree_svgs = trees.render(decision_trees, root / routes.TREE_CACHE)
    history = read_history(root)
    edits = read_edits(root, history, root / routes.EDITS_CACHE) if history else {}
    edition = edition_of(catalog, history, root)
    inputs = Inputs(catalog, rankings, {c.name: c for c in figures}, {t.name: (t, tree_svgs[t.name]) for t in decision_trees},
                    cost_inputs, history, edits, site_addresses(root), edition, results)  # fmt: skip
    files: dict[str, str | bytes] = {routes.chart(name): svg for name, svg in svgs.items()}
    files.update(render_pages(inputs, root / routes.TEMPLATE_CACHE))
    files.update(all_exports(catalog, rankings))
    files[routes.NAV] = json.dumps(nav(catalog), indent=1, sort_keys=True) + "\n"
    files[routes.EDITION] = json.dumps(edition.summary(catalog), indent=1, sort_keys=True) + "\n"
    return files


def write_generated(files: dict[str, str | bytes], docs_dir: Path) -> Written:
    changed = unchanged = removed = 0
    for rel, text in sorted(files.items()):
        target = docs_dir / rel
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
        changed += 1
    wanted = {docs_dir / rel for rel in files}
    for folder in routes.GENERATED_DIRS:
        for path in sorted((docs_dir / folder).rglob("*"), reverse=True):
            if path.is_file() and path not in wanted:
                path.unlink()
                removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return Written(changed, unchanged, removed)


def pin_build_date(root: Path) -> None:
    """SOURCE_DATE_EPOCH from the checked-out commit, unless it is set already. Every date the build shows
    that is not a fact (the freshness page's 'today', the sitemap's, the edition's without history) is then
    the commit's, and two builds of one commit are byte-identical. Outside git the clock stays."""
    if "SOURCE_DATE_EPOCH" not in os.environ and (epoch := commit_time(root)) is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)


def generate(root: Path = routes.ROOT) -> Written:
    """Validate the catalog under `root` and write the generated docs. Raises CatalogInvalid."""
    pin_build_date(root)
    catalog, problems = load_catalog(root / routes.CATALOG, root, root / routes.PARSE_CACHE)
    results, result_problems = read_results(root)
    if problems or result_problems:
        raise CatalogInvalid(problems + result_problems)
    return write_generated(render(catalog, root, results), root / routes.DOCS)


def build_site(root: Path = routes.ROOT, site_dir: Path | None = None) -> Written:
    """Generate, build with MkDocs (strict) into a temporary folder, then swap it in."""
    site_dir = site_dir or root / routes.SITE
    written = generate(root)
    staging = site_dir.with_name(site_dir.name + ".tmp")
    run_mkdocs(root, staging)
    swap_in(staging, site_dir)
    return written
