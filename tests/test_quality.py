"""Quality gates on the site built from the real catalog (with its PDF, as published): no broken internal
link, anchor or image on any page; the W3C validator (vnu, from npm) finds no error in the atlas's markup;
axe-core (npm) finds no serious or critical accessibility violation on any kind of page."""

from __future__ import annotations

import functools
import http.server
import json
import posixpath
import re
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from helpers import REAL_SITE_GROUP, ROOT

pytestmark = [pytest.mark.build, pytest.mark.browser, pytest.mark.xdist_group(REAL_SITE_GROUP)]

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SITE_PATH = "/atlas/"  # site_url's path: the 404 page's links start with it (GitHub Pages serves it anywhere)

# One page of each kind (glob under site/, first match in sorted order).
KINDS = {
    "home": "index.html",
    "models": "models/index.html",
    "family": "models/llama/index.html",
    "model": "models/llama/llama-3.1-8b-instruct.html",
    "model compare": "models/compare.html",
    "quick reference": "use-cases/quick-reference.html",
    "what's new": "models/whats-new.html",
    "corrections": "models/corrections.html",
    "freshness": "models/freshness.html",
    "guide": "guides/how-to-choose.html",
    "glossary": "glossary.html",
    "selector": "selector.html",
    "use cases": "use-cases/index.html",
    "use case": "use-cases/*.html",
    "hardware": "hardware/index.html",
    "hardware tier": "hardware/tier-*.html",
    "charts": "charts/index.html",
    "cost": "cost.html",
    "runtimes": "runtimes/index.html",
    "runs": "runs/index.html",
    "run": "runs/*/*.html",
    "comparison": "runs/compare-*.html",
    "licences": "licences/index.html",
    "licence": "licences/apache-2.0.html",
    "data api": "api/index.html",
    "engineering": "engineering/index.html",
    "performance": "engineering/performance.html",
    "about": "about.html",
    "not found": "404.html",
}


@pytest.fixture(scope="module")
def site(real_site) -> Path:
    return real_site / "site"


@pytest.fixture(scope="module")
def kinds(site) -> dict[str, Path]:
    found = {}
    for kind, pattern in KINDS.items():
        matches = sorted(p for p in site.glob(pattern) if pattern.endswith("index.html") or p.name != "index.html")
        assert matches, f"no {kind} page ({pattern})"
        found[kind] = matches[0]
    return found


def targets(html: str) -> tuple[list[str], set[str]]:
    """The link and image targets of a page (a, area, img, source, script, link), and the ids it defines."""
    soup = BeautifulSoup(html, "html.parser")
    urls = [el.get(a) for el in soup.find_all(["a", "area", "link"]) for a in ("href",) if el.get(a)]
    urls += [el.get("src") for el in soup.find_all(["img", "script", "source", "iframe"]) if el.get("src")]
    urls += [part.strip().split(" ")[0] for el in soup.find_all(["img", "source"]) for part in
             (el.get("srcset") or "").split(",") if part.strip()]  # fmt: skip
    ids = {el["id"] for el in soup.find_all(id=True)} | {el["name"] for el in soup.find_all("a", attrs={"name": True})}
    return urls, ids


def test_no_broken_internal_link_anchor_or_image(site):
    pages = {p.relative_to(site).as_posix(): targets(p.read_text(encoding="utf-8")) for p in site.rglob("*.html")}
    broken, checked = [], 0
    for rel, (urls, _) in pages.items():
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                continue  # another site's: not ours to check offline
            path = unquote(parts.path)
            if path.startswith(SITE_PATH):
                path = path[len(SITE_PATH) :]
            elif path:
                path = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path))
            else:
                path = rel
            if path.endswith("/") or (site / path).is_dir():
                path = posixpath.join(path, "index.html")
            checked += 1
            if not (site / path).is_file():
                broken.append(f"{rel}: {url} (no file {path})")
            elif parts.fragment and path in pages and unquote(parts.fragment) not in pages[path][1]:
                broken.append(f"{rel}: {url} (no anchor #{parts.fragment} in {path})")
    assert broken == []
    assert checked > 10_000


def test_no_markdown_table_is_left_unrendered(site):
    """A table the Markdown left as text (a template that lost the blank line before it) shows its pipes and
    dashes to the reader: no page's text holds a table's separator row."""
    separator = re.compile(r"\|\s*:?-{3,}:?\s*\|")
    found = []
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if not separator.search(text):
            continue  # most pages: no separator anywhere, not even in code
        soup = BeautifulSoup(text, "html.parser")
        for tag in soup.find_all(["pre", "code", "script", "style"]):
            tag.decompose()  # code shows Markdown on purpose
        if separator.search(soup.get_text()):
            found.append(page.relative_to(site).as_posix())
    assert found == []


# Errors in Material's own templates, not the atlas's markup: its nav toggles are checkboxes with
# autocomplete="off", its nav labels have tabindex="", and its TOC label points at the TOC toggle that pages
# without a TOC (hide: toc) leave out.
THEME_ERRORS = (
    "Attribute “autocomplete” is only allowed when the input type is",
    "Bad value “” for attribute “tabindex” on element “label”",
    "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control",
)


def test_html_validator_finds_no_errors(site):
    """Every page but the print page, which the print-site plugin stitches together for the PDF (its code
    blocks' line anchors repeat from page to page; the PDF's own tests cover it)."""
    java = shutil.which("java")
    assert java and VNU.is_file(), "java and node_modules/vnu-jar are installed by `make test` (make setup)"
    files = sorted(str(p) for p in site.rglob("*.html") if p.name != "print_page.html")
    done = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    messages = json.loads(done.stderr)["messages"]
    errors = [f"{Path(urlsplit(m.get('url', '')).path).relative_to(site)}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m.get("type") in ("error", "non-document-error")
              and not m["message"].startswith(THEME_ERRORS)]  # fmt: skip
    assert errors == []
    assert len(files) > 200


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(site, tmp_path_factory):
    """The site over HTTP under site_url's path, as GitHub Pages serves it (the 404 page's links resolve)."""
    root = tmp_path_factory.mktemp("served")
    (root / SITE_PATH.strip("/")).symlink_to(site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}{SITE_PATH}"
    server.shutdown()


def test_no_serious_or_critical_accessibility_violations(site, kinds, served, browser):
    context = browser.new_context(bypass_csp=True)  # axe is injected as a script the page did not make
    page = context.new_page()
    found = []
    for kind, path in kinds.items():
        page.goto(served + path.relative_to(site).as_posix())
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
        found += [
            f"{kind} ({path.relative_to(site)}): {v['id']} [{v['impact']}] {v['help']}: "
            + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"]) for n in v["nodes"][:3])
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
    context.close()
    assert found == []
