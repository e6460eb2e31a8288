"""Memory a model needs: weights per quantization format and KV cache per token, from catalog facts.

Bits per weight are the block layouts of ggml's formats (bytes per block / weights per block), e.g.
Q8_0 stores 32 weights in 34 bytes = 8.5 bits. K-quant "_M" mixes keep some tensors at higher
precision, so real files run a few per cent larger than these nominal figures.
Units: GB = 10^9 bytes.
"""

from __future__ import annotations

from .schema import Model

# format -> bits per weight (ggml block layout: bytes * 8 / weights per block)
BITS_PER_WEIGHT: dict[str, float] = {
    "BF16": 16.0,
    "Q8_0": 34 * 8 / 32,
    "Q6_K": 210 * 8 / 256,
    "Q5_K_M": 176 * 8 / 256,
    "Q4_K_M": 144 * 8 / 256,
    "Q4_0": 18 * 8 / 32,
    "Q3_K_M": 110 * 8 / 256,
    "Q2_K": 84 * 8 / 256,
}
KV_BYTES_FP16 = 2


def weights_gb(model: Model) -> dict[str, float | None]:
    """Weight memory per format; an MoE model needs all experts resident (total parameters)."""
    if model.params_b is None:
        return dict.fromkeys(BITS_PER_WEIGHT)
    return {fmt: round(model.params_b * bits / 8, 2) for fmt, bits in BITS_PER_WEIGHT.items()}


def head_dim(model: Model) -> int | None:
    c = model.config
    if c.head_dim:
        return c.head_dim
    if c.hidden_size and c.attention_heads:
        return c.hidden_size // c.attention_heads
    return None


def implied_params_b(model: Model) -> tuple[float, float] | None:
    """Range of total parameters (billions) a dense transformer with this config.json would have.

    Attention (Q, K, V, O projections) plus an MLP of either two matrices (classic) or three (gated,
    SwiGLU/GeGLU), plus input and output embeddings (one matrix when tied). Norms and biases are
    ignored (well under 1 %). None when the config is incomplete or the model is not a plain dense
    decoder (MoE, MLA, or a vision/audio tower whose weights the text config does not describe).
    """
    c = model.config
    dim = head_dim(model)
    if model.architecture != "dense" or c.experts or c.kv_lora_rank:
        return None
    if model.modalities is None or model.modalities.input != ["text"]:
        return None
    if not (c.layers and c.hidden_size and c.intermediate_size and c.attention_heads and c.vocab_size and dim):
        return None
    q_width, kv_width = c.attention_heads * dim, (c.kv_heads or c.attention_heads) * dim
    attention = 2 * c.hidden_size * q_width + 2 * c.hidden_size * kv_width
    matrices_of_embedding = {True: (1,), False: (2,), None: (1, 2)}[c.tie_word_embeddings]
    embeddings = [n * c.vocab_size * c.hidden_size for n in matrices_of_embedding]
    totals = [
        c.layers * (attention + matrices * c.hidden_size * c.intermediate_size) + emb
        for matrices in (2, 3)
        for emb in embeddings
    ]
    return min(totals) / 1e9, max(totals) / 1e9


def kv_cache_gb_per_1k_tokens(model: Model) -> float | None:
    """FP16 K and V for every layer and KV head, per 1,000 tokens; null when the config is incomplete."""
    c = model.config
    dim = head_dim(model)
    if not (c.layers and c.kv_heads and dim) or "text" not in (model.modalities.output if model.modalities else []):
        return None
    return round(2 * c.layers * c.kv_heads * dim * KV_BYTES_FP16 * 1000 / 1e9, 4)
