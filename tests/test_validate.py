"""`python -m generator validate`: every problem at once, as path:line:col: message, exit 1."""

from __future__ import annotations

from helpers import APACHE, FAMILY, LICENCE, minimal_catalog, model_yaml, run_generator

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
catalog/families/broken.yaml:4:1: unknown key 'motto'; allowed: name, publisher, country, description, history, strengths, links, common_mistakes, defaults, sources, watch
catalog/licences/apache-2.0.yaml:10:24: 'acceptable_use_policy' has no source: add it to the 'supports' of a source
catalog/licences/apache-2.0.yaml:15:32: 'colour' is not a licence term; use one of acceptable_use_policy, attribution, commercial_use, commercial_use_note, common_mistakes, gated_download, output_training_restriction, redistribution, redistribution_note, spdx, summary, territory_restriction, user_cap
catalog/licences/broken.yaml:5:17: commercial_use: 'maybe' is not allowed; use one of 'yes', 'no' or 'conditional'
catalog/models/example/Bad_Name.yaml:1:1: file name 'Bad_Name' must use lowercase letters, digits, '.' and '-'
catalog/models/example/dup.yaml:2:1: duplicate key 'name'
catalog/models/example/implausible.yaml:2:15: release date 2999-01-01 is in the future
catalog/models/example/implausible.yaml:6:17: context length 128,000 is not a known context size (128K is usually 131,072 tokens): check config.json, or explain it in context_note
catalog/models/example/implausible.yaml:8:10: hf_repo 'example/Example-8B-Instruct' is already used by catalog/models/example/example-8b-instruct.yaml
catalog/models/example/implausible.yaml:10:9: an MoE model needs config.experts and config.experts_per_token
catalog/models/example/implausible.yaml:15:22: 'colour' is not a field a source can support; use one of active_params_b, architecture, audio_encoder_params_b, config, context_length, context_note, description, downloads, gated, hf_repo, kind, licence, modalities, ollama_tag, params_b, release_date, tool_calling, use_cases, vision_encoder_params_b, weights_precision
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
    assert (
        result.stdout.strip()
        == "catalog OK: 2 models, 1 families, 2 licences, 0 machines, 0 prices, 0 runtimes, 0 suites, 0 runs"
    )


def test_everything_wrong_reports_every_problem_exactly(write_catalog):
    root = write_catalog(EVERYTHING_WRONG)
    result = run_generator("validate", root=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[-1] == f"{len(lines) - 1} problem(s) found"
    assert "\n".join(lines[:-1]) + "\n" == EXPECTED


def _problems(write_catalog, files: dict[str, str]) -> list[str]:
    result = run_generator("validate", root=write_catalog({**minimal_catalog(), **files}))
    assert "Traceback" not in result.stderr
    return result.stderr.splitlines()[:-1]


# A Llama-3-8B-shaped config: implies 7.5-8.0B parameters (two- or three-matrix MLP).
FULL_CONFIG = (
    "{layers: 32, hidden_size: 4096, intermediate_size: 14336, attention_heads: 32, kv_heads: 8,"
    " vocab_size: 128256, tie_word_embeddings: false}"
)


def test_parameters_are_checked_against_the_config(write_catalog):
    ok = model_yaml("Right 8B", params_b="8.03", config=FULL_CONFIG)
    wrong = model_yaml("Wrong 8B", params_b="12", config=FULL_CONFIG)
    problems = _problems(write_catalog, {"models/example/right.yaml": ok, "models/example/wrong.yaml": wrong})
    assert problems == [
        "catalog/models/example/wrong.yaml:5:11: 12B parameters, but the config numbers imply 6.15–8.03B "
        "(more than 15% apart): check params_b and config"
    ]


def test_context_must_be_a_known_size_unless_explained(write_catalog):
    odd = model_yaml("Odd", context_length="1500")
    explained = model_yaml("Explained", context_length="1500", context_note="An unusual but real size.")
    problems = _problems(write_catalog, {"models/example/odd.yaml": odd, "models/example/explained.yaml": explained})
    assert problems == [
        "catalog/models/example/odd.yaml:6:17: context length 1,500 is not a known context size: "
        "check config.json, or explain it in context_note"
    ]


def test_a_size_with_another_licence_must_say_why(write_catalog):
    big = model_yaml("Example 70B Instruct", licence="apache-2.0", sources=_SOURCES_WITH_LICENCE)
    problems = _problems(
        write_catalog, {"models/example/big.yaml": big, "models/example/small.yaml": model_yaml("Example 3B Instruct")}
    )
    assert problems == [
        "catalog/models/example/big.yaml:17:10: licence 'apache-2.0' differs from other sizes of this line: "
        "Example 3B Instruct (example), Example 8B Instruct (example); if that is right, say so in the note of "
        "the source that supports 'licence'"
    ]
    noted = _SOURCES_WITH_LICENCE + "\n    note: Unlike the smaller sizes, the 70B is under Apache 2.0."
    big = model_yaml("Example 70B Instruct", licence="apache-2.0", sources=noted)
    assert _problems(write_catalog, {"models/example/big.yaml": big}) == []
    # two sizes, two licences: neither is the usual one, so each must say why
    (write_catalog({}) / "catalog/models/example/small.yaml").unlink()
    tie = _problems(
        write_catalog,
        {
            "models/example/big.yaml": model_yaml(
                "Example 70B Instruct", licence="apache-2.0", sources=_SOURCES_WITH_LICENCE
            )
        },
    )
    assert [line.split(":")[0] for line in tie] == [
        "catalog/models/example/big.yaml",
        "catalog/models/example/example-8b-instruct.yaml",
    ]


_SOURCES_WITH_LICENCE = (
    "\n  - url: https://example.org/big\n    supports: [release_date, kind, architecture, params_b, context_length,"
    " tool_calling, hf_repo, config, licence, ollama_tag]"
)


def test_a_later_version_cannot_predate_an_earlier_one(write_catalog):
    v2 = model_yaml("Example 2 8B", release_date="2024-05-01", hf_repo="example/v2")
    v3 = model_yaml("Example 3 8B", release_date="2024-03-01", hf_repo="example/v3")
    v31 = model_yaml("Example 3.1 8B", release_date="2024-06-01", hf_repo="example/v31")
    problems = _problems(
        write_catalog, {"models/example/v2.yaml": v2, "models/example/v3.yaml": v3, "models/example/v31.yaml": v31}
    )
    assert problems == [
        "catalog/models/example/v3.yaml:2:15: released 2024-03-01, before the earlier version Example 2 8B "
        "(2024-05-01): check both dates"
    ]


def test_a_licence_term_written_as_null_needs_a_source_but_one_left_out_is_unknown(write_catalog):
    """territory_restriction: null says "no territory is excluded", a fact with a source; a licence file that
    leaves the key out has not looked, which is unknown and claims nothing."""
    catalog = minimal_catalog()
    root = write_catalog(catalog)
    assert run_generator("validate", root=root).returncode == 0  # left out: unknown
    catalog["licences/apache-2.0.yaml"] = APACHE.replace(
        "gated_download: false\n", "gated_download: false\nterritory_restriction: null\n"
    )
    root = write_catalog(catalog)
    done = run_generator("validate", root=root)
    assert done.returncode == 1
    assert "catalog/licences/apache-2.0.yaml:" in done.stderr
    assert "'territory_restriction' has no source: add it to the 'supports' of a source" in done.stderr


def test_a_licence_with_a_user_cap_cannot_say_commercial_use_yes(write_catalog):
    """The Licences page's classification rule is checked, not only written: a threshold, a use policy or a
    territory exclusion makes commercial use conditional."""
    files = minimal_catalog()
    files["licences/example.yaml"] = files["licences/example.yaml"].replace(
        "commercial_use: conditional", 'commercial_use: "yes"'
    )
    result = run_generator("validate", root=write_catalog(files))
    assert result.returncode == 1
    assert "catalog/licences/example.yaml:5:17: commercial_use is 'yes' but 'user_cap' is set" in result.stderr
    assert "'acceptable_use_policy' is set" in result.stderr
