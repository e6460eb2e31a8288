"""The home page (the landscape at a glance, the edition, what guides get wrong) and the corrections page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ... import routes
from ..format import SIZE_ORDER, size_class
from ..inputs import Inputs
from ..jinja import Renderer
from .models import newest_release


def landscape(inputs: Inputs) -> dict[str, Counter]:
    models = list(inputs.catalog.models.values())
    sizes = Counter(size_class(e.model.params_b) for e in models)
    return {
        "by_family": Counter((e.family.name if e.family else e.family_id) for e in models),
        "by_licence": Counter((e.licence.name if e.licence else "unknown") for e in models),
        "by_size": Counter(dict(sorted(sizes.items(), key=lambda kv: SIZE_ORDER.get(kv[0], 99)))),
    }


def corrections(inputs: Inputs) -> list[tuple[str, list[tuple[str, str]]]]:
    """Family and licence 'common mistakes', each text once, with the pages that state it."""
    found: dict[str, list[tuple[str, str]]] = {}
    for family_id, family in inputs.catalog.families.items():
        for text in family.common_mistakes:
            found.setdefault(text, []).append((family.name, routes.family(family_id)))
    for licence_id, licence in inputs.catalog.licences.items():
        for text in licence.common_mistakes:
            found.setdefault(text, []).append((licence.name, routes.licence(licence_id)))
    return list(found.items())


def pages(inputs: Inputs, render: Renderer) -> Iterator[tuple[str, str]]:
    found = corrections(inputs)
    yield render("home.md.j2", routes.HOME, landscape=landscape(inputs), corrections=found,
                 edition=inputs.edition, site=inputs.site, newest=newest_release(inputs.catalog))  # fmt: skip
    yield render("corrections.md.j2", routes.CORRECTIONS, corrections=found)
