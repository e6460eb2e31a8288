"""The whole atlas as one PDF (`make pdf`), printed from a built site.

The site build already holds the print edition: the print-site plugin joins every page of the nav into
print_page.html, after a cover (the catalog's edition) and a table of contents, and its own script
(overrides/assets/atlas/print.js) numbers the headings and unfolds what is folded. `print_pdf` has headless
Chromium load it, wait for that and for every image, and print it (A4, page numbers from print.css, PDF
bookmarks), refusing and reporting every request that is not under file://; `make_pdf` replaces the old
PDF only when all of that worked.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .. import chromium, routes

LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

# Wait until print.js has prepared the page and every image has loaded; the images that did not load.
IMAGES_JS = """async () => {
  await document.fonts.ready;
  await Promise.all([...document.images].map((img) => img.complete ? null :
    new Promise((done) => { img.addEventListener("load", done); img.addEventListener("error", done); })));
  return [...document.images].filter((img) => !img.naturalWidth).map((img) => img.getAttribute("src"));
}"""


class EditionFailed(Exception):
    """The PDF or the offline zip could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class Printed:
    path: Path
    bytes: int
    seconds: float


def print_pdf(page_path: Path, pdf_path: Path) -> None:
    """Print one HTML page to `pdf_path` with Chromium (A4 from the page's CSS, outline, tagged)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    refused: list[str] = []

    def only_local(route) -> None:
        if route.request.url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    with chromium.browser() as browser:
        page = browser.new_page()
        page.route("**/*", only_local)
        page.goto(page_path.resolve().as_uri(), wait_until="load", timeout=120_000)
        try:
            page.wait_for_function("document.documentElement.dataset.atlasPrint === 'ready'", timeout=60_000)
        except PlaywrightTimeout:
            raise EditionFailed(f"{page_path} never got ready to print: its print.js did not run") from None
        broken = page.evaluate(IMAGES_JS)
        missing = [f"  network request refused: {u}" for u in sorted(set(refused))]
        missing += [f"  image not loaded: {u}" for u in sorted(set(broken))]
        if missing:
            raise EditionFailed("the print page needs what is not in the build:\n" + "\n".join(missing))
        page.pdf(path=str(pdf_path), prefer_css_page_size=True, print_background=True, outline=True, tagged=True)


def make_pdf(site_dir: Path, out: Path | None = None) -> Printed:
    """Print a built site's print page to `out` (site/atlas.pdf); the old PDF stays unless all of it worked."""
    page = site_dir / routes.PRINT_PAGE
    if not page.is_file():
        raise EditionFailed(f"{site_dir} holds no {routes.PRINT_PAGE}: build the site first (make site)")
    out = out or site_dir / routes.PDF
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".tmp")
    started = time.perf_counter()
    try:
        print_pdf(page, partial)
    except Exception:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(out)
    return Printed(out, out.stat().st_size, time.perf_counter() - started)
