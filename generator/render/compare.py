"""The head-to-head comparator's data: one suite's prompts and every stored run of it with its answers.

`comparator_data` is inlined in runs/compare-<suite>.html for overrides/assets/atlas/compare.js (no fetch,
so it works from file://). Answers are data: the page escapes them for <script>, the script sets textContent.
"""

from __future__ import annotations

import posixpath

from .. import routes
from ..bench.score import describe
from ..catalog.resolve import Catalog
from .format import run_label


def comparator_data(catalog: Catalog, suite_id: str) -> dict:
    suite = catalog.suites[suite_id]
    runs = sorted(
        ((rid, r) for rid, r in catalog.runs.items() if r.suite == suite_id),
        key=lambda kv: (-kv[1].summary.accuracy, run_label(kv[1]), kv[0]),
    )
    out = []
    for run_id, r in runs:
        answers: dict[str, dict] = {}
        for res in r.results:  # every repeat counts toward passes; the first repeat's answer is shown
            seen = answers.setdefault(res.prompt, {"passed": 0, "asked": 0, "answer": res.answer, "error": res.error,
                                                   "latency_s": res.latency_s})  # fmt: skip
            seen["passed"] += res.passed
            seen["asked"] += 1
        s = r.summary
        out.append({
            "id": run_id,
            "label": run_label(r),
            "page": posixpath.relpath(routes.html(routes.run(run_id)), posixpath.dirname(routes.compare(suite_id))),
            "example": r.example,
            "hardware": r.hardware,
            "server": " ".join(filter(None, (r.server.kind, r.server.version))),
            "date": r.date.date().isoformat(),
            "accuracy": s.accuracy,
            "ci95": s.accuracy_ci95,
            "latency_p50_s": s.latency_p50_s,
            "tokens_per_s": s.output_tokens_per_s_p50,
            "answers": answers,
        })  # fmt: skip
    return {
        "suite": suite_id,
        "name": suite.name,
        "prompts": [
            {"id": p.id, "category": p.category, "prompt": p.prompt, "rule": describe(p.check)} for p in suite.prompts
        ],
        "runs": out,
    }
