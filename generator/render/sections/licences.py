"""The licences section: the comparison matrix, the term-by-term compare widget's data, and one page per licence,
its terms as rows."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from ... import routes
from ...catalog.resolve import Catalog
from ...catalog.schema import Licence
from .. import escape
from ..inputs import Inputs
from ..jinja import Renderer, Safe


def territory(licence: Licence) -> str:
    """yes, none, or unknown when the licence file does not say (it has not been checked)."""
    if "territory_restriction" not in licence.model_fields_set:
        return "unknown"
    return "yes" if licence.territory_restriction else "none"


def licence_terms(licence: Licence) -> list[tuple[str, str, str | None]]:
    """(term, answer, detail) rows shared by the licence page and the matrix."""
    return [
        ("Commercial use", licence.commercial_use, licence.commercial_use_note),
        ("User or revenue cap", "yes" if licence.user_cap else "none", licence.user_cap),
        (
            "Limits on training other models with outputs",
            "yes" if licence.output_training_restriction else "none",
            licence.output_training_restriction,
        ),
        ("Attribution or naming duties", "yes" if licence.attribution else "none", licence.attribution),
        ("Redistribution", licence.redistribution, licence.redistribution_note),
        ("Acceptable-use policy", "yes" if licence.acceptable_use_policy else "none", None),
        ("Territory restrictions", territory(licence), licence.territory_restriction),
        ("Gated download", "yes" if licence.gated_download else "no", None),
    ]


def compare_data(catalog: Catalog) -> dict:
    """The licence compare widget's data (overrides/assets/atlas/licence-compare.js): the term names, and per
    licence its name, page and each term's answer, clause and first source."""
    fields = (
        "commercial_use",
        "user_cap",
        "output_training_restriction",
        "attribution",
        "redistribution",
        "acceptable_use_policy",
        "territory_restriction",
        "gated_download",
    )  # licence_terms' order
    licences = []
    for licence_id, licence in catalog.licences.items():
        rows = []
        for (_, answer, detail), field in zip(licence_terms(licence), fields, strict=True):
            source = next((s for s in licence.sources if field in s.supports), None)
            rows.append([answer, detail, str(source.url) if source else None])
        page = posixpath.relpath(routes.html(routes.licence(licence_id)), posixpath.dirname(routes.LICENCES))
        licences.append([licence_id, licence.name, page, rows])
    return {
        "terms": [term for term, _, _ in licence_terms(next(iter(catalog.licences.values())))],
        "licences": licences,
    }


def pages(inputs: Inputs, render: Renderer) -> Iterator[tuple[str, str]]:
    c = inputs.catalog
    yield render("licences.md.j2", routes.LICENCES, models_of=c.models_of_licence, terms=licence_terms,
                 licence_data=Safe(escape.script_json(compare_data(c))))  # fmt: skip
    for licence_id, licence in c.licences.items():
        yield render("licence.md.j2", routes.licence(licence_id), licence_id=licence_id, licence=licence,
                     models=c.models_of_licence(licence_id), terms=licence_terms(licence))  # fmt: skip
