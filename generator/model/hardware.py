"""Memory and speed a model needs, computed from catalog facts: weights per quantization format, KV cache
per token, runtime overhead, the best format that fits a machine, and an upper bound on decode speed.

Units: GB = 10^9 bytes; spec-sheet memory of GPUs and Macs is binary (24 "GB" = 24 GiB) and is converted.

Bits per weight (bpw), and where each figure comes from:
- GGUF k-quant mixes and Q8_0/Q4_0: llama.cpp's quantize tool lists the file size each format gives
  Llama-3-8B (8.03 B parameters), e.g. "Q4_K_M: 4.58G"; bpw = size (GiB) x 2^30 x 8 / 8.03e9. These are
  whole-file figures, so they include the tensors a mix keeps at higher precision (embeddings, output).
- GGUF IQ formats: the same table states their bpw directly ("IQ4_XS: 4.25 bpw").
- BF16: 16 bits by definition.
- GPU formats (vLLM and friends): FP8 stores linear-layer weights in 8 bits; AWQ/GPTQ INT4 with group size
  128 stores 4 bits plus a 16-bit scale and a 4-bit zero point per group of 128 (4 + 20/128 bits). Both
  keep the embedding and output matrices in 16 bits, so those are counted apart when the config says
  how large they are.
Real files differ by a few per cent (model-specific tensor shapes); the tests hold the estimates to
within 10 % of published GGUF files.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog.schema import Hardware, Model

LLAMA3_8B_PARAMS = 8.03e9  # the model llama.cpp's size table measures (Meta-Llama-3-8B: 8.03B params)
QUANTIZE_TABLE = "https://github.com/ggml-org/llama.cpp/blob/master/tools/quantize/quantize.cpp"
GIB = 2**30


def _from_llama3_8b(size_gib: float) -> float:
    return round(size_gib * GIB * 8 / LLAMA3_8B_PARAMS, 3)


@dataclass(frozen=True)
class QuantFormat:
    """A way of storing weights: its bits per weight, where that figure comes from, and its quality cost."""

    name: str
    runtime: str  # "gguf" (llama.cpp, Ollama, LM Studio) or "gpu" (vLLM, TGI, SGLang)
    bits: float
    basis: str
    ppl_increase: float | None = None  # llama.cpp's measured perplexity increase on Llama-3-8B
    dense_embeddings: bool = False  # embedding/output matrices stay 16-bit


FORMATS: tuple[QuantFormat, ...] = (
    QuantFormat("BF16", "gguf", 16.0, "16-bit floats", 0.0),
    QuantFormat("Q8_0", "gguf", _from_llama3_8b(7.96), "Q8_0: 7.96 GiB for Llama-3-8B", 0.0026),
    QuantFormat("Q6_K", "gguf", _from_llama3_8b(6.14), "Q6_K: 6.14 GiB for Llama-3-8B", 0.0217),
    QuantFormat("Q5_K_M", "gguf", _from_llama3_8b(5.33), "Q5_K_M: 5.33 GiB for Llama-3-8B", 0.0569),
    QuantFormat("Q4_K_M", "gguf", _from_llama3_8b(4.58), "Q4_K_M: 4.58 GiB for Llama-3-8B", 0.1754),
    QuantFormat("Q4_0", "gguf", _from_llama3_8b(4.34), "Q4_0: 4.34 GiB for Llama-3-8B", 0.4685),
    QuantFormat("IQ4_XS", "gguf", 4.25, "IQ4_XS: 4.25 bpw"),
    QuantFormat("Q3_K_M", "gguf", _from_llama3_8b(3.74), "Q3_K_M: 3.74 GiB for Llama-3-8B", 0.6569),
    QuantFormat("IQ3_XXS", "gguf", 3.06, "IQ3_XXS: 3.06 bpw"),
    QuantFormat("Q2_K", "gguf", _from_llama3_8b(2.96), "Q2_K: 2.96 GiB for Llama-3-8B", 3.5199),
    QuantFormat("IQ2_XXS", "gguf", 2.06, "IQ2_XXS: 2.06 bpw"),
    QuantFormat("IQ1_S", "gguf", 1.56, "IQ1_S: 1.56 bpw"),
    QuantFormat("FP8", "gpu", 8.0, "8-bit floats for linear layers", dense_embeddings=True),
    QuantFormat("INT4", "gpu", 4 + 20 / 128, "AWQ/GPTQ 4-bit, group size 128", dense_embeddings=True),
)
FORMAT = {f.name: f for f in FORMATS}
# The ladder the selector and tier pages climb down, best quality first: GGUF formats with a measured
# quality cost (what llama.cpp, Ollama and LM Studio users download).
LADDER: tuple[str, ...] = ("BF16", "Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q3_K_M", "Q2_K")

KV_BYTES = {"FP16": 2, "Q8_0": 34 / 32}  # per element: 16-bit cache, or llama.cpp's 8-bit cache (q8_0 blocks)
CONTEXTS = (4096, 32768, 131072)  # shown on every model page, plus the model's maximum
# Runtime overhead beyond weights and KV cache: the CUDA context (a few hundred MB per process) and the
# inference engine's compute buffers (llama.cpp's grow with batch size and context). A flat allowance;
# real figures vary by engine and settings.
OVERHEAD_GB = 1.0
# Memory a model may use when a machine's file does not say: all of a GPU's; three quarters of a Mac's
# unified memory (macOS keeps the rest for the system by default) and of a PC's RAM (OS and apps).
DEFAULT_USABLE_SHARE = {"gpu": 1.0, "unified": 0.75, "cpu": 0.75}


def head_dim(model: Model) -> int | None:
    c = model.config
    if c.head_dim:
        return c.head_dim
    if c.hidden_size and c.attention_heads:
        return c.hidden_size // c.attention_heads
    return None


def embedding_params_b(model: Model) -> float | None:
    """Input plus output embedding parameters (one matrix when tied), billions; None when unknown."""
    c = model.config
    if not (c.vocab_size and c.hidden_size):
        return None
    return c.vocab_size * c.hidden_size * (1 if c.tie_word_embeddings else 2) / 1e9


def weights_gb(model: Model) -> dict[str, float | None]:
    """Weight memory per format; an MoE model needs all experts resident (total parameters)."""
    return {f.name: _weights(model.params_b, f, embedding_params_b(model)) for f in FORMATS}


def _weights(params_b: float | None, fmt: QuantFormat, embeddings_b: float | None) -> float | None:
    if params_b is None:
        return None
    if fmt.dense_embeddings and embeddings_b is not None and embeddings_b < params_b:
        return round((params_b - embeddings_b) * fmt.bits / 8 + embeddings_b * 2, 2)
    return round(params_b * fmt.bits / 8, 2)


def active_weights_gb(model: Model, fmt: str) -> float | None:
    """Weights read per generated token: the active parameters of an MoE model, all of a dense one."""
    active = model.active_params_b or model.params_b
    return None if active is None else active * FORMAT[fmt].bits / 8


@dataclass(frozen=True)
class KvShape:
    """KV cache bytes per token at 16 bits: layers that attend to everything, and windowed layers."""

    full_bytes: float
    window_bytes: float
    window: int

    def gb(self, context: int, cache: str = "FP16") -> float:
        scale = KV_BYTES[cache] / 2
        total = self.full_bytes * context + self.window_bytes * min(context, self.window)
        return total * scale / 1e9


def kv_shape(model: Model) -> KvShape | None:
    """KV cache layout from config.json; None when the config is incomplete or the model generates no text.

    Standard attention caches K and V: 2 x KV heads x head dim per layer. DeepSeek's MLA caches one
    compressed latent plus the decoupled RoPE key: kv_lora_rank + qk_rope_head_dim per layer. With a
    sliding window, windowed layers hold at most `sliding_window` tokens.
    """
    c = model.config
    if not c.layers or "text" not in (model.modalities.output if model.modalities else []):
        return None
    if c.kv_lora_rank and c.qk_rope_head_dim:
        per_layer = (c.kv_lora_rank + c.qk_rope_head_dim) * 2
    else:
        dim = head_dim(model)
        if not (c.kv_heads and dim):
            return None
        per_layer = 2 * c.kv_heads * dim * 2
    if not c.sliding_window:
        return KvShape(c.layers * per_layer, 0.0, 0)
    full_layers = c.layers // c.full_attention_every if c.full_attention_every else 0
    return KvShape(full_layers * per_layer, (c.layers - full_layers) * per_layer, c.sliding_window)


def kv_cache_gb_per_1k_tokens(model: Model) -> float | None:
    """FP16 K and V per 1,000 tokens of context, counting every layer (the long-context rate)."""
    shape = kv_shape(model)
    return None if shape is None else round((shape.full_bytes + shape.window_bytes) * 1000 / 1e9, 4)


def contexts(model: Model) -> list[int]:
    """Context sizes the memory table shows: the standard ones up to the model's maximum, then the maximum."""
    top = model.context_length
    if top is None:
        return list(CONTEXTS)
    return [c for c in CONTEXTS if c < top] + [top]


def total_gb(weights: float, shape: KvShape | None, context: int, cache: str = "FP16") -> float:
    kv = shape.gb(context, cache) if shape else 0.0
    return round(weights + kv + OVERHEAD_GB, 2)


def usable_gb(machine: Hardware) -> float:
    """Memory a model may use on a machine, GB (10^9 bytes)."""
    share = 1.0 if machine.usable_memory_gb else DEFAULT_USABLE_SHARE[machine.kind]
    return round((machine.usable_memory_gb or machine.memory_gb) * share * GIB / 1e9, 2)


def decode_tokens_per_s(model: Model, fmt: str, context: int, bandwidth_gb_s: float | None) -> float | None:
    """Upper bound: memory bandwidth / bytes read per token (active weights plus the KV cache)."""
    active = active_weights_gb(model, fmt)
    if active is None or not bandwidth_gb_s:
        return None
    shape = kv_shape(model)
    per_token = active + (shape.gb(context) if shape else 0.0)
    return round(bandwidth_gb_s / per_token, 1)


@dataclass(frozen=True)
class Fit:
    machine_id: str
    machine: Hardware
    format: str | None  # best format on the ladder that fits; None when none does
    memory_gb: float | None
    usable_gb: float
    tokens_per_s: float | None


def best_fit(model: Model, budget_gb: float, context: int) -> tuple[str, float] | None:
    """The highest-quality ladder format whose weights, KV cache and overhead fit the budget."""
    weights, shape = weights_gb(model), kv_shape(model)
    for fmt in LADDER:
        w = weights[fmt]
        if w is not None and (need := total_gb(w, shape, context)) <= budget_gb:
            return fmt, need
    return None


def fits(model: Model, machines: dict[str, Hardware], context: int) -> list[Fit]:
    """For every listed machine, the best format that fits at `context` tokens and its speed bound."""
    out = []
    for machine_id, machine in machines.items():
        budget = usable_gb(machine)
        found = best_fit(model, budget, context)
        fmt, need = found if found else (None, None)
        speed = decode_tokens_per_s(model, fmt, context, machine.bandwidth_gb_s) if fmt else None
        out.append(Fit(machine_id, machine, fmt, need, budget, speed))
    return out


def implied_params_b(model: Model) -> tuple[float, float] | None:
    """Range of total parameters (billions) a dense transformer with this config.json would have.

    Attention (Q, K, V, O projections) plus an MLP of either two matrices (classic) or three (gated,
    SwiGLU/GeGLU), plus input and output embeddings (one matrix when tied). Norms and biases are
    ignored (well under 1 %). None when the config is incomplete or the model is not a plain dense
    decoder (MoE, MLA, a hybrid with recurrent layers, or a vision/audio tower the text config does not
    describe).
    """
    c = model.config
    dim = head_dim(model)
    if model.architecture != "dense" or c.experts or c.kv_lora_rank or c.recurrent_layers or c.attention_layers:
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
