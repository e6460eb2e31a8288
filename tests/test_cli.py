"""CLI behaviour contributors and CI rely on: annotations, path filters, no tracebacks, what a build reports."""

from __future__ import annotations

import re

import pytest
from helpers import minimal_catalog, model_yaml, run_generator


def test_github_annotations_and_path_filter(write_catalog):
    files = minimal_catalog()
    files["models/example/bad.yaml"] = model_yaml("Bad", params_b="-1", hf_repo="x/bad")
    root = write_catalog(files)
    result = run_generator("validate", root=root, env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert "catalog/models/example/bad.yaml:5:11: params_b: input should be greater than 0" in result.stderr
    assert "::error file=catalog/models/example/bad.yaml,line=5,col=11::params_b: input should be greater than 0" in (
        result.stderr
    )
    # only the named file's problems are reported; a clean file passes on its own
    clean = run_generator("validate", str(root / "catalog/models/example/example-moe.yaml"), root=root)
    assert clean.returncode == 0, clean.stderr


@pytest.mark.build
def test_build_writes_nothing_when_invalid(write_catalog):
    files = minimal_catalog()
    files["models/example/bad.yaml"] = "name: [unclosed\n"
    root = write_catalog(files)
    result = run_generator("build", root=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nothing was written" in result.stderr
    assert not (root / "docs").exists()


@pytest.mark.build
@pytest.mark.browser
def test_unchanged_files_are_not_rewritten(write_catalog):
    root = write_catalog(minimal_catalog())
    first = run_generator("build", root=root)
    assert first.returncode == 0, first.stderr
    page = root / "docs/models/example/example-moe.md"
    before = page.stat().st_mtime_ns
    second = run_generator("build", root=root)
    assert second.stdout.startswith("generated: 0 written,")
    assert page.stat().st_mtime_ns == before
    # a removed model's page disappears
    (root / "catalog/models/example/example-moe.yaml").unlink()
    third = run_generator("build", root=root)
    assert re.search(r"^generated: \d+ written, \d+ unchanged, 1 removed$", third.stdout, re.M), third.stdout
    assert not page.exists()
