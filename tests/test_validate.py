"""`python -m generator validate`: every problem at once, as path:line:col: message, exit 1."""

from __future__ import annotations

from conftest import APACHE, FAMILY, LICENCE, minimal_catalog, model_yaml, run_generator

EVERYTHING_WRONG = {
    # schema and syntax problems
    "licences/example.yaml": LICENCE,
    "licences/apache-2.0.yaml": APACHE.replace("acceptable_use_policy, gated_download]", "gated_download, colour]"),
    "licences/broken.yaml": APACHE.replace('commercial_use: "yes"', "commercial_use: maybe"),
    "families/example.yaml": FAMILY,
    "families/broken.yaml": FAMILY.replace("country: Nowhere", "country: Nowhere\nmotto: hi"),
    "models/example/schema-wrong.yaml": model_yaml(
        "Schema wrong",
        params_b='"8B"',
        benchmarks="{MMLU: {score: 70, source: 'http://example.org/x'}}",
        contxt_note="typo",
        description=None,
    ),
    "models/example/yaml-11.yaml": model_yaml("YAML 1.1", tool_calling="yes"),
    "models/example/Bad_Name.yaml": model_yaml("Bad"),
    "models/example/dup.yaml": "name: a\nname: b\n",
    # valid against the schema, wrong against the checks
    "models/example/implausible.yaml": model_yaml(
        "Implausible",
        architecture="moe",
        params_b="8",
        active_params_b="9",
        context_length="128000",
        release_date="2999-01-01",
        licence="no-such-licence",
        hf_repo="example/Example-8B-Instruct",
        benchmarks="{MMLU: {score: 120, source: 'https://example.org/x'}}",
        sources="\n  - url: https://example.org/x\n    supports: [kind, colour, params_b, active_params_b, architecture,"
        " context_length, release_date, tool_calling, hf_repo, ollama_tag, config, licence]",
    ),
    "models/example/example-8b-instruct.yaml": model_yaml(),
    "models/broken/child.yaml": model_yaml("Child of a broken family", hf_repo="x/child"),
    "models/orphan/orphan-model.yaml": model_yaml("Orphan", hf_repo="orphan/model"),
}

EXPECTED = """\
catalog/families/broken.yaml:4:1: unknown key 'motto'; allowed: name, publisher, country, description, history, strengths, links, defaults, sources
catalog/licences/apache-2.0.yaml:10:24: 'acceptable_use_policy' has no source: add it to the 'supports' of a source
catalog/licences/apache-2.0.yaml:15:32: 'colour' is not a licence term; use one of acceptable_use_policy, attribution, commercial_use, commercial_use_note, gated_download, output_training_restriction, redistribution, spdx, summary, user_cap
catalog/licences/broken.yaml:5:17: commercial_use: 'maybe' is not allowed; use one of 'yes', 'no' or 'conditional'
catalog/models/example/Bad_Name.yaml:1:1: file name 'Bad_Name' must use lowercase letters, digits, '.' and '-'
catalog/models/example/dup.yaml:2:1: duplicate key 'name'
catalog/models/example/implausible.yaml:2:15: release date 2999-01-01 is in the future
catalog/models/example/implausible.yaml:6:17: context length 128,000 looks like a rounded figure (128K is usually 131,072 tokens): check config.json, or explain it in context_note
catalog/models/example/implausible.yaml:8:10: hf_repo 'example/Example-8B-Instruct' is already used by catalog/models/example/example-8b-instruct.yaml
catalog/models/example/implausible.yaml:10:9: an MoE model needs config.experts and config.experts_per_token
catalog/models/example/implausible.yaml:15:22: 'colour' is not a field a source can support; use one of active_params_b, architecture, config, context_length, description, hf_repo, kind, licence, modalities, ollama_tag, params_b, release_date, tool_calling, use_cases
catalog/models/example/implausible.yaml:16:11: verified (2024-08-01) is before the release date (2999-01-01)
catalog/models/example/implausible.yaml:17:18: active parameters (9B) exceed total parameters (8B)
catalog/models/example/implausible.yaml:18:10: licence 'no-such-licence' has no file catalog/licences/no-such-licence.yaml
catalog/models/example/implausible.yaml:19:28: MMLU score 120 is above the maximum 100
catalog/models/example/schema-wrong.yaml:1:1: missing required key 'description'
catalog/models/example/schema-wrong.yaml:5:11: params_b: expected a number, got text '8B'
catalog/models/example/schema-wrong.yaml:18:40: benchmarks.MMLU.source: 'http://example.org/x' is not an https: URL
catalog/models/example/schema-wrong.yaml:19:1: unknown key 'contxt_note' (did you mean 'context_note'?)
catalog/models/example/yaml-11.yaml:7:15: tool_calling: 'yes' is ambiguous (YAML 1.1 read it as a boolean): write true or false, or quote it if you mean the text
catalog/models/orphan/orphan-model.yaml:1:1: family 'orphan' has no file catalog/families/orphan.yaml
"""


def test_clean_catalog_passes(write_catalog):
    root = write_catalog(minimal_catalog())
    result = run_generator("validate", root=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "catalog OK: 2 models, 1 families, 2 licences"


def test_everything_wrong_reports_every_problem_exactly(write_catalog):
    root = write_catalog(EVERYTHING_WRONG)
    result = run_generator("validate", root=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[-1] == f"{len(lines) - 1} problem(s) found"
    assert "\n".join(lines[:-1]) + "\n" == EXPECTED
