"""The runs section: a leaderboard and chart per suite and a table per lm-eval task, a page per stored run
with its raw answers or task scores, and a comparator per suite (overrides/assets/atlas/compare.js)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ... import routes
from ...catalog.resolve import Catalog
from ...catalog.schema_runs import HarnessRun, HarnessTask
from .. import escape
from ..compare import comparator_data
from ..format import run_label
from ..inputs import Inputs
from ..jinja import Renderer, Safe

Board = list[tuple[str, HarnessRun, HarnessTask]]


def harness_boards(catalog: Catalog) -> list[tuple[tuple[str, str, str], Board]]:
    """One table per top-level lm-eval (task, metric, filter): every imported run that has it, best first."""
    boards: dict[tuple[str, str, str], Board] = {}
    for run_id, r in catalog.harness_runs.items():
        for t in r.tasks:
            if t.group is None:
                boards.setdefault((t.task, t.metric, t.filter), []).append((run_id, r, t))
    for rows in boards.values():
        rows.sort(key=lambda row: row[2].value, reverse=rows[0][2].higher_is_better is not False)
    return sorted(boards.items())


def pages(inputs: Inputs, render: Renderer) -> Iterator[tuple[str, str]]:
    c = inputs.catalog
    by_accuracy = sorted(c.runs.items(), key=lambda kv: -kv[1].summary.accuracy)
    suites = [(sid, suite, [(rid, r) for rid, r in by_accuracy if r.suite == sid]) for sid, suite in c.suites.items()]
    categories = {
        sid: ", ".join(f"{n} {k}" for k, n in sorted(Counter(p.category for p in s.prompts).items()))
        for sid, s in c.suites.items()
    }
    yield render("runs.md.j2", routes.RUNS, suites=suites, categories=categories,
                 charts={sid: inputs.figures.get(f"runs-accuracy-vs-speed-{sid}") for sid in c.suites},
                 harness_boards=harness_boards(c), label_of=run_label)  # fmt: skip
    for run_id, r in c.runs.items():
        name = c.suites[r.suite].name if r.suite in c.suites else r.suite
        yield render("run.md.j2", routes.run(run_id), r=r, suite_name=name)
    for run_id, h in c.harness_runs.items():
        yield render("harness-run.md.j2", routes.run(run_id), r=h)
    for sid, suite, runs in suites:
        yield render("compare.md.j2", routes.compare(sid), suite_id=sid, suite=suite, runs=runs,
                     categories=sorted({p.category for p in suite.prompts}),
                     data=Safe(escape.script_json(comparator_data(c, sid))), label_of=run_label)  # fmt: skip
