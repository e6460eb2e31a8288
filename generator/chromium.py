"""The headless Chromium the generator drives (decision trees, the PDF): the distribution's package through
Playwright, never a downloaded browser."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

ARGS = ["--no-sandbox", "--disable-gpu"]  # as root Chromium refuses to start without --no-sandbox


def executable() -> str:
    return shutil.which("chromium") or "/usr/bin/chromium"


@contextmanager
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable(), args=ARGS)
        try:
            yield instance
        finally:
            instance.close()
