"""The hand-written guides (docs/guides/) take every catalog fact through a macro (generator/macros.py):
model names are macro links, and no size, context or score figure is typed beside a model or family name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import make_project, minimal_catalog, run_generator

from generator.catalog import authored, resolve
from generator.site import macros

ROOT = Path(__file__).resolve().parent.parent
GUIDES = sorted((ROOT / "docs" / "guides").glob("*.md"))
MACRO = re.compile(r"\{\{.*?\}\}", re.S)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
# A parameter count, context length, score or percentage: 7B, 1.5 billion, 128K, 32,768, 85%.
FIGURE = re.compile(
    r"(?<![\w.])\d+(?:\.\d+)?\s?(?:B|M|K|k|billion|million|thousand)\b|\b\d{1,3}(?:,\d{3})+\b|\d+(?:\.\d+)?\s?%"
)
NEAR = 40  # characters either side of a name or model link


@pytest.fixture(scope="module")
def catalog():
    return resolve.resolve(authored.read_authored(ROOT / "catalog"))


def prose(path: Path) -> str:
    """The guide's text as a reader sees it, minus code blocks; each macro call becomes a marker."""
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return MACRO.sub(
        lambda m: " \u27e6MACRO\u27e7 " if re.match(r"\{\{\s*(model|family)\(", m.group()) else " \u27e6V\u27e7 ", text
    )


def test_guides_exist_and_opt_in_to_macros():
    names = {p.stem for p in GUIDES}
    assert {"why-open-models", "how-to-choose", "reading-model-names", "reading-benchmarks", "licences-explained",
            "running-and-serving", "customizing", "beyond-text-chat"} <= names  # fmt: skip
    for path in GUIDES:
        assert path.read_text(encoding="utf-8").startswith("---\nrender_macros: true\n---\n"), path.name


@pytest.mark.parametrize("path", GUIDES, ids=lambda p: p.name)
def test_model_names_are_links_from_macros(path, catalog):
    """A catalog model's name never appears as typed text: {{ model(id) }} writes it, linked to its page."""
    text = prose(path)
    typed = sorted(
        e.model.name
        for e in catalog.models.values()
        if re.search(rf"(?<![\w-]){re.escape(e.model.name)}(?![\w-])", text)
    )
    assert typed == [], f"{path.name}: write these through {{{{ model(...) }}}}: {typed}"


@pytest.mark.parametrize("path", GUIDES, ids=lambda p: p.name)
def test_no_typed_figures_beside_models_or_families(path, catalog):
    text = prose(path)
    names = sorted({f.name for f in catalog.families.values()} | {"\u27e6MACRO\u27e7"}, key=len, reverse=True)
    spots = [m.start() for name in names for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)]
    found = set()
    for spot in spots:
        window = text[max(0, spot - NEAR) : spot + NEAR + 20]
        found.update(f"…{window.strip()}…" for _ in FIGURE.finditer(window))
    assert not found, f"{path.name}: cite these figures through a macro: {sorted(found)}"


def test_the_figure_scan_can_fail():
    assert FIGURE.search("Llama 3 70B") and FIGURE.search("up to 128K tokens") and FIGURE.search("32,768")
    assert not FIGURE.search("Q4_K_M") and not FIGURE.search("8x7B") and not FIGURE.search("A3B")


def test_macros_link_relative_to_the_page_and_name_what_is_missing(catalog):
    facts = macros.Facts(catalog)
    facts.page = "guides/why-open-models.md"
    link = facts.model("llama-3.1-8b-instruct")
    assert link == "[Llama 3\\.1 8B Instruct](../models/llama/llama-3.1-8b-instruct.md)"
    assert facts.fact("llama-3.1-8b-instruct", "context_length") == "131\\,072 \\(128K\\)"
    with pytest.raises(macros.MacroError, match="no model 'nope'"):
        facts.fact("nope", "params_b")
    with pytest.raises(macros.MacroError, match="no model field 'size'"):
        facts.fact("llama-3.1-8b-instruct", "size")
    with pytest.raises(macros.MacroError, match="has no MMLU score"):
        facts.score("whisper-large-v3", "MMLU")


@pytest.mark.build
@pytest.mark.browser
def test_a_macro_naming_a_missing_model_fails_the_build_naming_page_and_call(tmp_path):
    project = make_project(tmp_path / "p", minimal_catalog())
    guide = project / "docs" / "guides" / "broken.md"
    guide.parent.mkdir(parents=True)
    guide.write_text(
        "---\nrender_macros: true\n---\n# Broken\n\n{{ model('example-8b-instruct') }} has "
        "{{ fact('example-8b-instruct', 'params_b') }}; {{ fact('no-such-model', 'context_length') }}.\n"
    )
    result = run_generator("site", root=project)
    assert result.returncode != 0
    assert (
        "docs/guides/broken.md: {{ fact('no-such-model', 'context_length') }}: no model 'no-such-model'"
        in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()
    guide.write_text("---\nrender_macros: true\n---\n# Fixed\n\n{{ model('example-8b-instruct') }}.\n")
    assert run_generator("site", root=project).returncode == 0
    html = (project / "site" / "guides" / "broken.html").read_text()
    assert 'href="../models/example/example-8b-instruct.html">Example 8B Instruct</a>' in html


def test_the_engineering_page_reads_its_numbers_from_the_code(catalog):
    """The Engineering page quotes the build's own numbers (nav runs, parallel rendering, the YAML reader's
    limits) through {{ setting(name) }}, which reads each from the module that works by it: none is typed."""
    from generator.catalog import parse
    from generator.render import nav

    page = (ROOT / "docs" / "engineering" / "index.md").read_text(encoding="utf-8")
    assert page.startswith("---\nrender_macros: true")
    facts = macros.Facts(catalog)
    assert facts.setting("NAV_GROUP_MAX") == str(nav.NAV_GROUP_MAX)
    assert facts.setting("MAX_FILE_BYTES") == f"{parse.MAX_BYTES:,}"
    with pytest.raises(macros.MacroError, match="no setting 'NAV_RUN'; use one of NAV_GROUP_MAX"):
        facts.setting("NAV_RUN")
    prose_only = re.sub(r"`[^`]*`", " ", MACRO.sub(" ", FENCE.sub("", page)))  # code spans quote, not state
    for name, value in macros.SETTINGS.items():
        typed = re.findall(rf"(?<![\w.,]){value:,}(?![\w,])|(?<![\w.,]){value}(?![\w,])", prose_only)
        assert not typed, f"{name} ({value}) is typed on the Engineering page: write {{{{ setting('{name}') }}}}"
