"""The real catalog: valid, sourced, and at least the starting coverage the atlas promises."""

from __future__ import annotations

from generator.build import ROOT, load_catalog


def test_real_catalog_is_valid_and_covers_the_start():
    catalog, problems = load_catalog(ROOT / "catalog", ROOT)
    assert [str(p) for p in problems] == []
    assert len(catalog.models) >= 12
    assert len({e.family_id for e in catalog.models.values()}) >= 6
    used = {e.model.licence for e in catalog.models.values()}
    assert used <= set(catalog.licences)


def test_every_model_fact_links_to_a_source():
    catalog, _ = load_catalog(ROOT / "catalog", ROOT)
    for entry in catalog.models.values():
        m = entry.model
        supported = {name for s in entry.sources for name in s.supports}
        for field in ("params_b", "context_length", "licence", "release_date"):
            if getattr(m, field) is not None:
                assert field in supported, f"{entry.path}: {field}"
        assert all(s.url.startswith("https://") for s in entry.sources)
