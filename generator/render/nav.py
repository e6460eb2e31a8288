"""The generated sections' part of the site's navigation (.atlas-nav.json, which site/hook.py splices into
mkdocs.yml's nav): each section index with its pages, families one level down, big families in runs.

With navigation.prune, a page's nav shows the links of its own run and one folded entry for each other run
of its family. A link costs about LINK_BYTES and a folded run about FOLDED_RUN_BYTES, so runs of about
sqrt(family's pages x FOLDED_RUN_BYTES / LINK_BYTES) pages make that the fewest bytes (at 5,000 models:
2 KB a page fewer than runs of NAV_GROUP_MAX, and than runs sized by the size class alone, which makes too
many runs in a big family).
"""

from __future__ import annotations

import itertools
import math

from .. import routes
from ..catalog.resolve import Catalog, ModelEntry
from ..model.selector import TIER_BUDGETS_GB
from . import escape
from .format import SIZE_ORDER, size_class
from .trees import USE_CASES

NAV_GROUP_MAX = 40  # a family with more models than this is split in the nav by size class, then in runs
LINK_BYTES, FOLDED_RUN_BYTES = 150, 230


def run_length(family_size: int) -> int:
    return min(NAV_GROUP_MAX, max(1, round(math.sqrt(family_size * FOLDED_RUN_BYTES / LINK_BYTES))))


def runs_of(urls: list[str], length: int) -> list[list[str]]:
    """`urls` in consecutive runs of near-equal length, none longer than `length`."""
    count = math.ceil(len(urls) / length)
    bounds = [round(i * len(urls) / count) for i in range(count + 1)]
    return [urls[a:b] for a, b in itertools.pairwise(bounds)]


def nav_groups(models: list[ModelEntry]) -> list:
    """A family's model pages for the nav: as they are when few; else grouped by size class, each class in
    numbered runs of run_length(family's size) pages at most."""
    if len(models) <= NAV_GROUP_MAX:
        return [routes.model(e) for e in models]
    classes: dict[str, list[str]] = {}
    for e in sorted(models, key=lambda e: (SIZE_ORDER.get(size_class(e.model.params_b), 99), e.model.name.lower())):
        classes.setdefault(size_class(e.model.params_b), []).append(routes.model(e))
    groups, length = [], run_length(len(models))
    for label, urls in classes.items():
        runs = runs_of(urls, length)
        for number, run in enumerate(runs, 1):
            title = label if len(runs) == 1 else f"{label}, {number} of {len(runs)}"
            groups.append({escape.html(title): run})  # the theme shows nav titles as HTML
    return groups


def nav(catalog: Catalog) -> dict[str, list]:
    """Children of each generated section index, for mkdocs.yml's top-level nav."""
    # Families sit one level down, under "By family": the theme renders a level that deep folded, and
    # (navigation.prune) leaves out every folded family's models, so a page carries the models of its own
    # family only, not the whole catalog's: the nav's weight per page stays flat as the catalog grows.
    families = []
    for family_id, family in catalog.families.items():
        models = catalog.models_of_family(family_id)
        families.append({escape.html(family.name): [routes.family(family_id), *nav_groups(models)]})
    runs = sorted((*catalog.runs, *catalog.harness_runs, *catalog.speed_runs))
    return {
        routes.FAMILIES: [routes.FAMILIES, routes.MODEL_COMPARE, routes.RELEASES, routes.WHATS_NEW, routes.CORRECTIONS, routes.FRESHNESS,
                          {"By family": families}],
        routes.LICENCES: [routes.LICENCES, *(routes.licence(k) for k in catalog.licences)],
        routes.HARDWARE: [routes.HARDWARE, *(routes.tier(b) for b in TIER_BUDGETS_GB)],
        routes.USE_CASES: [routes.USE_CASES, routes.QUICK_REFERENCE, *(routes.use_case(t) for t in USE_CASES)],
        routes.RUNS: [routes.RUNS, *(routes.compare(s) for s in catalog.suites), *(routes.run(r) for r in runs)],
    }  # fmt: skip
