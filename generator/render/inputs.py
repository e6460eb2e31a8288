"""What every page is rendered from, computed once per build and never changed: `Inputs`.

The catalog, the one ranking (model.selector.Rankings, shared by pages, charts and trees), the rendered
charts and decision trees, the cost inputs, the catalog's git history, the site's addresses from
mkdocs.yml, the edition and the performance figures. Page sections (render/sections/) read it; they
compute nothing that another section also needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import routes
from ..catalog.edition import Edition
from ..catalog.edits import Edit
from ..catalog.history import Commit, History
from ..catalog.perf_results import PerfResults
from ..catalog.resolve import Catalog
from ..model.selector import Rankings
from .charts.style import Chart
from .trees import Tree


@dataclass(frozen=True)
class SiteAddresses:
    """site_url and repo_url from mkdocs.yml (each ending in '/'), when set: the feed's absolute links,
    commit links, the offline zip's link."""

    site_url: str | None = None
    repo_url: str | None = None


@dataclass(frozen=True)
class Inputs:
    catalog: Catalog
    rankings: Rankings
    figures: dict[str, Chart] = field(default_factory=dict)  # by chart name
    trees: dict[str, tuple[Tree, str]] = field(default_factory=dict)  # by tree name: the tree and its SVG
    cost_inputs: list[dict] = field(default_factory=list)  # model.costs.all_inputs: one per model compared
    history: History | None = None  # None: built without git history (a tarball or a shallow clone)
    edits: dict[str, list[Edit]] = field(default_factory=dict)  # what each catalog commit changed, by hash
    site: SiteAddresses = SiteAddresses()
    edition: Edition | None = None  # None: the home page and the PDF's cover leave the edition out
    results: PerfResults | None = None  # benchmarks/results.yaml: None when `make bench` never ran

    def commit_url(self, commit: Commit) -> str | None:
        repo = self.site.repo_url
        return f"{repo}commit/{commit.sha}" if repo else None

    def changes_to(self, path: str) -> list[tuple[Commit, Edit]]:
        """The commits that changed a catalog file's facts (not its tooling lines), newest first, each with
        what it changed there."""
        found = []
        for commit in self.history.of(path) if self.history else []:
            found += [(commit, e) for e in self.edits.get(commit.sha, []) if e.path == path]
        return found

    def page_of(self, path: str) -> str | None:
        """The site page of a catalog file (by its path from the project root), if it has one now."""
        parts = path.split("/")
        stem = parts[-1].removesuffix(".yaml")
        if len(parts) == 4 and parts[:2] == ["catalog", "models"] and stem in self.catalog.models:
            return routes.model(self.catalog.models[stem])
        if len(parts) == 3 and parts[1] == "licences" and stem in self.catalog.licences:
            return routes.licence(stem)
        if len(parts) == 3 and parts[1] == "families" and stem in self.catalog.families:
            return routes.family(stem)
        run_id = "/".join(parts[2:]).removesuffix(".yaml")
        if parts[1:2] == ["runs"] and (
            run_id in self.catalog.runs or run_id in self.catalog.harness_runs or run_id in self.catalog.speed_runs
        ):
            return routes.run(run_id)
        return None
