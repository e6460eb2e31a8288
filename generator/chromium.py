"""The headless Chromium the generator drives (decision trees, the PDF): the distribution's package through
Playwright, never a downloaded browser. Without it, `browser` raises prerequisites.MissingPrerequisite (one
line naming Chromium and `make setup`) instead of Playwright's long launch error."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

ARGS = ["--no-sandbox", "--disable-gpu"]  # as root Chromium refuses to start without --no-sandbox


def executable() -> str:
    return shutil.which("chromium") or "/usr/bin/chromium"


def installed() -> bool:
    """Whether `executable()` is a file this process may run."""
    path = executable()
    return os.path.isfile(path) and os.access(path, os.X_OK)


@contextmanager
def browser() -> Iterator:
    if not installed():
        from .prerequisites import MissingPrerequisite, chromium_line

        raise MissingPrerequisite([chromium_line()])
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable(), args=ARGS)
        try:
            yield instance
        finally:
            instance.close()
