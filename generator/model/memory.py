"""What a model's context costs in memory: the KV cache and the fixed recurrent state, for every attention design,
computed from the catalog's architecture facts the way llama.cpp allocates them (tests/test_memory_llamacpp.py
holds these figures to what llama.cpp itself reports, within 2 %).

A model's layers fall into cache groups and state groups:
- full attention (MHA, GQA, MQA): K and V for every token of the context;
- sliding window and chunked attention: K and V for at most the window (or chunk) plus one micro-batch;
- MLA (DeepSeek V3, Kimi K2, GLM-5): one latent of kv_lora_rank + qk_rope_head_dim per token, K only;
- DeepSeek sparse attention adds the lightning indexer's keys (index_head_dim per token, K only);
- linear-attention and state-space layers (Gated DeltaNet, Mamba-2, Kimi Delta Attention, lightning attention,
  short convolutions) keep a fixed state per sequence, whatever the context, in 32-bit floats.
Multi-token-prediction layers add weights but no cache (llama.cpp keeps theirs only while drafting with them).

llama.cpp's rules, as its source states them (src/llama-context.cpp, src/llama-kv-cache-iswa.cpp):
- the context is padded to a multiple of 256 cells;
- a windowed group holds min(context, window x sequences + micro-batch) cells, padded to 256 (llama-server's default
  micro-batch is 512 and it does not keep full-size windowed caches unless --swa-full is given);
- K and V follow the cache type (f16, q8_0 or q4_0; vLLM's fp8); recurrent states stay f32.
Unknown is never zero: a layout that lacks a fact it needs is an `Unknown` naming that fact.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog.schema import Model

# Bytes per cached element: 16-bit floats; llama.cpp's q8_0 and q4_0 blocks (32 values in 34 and 18 bytes);
# vLLM's 8-bit float cache.
CACHE_TYPES: dict[str, float] = {"f16": 2.0, "q8_0": 34 / 32, "q4_0": 18 / 32, "fp8": 1.0}
STATE_BYTES = 4  # recurrent states are 32-bit floats in llama.cpp
CELL_PADDING = 256
MICRO_BATCH = 512  # llama-server's default --ubatch-size


def padded(cells: int) -> int:
    return -(-cells // CELL_PADDING) * CELL_PADDING


@dataclass(frozen=True)
class CacheGroup:
    """Layers that cache the same elements per token; `window` caps the tokens kept (None: the whole context)."""

    label: str
    layers: int
    k: int  # K elements per token per layer
    v: int  # V elements per token per layer
    window: int | None = None

    def cells(self, context: int, sequences: int = 1) -> int:
        full = padded(context * sequences)  # llama-server's -c is the cells of all its parallel sequences
        if self.window is None:
            return full
        return padded(min(full, self.window * sequences + MICRO_BATCH))

    def bytes(self, context: int, cache: str = "f16", sequences: int = 1) -> float:
        return self.layers * (self.k + self.v) * self.cells(context, sequences) * CACHE_TYPES[cache]


@dataclass(frozen=True)
class StateGroup:
    """Recurrent layers: a fixed state per sequence (convolution rows plus the recurrent matrix)."""

    label: str
    layers: int
    conv: int  # elements of the rolling convolution state, per layer
    recurrent: int  # elements of the recurrent state, per layer

    def bytes(self, sequences: int = 1) -> float:
        return self.layers * (self.conv + self.recurrent) * STATE_BYTES * sequences


@dataclass(frozen=True)
class Layout:
    """Where a model's per-sequence memory goes, and the formula's name in words."""

    design: str  # a key: full, sliding-window, chunked, mla, mla-indexer, hybrid-<kind>
    cache: tuple[CacheGroup, ...]
    state: tuple[StateGroup, ...] = ()

    def kv_bytes(self, context: int, cache: str = "f16", sequences: int = 1) -> float:
        return sum(g.bytes(context, cache, sequences) for g in self.cache)

    def state_bytes(self, sequences: int = 1) -> float:
        return sum(g.bytes(sequences) for g in self.state)

    def kv_gb(self, context: int, cache: str = "f16", sequences: int = 1) -> float:
        return self.kv_bytes(context, cache, sequences) / 1e9

    def state_gb(self, sequences: int = 1) -> float:
        return self.state_bytes(sequences) / 1e9

    def total_gb(self, context: int, cache: str = "f16", sequences: int = 1) -> float:
        return (self.kv_bytes(context, cache, sequences) + self.state_bytes(sequences)) / 1e9

    @property
    def formula(self) -> str:
        """The formula in words, e.g. "sliding window 1,024 on 52 of 62 layers; full attention on 10"."""
        parts = [g.label for g in self.cache] + [
            f"{g.label}: {g.layers} layers with a {_size(g.bytes())} state" for g in self.state
        ]
        return "; ".join(parts)


@dataclass(frozen=True)
class Unknown:
    """A layout the catalog cannot compute yet: the facts it lacks (a reader can contribute them)."""

    missing: tuple[str, ...]
    design: str = "unknown"

    @property
    def formula(self) -> str:
        return "cannot compute: " + ", ".join(self.missing) + " unknown"


def _size(n_bytes: float) -> str:
    return f"{n_bytes / 2**20:,.1f} MiB" if n_bytes >= 2**20 else f"{n_bytes / 2**10:,.0f} KiB"


def _need(model: Model, *names: str) -> list[str]:
    return [f"config.{n}" for n in names if getattr(model.config, n) is None]


def layout(model: Model) -> Layout | Unknown | None:
    """The model's memory layout; None for a model that keeps no context (an embedder, a speech encoder)."""
    outputs = model.modalities.output if model.modalities else []
    if "text" not in outputs:
        return None
    c = model.config
    missing = _need(model, "layers")
    if c.recurrent_kind:
        missing += _need(model, "attention_layers", "recurrent_layers")
    if missing:
        return Unknown(tuple(missing))
    attention_layers = c.attention_layers if c.recurrent_kind else c.layers
    assert attention_layers is not None
    cache = _attention(model, attention_layers - (c.kv_shared_layers or 0))
    if isinstance(cache, Unknown):
        return cache
    design, groups = cache
    if not c.recurrent_kind:
        return Layout(design, groups)
    state = _recurrent(model)
    if isinstance(state, Unknown):
        return state
    return Layout(f"hybrid-{c.recurrent_kind}", groups, (state,))


def _attention(model: Model, layers: int) -> tuple[str, tuple[CacheGroup, ...]] | Unknown:
    c = model.config
    if layers == 0:
        return "recurrent", ()
    if c.index_heads is not None and c.kv_lora_rank is None:  # DeepSeek V4: an indexer without MLA
        return Unknown(("DeepSeek V4's compressed-attention sizes (CSA, HCA)",))
    if c.kv_lora_rank is not None or c.qk_rope_head_dim is not None:
        missing = _need(model, "kv_lora_rank", "qk_rope_head_dim")
        if c.index_heads is not None:
            missing += _need(model, "index_head_dim")
        if missing:
            return Unknown(tuple(missing))
        assert c.kv_lora_rank is not None and c.qk_rope_head_dim is not None
        latent = c.kv_lora_rank + c.qk_rope_head_dim
        groups = [CacheGroup(f"MLA latent {latent:,} per token on {layers} layers", layers, latent, 0)]
        if c.index_heads is None:
            return "mla", tuple(groups)
        assert c.index_head_dim is not None
        groups.append(CacheGroup(f"indexer keys {c.index_head_dim} per token", layers, c.index_head_dim, 0))
        return "mla-indexer", tuple(groups)
    dim = head_dim(model)
    missing = _need(model, "kv_heads") + ([] if dim else ["config.head_dim"])
    if missing:
        return Unknown(tuple(missing))
    assert c.kv_heads is not None and dim is not None
    per_layer = c.kv_heads * dim
    window, kind = (c.attention_chunk, "chunked") if c.attention_chunk else (c.sliding_window, "sliding window")
    every = c.full_attention_every
    if window and not every and not c.attention_chunk:
        # A window on every layer (Mistral 7B v0.1, Phi-3, StarCoder2): llama.cpp's loaders for these architectures
        # do not apply it and cache the whole context, so that is what is counted.
        label = f"full attention on {layers} layers (llama.cpp does not apply the model's {window:,}-token window)"
        return "full", (CacheGroup(label, layers, per_layer, per_layer),)
    if not window:
        return "full", (CacheGroup(f"full attention on {layers} layers", layers, per_layer, per_layer),)
    full_layers = layers // every if every else 0
    windowed = layers - full_layers
    groups = [CacheGroup(f"{kind} {window:,} on {windowed} of {layers} layers", windowed, per_layer, per_layer, window)]
    if full_layers:
        full_kv = (c.full_attention_kv_heads or c.kv_heads) * (c.full_attention_head_dim or dim)
        groups.append(CacheGroup(f"full attention on {full_layers}", full_layers, full_kv, full_kv))
    return ("chunked" if c.attention_chunk else "sliding-window"), tuple(groups)


def head_dim(model: Model) -> int | None:
    """The attention head dim: config.json's, or hidden size / heads when it states none."""
    c = model.config
    if c.head_dim:
        return c.head_dim
    if c.hidden_size and c.attention_heads:
        return c.hidden_size // c.attention_heads
    return None


# Per recurrent design: the facts it needs, and its (convolution, recurrent) elements per layer, as llama.cpp's
# llama_hparams::n_embd_r and n_embd_s compute them.
RECURRENT_NEEDS: dict[str, tuple[str, ...]] = {
    "mamba2": ("state_heads", "state_head_dim", "state_size", "state_groups", "conv_kernel"),
    "gated-deltanet": ("state_heads", "state_head_dim", "state_size", "state_groups", "conv_kernel"),
    "kimi-delta-attention": ("state_heads", "state_head_dim", "conv_kernel"),
    "lightning-attention": ("state_heads", "state_head_dim"),
    "short-conv": ("hidden_size", "conv_kernel"),
}
RECURRENT_LABELS = {
    "mamba2": "Mamba-2",
    "gated-deltanet": "Gated DeltaNet",
    "kimi-delta-attention": "Kimi Delta Attention",
    "lightning-attention": "lightning attention",
    "short-conv": "short convolution",
}


def _recurrent(model: Model) -> StateGroup | Unknown:
    c = model.config
    kind = c.recurrent_kind
    assert kind is not None and c.recurrent_layers is not None
    missing = _need(model, *RECURRENT_NEEDS[kind])
    if missing:
        return Unknown(tuple(missing))
    heads, dim, size, groups = c.state_heads or 0, c.state_head_dim or 0, c.state_size or 0, c.state_groups or 0
    rows = (c.conv_kernel or 1) - 1  # the newest column is not kept
    if kind == "mamba2":  # inner = heads x head dim; state = d_state x inner; conv over inner + B and C
        conv, recurrent = rows * (heads * dim + 2 * groups * size), size * heads * dim
    elif kind == "gated-deltanet":  # values: heads x size; keys: groups x head dim; state: key dim x values
        conv, recurrent = rows * (heads * size + 2 * groups * dim), dim * heads * size
    elif kind == "kimi-delta-attention":  # convolutions over Q, K and V; a head_dim x head_dim state per head
        conv, recurrent = 3 * rows * heads * dim, dim * dim * heads
    elif kind == "lightning-attention":
        conv, recurrent = 0, dim * dim * heads
    else:  # short-conv: a rolling window of the hidden state
        conv, recurrent = rows * (c.hidden_size or 0), 0
    return StateGroup(RECURRENT_LABELS[kind], c.recurrent_layers, conv, recurrent)
