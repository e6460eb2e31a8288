"""Ask llama.cpp itself how much KV cache and recurrent state a model's layer layout needs.

A catalog model's attention layout (layer count, KV heads, head dims, window and pattern, MLA ranks, indexer,
recurrent state sizes) is written as GGUF metadata only, with a tiny hidden size, FFN and vocabulary. The pinned
llama-cpp-python's `llama_model_init_from_user` builds the model's tensors from that metadata (random-free: their
contents are never read), and creating a context makes llama.cpp allocate its caches and log their sizes, which
are parsed here. The layout, not the weights, decides the cache, so the figures are the real model's.

llama-server's defaults are used: micro-batch 512, no full-size sliding-window cache (--swa-full off), one sequence.
"""

from __future__ import annotations

import ctypes
import os
import re
import tempfile
from dataclasses import dataclass

import gguf
import llama_cpp

from generator.catalog.schema import Model

MIB = 2**20
CACHE_TYPE_IDS = {"f16": 1, "q4_0": 2, "q8_0": 8}  # ggml_type values
_logs: list[str] = []


@ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)
def _log(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
    _logs.append(text.decode(errors="replace"))


class _GgufInitParams(ctypes.Structure):
    _fields_ = [("no_alloc", ctypes.c_bool), ("ctx", ctypes.c_void_p)]


_ggml = ctypes.CDLL(os.path.join(os.path.dirname(llama_cpp.__file__), "lib", "libggml-base.so"))
_ggml.gguf_init_from_file.restype = ctypes.c_void_p
_ggml.gguf_init_from_file.argtypes = [ctypes.c_char_p, _GgufInitParams]
_ggml.gguf_free.argtypes = [ctypes.c_void_p]


@llama_cpp.llama_model_set_tensor_data_t
def _leave_tensor(tensor: ctypes.c_void_p, user_data: ctypes.c_void_p) -> None:
    """Tensor contents do not matter for allocation; leave them as allocated."""


@dataclass(frozen=True)
class Allocated:
    """What llama.cpp reported for one context: KV cache and recurrent state, MiB."""

    kv_mib: float
    state_mib: float
    lines: tuple[str, ...]


KV_LINE = re.compile(r"llama_kv_cache: size = +([\d.]+) MiB")
STATE_LINE = re.compile(r"llama_memory_recurrent: size = +([\d.]+) MiB")


def allocate(arch: str, metadata: dict[str, object], context: int, cache: str = "f16") -> Allocated:
    """Create the model from metadata and a context of `context` cells; return what llama.cpp allocated."""
    llama_cpp.llama_log_set(_log, None)
    fd, path = tempfile.mkstemp(suffix=".gguf")
    os.close(fd)
    try:
        _write(path, arch, metadata)
        meta = _ggml.gguf_init_from_file(path.encode(), _GgufInitParams(True, None))
        _logs.clear()
        model = llama_cpp.llama_model_init_from_user(meta, _leave_tensor, None, llama_cpp.llama_model_default_params())
        if not model:
            raise RuntimeError(f"llama.cpp could not build {arch}: " + "".join(_logs[-8:]))
        params = llama_cpp.llama_context_default_params()
        params.n_ctx, params.n_batch, params.n_ubatch = context, 512, 512
        params.swa_full = False  # llama-server's default
        params.type_k = params.type_v = CACHE_TYPE_IDS[cache]
        _logs.clear()
        ctx = llama_cpp.llama_init_from_model(model, params)
        if not ctx:
            llama_cpp.llama_model_free(model)
            raise RuntimeError(
                f"llama.cpp could not create a {context}-cell context for {arch}: " + "".join(_logs[-8:])
            )
        lines = tuple(line.strip() for line in _logs if "size =" in line)
        llama_cpp.llama_free(ctx)
        llama_cpp.llama_model_free(model)
        _ggml.gguf_free(meta)
    finally:
        os.unlink(path)
    kv = sum(float(m.group(1)) for line in lines if (m := KV_LINE.search(line)))
    state = sum(float(m.group(1)) for line in lines if (m := STATE_LINE.search(line)))
    return Allocated(kv, state, lines)


def _write(path: str, arch: str, metadata: dict[str, object]) -> None:
    writer = gguf.GGUFWriter(path, arch)
    for key, value in metadata.items():
        key = key.replace("{arch}", arch)
        if isinstance(value, bool):
            writer.add_bool(key, value)
        elif isinstance(value, int):
            writer.add_uint32(key, value)
        elif isinstance(value, float):
            writer.add_float32(key, value)
        elif isinstance(value, str):
            writer.add_string(key, value)
        else:
            writer.add_array(key, list(value))  # type: ignore[call-overload]
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.close()


# The tiny parts: the cache does not depend on them.
HIDDEN, FFN, VOCAB = 64, 128, 64
MOE = {"{arch}.expert_count": 4, "{arch}.expert_used_count": 2, "{arch}.expert_feed_forward_length": FFN}


def _base(layers: int, heads: int, kv_heads: int | list[int], key: int, value: int | None = None) -> dict[str, object]:
    return {
        "{arch}.vocab_size": VOCAB,
        "{arch}.context_length": 1 << 20,
        "{arch}.embedding_length": HIDDEN,
        "{arch}.block_count": layers,
        "{arch}.feed_forward_length": FFN,
        "{arch}.attention.head_count": heads,
        "{arch}.attention.head_count_kv": kv_heads,
        "{arch}.attention.key_length": key,
        "{arch}.attention.value_length": key if value is None else value,
        "{arch}.rope.dimension_count": min(key, 64),
        "{arch}.attention.layer_norm_rms_epsilon": 1e-5,
        "{arch}.attention.layer_norm_epsilon": 1e-5,
        "tokenizer.ggml.model": "none",
    }


def _per_layer(layers: int, attention: int, value: int) -> list[int]:
    """A per-layer array with `value` on `attention` layers spread evenly (the first among them: llama.cpp reads
    some sizes from layer 0) and 0 on the others."""
    step = layers / attention
    chosen = {int(i * step) for i in range(attention)}
    return [value if i in chosen else 0 for i in range(layers)]


def realise(model: Model, design: str) -> tuple[str, dict[str, object]]:
    """The llama.cpp architecture and GGUF metadata that reproduce a catalog model's cache layout."""
    c = model.config
    assert c.layers is not None
    head_dim = c.head_dim or ((c.hidden_size or 0) // (c.attention_heads or 1)) or None
    heads, kv = c.attention_heads or 8, c.kv_heads or 1
    if design == "full":
        assert head_dim
        return "llama", _base(c.layers, heads, kv, head_dim)
    if design == "sliding-window" and (c.full_attention_kv_heads or c.full_attention_head_dim or c.kv_shared_layers):
        return "gemma4", _gemma4(model)
    if design == "sliding-window":
        assert head_dim and c.sliding_window and c.full_attention_every
        meta = _base(c.layers, heads, kv, head_dim)
        meta["{arch}.attention.sliding_window"] = c.sliding_window
        meta["{arch}.attention.sliding_window_pattern"] = c.full_attention_every
        meta["{arch}.final_logit_softcapping"] = 30.0
        return "gemma3", meta
    if design == "chunked":
        assert head_dim and c.full_attention_every == 4, "llama.cpp's llama4 fixes the pattern at 3 chunked : 1 full"
        meta = {**_base(c.layers, heads, kv, head_dim), **MOE, "{arch}.interleave_moe_layer_step": 1}
        meta["{arch}.attention.sliding_window"] = c.attention_chunk or 0
        meta["{arch}.rope.dimension_count"] = head_dim  # llama4 rotates the whole head
        return "llama4", meta
    if design in ("mla", "mla-indexer"):
        return ("deepseek32" if design == "mla-indexer" else "deepseek2"), _mla(model)
    if design.startswith("hybrid-"):
        return _hybrid(model)
    raise ValueError(f"no llama.cpp realisation for design {design!r}")


def _mla(model: Model) -> dict[str, object]:
    c = model.config
    assert c.layers and c.kv_lora_rank and c.qk_rope_head_dim
    meta = {**_base(c.layers, 1, 1, c.kv_lora_rank + c.qk_rope_head_dim, c.kv_lora_rank), **MOE}
    meta.update(
        {
            "{arch}.rope.dimension_count": c.qk_rope_head_dim,
            "{arch}.attention.key_length_mla": 192,
            "{arch}.attention.value_length_mla": 128,
            "{arch}.attention.q_lora_rank": 64,
            "{arch}.attention.kv_lora_rank": c.kv_lora_rank,
            "{arch}.expert_shared_count": 1,
            "{arch}.leading_dense_block_count": 1,
            "{arch}.expert_gating_func": 2,
        }
    )
    if c.index_heads:
        meta["{arch}.attention.indexer.head_count"] = c.index_heads
        meta["{arch}.attention.indexer.key_length"] = c.index_head_dim
        meta["{arch}.attention.indexer.top_k"] = c.index_top_k or 2048
    return meta


def _gemma4(model: Model) -> dict[str, object]:
    c = model.config
    assert c.layers and c.head_dim and c.sliding_window and c.full_attention_every and c.kv_heads
    every = c.full_attention_every
    full_kv, full_dim = c.full_attention_kv_heads or c.kv_heads, c.full_attention_head_dim or c.head_dim
    pattern = [(i % every) < every - 1 for i in range(c.layers)]
    meta = _base(c.layers, 2, [c.kv_heads if swa else full_kv for swa in pattern], full_dim)
    meta.update(
        {
            "{arch}.attention.key_length_swa": c.head_dim,
            "{arch}.attention.value_length_swa": c.head_dim,
            "{arch}.attention.sliding_window": c.sliding_window,
            "{arch}.attention.sliding_window_pattern": pattern,
            "{arch}.attention.shared_kv_layers": c.kv_shared_layers or 0,
            "{arch}.embedding_length_per_layer_input": 0,
        }
    )
    return meta


def _hybrid(model: Model) -> tuple[str, dict[str, object]]:
    c = model.config
    kind = c.recurrent_kind
    assert c.layers and c.attention_layers is not None and c.recurrent_layers is not None
    heads, dim, size, groups = c.state_heads or 0, c.state_head_dim or 0, c.state_size or 0, c.state_groups or 0
    head_dim = c.head_dim or ((c.hidden_size or 0) // (c.attention_heads or 1))
    ssm = {"{arch}.ssm.conv_kernel": c.conv_kernel or 0, "{arch}.ssm.group_count": groups}
    if kind == "gated-deltanet":
        meta = {**_base(c.layers, c.attention_heads or 16, c.kv_heads or 1, head_dim), **MOE, **ssm}
        meta.update(
            {
                "{arch}.ssm.inner_size": heads * size,
                "{arch}.ssm.state_size": dim,
                "{arch}.ssm.time_step_rank": heads,
                "{arch}.full_attention_interval": c.layers // c.attention_layers,
                "{arch}.expert_shared_feed_forward_length": FFN,
            }
        )
        return "qwen3next", meta
    if kind == "mamba2" and c.attention_layers == c.layers == c.recurrent_layers:  # Falcon-H1: both in every layer
        meta = {**_base(c.layers, c.attention_heads or 8, c.kv_heads or 1, head_dim), **ssm}
        meta.update(_mamba(heads, dim, size))
        return "falcon-h1", meta
    if kind == "mamba2":
        kv = _per_layer(c.layers, c.attention_layers, c.kv_heads or 1)
        meta = {**_base(c.layers, c.attention_heads or 8, kv, head_dim), **ssm, **_mamba(heads, dim, size)}
        meta["{arch}.attention.head_count"] = _per_layer(c.layers, c.attention_layers, c.attention_heads or 8)
        meta["{arch}.embedding_length"] = heads * dim // 2  # granitehybrid expands the hidden state 2x
        return "granitehybrid", meta
    if kind == "kimi-delta-attention":
        assert c.kv_lora_rank and c.qk_rope_head_dim
        meta = _mla(model)
        meta["{arch}.attention.head_count_kv"] = _per_layer(c.layers, c.attention_layers, 1)
        meta["{arch}.attention.head_count"] = heads
        meta.update({"{arch}.ssm.conv_kernel": c.conv_kernel or 0, "{arch}.kda.head_dim": dim})
        return "kimi-linear", meta
    if kind == "lightning-attention":
        meta = {**_base(c.layers, heads, c.kv_heads or 1, dim), **MOE}
        meta.update({"{arch}.full_attention_interval": c.layers // c.attention_layers, "{arch}.residual_scale": 1.0})
        return "minimax-01", meta
    if kind == "short-conv":
        assert c.hidden_size
        kv = _per_layer(c.layers, c.attention_layers, c.kv_heads or 1)
        meta = _base(c.layers, c.attention_heads or 8, kv, head_dim)
        meta.update({"{arch}.embedding_length": c.hidden_size, "{arch}.shortconv.l_cache": c.conv_kernel or 0})
        return "lfm2", meta
    raise ValueError(f"no llama.cpp realisation for recurrent kind {kind!r}")


def _mamba(heads: int, dim: int, size: int) -> dict[str, object]:
    return {
        "{arch}.ssm.inner_size": heads * dim,
        "{arch}.ssm.state_size": size,
        "{arch}.ssm.time_step_rank": heads,
    }
