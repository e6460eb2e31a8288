"""The use-cases section: the start tree, and per use case its decision tree, the ranked table at each
memory size and its ranking chart."""

from __future__ import annotations

from collections.abc import Iterator

from ... import routes
from ...model import selector
from ..inputs import Inputs
from ..jinja import Renderer
from ..trees import USE_CASES


def pages(inputs: Inputs, render: Renderer) -> Iterator[tuple[str, str]]:
    labels = dict(selector.TASKS)
    yield render("use-cases.md.j2", routes.USE_CASES, tree=inputs.trees["tree-start"],
                 tasks=[(t, labels[t]) for t in USE_CASES])  # fmt: skip
    yield render("quick-reference.md.j2", routes.QUICK_REFERENCE, tasks=selector.TASKS,
                 budgets=selector.TIER_BUDGETS_GB, headroom=round(selector.DEFAULT_HEADROOM * 100),
                 picks={(key, b): inputs.rankings.tier(b, key, 2) for key, _ in selector.TASKS
                        for b in selector.TIER_BUDGETS_GB})  # fmt: skip
    for task in USE_CASES:
        tiers = [(b, inputs.rankings.tier(b, task)) for b in selector.TIER_BUDGETS_GB]
        yield render("use-case.md.j2", routes.use_case(task), label=labels[task], tree=inputs.trees[f"tree-{task}"],
                     tiers=tiers, context=selector.task_context(task),
                     chart=inputs.figures.get(f"use-case-{task}"))  # fmt: skip
