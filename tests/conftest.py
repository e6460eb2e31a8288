"""Shared fixtures: tiny catalogs written inline, and a built site for targeted assertions."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.routes import GENERATED_DIRS, GENERATED_FILES

ROOT = Path(__file__).resolve().parent.parent

LICENCE = """\
name: Example Community Licence
spdx: null
text_url: https://example.org/licence
summary: A custom licence that allows commercial use below a user cap.
commercial_use: conditional
commercial_use_note: Allowed below 700 million monthly active users.
user_cap: 700 million monthly active users
output_training_restriction: null
attribution: Display "Built with Example".
redistribution: conditional
acceptable_use_policy: https://example.org/aup
gated_download: true
sources:
  - url: https://example.org/licence
    supports: [commercial_use, user_cap, output_training_restriction, attribution, redistribution,
               acceptable_use_policy, gated_download]
"""

APACHE = """\
name: Apache License 2.0
spdx: Apache-2.0
text_url: https://www.apache.org/licenses/LICENSE-2.0
summary: Permissive licence.
commercial_use: "yes"
user_cap: null
output_training_restriction: null
attribution: Keep the licence and NOTICE file.
redistribution: "yes"
acceptable_use_policy: null
gated_download: false
sources:
  - url: https://www.apache.org/licenses/LICENSE-2.0
    supports: [commercial_use, user_cap, output_training_restriction, attribution, redistribution,
               acceptable_use_policy, gated_download]
"""

FAMILY = """\
name: Example Family
publisher: Example Labs
country: Nowhere
description: A family used by the tests.
defaults:
  licence: example
  modalities: {input: [text], output: [text]}
sources:
  - url: https://example.org/family
    supports: [licence, modalities]
"""


def model_yaml(name: str = "Example 8B Instruct", **overrides: str) -> str:
    fields = {
        "name": name,
        "release_date": "2024-07-23",
        "kind": "instruct",
        "architecture": "dense",
        "params_b": "8.03",
        "context_length": "131072",
        "tool_calling": "true",
        "hf_repo": f"example/{name.replace(' ', '-')}",
        "ollama_tag": "example:8b",
        "config": "{layers: 32, hidden_size: 4096, attention_heads: 32, kv_heads: 8, head_dim: 128, vocab_size: 128256}",
        "description": "A test model.",
        "use_cases": "[chat, agents]",
        "sources": textwrap.indent(
            "\n- url: https://example.org/card\n"
            "  supports: [release_date, kind, architecture, params_b, context_length, tool_calling, hf_repo, config]\n"
            "- url: https://ollama.com/library/example\n"
            "  supports: [ollama_tag]",
            "  ",
        ),
        "verified": "2024-08-01",
    }
    fields.update(overrides)
    return "".join(f"{k}: {v}\n" for k, v in fields.items() if v is not None)


def minimal_catalog() -> dict[str, str]:
    return {
        "licences/example.yaml": LICENCE,
        "licences/apache-2.0.yaml": APACHE,
        "families/example.yaml": FAMILY,
        "models/example/example-8b-instruct.yaml": model_yaml(),
        "models/example/example-moe.yaml": model_yaml(
            "Example MoE",
            architecture="moe",
            params_b="46.7",
            active_params_b="12.9",
            licence="apache-2.0",
            config="{layers: 32, hidden_size: 4096, attention_heads: 32, kv_heads: 8, experts: 8, experts_per_token: 2}",
            sources=textwrap.indent(
                "\n- url: https://example.org/moe\n"
                "  supports: [release_date, kind, architecture, params_b, active_params_b, context_length,"
                " tool_calling, hf_repo, config, licence, ollama_tag]",
                "  ",
            ),
        ),
    }


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def write_catalog(tmp_path):
    """write_catalog({relative path under catalog/: text}) -> project root holding catalog/."""

    def write(files: dict[str, str | bytes]) -> Path:
        write_tree(tmp_path / "catalog", files)
        return tmp_path

    return write


def git(cwd: Path, *args: str, date: str = "2024-09-01T10:00:00Z") -> str:
    """Run git in `cwd` as a fixed test author, with both of a commit's dates set to `date`; its output."""
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    done = subprocess.run(["git", "-C", str(cwd), "-c", "user.name=Atlas Test", "-c", "user.email=test@example.org",
                           "-c", "commit.gpgsign=false", *args], capture_output=True, text=True, env=env, check=True)  # fmt: skip
    return done.stdout


def run_generator(*args: str, root: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "generator"]
    if root is not None:
        command += ["--root", str(root)]
    return subprocess.run(
        [*command, *args], cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})}
    )


def make_project(tmp: Path, catalog: dict[str, str | bytes], *, guides: bool = False) -> Path:
    """A copy of the project's site config with the given catalog, ready for `mkdocs build`.

    The guides cite real catalog models through macros, so they come along only when asked for (with the
    real catalog); otherwise they and their nav section are left out."""
    tmp.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "overrides", tmp / "overrides")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if not guides:
        config, removed = re.subn(r"\n  - Guides:\n(?:      - .*\n)+", "\n", config)
        assert removed == 1, "mkdocs.yml's Guides section moved: update make_project"
    (tmp / "mkdocs.yml").write_text(config, encoding="utf-8")
    skip = (*GENERATED_DIRS, *GENERATED_FILES, *(() if guides else ("guides",)))
    top = ROOT / "docs"  # generated names are skipped at the top of docs/ only (guides/index.md is hand-written)
    shutil.copytree(
        top, tmp / "docs", ignore=lambda folder, names: [n for n in names if Path(folder) == top and n in skip]
    )
    (tmp / "generator").symlink_to(ROOT / "generator")
    write_tree(tmp / "catalog", catalog)
    return tmp


def mkdocs_build(project: Path, site: Path, *, strict: bool = True) -> subprocess.CompletedProcess:
    command = [
        str(Path(sys.executable).parent / "mkdocs"),
        "build",
        "-q",
        "-f",
        str(project / "mkdocs.yml"),
        "-d",
        str(site),
    ]
    if strict:
        command.append("--strict")
    return subprocess.run(command, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


REAL_SITE_GROUP = "real-site"  # the xdist group of every test module that uses real_site: one build per run


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The project built from the real catalog (guides included) by the commands `make offline` runs: site/,
    its PDF and dist/atlas-offline.zip. Modules using it join xdist group REAL_SITE_GROUP, so it is built once."""
    project = make_project(tmp_path_factory.mktemp("real-site"), {}, guides=True)
    shutil.rmtree(project / "catalog", ignore_errors=True)
    shutil.copytree(ROOT / "catalog", project / "catalog")
    for command in ("site", "pdf", "offline"):
        result = run_generator(command, root=project)
        assert result.returncode == 0, f"{command}: {result.stderr}"
    return project


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    """Real Chromium through Playwright, one per test module (the Debian package, never a download)."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def pytest_terminal_summary(terminalreporter):
    """Tests that measure something record a one-line "summary" (record_property); it is printed at the end
    of the run (under xdist too: the property travels with the test's report)."""
    lines = [
        f"{report.nodeid}: {value}"
        for report in terminalreporter.stats.get("passed", [])
        for name, value in report.user_properties
        if name == "summary"
    ]
    if lines:
        terminalreporter.section("measured")
        for line in lines:
            terminalreporter.write_line(line)
