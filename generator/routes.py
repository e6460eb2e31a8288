"""Every URL of the site and every path the generator writes, in one place; nothing else builds one by hand.

Pages are named by their Markdown source under docs/ ("models/llama/llama-3.1-8b-instruct.md"); `html`
gives the address MkDocs publishes it at (the offline plugin turns off directory URLs, so a page is a .html
file). Python, the templates (as `url`), the exports, the macros and the widgets' data all ask here. The
generated paths (GENERATED_DIRS, GENERATED_FILES) are the generator's to write and remove; .gitignore lists
them too, and tests/test_routes.py holds it to this list. This module imports nothing from the generator,
so every stage may use it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

ROOT = Path(__file__).resolve().parent.parent  # the project: catalog/, docs/, mkdocs.yml

# ---------------------------------------------------------------- pages with one address each

HOME = "index.md"
FAMILIES = "models/index.md"
WHATS_NEW = "models/whats-new.md"
CORRECTIONS = "models/corrections.md"
FRESHNESS = "models/freshness.md"
RELEASES = "models/releases.md"
LICENCES = "licences/index.md"
HARDWARE = "hardware/index.md"
SELECTOR = "selector.md"
USE_CASES = "use-cases/index.md"
CHARTS = "charts/index.md"
COST = "cost.md"
RUNTIMES = "runtimes/index.md"
RUNS = "runs/index.md"
QUICK_REFERENCE = "use-cases/quick-reference.md"
MODEL_COMPARE = "models/compare.md"
GLOSSARY = "glossary.md"
API = "api/index.md"
ENGINEERING = "engineering/index.md"  # hand-written
PERFORMANCE = "engineering/performance.md"
FEED = "feed.xml"

# ---------------------------------------------------------------- pages per catalog entry


class HasModelPath(Protocol):
    """A model entry (catalog.resolve.ModelEntry): its family's folder and its id."""

    @property
    def family_id(self) -> str: ...

    @property
    def id(self) -> str: ...


def model(entry: HasModelPath) -> str:
    return model_of(entry.family_id, entry.id)


def model_of(family_id: str, model_id: str) -> str:
    return f"models/{family_id}/{model_id}.md"


def family(family_id: str) -> str:
    return f"models/{family_id}/index.md"


def licence(licence_id: str) -> str:
    return f"licences/{licence_id}.md"


def tier(budget_gb: int) -> str:
    return f"hardware/tier-{budget_gb}gb.md"


def use_case(task: str) -> str:
    return f"use-cases/{task}.md"


def run(run_id: str) -> str:
    return f"runs/{run_id}.md"


def compare(suite_id: str) -> str:
    return f"runs/compare-{suite_id}.md"


def chart(name: str) -> str:
    return f"charts/{name}.svg"


def html(page: str) -> str:
    """The published address of a page: its Markdown source's path with .html."""
    return page.removesuffix(".md") + ".html"


# The widgets build links in the browser from these (the selector's "{family}/{id}" model pages).
MODEL_HTML_TEMPLATE = html(model_of("{family}", "{id}"))

# ---------------------------------------------------------------- exports (site/api/)

MODELS_JSON = "api/models.json"
MODELS_CSV = "api/models.csv"
LICENCES_JSON = "api/licences.json"
RUNS_JSON = "api/runs.json"
RECOMMENDATIONS_JSON = "api/recommendations.json"


# ---------------------------------------------------------------- the repository (repo_url from mkdocs.yml)

CONTRIBUTING = "CONTRIBUTING.md"  # the contribution guide, at the repository's root
BRANCH = "main"


def repo_edit(repo_url: str, path: str) -> str:
    """GitHub's edit page of a file in the repository (a fork and pull request for anyone without access)."""
    return f"{repo_url}edit/{BRANCH}/{path}"


def repo_file(repo_url: str, path: str) -> str:
    return f"{repo_url}blob/{BRANCH}/{path}"


def json_schema(name: str) -> str:
    """JSON Schema of a catalog file kind ("model") or of an export ("models-export")."""
    return f"api/schema/{name}.json"


# ---------------------------------------------------------------- files the generator writes under docs/

NAV = ".atlas-nav.json"  # the generated sections' pages, for mkdocs.yml's nav (site/hook.py)
EDITION = ".atlas-edition.json"  # the edition the PDF's cover shows
ABBREVIATIONS = ".atlas-abbreviations.md"  # the glossary as hover text, appended to every page

GENERATED_DIRS = ("models", "licences", "api", "hardware", "charts", "use-cases", "runtimes", "runs")
GENERATED_FILES = (HOME, SELECTOR, COST, GLOSSARY, FEED, ABBREVIATIONS, NAV, EDITION, PERFORMANCE)


def generated(rel: str) -> bool:
    """Whether a path under docs/ is the generator's (written, and removed when stale, by the build)."""
    return rel in GENERATED_FILES or rel.split("/", 1)[0] in GENERATED_DIRS


# ---------------------------------------------------------------- the project's other folders and files

DOCS = Path("docs")
SITE = Path("site")
CATALOG = Path("catalog")
PERF_RESULTS = Path("benchmarks") / "results.yaml"  # make bench's figures, the Performance page's input
OFFLINE_ZIP = Path("dist") / "atlas-offline.zip"
PRINT_PAGE = "print_page.html"  # the print-site plugin's page, under site/
PDF = "atlas.pdf"  # under site/
VENDOR = Path("overrides") / "assets" / "vendor"  # browser assets copied from node_modules at set-up
CACHE = Path(".atlas-cache")
PARSE_CACHE = CACHE / "parsed"  # parsed catalog files, by content
CHART_CACHE = CACHE / "charts"  # chart SVGs, by figure
TREE_CACHE = CACHE / "trees"  # decision-tree SVGs, by source
TEMPLATE_CACHE = CACHE / "templates"  # compiled Jinja templates
EDITS_CACHE = CACHE / "edits"  # what each catalog commit changed, by commit
BUILD_OUTPUTS = ("site", "site.tmp", "site.old", "dist")  # what `make clean` removes beside the generated docs
