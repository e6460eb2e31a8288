"""Hostile input: every text of tests/data/hostile.yaml goes into a catalog (models, a family, a licence, a
suite and its stored run), through the real build, and the built site is then opened in real Chromium from
file://: every page visited and every link clicked. Nothing may run (no dialog, no blocked script, no event
handler attribute, no javascript: or data: link), every table keeps its column count, and every text shows
as written. The Content-Security-Policy is tested on the same site: scripts put into a page after the build
are blocked, the build's own scripts run."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from fake_openai import FakeServer
from helpers import make_project, minimal_catalog, run_generator

from generator.bench.runner import Options, run
from generator.render.escape import visible
from generator.site import csp

pytest.importorskip("playwright.sync_api")
# One xdist group: the module's site and its crawl (minutes) are made once, by one worker.
pytestmark = [pytest.mark.browser, pytest.mark.build, pytest.mark.xdist_group("hostile")]

ROOT = Path(__file__).resolve().parent.parent
CORPUS = [
    (entry["id"], entry["text"] * entry.get("repeat", 1))
    for entry in yaml.safe_load((ROOT / "tests" / "data" / "hostile.yaml").read_text(encoding="utf-8"))
]
SUPPORTS = ["release_date", "kind", "architecture", "params_b", "context_length", "tool_calling", "hf_repo"]
SHORT = 300  # the schema's cap on names, strengths and titles


def shown(text: str) -> str:
    """How a text reads on the page: without control and bidi-format characters, whitespace runs as one."""
    return " ".join(visible(text).split())


def model_name(i: int, text: str) -> str:
    return f"H{i:02d} {text}"[:SHORT]


def hostile_catalog() -> dict[str, str]:
    """The minimal catalog plus a hostile licence, a hostile family and one model per corpus entry."""
    short = [text for _, text in CORPUS if len(text) <= SHORT]
    catalog = minimal_catalog()
    dump = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False)  # noqa: E731
    catalog["licences/hostile.yaml"] = dump({
        "name": "Hostile <script>alert(1)</script> | Licence", "spdx": None,
        "text_url": "https://example.org/hostile-licence", "summary": "\n\n".join(short[:12]),
        "commercial_use": "conditional", "commercial_use_note": short[12], "user_cap": short[13],
        "output_training_restriction": short[14], "attribution": short[15], "redistribution": "yes",
        "acceptable_use_policy": None, "gated_download": False, "common_mistakes": short[16:24],
        "sources": [{"url": "https://example.org/hostile-licence", "title": short[24],
                     "supports": ["commercial_use", "user_cap", "output_training_restriction", "attribution",
                                  "redistribution", "acceptable_use_policy", "gated_download"]}],
    })  # fmt: skip
    catalog["families/hostile.yaml"] = dump({
        "name": "Hostile <img src=x onerror=alert(1)> | Family", "publisher": short[25], "country": short[26],
        "description": "\n\n".join(short[27:37]), "history": short[37], "strengths": short[38:44],
        "links": [{"title": short[44], "url": "https://example.org/hostile-family"}],
        "common_mistakes": short[45:], "defaults": {"licence": "hostile"},
        "sources": [{"url": "https://example.org/hostile-family", "supports": ["licence"]}],
    })  # fmt: skip
    for i, (_, text) in enumerate(CORPUS, 1):
        catalog[f"models/hostile/hostile-{i:02d}.yaml"] = dump({
            "name": model_name(i, text), "release_date": f"2024-{1 + i // 28:02d}-{1 + i % 28:02d}", "kind": "instruct",
            "architecture": "dense", "params_b": round(0.5 * i, 1), "context_length": 8192,
            "tool_calling": i % 2 == 0, "hf_repo": f"example/hostile-{i}", "description": text,
            "strengths": [text[:SHORT]], "context_note": text, "use_cases": ["chat", "coding"],
            "sources": [{"url": f"https://example.org/hostile/{i}?q=a&r=(b)[c]", "title": text[:SHORT], "note": text,
                         "supports": SUPPORTS}],
            "verified": "2024-12-31",
        })  # fmt: skip
    one_line = [(ident, text) for ident, text in CORPUS if "\n" not in text and len(text) <= SHORT]
    catalog["suites/hostile.yaml"] = dump({
        "name": "Hostile suite <script>alert(1)</script>", "description": "\n\n".join(short[:5]),
        "sampling": {"temperature": 0, "top_p": 1, "max_tokens": 16, "seed": 7},
        "prompts": [{"id": ident, "category": "knowledge", "prompt": f"Say it. REPLY: {text}", "check": {"exact": text}}
                    for ident, text in one_line],
    })  # fmt: skip
    return catalog


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("hostile"), hostile_catalog())
    with FakeServer() as server:  # a stored run whose answers are the hostile texts
        run(Options(base_url=server.base_url, model="ok", suite_path=project / "catalog" / "suites" /
                    "hostile.yaml", root=project, timeout_s=5, retries=0, catalog_id="hostile-01"))  # fmt: skip
    result = run_generator("site", root=project)
    assert result.returncode == 0, result.stderr
    return project / "site"


# What each page reports about itself: event-handler attributes, links and sources with a script or data
# scheme, each table's cell counts per row, its links, and the article's text.
LINKS = "a[href], area[href]"  # HTML and SVG (decision trees) links
CLICK_WAIT_S = 10  # how long a click may take to navigate or download
PAGE_FACTS = """(LINKS) => {
  const handlers = [];
  for (const el of document.querySelectorAll("*"))
    for (const a of el.attributes) if (/^on/i.test(a.name)) handlers.push(el.tagName + " " + a.name);
  const schemes = [...document.querySelectorAll("[href], [src], [action], [formaction], [data]")]
    .flatMap(el => ["href", "src", "action", "formaction", "data"].map(n => el.getAttribute(n)))
    .filter(v => v && /^\\s*(javascript|vbscript|data):/i.test(v));
  const tables = [...document.querySelectorAll("table")].map(t =>
    [...t.rows].map(r => [...r.cells].reduce((n, c) => n + c.colSpan, 0)));
  const links = [...document.querySelectorAll(LINKS)].map((a, i) =>
    ({i, href: new URL(a.getAttribute("href"), document.baseURI).href}));
  const article = document.querySelector("article");
  const policy = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
  return {handlers, schemes, tables, links, text: article ? article.innerText : "", policy: policy && policy.content};
}"""


@dataclass
class Crawl:
    pages: int = 0
    clicked: set[str] = field(default_factory=set)
    dialogs: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    handlers: list[str] = field(default_factory=list)
    schemes: list[str] = field(default_factory=list)
    broken_tables: list[str] = field(default_factory=list)
    text: dict[str, str] = field(default_factory=dict)
    policies: dict[str, str | None] = field(default_factory=dict)
    dead_clicks: list[str] = field(default_factory=list)  # a click that neither navigated nor downloaded


VIOLATION_REPORTER = """document.addEventListener("securitypolicyviolation",
  e => window.atlasViolation(location.pathname + ": " + e.violatedDirective + " " + e.blockedURI + " " + e.sample));"""


CLICK = """([links, i]) => document.querySelectorAll(links)[i]
  .dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true, view: window}))"""


def crawl(site: Path, browser) -> Crawl:
    """Visit every page of `site`; from each, click every link whose target no earlier click went to, and
    wait for what it does: a navigation (then back to the page), a download or a new window."""
    found = Crawl()
    context = browser.new_context(accept_downloads=True)
    context.route(lambda url: not url.startswith("file:"), lambda route: route.fulfill(body="", status=200))
    context.expose_function("atlasViolation", lambda detail: found.violations.append(detail))
    context.add_init_script(VIOLATION_REPORTER)
    page = context.new_page()
    outcomes = {"navigations": 0, "downloads or windows": 0}  # what a click did

    def count(outcome: str) -> None:
        outcomes[outcome] += 1

    page.on("framenavigated", lambda frame: count("navigations") if frame == page.main_frame else None)
    page.on("download", lambda _: count("downloads or windows"))
    context.on("page", lambda popup: (count("downloads or windows"), popup.close()))
    page.on("dialog", lambda d: (found.dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
    page.on("pageerror", lambda e: found.errors.append(f"{page.url}: {e}"))
    for path in sorted(site.rglob("*.html")):
        url = path.as_uri()
        page.goto(url)
        facts = page.evaluate(PAGE_FACTS, LINKS)
        found.pages += 1
        rel = path.relative_to(site).as_posix()
        found.handlers += [f"{rel}: {h}" for h in facts["handlers"]]
        found.schemes += [f"{rel}: {s}" for s in facts["schemes"]]
        found.broken_tables += [f"{rel}: table {n} rows {t}" for n, t in enumerate(facts["tables"]) if len(set(t)) > 1]
        found.text[rel] = " ".join(facts["text"].split())
        found.policies[rel] = facts["policy"]
        for link in facts["links"]:
            if link["href"] in found.clicked:
                continue
            found.clicked.add(link["href"])
            if page.url.split("#")[0] != url:  # a click took us elsewhere: back (a fragment is still this page)
                page.goto(url)
            before = dict(outcomes)
            page.evaluate(CLICK, [LINKS, link["i"]])
            deadline = time.monotonic() + CLICK_WAIT_S
            while outcomes == before and time.monotonic() < deadline:
                page.wait_for_timeout(5)
            if outcomes == before:
                found.dead_clicks.append(f"{rel}: {link['href']}")
            page.wait_for_load_state()
    context.close()
    return found


@pytest.fixture(scope="module")
def crawled(site, browser) -> Crawl:
    return crawl(site, browser)


def test_hostile_inputs_run_nothing(site, crawled, record_property):
    pages = len(list(site.rglob("*.html")))
    assert crawled.pages == pages and len(crawled.clicked) > pages
    executed = crawled.dialogs + crawled.violations
    assert executed == []
    assert crawled.handlers == [] and crawled.schemes == []
    assert crawled.errors == [] and crawled.dead_clicks == []
    record_property(
        "summary",
        f"{len(CORPUS)} hostile inputs, {len(executed)} executed "
        f"({crawled.pages} pages visited, {len(crawled.clicked)} links clicked)",
    )


def test_every_table_keeps_its_column_count(crawled):
    assert crawled.broken_tables == []


def test_every_hostile_text_shows_literally(crawled):
    missing = []
    for i, (ident, text) in enumerate(CORPUS, 1):
        page = crawled.text[f"models/hostile/hostile-{i:02d}.html"]
        for where, expected in (("name", model_name(i, text)), ("description", text), ("strength", text[:SHORT])):
            if shown(expected) not in page:
                missing.append(f"{ident} ({where})")
    assert missing == []
    family, licence = crawled.text["models/hostile/index.html"], crawled.text["licences/hostile.html"]
    assert "Hostile <img src=x onerror=alert(1)> | Family" in family
    assert "Hostile <script>alert(1)</script> | Licence" in licence
    run_page = next(text for rel, text in crawled.text.items() if rel.startswith("runs/hostile-01/"))
    assert shown("</script><script>alert(1)</script>") in run_page


def test_every_page_of_a_depth_allows_the_same_scripts(crawled):
    """The policy allows the template's inline scripts, which differ only by the page's depth (their links to
    the site's root): a page whose policy differed would hold a script its own content put outside <article>."""
    by_depth: dict[int, set] = {}
    for rel, policy in crawled.policies.items():
        assert policy and "script-src 'self' 'sha256-" in policy, rel
        if rel not in ("404.html", "print_page.html"):
            by_depth.setdefault(rel.count("/"), set()).add(policy)
    assert all(len(policies) == 1 for policies in by_depth.values()), by_depth


INJECTED = (
    '<script>window.injected = "inline";</script>'
    '<img src="x" onerror="window.injected = \'handler\'">'
    '<a id="injected-link" href="javascript:window.injected = \'link\'">x</a>'
)


def test_content_security_policy_blocks_scripts_the_build_did_not_make(site, browser):
    """A page the build made runs its own scripts under the policy; the same page with a script, an event
    handler and a javascript: link put into its content afterwards runs none of them."""
    page_file = site / "models" / "hostile" / "hostile-01.html"
    html = page_file.read_text(encoding="utf-8")
    assert html.count('http-equiv="Content-Security-Policy"') == 1
    tampered = site / "models" / "hostile" / "tampered.html"
    tampered.write_text(re.sub(r"(<article[^>]*>)", r"\1" + INJECTED, html, count=1), encoding="utf-8")
    context = browser.new_context()
    violations: list[str] = []
    context.expose_function("atlasViolation", lambda detail: violations.append(detail))
    context.add_init_script(VIOLATION_REPORTER)
    page = context.new_page()
    page.goto(page_file.as_uri())
    assert page.evaluate("typeof __md_get === 'function' && document.body.hasAttribute('data-md-color-scheme')")
    assert violations == []
    page.goto(tampered.as_uri())
    page.click("#injected-link")
    page.wait_for_timeout(200)
    assert page.evaluate("window.injected === undefined")
    assert page.evaluate("typeof __md_get === 'function'")  # the theme's own inline script still runs
    assert {v.split(": ", 1)[1].split(" ")[0] for v in violations} >= {"script-src-elem", "script-src-attr"}
    context.close()
    tampered.unlink()


def test_policy_allows_the_template_scripts_and_not_the_content_ones():
    page = (
        '<html><head><meta charset="utf-8"><script>theme()</script><script src="a.js"></script></head><body>'
        '<article><script>content()</script><script type="application/json">{"a": 1}</script></article>'
        "<script>footer()</script></body></html>"
    )
    protected = csp.protect(page)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', protected)[1]
    assert protected.startswith('<html><head><meta charset="utf-8"><meta http-equiv=')
    assert csp.digest("theme()") in policy and csp.digest("footer()") in policy
    assert csp.digest("content()") not in policy and policy.startswith("script-src 'self' ")
