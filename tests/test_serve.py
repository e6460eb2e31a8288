"""`mkdocs serve` runs the generator through the hook and rebuilds when a catalog file changes."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers import make_project, minimal_catalog

pytestmark = [pytest.mark.build, pytest.mark.browser]  # the hook's build draws in Chromium


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError("timed out")


def test_serve_rebuilds_when_a_catalog_file_changes(tmp_path):
    project = make_project(tmp_path, minimal_catalog())
    port = free_port()
    mkdocs = Path(sys.executable).parent / "mkdocs"
    server = subprocess.Popen(
        [str(mkdocs), "serve", "-f", str(project / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        site_url = re.search(r"^site_url: (\S+)", (project / "mkdocs.yml").read_text(), re.M).group(1)
        mount = urlsplit(site_url).path
        url = f"http://127.0.0.1:{port}{mount}models/example/example-moe.html"
        wait_for(lambda: "Example MoE" in fetch(url))
        model = project / "catalog/models/example/example-moe.yaml"
        model.write_text(model.read_text().replace("name: Example MoE", "name: Renamed MoE"))
        wait_for(lambda: "Renamed MoE" in fetch(url))
    finally:
        server.terminate()
        server.wait(timeout=10)
