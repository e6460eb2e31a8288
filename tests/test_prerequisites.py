"""A half set-up checkout: every missing prerequisite is one line naming it and the command that installs
it, exit status 1, no traceback, and docs/ and site/ left as they were (issue 21, point 7).

The prerequisites are the checkout's own (node_modules/ beside generator/), so the commands run against a
copy of the project with its own copy of generator/ and no node_modules/; they stop before building."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, make_project, minimal_catalog

from generator import chromium, prerequisites
from generator.prerequisites import BUILD, PRINT, SITE, MissingPrerequisite, missing

MERMAID_LINE = (
    "missing prerequisite: the npm package mermaid (node_modules/mermaid/dist/mermaid.min.js): run `make setup`"
)
UNTOUCHED = "nothing was written: docs/ and site/ are as they were"
VENDORED = (*prerequisites.SHIM, *prerequisites.TABLESORT)


def checkout_without_npm(tmp: Path) -> Path:
    """A copy of the project (generator/ copied, not linked) whose npm packages were never installed, but
    whose vendored assets are in place (placeholders if this checkout has none), and a previous site/."""
    project = make_project(tmp, minimal_catalog())
    (project / "generator").unlink()
    shutil.copytree(ROOT / "generator", project / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    (project / prerequisites.VENDOR_STAMP).unlink(missing_ok=True)  # a fresh `make setup` would run npm ci
    for rel in VENDORED:
        if not (project / rel).is_file():
            (project / rel).parent.mkdir(parents=True, exist_ok=True)
            (project / rel).write_text("/* placeholder */\n", encoding="utf-8")
    (project / "site" / "api").mkdir(parents=True)
    (project / "site" / "index.html").write_text("<p>the previous build</p>\n", encoding="utf-8")
    (project / "site" / "api" / "models.json").write_bytes(b"[]\n")
    assert not (project / "node_modules").exists()
    return project


def snapshot(project: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(project)): path.read_bytes()
        for folder in ("docs", "site")
        for path in sorted((project / folder).rglob("*"))
        if path.is_file()
    }


def run(project: Path, *command: str, **env: str) -> subprocess.CompletedProcess:
    """`command` in `project`, so `python -m generator` is the project's own copy."""
    environment = {k: v for k, v in os.environ.items() if k not in ("ATLAS_PREGENERATED", "PYTHONPATH")}
    environment.update(NO_MKDOCS_2_WARNING="1", **env)
    return subprocess.run(command, cwd=project, capture_output=True, text=True, env=environment, timeout=120)


def expected(*lines: str) -> list[str]:
    """`lines` as this machine would report them: Chromium's line too where it is not installed."""
    return [*lines, *([] if chromium.installed() else [prerequisites.chromium_line()])]


@pytest.fixture
def project(tmp_path) -> Path:
    return checkout_without_npm(tmp_path / "atlas")


@pytest.mark.build  # the build commands themselves, stopped before they build
@pytest.mark.parametrize("command", ["site", "build"])
def test_generator_names_the_missing_npm_package_and_writes_nothing(project, command):
    before = snapshot(project)
    done = run(project, sys.executable, "-m", "generator", "--root", str(project), command)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [*expected(MERMAID_LINE), UNTOUCHED]
    assert snapshot(project) == before
    assert not (project / "site.tmp").exists()


@pytest.mark.build
def test_mkdocs_build_names_the_missing_npm_package_and_writes_nothing(project):
    before = snapshot(project)
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    done = run(project, mkdocs, "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site"))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert re.sub(r"^ERROR\s+-\s+", "", done.stderr).splitlines() == [*expected(MERMAID_LINE), UNTOUCHED]
    assert snapshot(project) == before


@pytest.mark.build
def test_mkdocs_checks_its_own_prerequisites_after_the_generator_ran(project):
    """With ATLAS_PREGENERATED=1 (the generator ran already) only what MkDocs needs is checked: not mermaid,
    but a vendored asset the theme serves."""
    (project / prerequisites.SHIM[0]).unlink()
    before = snapshot(project)
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    done = run(project, mkdocs, "build", "-q", "-f", str(project / "mkdocs.yml"), ATLAS_PREGENERATED="1")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert re.sub(r"^ERROR\s+-\s+", "", done.stderr).splitlines() == [
        f"missing prerequisite: the vendored asset {prerequisites.SHIM[0]} (from the npm package iframe-worker): "
        "run `make setup`",
        "nothing was written: site/ is as it was",
    ]
    assert snapshot(project) == before


# ---------------------------------------------------------------- missing() itself, without subprocesses


@pytest.fixture
def complete(tmp_path, monkeypatch) -> Path:
    """A checkout with every file the build needs, and a Chromium."""
    for rel in (*prerequisites.MERMAID, *VENDORED):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("", encoding="utf-8")
    monkeypatch.setattr(chromium, "installed", lambda: True)
    return tmp_path


def without_module(monkeypatch, absent: str) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == absent else real(name, *a))


def test_nothing_missing_in_a_complete_checkout(complete):
    assert missing(complete, SITE) == missing(complete, BUILD) == missing(complete, PRINT) == []


def test_a_missing_python_package_outside_the_virtualenv(complete, monkeypatch):
    without_module(monkeypatch, "mkdocs_macros")
    assert missing(complete, SITE) == [
        "missing prerequisite: the Python package mkdocs-macros-plugin (import mkdocs_macros) "
        f"for {sys.executable}: run `make setup` and use .venv/bin/python"
    ]
    assert missing(complete, BUILD) == missing(complete, PRINT) == []  # only MkDocs loads the plugin


@pytest.mark.parametrize(("stamp", "command"), [(False, "`make setup`"), (True, "`rm .venv/.installed && make setup`")])
def test_a_missing_python_package_in_the_virtualenv(complete, monkeypatch, stamp, command):
    """While make's stamp .venv/.installed stands, `make setup` would not reinstall: the line says so."""
    (complete / ".venv").mkdir()
    if stamp:
        (complete / ".venv" / ".installed").touch()
    monkeypatch.setattr(sys, "prefix", str(complete / ".venv"))
    without_module(monkeypatch, "playwright")
    line = f"missing prerequisite: the Python package playwright (import playwright): run {command}"
    assert missing(complete, SITE) == missing(complete, PRINT) == [line]


def test_a_missing_npm_package_with_the_vendor_stamp_left(complete):
    """node_modules/ deleted after set-up: make's stamp would make `make setup` skip npm ci."""
    shutil.rmtree(complete / "node_modules")
    (complete / prerequisites.VENDOR_STAMP).touch()
    assert missing(complete, BUILD) == [
        "missing prerequisite: the npm package mermaid (node_modules/mermaid/dist/mermaid.min.js): "
        "run `rm overrides/assets/vendor/.installed && make setup`"
    ]
    assert missing(complete, PRINT) == []


@pytest.mark.parametrize("present", [False, True])
def test_a_missing_chromium(tmp_path, monkeypatch, present):
    """No Chromium (or a file that is not executable): one line, and `chromium.browser()` raises the same
    instead of Playwright's launch error."""
    fake = tmp_path / "chromium"
    if present:
        fake.write_text("", encoding="utf-8")  # not executable
    monkeypatch.setattr(chromium, "executable", lambda: str(fake))
    line = f"missing prerequisite: Chromium ({fake}, the distribution's package chromium): run `make setup`"
    assert missing(tmp_path, PRINT) == [line]
    assert line in missing(tmp_path, BUILD)
    with pytest.raises(MissingPrerequisite) as raised, chromium.browser():
        pass
    assert raised.value.lines == [line]


def test_the_hook_and_the_check_import_nothing_heavy():
    """Loading the hook (as mkdocs does, by path) imports neither the build nor its libraries, so the check
    runs before anything that could be missing is imported."""
    code = (
        "import importlib.util, sys\n"
        "spec = importlib.util.spec_from_file_location('hook', 'generator/site/hook.py')\n"
        "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        "heavy = {'generator.build', 'generator.catalog.load', 'plotly', 'pydantic', 'jinja2', 'playwright'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
