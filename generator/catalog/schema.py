"""The one schema of the catalog: pydantic models for every file kind (suites and stored runs in
schema_runs.py, the pieces they share in fields.py).

Everything else (validation messages, which facts need a source, the JSON Schema files editors use, the
schema reference on the Data API page, the export records' descriptions) is derived from these classes.
Vocabularies are closed on purpose: a new value is a change to this file, reviewed like code.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .fields import (
    Architecture,
    BenchmarkName,
    Count,
    Date,
    HardwareKind,
    HttpsUrl,
    Id,
    Kind,
    Link,
    Modality,
    ShortText,
    Source,
    Sourced,
    SourceKind,
    Strict,
    Ternary,
    Text,
    UseCase,
)
from .schema_runs import HarnessRun, Run, SpeedRun, Suite

RecurrentKind = Literal["gated-deltanet", "mamba2", "lightning-attention", "kimi-delta-attention", "short-conv"]
WeightsPrecision = Literal["BF16", "FP16", "FP32", "FP8", "MXFP4", "NVFP4", "INT4"]

# ---------------------------------------------------------------- licences


class Licence(Strict):
    """catalog/licences/<id>.yaml: the terms of one licence, as fields."""

    name: ShortText = Field(description="The licence's name.")
    spdx: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9.+-]+$")] | None = Field(
        description="SPDX identifier, or null when the licence has none."
    )
    text_url: HttpsUrl = Field(description="Where the licence text is published.")
    summary: Text = Field(description="A plain-language summary.")
    commercial_use: Sourced[Ternary] = Field(description="Whether it allows commercial use: yes, no or conditional.")
    commercial_use_note: Text | None = Field(default=None, description="The conditions, when conditional.")
    user_cap: Sourced[Text | None] = Field(
        description="Monthly-active-user or revenue threshold above which another licence is needed; "
        "null when there is none."
    )
    output_training_restriction: Sourced[Text | None] = Field(
        description="Limits on using the model's outputs to train or improve other models; null when none."
    )
    attribution: Sourced[Text | None] = Field(description="Attribution or naming duties; null when none.")
    redistribution: Sourced[Ternary] = Field(description="Whether the weights may be redistributed.")
    redistribution_note: Text | None = Field(default=None, description="Conditions on redistribution.")
    acceptable_use_policy: Sourced[HttpsUrl | None] = Field(
        description="URL of the acceptable-use policy the licence binds users to; null when none."
    )
    territory_restriction: Sourced[Text | None] = Field(
        default=None,
        description="Places where the licence grants no rights or forbids use (e.g. the EU, the UK, South Korea); "
        "null when none.",
    )
    gated_download: Sourced[bool] = Field(
        description="True when downloading the weights requires accepting terms (e.g. on Hugging Face)."
    )
    common_mistakes: list[Text] = Field(
        default_factory=list, description="Errors popular guides make about this licence."
    )
    sources: list[Source] = Field(min_length=1)


# ---------------------------------------------------------------- families and models


class Modalities(Strict):
    input: list[Modality] = Field(min_length=1)
    output: list[Modality] = Field(min_length=1)


class Config(Strict):
    """Architecture numbers from the model's config.json; null where they do not apply or are unknown."""

    layers: Count | None = None
    hidden_size: Count | None = None
    intermediate_size: Count | None = None
    attention_heads: Count | None = None
    kv_heads: Count | None = None
    head_dim: Count | None = None
    vocab_size: Count | None = None
    experts: Count | None = None
    experts_per_token: Count | None = None
    shared_experts: Annotated[int, Field(ge=0)] | None = None
    sliding_window: Count | None = Field(default=None, description="Tokens a sliding-window layer attends to.")
    full_attention_every: Count | None = Field(
        default=None,
        description="With sliding_window: one layer in this many attends to the whole context and the others "
        "to the window (Gemma 2: 2, Gemma 3: 6); null means every layer uses the window.",
    )
    attention_chunk: Count | None = Field(
        default=None,
        description="Tokens per chunk of a chunked-attention layer, which attends within its chunk only (Llama 4: "
        "8192); with full_attention_every, one layer in that many attends to the whole context.",
    )
    kv_lora_rank: Count | None = Field(default=None, description="MLA latent KV rank (DeepSeek).")
    qk_rope_head_dim: Count | None = Field(default=None, description="MLA decoupled RoPE head dim.")
    index_heads: Count | None = Field(
        default=None, description="DeepSeek sparse attention: heads of the lightning indexer (V3.2: 64)."
    )
    index_head_dim: Count | None = Field(default=None, description="DeepSeek sparse attention: indexer head dim.")
    index_top_k: Count | None = Field(
        default=None, description="DeepSeek sparse attention: tokens each query attends to (V3.2: 2048)."
    )
    attention_layers: Count | None = Field(
        default=None,
        description="Hybrid models: layers that keep a KV cache (full, sliding-window or chunked attention); the "
        "other layers are recurrent_layers. Null: every layer is an attention layer.",
    )
    recurrent_kind: RecurrentKind | None = Field(
        default=None, description="What the layers without a KV cache are: their memory is a fixed state per sequence."
    )
    recurrent_layers: Count | None = Field(default=None, description="Layers of recurrent_kind.")
    state_heads: Count | None = Field(
        default=None, description="Heads of a recurrent layer (linear attention value heads, Mamba-2 heads)."
    )
    state_head_dim: Count | None = Field(
        default=None, description="Head dim of a recurrent layer's state (linear attention key dim, Mamba-2 head dim)."
    )
    state_size: Count | None = Field(
        default=None,
        description="Per-head state width: linear attention value dim, or Mamba-2's ssm_state_size (d_state).",
    )
    state_groups: Count | None = Field(
        default=None,
        description="Groups sharing a recurrent layer's B and C (Mamba-2 n_groups) or key heads of a Gated DeltaNet "
        "layer (linear_num_key_heads); their keys add to the convolution state.",
    )
    conv_kernel: Count | None = Field(default=None, description="Short convolution kernel length (a rolling state).")
    full_attention_kv_heads: Count | None = Field(
        default=None,
        description="KV heads of the full-attention layers when they differ from the sliding-window layers' kv_heads "
        "(Gemma 4: num_global_key_value_heads).",
    )
    full_attention_head_dim: Count | None = Field(
        default=None,
        description="Head dim of the full-attention layers when it differs from head_dim (Gemma 4: global_head_dim).",
    )
    kv_shared_layers: Annotated[int, Field(ge=0)] | None = Field(
        default=None,
        description="Last layers that reuse an earlier layer's KV cache and keep none of their own (Gemma 3n and "
        "Gemma 4 E2B/E4B: num_kv_shared_layers).",
    )
    mtp_layers: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="Multi-token-prediction layers shipped with the weights (DeepSeek V3: 1)."
    )
    tie_word_embeddings: bool | None = None


RepoName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]+/[A-Za-z0-9._-]+$")]
QuantName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,24}$")]


class Download(Strict):
    """A repository of ready-made files for local runtimes, and the quantizations it holds."""

    repo: RepoName = Field(description="Hugging Face repository, owner/name.")
    format: Literal["gguf", "mlx"]
    quants: dict[QuantName, Annotated[float, Field(gt=0)] | None] = Field(
        min_length=1,
        description="The quantizations the repository holds, as its files name them (Q4_K_M, Q8_0, MXFP4; MLX: "
        "4bit, 8bit), each with its size in GB as the repository lists it (null when not read). For a split GGUF "
        "the size is all its parts.",
    )


class Score(Strict):
    score: Annotated[float, Field(ge=0)]
    source: HttpsUrl
    setting: ShortText | None = Field(
        default=None,
        description="Evaluation setting: shots, thinking or non-thinking, pass@k, version, 'base model' for a base "
        "model's score, e.g. '5-shot' or 'thinking, pass@1, v6'.",
    )
    kind: SourceKind = "publisher"
    as_of: Date | None = Field(
        default=None,
        description="When the score was published or read (leaderboards change: LMArena, Artificial Analysis).",
    )


class ModelFacts(Strict):
    """Facts a family may set as defaults for its models (every field optional here)."""

    licence: Id | None = None
    architecture: Architecture | None = None
    kind: Kind | None = None
    context_length: Count | None = None
    modalities: Modalities | None = None
    tool_calling: bool | None = None
    use_cases: list[UseCase] | None = None


HubName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")]
NamePattern = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._*?-]{1,100}$")]


class HubWatch(Strict):
    """One place on the Hugging Face Hub where a family's releases appear (python -m generator watch)."""

    org: HubName = Field(description="The publisher's organisation (or user) on the Hub, e.g. Qwen, deepseek-ai.")
    names: list[NamePattern] = Field(
        default_factory=lambda: ["*"],
        min_length=1,
        description="Which of the organisation's repositories belong to this family: shell-style patterns matched "
        "against the repository's name without the organisation, ignoring case (e.g. 'gemma-*'); '*' takes all.",
    )
    ignore: list[NamePattern] = Field(
        default_factory=list,
        description="Names never reported, though they match `names` (e.g. research checkpoints the atlas does not "
        "cover, or another family sharing the organisation).",
    )


class Family(Strict):
    """catalog/families/<id>.yaml: a model family and the defaults its models inherit."""

    name: ShortText
    publisher: ShortText
    country: ShortText | None = Field(default=None, description="Where the publisher is based; null when unsourced.")
    description: Text
    history: Text | None = None
    strengths: list[ShortText] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    common_mistakes: list[Text] = Field(
        default_factory=list, description="Errors popular guides make about this family, each with the truth."
    )
    defaults: ModelFacts = Field(default_factory=ModelFacts)
    sources: list[Source] = Field(
        default_factory=list, description="Sources for the family's defaults (fields in `supports`)."
    )
    watch: list[HubWatch] = Field(
        default_factory=list,
        description="Where the family's releases appear on the Hugging Face Hub: the weekly watch lists what is "
        "new there and drafts it for the catalog.",
    )


class Model(Strict):
    """catalog/models/<family>/<id>.yaml: one model variant. The id and family are its path."""

    name: ShortText = Field(description="Display name.")
    release_date: Sourced[Date | None] = Field(description="First public release of the weights, YYYY-MM-DD.")
    licence: Sourced[Id | None] = Field(default=None, description="Licence id (file under catalog/licences/).")
    kind: Kind | None = Field(default=None, description="base, instruct, reasoning, code, vision, embedding or speech.")
    architecture: Sourced[Architecture | None] = Field(default=None, description="dense or moe (mixture of experts).")
    params_b: Sourced[Annotated[float, Field(gt=0)] | None] = Field(description="Total parameters, billions.")
    active_params_b: Sourced[Annotated[float, Field(gt=0)] | None] = Field(
        default=None,
        description="Parameters used per token, billions (MoE); equals params_b for dense models (filled in when "
        "left out).",
    )
    context_length: Sourced[Count | None] = Field(default=None, description="Officially supported context, tokens.")
    context_note: Text | None = None
    modalities: Sourced[Modalities | None] = Field(default=None, description="Input and output modalities.")
    tool_calling: Sourced[bool | None] = Field(
        default=None, description="Native function/tool calling documented by the publisher."
    )
    hf_repo: Sourced[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]+/[A-Za-z0-9._-]+$")] | None] = Field(
        description="Official Hugging Face repository, owner/name."
    )
    ollama_tag: Sourced[Annotated[str, StringConstraints(pattern=r"^[a-z0-9._/-]+(:[a-z0-9._-]+)?$")] | None] = Field(
        default=None, description="Tag in Ollama's library, when one exists."
    )
    config: Sourced[Config] = Field(default_factory=Config, description="Architecture numbers from config.json.")
    downloads: Sourced[list[Download]] = Field(
        default_factory=list,
        description="Ready-made GGUF and MLX repositories of this model (the publisher's own, ggml-org, unsloth, "
        "bartowski, lmstudio-community, mlx-community): the commands the atlas writes download from them.",
    )
    weights_precision: Sourced[WeightsPrecision | None] = Field(
        default=None, description="The precision the publisher releases the weights in (BF16, FP8, MXFP4, …)."
    )
    gated: Sourced[bool | None] = Field(
        default=None,
        description="Whether the official repository asks you to accept terms before downloading (a property of "
        "the repository, not of the licence).",
    )
    vision_encoder_params_b: Sourced[Annotated[float, Field(gt=0)] | None] = Field(
        default=None, description="Parameters of the vision encoder, billions (part of params_b)."
    )
    audio_encoder_params_b: Sourced[Annotated[float, Field(gt=0)] | None] = Field(
        default=None, description="Parameters of the audio encoder, billions (part of params_b)."
    )
    benchmarks: dict[BenchmarkName, Score] = Field(
        default_factory=dict, description="Benchmark name -> score with its source."
    )
    description: Text
    strengths: list[ShortText] = Field(default_factory=list)
    use_cases: list[UseCase] | None = Field(default=None, description="Tasks the model suits.")
    sources: list[Source] = Field(min_length=1)
    verified: Date = Field(description="When the facts were last checked against their sources.")


# ---------------------------------------------------------------- hardware


# GPU generations as runtimes' support tables name them (vLLM's quantization table: Volta ... Hopper, AMD GPU).
GpuArchitecture = Literal[
    "volta",
    "turing",
    "ampere",
    "ada",
    "hopper",
    "blackwell",
    "cdna2",
    "cdna3",
    "cdna4",
    "rdna3",
    "rdna3.5",
    "rdna4",
    "xe2",
    "apple-silicon",
]


class Hardware(Strict):
    """catalog/hardware/<id>.yaml: a GPU or machine a model can run on, with its memory and bandwidth."""

    name: ShortText
    kind: HardwareKind = Field(
        description="gpu: discrete GPU memory; unified: CPU and GPU share memory (Apple silicon); cpu: system RAM."
    )
    vendor: ShortText
    segment: Literal["consumer", "workstation", "data-centre", "laptop-desktop"] = Field(
        description="Who buys it: consumer GPUs, data-centre accelerators, personal computers."
    )
    memory_gb: Sourced[Annotated[float, Field(gt=0)]] = Field(
        description="Memory as the spec sheet states it (GPU and Apple sheets mean GiB, 2^30 bytes)."
    )
    usable_memory_gb: Sourced[Annotated[float, Field(gt=0)] | None] = Field(
        default=None,
        description="Memory a model may use when less than memory_gb (e.g. macOS's default GPU limit, or "
        "system RAM minus the operating system); null means all of it.",
    )
    bandwidth_gb_s: Sourced[Annotated[float, Field(gt=0)] | None] = Field(description="Peak memory bandwidth, GB/s.")
    power_w: Sourced[Annotated[float, Field(gt=0)] | None] = Field(
        default=None,
        description="What it draws at full load in watts (a GPU's total board power); used for electricity cost.",
    )
    architecture: Sourced[GpuArchitecture | None] = Field(
        default=None,
        description="The GPU generation, as runtimes' support tables name it (NVIDIA Ampere = compute capability "
        "8.0/8.6, Ada = 8.9, Hopper = 9.0, Blackwell = 10.x/12.x; AMD CDNA 3 = gfx942, CDNA 4 = gfx950); it decides "
        "which weight precisions GPU runtimes run natively.",
    )
    bf16_tflops: Sourced[Annotated[float, Field(gt=0)] | None] = Field(
        default=None,
        description="Dense BF16 (or FP16) tensor throughput, TFLOPS, without structured sparsity; prefill is bound by it.",
    )
    note: Text | None = None
    sources: list[Source] = Field(min_length=1)
    verified: Date


# ---------------------------------------------------------------- prices

PriceKind = Literal["purchase", "rental", "api", "electricity"]
# The amount fields each kind of price states (and no others); a check holds files to this.
PRICE_FIELDS: dict[str, tuple[str, ...]] = {
    "purchase": ("hardware", "usd"),
    "rental": ("hardware", "usd_per_hour"),
    "api": ("input_usd_per_m", "output_usd_per_m"),
    "electricity": ("usd_per_kwh",),
}
Usd = Annotated[float, Field(gt=0, strict=False)]


class Price(Strict):
    """catalog/prices/<id>.yaml: what one thing costs, as a seller stated it on a date.

    purchase: buying a machine in catalog/hardware (usd); rental: renting one by the hour (usd_per_hour);
    api: a paid API per million tokens (input_usd_per_m, output_usd_per_m; `model` when it serves a catalog
    model); electricity: a price per kWh for a region.
    """

    kind: PriceKind
    name: ShortText = Field(description="What is priced, as a reader would say it.")
    seller: ShortText = Field(description="Who sells at this price (vendor, cloud, API provider, or statistics body).")
    hardware: Id | None = Field(default=None, description="purchase and rental: the catalog/hardware id.")
    model: Id | None = Field(default=None, description="api: the catalog model it serves, if it is one.")
    usd: Sourced[Usd | None] = None
    usd_per_hour: Sourced[Usd | None] = None
    input_usd_per_m: Sourced[Usd | None] = Field(default=None, description="api: USD per million input tokens.")
    output_usd_per_m: Sourced[Usd | None] = Field(default=None, description="api: USD per million output tokens.")
    usd_per_kwh: Sourced[Usd | None] = None
    as_of: Date | None = Field(
        description="When the price held (the date of the price list or announcement); null when no source dates it."
    )
    note: Text | None = None
    sources: list[Source] = Field(min_length=1)
    verified: Date


# ---------------------------------------------------------------- runtimes

WeightFormat = Literal["gguf", "safetensors", "awq", "gptq", "exl2", "mlx", "fp8", "bitsandbytes", "onnx"]
Platform = Literal["linux", "macos", "windows", "docker"]
Accelerator = Literal["nvidia", "amd", "apple", "intel", "cpu"]
# A quickstart command fills these from the model file; nothing else in it is interpreted.
PLACEHOLDERS = ("{hf_repo}", "{ollama_tag}")


class Quickstart(Strict):
    """How to run one model with this runtime: a command with {hf_repo} or {ollama_tag} filled in."""

    needs: Literal["hf_repo", "ollama_tag"] = Field(description="The model field the command needs.")
    kinds: list[Kind] = Field(min_length=1, description="Model kinds the command works for.")
    language: Literal["bash", "python"] = "bash"
    command: Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=r"^[^`]*$")] = Field(
        description="Shown as a code block; no backticks. {hf_repo} / {ollama_tag} are replaced by the model's."
    )


class Runtime(Strict):
    """catalog/runtimes/<id>.yaml: software that runs open models (or a front end to those that do)."""

    name: ShortText
    kind: Literal["runtime", "front-end"] = Field(
        description="runtime: loads and runs weights; front-end: a UI over runtimes."
    )
    description: Text
    homepage: HttpsUrl
    repo: HttpsUrl | None = None
    licence: Sourced[ShortText] = Field(
        description="SPDX id of the software's licence, or a short phrase when it has none."
    )
    formats: Sourced[list[WeightFormat]] = Field(description="Weight formats it loads.")
    platforms: Sourced[list[Platform]]
    accelerators: Sourced[list[Accelerator]]
    openai_compatible_api: Sourced[bool] = Field(
        description="Serves an OpenAI-compatible HTTP API (/v1/chat/completions)."
    )
    quickstart: Sourced[Quickstart | None] = None
    flags: Sourced[list[Annotated[str, StringConstraints(pattern=r"^--?[a-z0-9][a-z0-9-]*$")]]] = Field(
        default_factory=list,
        description="Command-line options its documentation lists that the atlas's commands may use; every "
        "option a generated command contains must be one of them.",
    )
    environment: Sourced[list[Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$")]]] = Field(
        default_factory=list,
        description="Environment variables its documentation lists that the atlas's commands may set.",
    )
    precisions: Sourced[dict[WeightsPrecision, list[GpuArchitecture]]] = Field(
        default_factory=dict,
        description="Release precisions of safetensors weights it serves, and the GPU generations it serves each "
        "on (from its documented support table); a GPU runtime offers a model's own release weights only there.",
    )
    sources: list[Source] = Field(min_length=1)
    verified: Date


class GlossaryTerm(Strict):
    term: Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=r"^[^\]\[\n*]+$")]
    definition: Annotated[str, StringConstraints(min_length=1, max_length=400, pattern=r"^[^\n]+$")] = Field(
        description="One plain sentence or two, on one line: it is also the hover text wherever the term appears."
    )
    more: Annotated[str, StringConstraints(pattern=r"^[a-z0-9./_-]+\.md(#[a-z0-9-]+)?$")] | None = Field(
        default=None, description="A page of the site that explains it further, e.g. guides/reading-model-names.md."
    )


class Glossary(Strict):
    """catalog/glossary.yaml: the terms the site uses, defined once: the Glossary page and hover definitions."""

    terms: list[GlossaryTerm] = Field(min_length=1)


# ---------------------------------------------------------------- watch reports


class GgufFile(Strict):
    name: ShortText = Field(description="The file's path in the repository.")
    bytes: Count


class UpstreamRelease(Strict):
    """A repository the watch found upstream and the catalog does not hold, with what its metadata says."""

    repo: RepoName
    created: Date = Field(description="When the repository was created on the Hub (not always the release day).")
    revision: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{40}$")] | None = Field(
        default=None, description="The commit the facts were read at."
    )
    gated: Literal["no", "auto", "manual"] | None = Field(
        default=None, description="Whether downloading asks you to accept terms (auto: at once; manual: reviewed)."
    )
    licence: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._+-]{0,63}$")] | None = Field(
        default=None, description="The licence tag of the model card's metadata (other: a licence of its own)."
    )
    licence_name: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._+-]{0,63}$")] | None = Field(
        default=None, description="The card's license_name, when the tag is 'other'."
    )
    pipeline: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,64}$")] | None = None
    params: Count | None = Field(default=None, description="Total parameters, from the safetensors metadata.")
    config: Config | None = Field(default=None, description="The numbers config.json gives; null when unread.")
    gguf_repo: RepoName | None = Field(default=None, description="The publisher's own GGUF repository of it.")
    gguf: list[GgufFile] = Field(default_factory=list)
    notes: list[ShortText] = Field(default_factory=list, description="What could not be read, and why.")


class NotChecked(Strict):
    what: ShortText = Field(description="The organisation or repository.")
    reason: ShortText


class WatchReport(Strict):
    """catalog/watch/<family>.yaml: what the last watch found on the Hub for a family (written by
    `python -m generator watch`; do not edit by hand)."""

    checked: Date = Field(description="The day the watch ran.")
    since: Date | None = Field(
        description="Repositories created on or after this day were looked at (a month before the family's newest "
        "catalogued release); null: the family has no dated release, so all were."
    )
    watched: list[HubName] = Field(description="The organisations listed.")
    releases: list[UpstreamRelease] = Field(default_factory=list)
    skipped: dict[Literal["catalogued", "quantized", "adapter", "other-family", "ignored", "malformed"], Count] = Field(
        default_factory=dict, description="Repositories passed over, by reason."
    )
    not_checked: list[NotChecked] = Field(default_factory=list)


# File kinds: folder under catalog/ -> schema. A kind whose files come in variants names the key telling
# them apart in FILE_VARIANTS: kind -> (key, value when the key is absent, {value: schema}).
FILE_VARIANTS: dict[str, tuple[str, str, dict[str, type[Strict]]]] = {
    "runs": ("source", "bench", {"bench": Run, "lm-eval": HarnessRun, "speed": SpeedRun, "llama-bench": SpeedRun}),
}
FILE_KINDS: dict[str, type[Strict]] = {
    "licences": Licence,
    "families": Family,
    "models": Model,
    "hardware": Hardware,
    "prices": Price,
    "runtimes": Runtime,
    "suites": Suite,
    "runs": Run,
    "watch": WatchReport,
}
