"""Contributing by pull request: the annotated example in CONTRIBUTING.md, the new-model scaffold, the
editor schema line on every catalog file, the change summary, git history on the site, and a simulated
contribution end to end (scaffold, check with annotations, build, summary)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import generate_docs, git, make_project, minimal_catalog, run_generator, write_tree

from generator.catalog.diff import compare
from generator.catalog.load import load_catalog
from generator.catalog.scaffold import ScaffoldError, new_model
from generator.render.changes import markdown

ROOT = Path(__file__).resolve().parent.parent
HF_CONFIG = {
    "_name_or_path": "example/Example-3B-Instruct",
    "architectures": ["LlamaForCausalLM"],
    "hidden_size": 3072,
    "intermediate_size": 8192,
    "max_position_embeddings": 131072,
    "num_attention_heads": 24,
    "num_hidden_layers": 28,
    "num_key_value_heads": 8,
    "tie_word_embeddings": True,
    "vocab_size": 128256,
}
FILLED = {  # what a contributor writes on the FILL lines of a new-model skeleton
    "name": "name: Example 3B Instruct",
    "description": "description: A small test model.",
    "url": "  - url: https://example.org/example-3b",
    "supports": "    supports: [config]",
    "verified": "verified: 2024-08-01",
}


def fill(path: Path) -> None:
    lines = []
    for line in path.read_text().splitlines():
        key = line.strip().lstrip("- ").split(":")[0]
        lines.append(FILLED[key] if "# FILL:" in line else line)
    path.write_text("\n".join(lines) + "\n")


def problems_of(project: Path) -> list:
    return load_catalog(project / "catalog", project)[1]


def test_the_annotated_example_in_contributing_validates(tmp_path):
    text = (ROOT / "CONTRIBUTING.md").read_text()
    block = re.search(r"annotated-example:start -->\n```yaml\n(.*?)```\n<!-- annotated-example:end", text, re.S)
    assert block, "CONTRIBUTING.md lost its annotated example"
    example = block.group(1)
    assert example.startswith("# yaml-language-server: $schema=../../schema/model.json\n")
    catalog = {f"catalog/{k}": v for k, v in minimal_catalog().items() if not k.startswith("models/")}
    catalog["catalog/models/example/example-7b-instruct.yaml"] = example
    project = write_tree(tmp_path, catalog)
    assert problems_of(project) == []
    keys = [line.split(":")[0] for line in example.splitlines() if re.match(r"^[a-z_]+:", line)]
    from generator.catalog.schema import Model

    assert set(keys) == set(Model.model_fields)  # every key of a model file is shown and explained


@pytest.mark.parametrize("hf", [None, HF_CONFIG])
def test_new_model_skeleton_fails_only_on_its_fill_lines(tmp_path, hf):
    project = write_tree(tmp_path, {f"catalog/{k}": v for k, v in minimal_catalog().items()})
    config = None
    if hf:
        config = tmp_path / "config.json"
        config.write_text(json.dumps(hf))
    path, notes = new_model(project, "example/example-3b-instruct", config)
    assert notes == [] and path == project / "catalog" / "models" / "example" / "example-3b-instruct.yaml"
    text = path.read_text()
    fill_lines = {i for i, line in enumerate(text.splitlines(), 1) if "# FILL:" in line}
    found = problems_of(project)
    assert found and {p.line for p in found} <= fill_lines, found
    assert {p.path for p in found} == {"catalog/models/example/example-3b-instruct.yaml"}
    if hf:
        data = yaml.safe_load(text)
        assert data["config"] == {"layers": 28, "hidden_size": 3072, "intermediate_size": 8192, "attention_heads": 24,
                                  "kv_heads": 8, "vocab_size": 128256, "tie_word_embeddings": True}  # fmt: skip
        assert "max_position_embeddings is 131072" in text and data["context_length"] is None  # a hint, not a fact
    fill(path)
    assert problems_of(project) == []


def test_new_model_refuses_what_it_cannot_write(tmp_path):
    project = write_tree(tmp_path, {f"catalog/{k}": v for k, v in minimal_catalog().items()})
    cases = [
        ("Example/Bad Id", None, "must be lowercase"),
        ("example/example-8b-instruct", None, "already exists"),
        ("other/example-8b-instruct", None, "already used by catalog/models/example/example-8b-instruct.yaml"),
        ("example/x", '{"num_hidden_layers": 2,\n "vocab_size": }', "config.json:2:16: not valid JSON"),
        ("example/x", '{"num_hidden_layers": "many"}', "num_hidden_layers = 'many'"),
    ]
    for target, config, message in cases:
        path = None
        if config is not None:
            path = tmp_path / "config.json"
            path.write_text(config)
        with pytest.raises(ScaffoldError, match=re.escape(message)):
            new_model(project, target, path)
    assert not (project / "catalog" / "models" / "example" / "x.yaml").exists()
    _, notes = new_model(project, "newfamily/new-1b")
    assert "no catalog/families/newfamily.yaml" in notes[0]


def test_every_catalog_file_points_at_its_current_schema(tmp_path):
    shutil.copytree(ROOT / "catalog", tmp_path / "catalog")
    assert problems_of(tmp_path) == []  # the real catalog: every first line right, every schema file current
    model = tmp_path / "catalog" / "models" / "llama" / "llama-3.1-8b-instruct.yaml"
    model.write_text(model.read_text().split("\n", 1)[1])  # the line removed
    schema = tmp_path / "catalog" / "schema" / "model.json"
    schema.write_text(schema.read_text().replace('"title"', '"tytle"', 1))  # stale
    found = [(p.path, p.line, p.message.split(" (")[0]) for p in problems_of(tmp_path)]
    assert found == [
        ("catalog/models/llama/llama-3.1-8b-instruct.yaml", 1,
         "the first line must be '# yaml-language-server: $schema=../../schema/model.json'"),
        ("catalog/schema/model.json", 1, "out of date with generator/schema.py: run `python -m generator schemas`"),
    ]  # fmt: skip
    done = run_generator("schemas", root=tmp_path)
    assert done.returncode == 0 and "1 schema file(s) written; first line set in 1 catalog file(s)" in done.stdout
    assert problems_of(tmp_path) == []


def test_change_summary_lists_fields_old_and_new_and_keeps_its_table_whole():
    old = {"models/a/x.yaml": ("models", {"name": "X", "context_length": 8192, "sources": [{"url": "https://a"}]}),
           "models/a/gone.yaml": ("models", {"name": "Gone"})}  # fmt: skip
    new = {"models/a/x.yaml": ("models", {"name": "X", "context_length": 32768, "note": "a | b\nc",
                                          "sources": [{"url": "https://b"}]}),
           "models/a/y.yaml": ("models", {"name": "Y <script>"})}  # fmt: skip
    text = markdown(compare(old, new))
    assert "1 model added; 1 model changed; 1 model removed." in text
    rows = [line for line in text.splitlines() if line.startswith("| catalog")]
    assert len(rows) == 3 and all(len(re.split(r"(?<!\\)\|", r)) == 6 for r in rows)  # 4 cells each, pipes escaped
    assert "context\\_length | 8192 | 32768" in rows[0] and "(absent)" in rows[1] and "https\\:\\/\\/b" in rows[2]
    assert "<script>" not in text


@pytest.mark.build
@pytest.mark.browser
def test_a_simulated_contribution_end_to_end(tmp_path):
    project = make_project(tmp_path / "p", minimal_catalog())
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "catalog")
    git(project, "commit", "-q", "-m", "Base catalog")
    # The contributor scaffolds a model from its config.json and fills it in, but first gets one fact wrong.
    config = tmp_path / "config.json"
    config.write_text(json.dumps(HF_CONFIG))
    done = run_generator("new-model", "example/example-3b-instruct", "--from-hf-config", str(config), root=project)
    assert done.returncode == 0, done.stderr
    path = project / "catalog" / "models" / "example" / "example-3b-instruct.yaml"
    fill(path)
    path.write_text(path.read_text().replace("context_length: null", "context_length: 131072"))
    checked = run_generator("validate", root=project, env={"GITHUB_ACTIONS": "true"})
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("context_length"))
    assert checked.returncode == 1
    assert (f"::error file=catalog/models/example/example-3b-instruct.yaml,line={line},col=17::"
            "'context_length' has no source") in checked.stderr  # fmt: skip
    path.write_text(path.read_text().replace("supports: [config]", "supports: [config, context_length]"))
    assert run_generator("validate", root=project, env={"GITHUB_ACTIONS": "true"}).returncode == 0
    git(project, "add", "catalog")
    git(project, "commit", "-q", "-m", "Add Example 3B Instruct <b>")
    # The reviewer's summary, and the site built from the branch.
    summary = run_generator("changes", "--base", "HEAD~1", root=project)
    assert summary.returncode == 0 and "1 model added." in summary.stdout
    assert "catalog\\/models\\/example\\/example\\-3b\\-instruct\\.yaml: Example 3B Instruct" in summary.stdout
    built = run_generator("site", root=project)
    assert built.returncode == 0, built.stderr
    page = BeautifulSoup((project / "site/models/example/example-3b-instruct.html").read_text(), "html.parser")
    assert page.find("h1").get_text(strip=True).startswith("Example 3B Instruct")
    history = page.find(id="history").find_next("table").get_text(" ", strip=True)
    assert history == f"Date Change Commit 2024-09-01 Added {git(project, 'rev-parse', '--short=7', 'HEAD').strip()}"
    news = BeautifulSoup((project / "site/models/whats-new.html").read_text(), "html.parser")
    link = news.find("a", href="example/example-3b-instruct.html")
    assert link is not None and link.find_parent("li").get_text(" ", strip=True) == "Added model Example 3B Instruct"
    assert "Add Example 3B Instruct <b>" in news.get_text()  # the commit's subject, as text
    feed = ET.fromstring((project / "site" / "feed.xml").read_bytes())
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert titles[1:] == ["Add Example 3B Instruct <b>", "Base catalog"]
    # A later correction shows up as old → new: in the reviewer's summary, then on the page and in the feed.
    path.write_text(path.read_text().replace("context_length: 131072", "context_length: 65536"))
    summary = run_generator("changes", "--base", "HEAD", root=project)
    assert "| context\\_length | 131072 | 65536 |" in summary.stdout
    git(project, "commit", "-q", "-am", "Fix the context length", date="2024-09-02T10:00:00Z")
    assert run_generator("site", root=project).returncode == 0
    page = BeautifulSoup((project / "site/models/example/example-3b-instruct.html").read_text(), "html.parser")
    history = page.find(id="history").find_next("table").get_text(" ", strip=True)
    assert "2024-09-02 Changed: context_length 131072 → 65536" in history
    contents = [e.text for e in ET.fromstring((project / "site" / "feed.xml").read_bytes()).iter(
        "{http://www.w3.org/2005/Atom}content")]  # fmt: skip
    assert contents[0] == "Changed model Example 3B Instruct: context_length 131072 → 65536"


@pytest.mark.build
@pytest.mark.browser
def test_a_build_without_git_history_says_so_and_still_has_a_feed(tmp_path):
    project = make_project(tmp_path / "p", minimal_catalog())  # not a git repository (like a tarball)
    generate_docs(project)  # the generated Markdown and feed are what this is about: no MkDocs needed
    news = (project / "docs" / "models" / "whats-new.md").read_text()
    assert "built without the repository's history" in news
    feed = ET.fromstring((project / "docs" / "feed.xml").read_bytes())
    assert feed.find("{http://www.w3.org/2005/Atom}entry") is None
    assert feed.find("{http://www.w3.org/2005/Atom}updated").text == "2024-08-01T00:00:00Z"
    model = (project / "docs" / "models" / "example" / "example-8b-instruct.md").read_text()
    assert "## History" not in model and "## History" in (ROOT / "generator/render/templates/model.md.j2").read_text()
