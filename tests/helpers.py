"""What the tests share besides fixtures (those are in conftest.py): tiny catalogs written inline, test
projects (a copy of the site config with a given catalog) with one render cache per test session, and the
generator and MkDocs run as a contributor runs them, or in process.

Markers are checked where the work happens: `run_generator` refuses a build unless the running test is
marked `build` (and `browser` when the build got as far as drawing charts and trees, or printing the PDF,
in headless Chromium); conftest.py fails a Chromium launch (Playwright's or Kaleido's) in a test not marked
`browser`. So `pytest -m "not build and not browser and not server"` runs no build and no browser.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from generator import routes
from generator.routes import GENERATED_DIRS, GENERATED_FILES

ROOT = Path(__file__).resolve().parent.parent

REAL_SITE_GROUP = "real-site"  # the xdist group of every test module that uses real_site: one build per run

# ---------------------------------------------------------------- tiny catalogs

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


def git(cwd: Path, *args: str, date: str = "2024-09-01T10:00:00Z") -> str:
    """Run git in `cwd` as a fixed test author, with both of a commit's dates set to `date`; its output."""
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    done = subprocess.run(["git", "-C", str(cwd), "-c", "user.name=Atlas Test", "-c", "user.email=test@example.org",
                           "-c", "commit.gpgsign=false", *args], capture_output=True, text=True, env=env, check=True)  # fmt: skip
    return done.stdout


# ---------------------------------------------------------------- markers, checked where the work happens

# The markers of the test being run (conftest.py sets them before its fixtures are set up).
current_markers: set[str] = set()
current_test = ""

# Generator commands that build (the generator's stage, and MkDocs for site), and those that also start
# headless Chromium: charts (Kaleido) and decision trees (Mermaid) are drawn by `build` and `site` unless
# the render cache holds them, and `pdf` prints in Chromium.
BUILDS = {"build", "site", "pdf", "offline"}
DRAWS = {"build", "site", "pdf"}


def require_markers(*names: str, doing: str) -> None:
    """Fail the running test unless it carries every marker in `names` (pytest's markers must be true: the
    fast lane deselects by them)."""
    absent = [name for name in names if name not in current_markers]
    if absent:
        marks = " and ".join(f"@pytest.mark.{name}" for name in absent)
        raise AssertionError(f"{current_test} {doing}: mark it {marks}")


# ---------------------------------------------------------------- test projects and their render cache

# One render cache per test session (conftest.py sets it; xdist's workers share it): every test project's
# .atlas-cache/{charts,trees,templates} links here, so a chart or tree drawn for one project is a cache hit
# for the next. Entries are content-addressed and written whole (generator/cachefile.py), so projects and
# processes may share them. The parse cache is not shared: each project keeps its own.
SHARED_CACHE: Path | None = None
SHARED_KINDS = (routes.CHART_CACHE, routes.TREE_CACHE, routes.TEMPLATE_CACHE)


def share_render_cache(project: Path) -> Path:
    """Link `project`'s chart, tree and template caches to the session's (when a session has one)."""
    if SHARED_CACHE is not None:
        for kind in SHARED_KINDS:
            shared = SHARED_CACHE / kind.name
            shared.mkdir(parents=True, exist_ok=True)
            (project / kind).parent.mkdir(parents=True, exist_ok=True)
            (project / kind).symlink_to(shared, target_is_directory=True)
    return project


def make_project(tmp: Path, catalog: dict[str, str | bytes], *, guides: bool = False) -> Path:
    """A copy of the project's site config with the given catalog, ready for `mkdocs build`, its render
    cache shared with the session's other projects.

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
    return share_render_cache(tmp)


# ---------------------------------------------------------------- running the generator and MkDocs


def run_generator(*args: str, root: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m generator [--root ROOT] ARGS`, as a contributor runs it: its exit status and output."""
    command = args[0] if args else ""
    if command in BUILDS:
        require_markers("build", doing=f"runs `generator {command}`")
    line = [sys.executable, "-m", "generator"]
    if root is not None:
        line += ["--root", str(root)]
    done = subprocess.run([*line, *args], cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if command in DRAWS and done.returncode == 0:  # it got as far as drawing (or found the drawings cached)
        require_markers("browser", doing=f"runs `generator {command}`, which draws in Chromium")
    return done


def generate_docs(project: Path, epoch: str | None = None) -> None:
    """The generated Markdown of `project` (docs/), made in this process: `python -m generator build`
    without the subprocess, for tests of page content. `epoch` pins SOURCE_DATE_EPOCH (the build's 'today');
    the variable is as it was afterwards."""
    from generator.build import generate

    require_markers("build", "browser", doing="runs the generator's build in process")
    before = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        generate(project)
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
