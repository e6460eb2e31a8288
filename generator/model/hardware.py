"""Weights and speed: weights per quantization format, the format ladder a model is tried in, runtime overhead,
usable memory of a machine and the runtimes that run on it, and the decode speed estimate. The KV cache and
recurrent state come from memory.py; the fit itself is the selector's (selector.py), so every page agrees.

Units: GB = 10^9 bytes; spec-sheet memory of GPUs and Macs is binary (24 "GB" = 24 GiB) and is converted.

Bits per weight (bpw), and where each figure comes from:
- GGUF k-quant mixes and Q8_0/Q4_0: llama.cpp's quantize tool lists the file size each format gives
  Llama-3-8B (8.03 B parameters), e.g. "Q4_K_M: 4.58G"; bpw = size (GiB) x 2^30 x 8 / 8.03e9. These are
  whole-file figures, so they include the tensors a mix keeps at higher precision (embeddings, output).
- GGUF IQ formats: the same table states their bpw directly ("IQ4_XS: 4.25 bpw").
- MXFP4 (GGUF's native type for gpt-oss): 17 bytes per block of 32 (ggml-common.h).
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

from ..catalog.schema import Hardware, Model, Runtime, WeightsPrecision
from . import memory

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
    # GGUF's native MXFP4 type (gpt-oss): blocks of 32 4-bit values with one 8-bit shared exponent, 17 bytes
    # (ggml-common.h, block_mxfp4). A release format: offered for models released in it, not as a quantization.
    QuantFormat("MXFP4", "gguf", 17 * 8 / 32, "MXFP4: 32 4-bit values + one 8-bit scale per block"),
    QuantFormat("FP8", "gpu", 8.0, "8-bit floats for linear layers", dense_embeddings=True),
    QuantFormat("INT4", "gpu", 4 + 20 / 128, "AWQ/GPTQ 4-bit, group size 128", dense_embeddings=True),
)
FORMAT = {f.name: f for f in FORMATS}
# The ladder the selector and tier pages climb down, best quality first: GGUF formats with a measured
# quality cost (what llama.cpp, Ollama and LM Studio users download). It starts at Q8_0, not BF16: BF16 needs
# twice the memory and, memory-bound, decodes at half the speed, for a perplexity gain of 0.0026.
LADDER: tuple[str, ...] = ("Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q3_K_M", "Q2_K")
# Formats a model released in a low precision starts from: its own release file (gpt-oss: MXFP4 in GGUF).
NATIVE_GGUF = {"MXFP4": "MXFP4"}
# Release precisions' bits: ladder formats more than one bit above them add memory, not quality.
RELEASE_BITS = {"BF16": 16.0, "FP16": 16.0, "FP32": 32.0, "FP8": 8.0, "MXFP4": 4.25, "NVFP4": 4.5, "INT4": 4.0}


def ladder(model: Model) -> tuple[str, ...]:
    """The formats tried for a model, best first: its native low-precision release format, if GGUF has one,
    then the ladder's formats that are not more than a bit above the precision it was released in."""
    precision = model.weights_precision
    native = NATIVE_GGUF.get(precision or "")
    top = RELEASE_BITS.get(precision or "", 16.0) + 1
    below = tuple(f for f in LADDER if FORMAT[f].bits <= top and f != native)
    return ((native,) if native else ()) + below


CONTEXTS = (4096, 32768, 131072)  # shown on every model page, plus the model's maximum
# Runtime overhead beyond weights and KV cache: the CUDA context (a few hundred MB per process) and the
# inference engine's compute buffers (llama.cpp's grow with batch size and context). A flat allowance;
# real figures vary by engine and settings.
OVERHEAD_GB = 1.0
# Decode reads every active weight once per token, so its speed is bandwidth-bound; no engine reaches the spec
# sheet's bandwidth. A bf16 matrix-vector product streaming 2-16 GB of weights on one H200 sustained 4.14-4.31
# TB/s of its 4.8 TB/s (86-90 %, measured for the atlas, design.md section 6): estimates use the lower end.
BANDWIDTH_SHARE = 0.86
# The system RAM an MoE's offloaded experts are read from: a desktop's dual-channel DDR5-5600 (its catalog file
# sources the bandwidth). Speeds with experts in RAM say so.
RAM_MACHINE = "cpu-ddr5-64gb"
# Memory a model may use when a machine's file does not say: all of a GPU's; three quarters of a Mac's
# unified memory (macOS keeps the rest for the system by default) and of a PC's RAM (OS and apps).
DEFAULT_USABLE_SHARE = {"gpu": 1.0, "unified": 0.75, "cpu": 0.75}


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


def expert_params_b(model: Model) -> float | None:
    """Parameters of a mixture of experts' routed experts, billions, from its sourced totals: with N the
    parameters every token uses (attention, embeddings, shared experts) and p one routed expert's (all layers),
    total = N + experts x p and active = N + experts_per_token x p. None for a dense model or when a figure is
    unknown. llama.cpp's --cpu-moe keeps exactly these in system RAM."""
    c, total, active = model.config, model.params_b, model.active_params_b
    if not (c.experts and c.experts_per_token and total and active) or c.experts <= c.experts_per_token:
        return None
    per_expert = (total - active) / (c.experts - c.experts_per_token)
    return round(per_expert * c.experts, 3) if per_expert > 0 else None


def active_weights_gb(model: Model, fmt: str, sequences: int = 1) -> float | None:
    """Weights read per decoding step: all of a dense model; of a mixture of experts, the part every token uses
    plus the routed experts the step's `sequences` tokens pick between them. With routing taken as uniform, a
    given expert goes unpicked by one token with probability 1 - k/E, so the step reads a share
    1 - (1 - k/E)^N of them (k/E for one sequence: the active parameters)."""
    active = model.active_params_b or model.params_b
    if active is None:
        return None
    experts, c = expert_params_b(model), model.config
    if sequences > 1 and experts is not None and model.params_b and c.experts and c.experts_per_token:
        shared = model.params_b - experts
        active = shared + experts * (1 - (1 - c.experts_per_token / c.experts) ** sequences)
    return active * FORMAT[fmt].bits / 8


def contexts(model: Model) -> list[int]:
    """Context sizes the memory table shows: the standard ones up to the model's maximum, then the maximum."""
    top = model.context_length
    if top is None:
        return list(CONTEXTS)
    return [c for c in CONTEXTS if c < top] + [top]


def context_gb(model: Model, context: int, cache: str = "f16", sequences: int = 1) -> float | None:
    """KV cache plus recurrent state at `context` tokens, GB; 0 for a model that keeps no context; None unknown."""
    found = memory.layout(model)
    if found is None:
        return 0.0
    if isinstance(found, memory.Unknown):
        return None
    return found.total_gb(context, cache, sequences)


def accelerator(machine: Hardware) -> str:
    """The accelerator class runtimes list support for (catalog/runtimes accelerators): the vendor of a GPU or
    unified-memory chip; 'cpu' for a machine that runs models on its CPU only."""
    if machine.kind == "cpu":
        return "cpu"
    vendor = machine.vendor.lower()
    return next((a for a in ("nvidia", "amd", "apple", "intel") if a in vendor), "cpu")


# Release precisions a GPU runtime serves as the publisher shipped them (a model's own weights, no quality cost):
# low-precision releases only. A BF16 release goes down the GGUF ladder instead (Q8_0: half the memory, about
# twice the speed, 0.0026 more perplexity).
GPU_RELEASES: tuple[WeightsPrecision, ...] = ("FP8", "MXFP4", "INT4")
GPU_RUNTIME = "vllm"


def gpu_precisions(machine: Hardware, runtimes: dict[str, Runtime]) -> list[str]:
    """The low-precision releases the GPU runtime serves on this machine: its sourced support table
    (catalog/runtimes/vllm.yaml `precisions`) for the machine's GPU generation; none when either is unknown."""
    runtime = runtimes.get(GPU_RUNTIME)
    if runtime is None or machine.architecture is None or GPU_RUNTIME not in runtimes_for(machine, runtimes):
        return []
    return [p for p in GPU_RELEASES if machine.architecture in runtime.precisions.get(p, [])]


def runtimes_for(machine: Hardware, runtimes: dict[str, Runtime]) -> list[str]:
    """Ids of the runtimes (not front ends) whose sourced accelerator list covers this machine."""
    found = accelerator(machine)
    return [k for k, r in runtimes.items() if r.kind == "runtime" and found in r.accelerators]


def usable_gb(machine: Hardware) -> float:
    """Memory a model may use on a machine, GB (10^9 bytes)."""
    share = 1.0 if machine.usable_memory_gb else DEFAULT_USABLE_SHARE[machine.kind]
    return round((machine.usable_memory_gb or machine.memory_gb) * share * GIB / 1e9, 2)


def decode_tokens_per_s(model: Model, fmt: str, context: int, bandwidth_gb_s: float | None) -> float | None:
    """Estimate: achievable bandwidth (spec x BANDWIDTH_SHARE) / bytes read per token (active weights, the
    KV cache and the recurrent state); None when a figure it needs is unknown."""
    active = active_weights_gb(model, fmt)
    held = context_gb(model, context)
    if active is None or held is None or not bandwidth_gb_s:
        return None
    return round(bandwidth_gb_s * BANDWIDTH_SHARE / (active + held), 1)


def implied_params_b(model: Model) -> tuple[float, float] | None:
    """Range of total parameters (billions) a dense transformer with this config.json would have.

    Attention (Q, K, V, O projections) plus an MLP of either two matrices (classic) or three (gated,
    SwiGLU/GeGLU), plus input and output embeddings (one matrix when tied). Norms and biases are
    ignored (well under 1 %). None when the config is incomplete or the model is not a plain dense
    decoder (MoE, MLA, a hybrid with recurrent layers, or a vision/audio tower the text config does not
    describe).
    """
    c = model.config
    dim = memory.head_dim(model)
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
