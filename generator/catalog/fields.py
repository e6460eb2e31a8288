"""The pieces every catalog schema shares: constrained text, ids, dates, closed vocabularies, the strict
base class, sources, and the mark that makes a field a fact needing a source.

A field is marked once, on the field: `params_b: Sourced[float | None]`. `sourced_fields(Model)` lists the
marked fields, and the checks ask it which facts need a source; the mark is metadata pydantic keeps on the
field and leaves out of the JSON Schema.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

HttpsUrl = Annotated[
    str,
    StringConstraints(pattern=r"^https://[^\s<>\"'`]+$", max_length=2000),
    Field(description="An https: URL a reader can follow."),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=5000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300)]
ID_PATTERN = r"^[a-z0-9][a-z0-9.-]*$"  # a catalog id: also its file name
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
# Dates may be written bare (2024-07-23) or quoted; both mean a calendar date.
Date = Annotated[dt.date, Field(strict=False, description="A calendar date, YYYY-MM-DD.")]
Count = Annotated[int, Field(ge=1)]

Modality = Literal["text", "image", "audio", "video", "embedding"]
Kind = Literal["base", "instruct", "reasoning", "code", "vision", "embedding", "speech"]
UseCase = Literal[
    "chat",
    "coding",
    "reasoning",
    "math",
    "vision",
    "agents",
    "long-context",
    "multilingual",
    "summarisation",
    "extraction",
    "rag",
    "embedding",
    "speech-recognition",
    "on-device",
    "fine-tuning",
]
SourceKind = Literal["publisher", "independent"]
Architecture = Literal["dense", "moe"]
HardwareKind = Literal["gpu", "unified", "cpu"]  # in the order the hardware page lists them
Ternary = Literal["yes", "no", "conditional"]

# Benchmark vocabulary: name -> (what it measures, highest possible score).
BENCHMARKS: dict[str, tuple[str, float]] = {
    "MMLU": ("Multiple-choice knowledge across 57 subjects (accuracy %)", 100),
    "MMLU-Pro": ("Harder 10-option successor of MMLU (accuracy %)", 100),
    "HellaSwag": ("Commonsense sentence completion (accuracy %)", 100),
    "TruthfulQA": ("Avoiding common misconceptions (%)", 100),
    "HumanEval": ("Python function synthesis, pass@1 (%)", 100),
    "MBPP": ("Basic Python programming problems, pass@1 (%)", 100),
    "GSM8K": ("Grade-school math word problems (accuracy %)", 100),
    "MATH": ("Competition mathematics (accuracy %)", 100),
    "GPQA": ("Graduate-level science questions, Diamond set unless noted (accuracy %)", 100),
    "ARC-Challenge": ("Grade-school science questions, challenge set (accuracy %)", 100),
    "IFEval": ("Verifiable instruction following (%)", 100),
    "AIME 2024": ("American Invitational Mathematics Examination 2024 (pass@1 %)", 100),
    "LiveCodeBench": ("Recent competitive programming problems (pass@1 %)", 100),
    "MT-Bench": ("Multi-turn chat judged by GPT-4 (score out of 10)", 10),
    "MTEB": ("Massive Text Embedding Benchmark, average (score)", 100),
    "LibriSpeech WER": ("Word error rate on LibriSpeech test-clean (%; lower is better)", 100),
    # The benchmarks 2025–26 releases report; the setting says the version, mode (thinking or not) and pass@k.
    "SWE-bench Verified": ("Real GitHub issues resolved, 500 human-verified tasks (% resolved)", 100),
    "Terminal-Bench": ("Tasks an agent completes in a terminal (% solved; version in the setting)", 100),
    "Aider Polyglot": ("Code edits in six languages, Aider's polyglot benchmark (% correct)", 100),
    "AIME 2025": ("American Invitational Mathematics Examination 2025 (pass@1 %)", 100),
    "HLE": ("Humanity's Last Exam, text-only unless noted (accuracy %)", 100),
    "IFBench": ("Out-of-distribution verifiable instruction following (%)", 100),
    "BFCL": ("Berkeley Function-Calling Leaderboard, overall (accuracy %; version in the setting)", 100),
    "τ²-bench": ("Agents with tools and a simulated user (pass^1 %; domain in the setting)", 100),
    "BrowseComp": ("Hard questions answered by browsing the web (accuracy %)", 100),
    "MMMU": ("Multi-discipline questions on images, validation set unless noted (accuracy %)", 100),
    "Open ASR WER": ("Average word error rate on the Open ASR Leaderboard (%; lower is better)", 100),
    "LMArena": ("LMArena (formerly Chatbot Arena) text rating, an Elo-style score; the date in as_of", 3000),
}
if TYPE_CHECKING:
    BenchmarkName = str  # a checker cannot read a Literal built from data; pydantic closes it at run time
else:
    BenchmarkName = Literal[tuple(BENCHMARKS)]


class Strict(BaseModel):
    """Base of every catalog record: unknown keys rejected, values typed strictly, immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Source(Strict):
    """Where facts come from. `supports` names the fields this source backs."""

    url: HttpsUrl
    supports: list[Annotated[str, StringConstraints(min_length=1, max_length=80)]] = Field(min_length=1)
    kind: SourceKind = "publisher"
    title: ShortText | None = None
    note: Text | None = None


class Link(Strict):
    title: ShortText
    url: HttpsUrl


# ---------------------------------------------------------------- facts that need a source


class _SourcedMark:
    """Field metadata: the value is a fact, so a source's `supports` must name the field."""

    def __repr__(self) -> str:
        return "SOURCED"


SOURCED = _SourcedMark()
T = TypeVar("T")
Sourced = Annotated[T, SOURCED]


def sourced_fields(schema: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `schema` marked Sourced, in declaration order."""
    return tuple(name for name, info in schema.model_fields.items() if SOURCED in info.metadata)
