"""The atlas's KV-cache and recurrent-state figures (generator/model/memory.py) against what llama.cpp allocates.

For every attention design in the catalog, the model with the smallest cache is realised in the pinned llama.cpp
(tests/llamacpp_probe.py: its real layer layout, tiny hidden size) at three contexts and three cache types; the
atlas's figure must be within 2 % of llama.cpp's. The contexts include one that is not a multiple of 256 (llama.cpp
pads) and ones beyond the windows and chunks of the models compared (llama.cpp caps windowed layers).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import llamacpp_probe as probe
import pytest

from generator.catalog.load import load_catalog
from generator.model import memory

pytestmark = pytest.mark.server  # needs the pinned llama-cpp-python

CATALOG = Path(__file__).resolve().parents[1] / "catalog"
CONTEXTS = (5000, 16384, 32768)
CACHE_TYPES = ("f16", "q8_0", "q4_0")
TOLERANCE = 0.02


def _representatives(models) -> dict[str, tuple[str, memory.Layout]]:
    """Per design in the catalog: (model id, layout) of the model whose cache at 32K is smallest."""
    by_design: dict[str, list[tuple[float, str, memory.Layout]]] = defaultdict(list)
    for model_id, model in models.items():
        found = memory.layout(model)
        if isinstance(found, memory.Layout):
            key = found.design + ("-mixed-heads" if _mixed(model) else "")
            by_design[key].append((found.total_gb(32768), model_id, found))
    return {design: min(items)[1:] for design, items in by_design.items()}


def _mixed(model) -> bool:
    c = model.config
    return bool(c.full_attention_kv_heads or c.full_attention_head_dim or c.kv_shared_layers)


MODELS = {model_id: entry.model for model_id, entry in load_catalog(CATALOG)[0].models.items()}
REPRESENTATIVES = _representatives(MODELS)


def test_the_catalog_has_the_designs_of_2025_26():
    designs = {d.removesuffix("-mixed-heads") for d in REPRESENTATIVES}
    assert {"full", "sliding-window", "mla", "mla-indexer"} <= designs
    assert any(d.startswith("hybrid-") for d in designs)


@pytest.mark.parametrize("design", sorted(REPRESENTATIVES))
def test_cache_and_state_match_llama_cpp(design):
    model_id, layout = REPRESENTATIVES[design]
    arch, metadata = probe.realise(MODELS[model_id], design.removesuffix("-mixed-heads"))
    for context in CONTEXTS:
        for cache in CACHE_TYPES:
            got = probe.allocate(arch, metadata, context, cache)
            atlas_kv = layout.kv_bytes(context, cache) / probe.MIB
            atlas_state = layout.state_bytes() / probe.MIB
            where = f"{design} ({model_id}, llama.cpp {arch}) at {context} tokens, {cache} cache: {layout.formula}"
            assert got.kv_mib > 0 or not layout.cache, where
            assert atlas_kv == pytest.approx(got.kv_mib, rel=TOLERANCE, abs=0.01), where + "\n" + "\n".join(got.lines)
            assert atlas_state == pytest.approx(got.state_mib, rel=TOLERANCE, abs=0.01), where


def test_a_window_is_capped_at_window_plus_micro_batch_and_padded():
    """gpt-oss: 128-token window on half the layers; llama.cpp keeps 128 + 512 cells, padded to 768."""
    group = memory.CacheGroup("sliding", 12, 512, 512, window=128)
    assert group.cells(4096) == 768
    assert group.cells(300) == 512  # the whole (padded) context when it is shorter
    assert memory.CacheGroup("full", 1, 1, 1).cells(5000) == 5120
