"""The runs section: a leaderboard and chart per suite, speed runs beside the atlas's estimate, a table per
lm-eval task, a page per stored run with its raw answers, speeds or task scores, and a comparator per suite
(overrides/assets/atlas/compare.js)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ... import routes
from ...catalog.resolve import Catalog
from ...catalog.schema_runs import HarnessRun, HarnessTask
from ...model import hardware
from ...model.calibration import calibrate
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


SMALL_B = 1.0  # below this many billion parameters a run page explains what a low score means


def small_model(catalog: Catalog, model_id: str | None) -> dict | None:
    entry = catalog.models.get(model_id or "")
    if entry is None or entry.model.params_b is None or entry.model.params_b >= SMALL_B:
        return None
    return {"name": entry.model.name, "params": f"{entry.model.params_b * 1000:.0f} million"}


def subjects(catalog: Catalog) -> str:
    """The models the stored suite runs measured, by name, as one phrase."""
    names = sorted({catalog.models[r.model.catalog_id].model.name if r.model.catalog_id in catalog.models
                    else r.model.served_name for r in catalog.runs.values()})  # fmt: skip
    return ", ".join(names) or "no model yet"


def pages(inputs: Inputs, render: Renderer) -> Iterator[tuple[str, str]]:
    c = inputs.catalog
    by_accuracy = sorted(c.runs.items(), key=lambda kv: -kv[1].summary.accuracy)
    suites = [(sid, suite, [(rid, r) for rid, r in by_accuracy if r.suite == sid]) for sid, suite in c.suites.items()]
    categories = {
        sid: ", ".join(f"{n} {k}" for k, n in sorted(Counter(p.category for p in s.prompts).items()))
        for sid, s in c.suites.items()
    }
    speed_runs = [(rid, r, calibrate(c, r)) for rid, r in c.speed_runs.items()]
    yield render("runs.md.j2", routes.RUNS, suites=suites, categories=categories,
                 charts={sid: inputs.figures.get(f"runs-accuracy-vs-speed-{sid}") for sid in c.suites},
                 harness_boards=harness_boards(c), label_of=run_label, speed_runs=speed_runs,
                 subjects=subjects(c))  # fmt: skip
    for run_id, r in c.runs.items():
        name = c.suites[r.suite].name if r.suite in c.suites else r.suite
        yield render("run.md.j2", routes.run(run_id), r=r, suite_name=name, small=small_model(c, r.model.catalog_id))
    for run_id, speed, rows in speed_runs:
        yield render("speed-run.md.j2", routes.run(run_id), r=speed, calibration=rows, share=hardware.BANDWIDTH_SHARE)
    for run_id, h in c.harness_runs.items():
        yield render("harness-run.md.j2", routes.run(run_id), r=h)
    for sid, suite, runs in suites:
        yield render("compare.md.j2", routes.compare(sid), suite_id=sid, suite=suite, runs=runs,
                     categories=sorted({p.category for p in suite.prompts}),
                     data=Safe(escape.script_json(comparator_data(c, sid))), label_of=run_label)  # fmt: skip
