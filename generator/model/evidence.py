"""Quality from cited evidence: per model and task, how its benchmark scores place it against comparable scores.

The rules (generator/model/ranking.yaml) name each task's benchmarks and weights and say which scores can be
compared: same benchmark, same mode (thinking or not) and same version. Within such a class of at least
`min_class_size` scores from `min_class_families` families (one publisher's table alone places a model only
among its siblings), a score's place is its mid-rank percentile (0 worst, 1 best; ties share). A model's
quality for a task is the weighted mean of its places, shrunk toward 0.5 by `prior_weight`:

    quality = (sum of w x p + 0.5 x prior) / (sum of w + prior),   w = benchmark weight x independent x unstated

so one score moves it less than four that agree. A model with no comparable score for a task has no quality
there, and the selector places it in its own band, below, by size and recency (selector.py).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from ..catalog.fields import BENCHMARKS
from ..catalog.resolve import Catalog

RULES_FILE = Path(__file__).with_name("ranking.yaml")
UNSTATED = "version not stated"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Weighted(_Strict):
    benchmark: str
    weight: float = Field(gt=0)


class Version(_Strict):
    label: str
    pattern: str


class Rules(_Strict):
    tasks: dict[str, list[Weighted]]
    lower_is_better: list[str]
    modes: dict[str, str]
    base_model: str
    versions: dict[str, list[Version]]
    min_class_size: int = Field(ge=2)
    min_class_families: int = Field(ge=1)
    independent_weight: float = Field(gt=0)
    unstated_weight: float = Field(gt=0)
    prior_weight: float = Field(ge=0)
    format_cost_per_ppl: float = Field(ge=0)
    slow_penalty: float = Field(ge=0)

    def check(self, task_keys: tuple[str, ...]) -> Rules:
        named = {w.benchmark for ws in self.tasks.values() for w in ws} | set(self.versions) | set(self.lower_is_better)
        unknown = sorted(named - set(BENCHMARKS))
        if unknown:
            raise ValueError(f"{RULES_FILE.name}: benchmarks not in the catalog's list: {', '.join(unknown)}")
        if set(self.tasks) != set(task_keys):
            raise ValueError(f"{RULES_FILE.name}: tasks must be exactly {', '.join(task_keys)}")
        return self


@cache
def rules(task_keys: tuple[str, ...]) -> Rules:
    return Rules.model_validate(yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))).check(task_keys)


@dataclass(frozen=True)
class Score:
    """One benchmark score of one model, with the class it is compared in and its place there (None: no class)."""

    model: str
    family: str
    benchmark: str
    value: float
    setting: str
    kind: str  # publisher or independent
    mode: str
    version: str
    place: float | None = None

    @property
    def label(self) -> str:
        """The comparison class in words, e.g. 'v5 (2024-08 to 2025-05), thinking'."""
        return f"{self.version}, {self.mode}"


def _mode(setting: str, model_kind: str | None, r: Rules) -> str:
    for mode in ("non-thinking", "thinking"):
        if re.search(r.modes[mode], setting, re.IGNORECASE):
            return mode
    return "thinking" if model_kind == "reasoning" else "non-thinking"


def _version(benchmark: str, setting: str, r: Rules) -> str:
    for v in r.versions.get(benchmark, []):
        if re.search(v.pattern, setting, re.IGNORECASE):
            return v.label
    return UNSTATED if benchmark in r.versions else "as published"


def scores(catalog: Catalog, r: Rules) -> list[Score]:
    """Every usable score in the catalog with its place in its class (base-model scores of other models left out)."""
    found = []
    for model_id, entry in catalog.models.items():
        m = entry.model
        for benchmark, published in (m.benchmarks or {}).items():
            setting = published.setting or ""
            if m.kind != "base" and re.search(r.base_model, setting, re.IGNORECASE):
                continue
            found.append(
                Score(
                    model_id,
                    entry.family_id,
                    benchmark,
                    published.score,
                    setting,
                    published.kind,
                    _mode(setting, m.kind, r),
                    _version(benchmark, setting, r),
                )
            )
    classes: dict[tuple[str, str, str], list[Score]] = {}
    for s in found:
        classes.setdefault((s.benchmark, s.mode, s.version), []).append(s)
    placed = []
    for (benchmark, _, _), members in classes.items():
        sign = -1 if benchmark in r.lower_is_better else 1
        ordered = sorted(sign * o.value for o in members)  # places by bisection: n log n for a large catalog
        comparable = len(members) >= r.min_class_size and len({o.family for o in members}) >= r.min_class_families
        for s in members:
            place = None
            if comparable:
                below = bisect.bisect_left(ordered, sign * s.value)
                ties = bisect.bisect_right(ordered, sign * s.value) - below
                place = round((below + ties / 2) / len(members), 4)
            placed.append(Score(**{**s.__dict__, "place": place}))
    return placed


@dataclass(frozen=True)
class Quality:
    """A model's evidence for one task: its quality (0-1), the scores it rests on and how many are independent."""

    quality: float
    used: tuple[Score, ...]  # comparable scores, the task's benchmarks in the rules' order
    shown: tuple[Score, ...]  # scores of the task's benchmarks that could not be compared (shown, greyed)

    @property
    def independent(self) -> int:
        return sum(1 for s in self.used if s.kind == "independent")


def qualities(catalog: Catalog, task_keys: tuple[str, ...]) -> dict[str, dict[str, Quality]]:
    """model id -> task -> Quality, for every model with at least one comparable score for that task."""
    r = rules(task_keys)
    by_model: dict[str, dict[str, Score]] = {}
    for placed in scores(catalog, r):
        by_model.setdefault(placed.model, {})[placed.benchmark] = placed
    out: dict[str, dict[str, Quality]] = {}
    for model_id, held in by_model.items():
        for task, weighted in r.tasks.items():
            used: list[Score] = []
            shown: list[Score] = []
            total = weights = 0.0
            for w in weighted:
                if (s := held.get(w.benchmark)) is None:
                    continue
                if s.place is None:
                    shown.append(s)
                    continue
                weight = w.weight * (r.independent_weight if s.kind == "independent" else 1)
                weight *= r.unstated_weight if s.version == UNSTATED else 1
                total += weight * s.place
                weights += weight
                used.append(s)
            if used:
                quality = round((total + 0.5 * r.prior_weight) / (weights + r.prior_weight), 4)
                out.setdefault(model_id, {})[task] = Quality(quality, tuple(used), tuple(shown))
    return out
