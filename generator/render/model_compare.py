"""The model compare page's data: the facts, licence terms, benchmark scores and runs of every model, beside the
selector's rows (memory and fit come from the selector's own functions in the browser).

`compare_data` is inlined in models/compare.html for overrides/assets/atlas/model-compare.js (no fetch, so the
page works from file://). Catalog text is data: the page escapes it for <script>, the script sets textContent and
only sets href to the catalog's https URLs.
"""

from __future__ import annotations

import posixpath

from .. import routes
from ..catalog.resolve import Catalog
from ..model import evidence, selector

# The facts a compare row shows, in order: (field, label). Values come from the model's resolved facts.
FACTS: tuple[tuple[str, str], ...] = (
    ("release_date", "Released"),
    ("kind", "Kind"),
    ("architecture", "Architecture"),
    ("params_b", "Parameters (total, B)"),
    ("active_params_b", "Parameters (active, B)"),
    ("context_length", "Context length (tokens)"),
    ("modalities", "Input → output"),
    ("tool_calling", "Native tool calling"),
    ("weights_precision", "Weights released in"),
    ("licence", "Licence"),
)
# Licence terms, in order: (field, label).
TERMS: tuple[tuple[str, str], ...] = (
    ("commercial_use", "Commercial use"),
    ("user_cap", "User or revenue cap"),
    ("output_training_restriction", "Training other models on outputs"),
    ("acceptable_use_policy", "Acceptable-use policy"),
    ("territory_restriction", "Territory"),
    ("redistribution", "Redistribution"),
    ("attribution", "Attribution"),
)


def _rel(page: str) -> str:
    return posixpath.relpath(routes.html(page), posixpath.dirname(routes.MODEL_COMPARE))


def _value(model, field: str):
    value = getattr(model, field)
    if field == "modalities":
        return None if value is None else f"{', '.join(value.input)} → {', '.join(value.output)}"
    if field == "release_date" and value is not None:
        return value.isoformat()
    return value


def compare_data(catalog: Catalog) -> dict:
    """Per model: its page, facts with the first source of each, benchmark scores with setting, comparison class and
    source, and its stored runs; sources are rows of one table ([url, title]) that facts and scores point into."""
    rules = evidence.rules(selector.TASK_KEYS)
    placed = {(s.model, s.benchmark): s for s in evidence.scores(catalog, rules)}
    sources: dict[tuple[str, str], int] = {}  # one row per distinct source, referenced by index (the page's weight)

    def source_index(url: object, title: str | None) -> int:
        return sources.setdefault((str(url), title or ""), len(sources))

    models = []
    for model_id, entry in catalog.models.items():
        m = entry.model
        facts = []
        for field, _ in FACTS:
            source = next((s for s in entry.sources if field in s.supports), None)
            facts.append([_value(m, field), source_index(source.url, source.title) if source else -1])
        scores = []
        for name, s in sorted((m.benchmarks or {}).items()):
            found = placed.get((model_id, name))
            scores.append([name, s.score, s.setting, s.kind, source_index(s.source, None),
                           found.label if found else "base model", 1 if found and found.place is not None else 0])  # fmt: skip
        runs = [
            [rid, _rel(routes.run(rid))] for rid, r in sorted(catalog.runs.items()) if r.model.catalog_id == model_id
        ]
        models.append([model_id, _rel(routes.model(entry)), facts, scores, runs])
    licences = {}
    for licence_id, lic in catalog.licences.items():
        terms = []
        for field, _ in TERMS:
            value = getattr(lic, field)
            source = next((s for s in lic.sources if field in s.supports), None)
            terms.append(
                [str(value) if value is not None else None, [str(source.url), source.title] if source else None]
            )
        licences[licence_id] = [lic.name, _rel(routes.licence(licence_id)), terms]
    return {
        "facts": [label for _, label in FACTS],
        "terms": [label for _, label in TERMS],
        "models": models,
        "licences": licences,
        "sources": [list(key) for key in sources],
    }
