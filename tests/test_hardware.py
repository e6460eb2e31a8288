"""Memory and speed estimates (generator/hardware.py): against published GGUF files and hand-worked cases."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.catalog import authored, resolve
from generator.catalog.schema import Config, Hardware, Modalities, Model
from generator.model import hardware

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = yaml.safe_load((Path(__file__).parent / "data" / "gguf_sizes.yaml").read_text())


@pytest.fixture(scope="module")
def catalog():
    return resolve.resolve(authored.read_authored(ROOT / "catalog"))


def model(**facts) -> Model:
    config = facts.pop("config", {})
    base = {
        "name": "Test",
        "release_date": None,
        "params_b": 8.0,
        "hf_repo": None,
        "description": "d",
        "architecture": "dense",
        "modalities": Modalities(input=["text"], output=["text"]),
        "sources": [{"url": "https://example.org", "supports": ["params_b"]}],
        "verified": "2026-01-01",
    }
    return Model.model_validate({**base, **facts, "config": Config(**config)}, strict=False)


@pytest.mark.parametrize("case", PUBLISHED, ids=lambda c: f"{c['model']}-{c['format']}")
def test_weight_estimates_within_ten_percent_of_published_gguf_files(catalog, case):
    estimate = hardware.weights_gb(catalog.models[case["model"]].model)[case["format"]]
    assert estimate == pytest.approx(case["size_gb"], rel=0.10), case["source"]


def test_bits_per_weight_follow_llama_cpp_size_table():
    # llama.cpp's quantize tool: Q4_K_M makes Llama-3-8B (8.03e9 parameters) a 4.58 GiB file.
    assert hardware.FORMAT["Q4_K_M"].bits == pytest.approx(4.58 * 2**30 * 8 / 8.03e9, abs=1e-3)
    assert hardware.FORMAT["IQ4_XS"].bits == 4.25
    ladder_bits = [hardware.FORMAT[f].bits for f in hardware.LADDER]
    assert ladder_bits == sorted(ladder_bits, reverse=True)


def test_moe_needs_every_expert_in_memory_but_reads_only_active_ones():
    moe = model(
        architecture="moe", params_b=46.7, active_params_b=12.9, config={"layers": 32, "kv_heads": 8, "head_dim": 128}
    )
    dense = model(params_b=46.7, config={"layers": 32, "kv_heads": 8, "head_dim": 128})
    assert hardware.weights_gb(moe)["Q4_K_M"] == hardware.weights_gb(dense)["Q4_K_M"]
    fast = hardware.decode_tokens_per_s(moe, "Q4_K_M", 4096, 1000)
    slow = hardware.decode_tokens_per_s(dense, "Q4_K_M", 4096, 1000)
    assert fast > 3 * slow


def test_kv_cache_standard_attention_by_hand():
    # Llama 3.1 8B: 32 layers x 8 KV heads x 128 dims x K and V x 2 bytes = 131,072 bytes per token.
    m = model(config={"layers": 32, "hidden_size": 4096, "attention_heads": 32, "kv_heads": 8})
    assert hardware.kv_cache_gb_per_1k_tokens(m) == pytest.approx(0.1311, abs=1e-4)
    assert hardware.kv_shape(m).gb(131072) == pytest.approx(131072 * 131072 / 1e9)
    assert hardware.kv_shape(m).gb(1000, "Q8_0") == pytest.approx(0.131072 * 34 / 64)


def test_kv_cache_mla_caches_one_latent_per_layer():
    # DeepSeek-V3: 61 layers x (512 + 64) x 2 bytes = 70,272 bytes per token, whatever the head count.
    m = model(
        config={"layers": 61, "attention_heads": 128, "kv_heads": 128, "kv_lora_rank": 512, "qk_rope_head_dim": 64}
    )
    assert hardware.kv_shape(m).full_bytes == 70272


def test_kv_cache_sliding_window_layers_stop_growing():
    # Gemma 2 9B: 42 layers, every other one global; local layers hold at most 4,096 tokens.
    m = model(config={"layers": 42, "kv_heads": 8, "head_dim": 256, "sliding_window": 4096, "full_attention_every": 2})
    per_layer = 2 * 8 * 256 * 2
    shape = hardware.kv_shape(m)
    assert shape.gb(32768) == pytest.approx((21 * per_layer * 32768 + 21 * per_layer * 4096) / 1e9)
    assert shape.gb(2048) == pytest.approx(42 * per_layer * 2048 / 1e9)
    everywhere = hardware.kv_shape(model(config={"layers": 32, "kv_heads": 8, "head_dim": 128, "sliding_window": 4096}))
    assert everywhere.gb(32768) == everywhere.gb(4096)


def test_best_fit_is_the_best_format_within_budget():
    m = model(params_b=8.03, config={"layers": 32, "kv_heads": 8, "head_dim": 128})
    fmt, need = hardware.best_fit(m, 8.0, 8192)
    # Q6_K: 6.59 weights + 1.07 KV (8,192 x 131,072 bytes) + 1.0 overhead = 8.66 > 8; Q5_K_M: 7.80.
    assert (fmt, need) == ("Q5_K_M", pytest.approx(7.80, abs=0.01))
    assert hardware.best_fit(m, 100, 8192)[0] == "BF16"
    assert hardware.best_fit(m, 3.0, 8192) is None


def test_usable_memory_converts_binary_spec_sheets():
    gpu = Hardware(
        name="G",
        kind="gpu",
        vendor="V",
        segment="consumer",
        memory_gb=24,
        bandwidth_gb_s=1000,
        sources=[{"url": "https://example.org", "supports": ["memory_gb"]}],
        verified="2026-01-01",
    )
    assert hardware.usable_gb(gpu) == round(24 * 2**30 / 1e9, 2)
    mac = gpu.model_copy(update={"kind": "unified", "memory_gb": 64})
    assert hardware.usable_gb(mac) == round(64 * 0.75 * 2**30 / 1e9, 2)
    measured = mac.model_copy(update={"usable_memory_gb": 48})
    assert hardware.usable_gb(measured) == round(48 * 2**30 / 1e9, 2)


def test_models_json_carries_memory(catalog):
    from generator.render import exports

    record = exports.export_model(catalog.models["llama-3.1-8b-instruct"])
    assert record.memory.weights_gb["Q4_K_M"] == pytest.approx(4.92, rel=0.1)
    assert record.memory.kv_cache_gb_per_1k_tokens == pytest.approx(0.1311, abs=1e-4)
