"""The ranking's evidence (generator/model/evidence.py): only like is compared with like, and every rule in
generator/model/ranking.yaml holds on the catalog."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from generator.catalog import authored, resolve
from generator.model import evidence, selector

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def catalog():
    return resolve.resolve(authored.read_authored(ROOT / "catalog"))


@pytest.fixture(scope="module")
def rules():
    return evidence.rules(selector.TASK_KEYS)


def test_scores_are_placed_only_in_classes_of_like_scores(catalog, rules):
    placed = evidence.scores(catalog, rules)
    classes = defaultdict(list)
    for s in placed:
        classes[(s.benchmark, s.mode, s.version)].append(s)
    assert sum(1 for s in placed if s.place is not None) > 500
    for members in classes.values():
        enough = len(members) >= rules.min_class_size and len({s.family for s in members}) >= rules.min_class_families
        assert all((s.place is not None) == enough for s in members)
        if enough:  # a better score has a higher place, whichever way the benchmark counts
            sign = -1 if members[0].benchmark in rules.lower_is_better else 1
            ordered = sorted(members, key=lambda s: sign * s.value)
            assert [s.place for s in ordered] == sorted(s.place for s in ordered)


def test_modes_and_versions_are_read_from_the_setting(catalog, rules):
    by = {(s.model, s.benchmark): s for s in evidence.scores(catalog, rules)}
    assert by[("qwen3-32b", "LiveCodeBench")].mode == "thinking"
    assert by[("qwen3-32b", "LiveCodeBench")].version.startswith("v5")
    assert by[("qwen3-235b-a22b-instruct-2507", "AIME 2025")].mode == "non-thinking"
    assert by[("llama-3.1-8b-instruct", "MMLU")].version == "5-shot"


def test_a_base_models_score_never_stands_in_for_an_instruct_model(catalog, rules):
    used = {(s.model, s.benchmark) for s in evidence.scores(catalog, rules)}
    found = 0
    for model_id, entry in catalog.models.items():
        for name, score in entry.model.benchmarks.items():
            if entry.model.kind != "base" and "base model" in (score.setting or "").lower():
                found += 1
                assert (model_id, name) not in used
    assert found, "the catalog has an instruct model quoting its base model's score"


def test_quality_grows_with_agreeing_evidence(catalog):
    """Shrinkage: one top score counts for less than several."""
    found = evidence.qualities(catalog, selector.TASK_KEYS)
    one = [q for t in found.values() for q in t.values() if len(q.used) == 1]
    assert one and all(abs(q.quality - 0.5) < 0.5 * 3 / 4 for q in one)  # weight <= 3 x 2 against a prior of 3
    for tasks in found.values():
        for q in tasks.values():
            assert 0 < q.quality < 1


def test_the_rules_name_only_the_catalogs_benchmarks_and_every_task(rules):
    assert set(rules.tasks) == set(selector.TASK_KEYS)
    with pytest.raises(ValueError, match="not in the catalog's list"):
        evidence.Rules.model_validate({**rules.model_dump(), "lower_is_better": ["No Such Bench"]}).check(
            selector.TASK_KEYS
        )
