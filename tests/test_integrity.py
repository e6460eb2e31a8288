"""Integrity of the build: two clean builds of one commit are byte-identical and date everything from that
commit (SOURCE_DATE_EPOCH); a build killed at any moment leaves the previous site/ as it was; and the
strict MkDocs build fails on a broken internal link, anchor or image, naming each."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import ROOT, git, make_project, minimal_catalog, run_generator

pytestmark = [pytest.mark.build, pytest.mark.browser]

COMMIT_DATE = "2025-03-04T05:06:07+00:00"
# When each killed build is killed, as a fraction of a rebuild's duration: spread over the whole build
# (loading, rendering, writing docs/, MkDocs, the swap), the same every run.
KILL_AT = (0.05, 0.2, 0.35, 0.5, 0.7, 0.9)


def manifest(site: Path) -> dict[str, str]:
    """Every file of a built site and the SHA-256 of its bytes."""
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def without_epoch() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}


def test_two_clean_builds_of_one_commit_are_byte_identical(tmp_path):
    first = make_project(tmp_path / "first", minimal_catalog())
    git(first, "init", "-q", "-b", "main")
    git(first, "add", "-A")
    git(first, "commit", "-q", "-m", "A catalog", date=COMMIT_DATE)
    second = tmp_path / "second"
    git(tmp_path, "clone", "-q", str(first), str(second))
    for project in (first, second):
        result = subprocess.run([sys.executable, "-m", "generator", "--root", str(project), "site"], cwd=ROOT,
                                capture_output=True, text=True, env=without_epoch())  # fmt: skip
        assert result.returncode == 0, result.stderr
    built = manifest(first / "site")
    assert built == manifest(second / "site")
    assert len(built) > 100
    sitemap = (first / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {"2025-03-04"}
    home = (first / "site" / "index.html").read_text(encoding="utf-8")
    assert "2025-03-04" in home  # the edition's date: the commit's, not the day of the build


def test_a_build_killed_at_any_moment_leaves_the_previous_site(tmp_path):
    project = make_project(tmp_path / "project", minimal_catalog())
    model = project / "catalog" / "models" / "example" / "example-8b-instruct.yaml"
    original = model.read_text(encoding="utf-8")

    def edit(n: int) -> None:  # every build has something new to show
        model.write_text(original.replace("A test model.", f"Edit number {n}."), encoding="utf-8")

    assert run_generator("site", root=project).returncode == 0  # cold: charts and trees drawn
    edit(0)
    start = time.perf_counter()
    assert run_generator("site", root=project).returncode == 0
    duration = time.perf_counter() - start  # what a rebuild takes, the window the kills fall in
    before, killed = manifest(project / "site"), 0
    command = [sys.executable, "-m", "generator", "--root", str(project), "site"]
    for n, fraction in enumerate(KILL_AT, 1):
        edit(n)
        moment = fraction * duration
        build = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)  # fmt: skip
        time.sleep(moment)
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
        if build.wait() == 0:  # it finished first: the new site is the one the next kill must keep
            before = manifest(project / "site")
            continue
        killed += 1
        after = manifest(project / "site")
        if after != before:  # killed after its swap, while removing the old site: the new one must be whole,
            # the very bytes a build of the same catalog makes (builds are reproducible)
            assert run_generator("site", root=project).returncode == 0
            assert manifest(project / "site") == after, f"killed after {moment:.2f} s of {duration:.2f} s"
            before = after
    assert killed >= 3
    edit(7)
    assert run_generator("site", root=project).returncode == 0  # the caches a killed build left are sound
    page = project / "site" / "models" / "example" / "example-8b-instruct.html"
    assert "Edit number 7." in page.read_text(encoding="utf-8")


BROKEN = {  # a broken link, anchor and image in a hand-written page -> what MkDocs' warning names
    "[a page that is not there](no-such-page.md)": "no-such-page.md",
    "[an anchor that is not there](models/index.md#no-such-heading)": "#no-such-heading",
    "![an image that is not there](charts/no-such-chart.svg)": "no-such-chart.svg",
}


def test_strict_build_fails_on_a_broken_internal_link_anchor_or_image(tmp_path):
    """One build with all three: the strict build reports every warning before it stops."""
    project = make_project(tmp_path / "project", minimal_catalog())
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "".join(f"\n\n{link}\n" for link in BROKEN), encoding="utf-8")
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("the previous site")
    result = run_generator("site", root=project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    warnings = [line for line in result.stderr.splitlines() if "about.md" in line]
    for link, reported in BROKEN.items():
        assert any(reported in line for line in warnings), (link, result.stderr)
    assert (project / "site" / "index.html").read_text() == "the previous site"
