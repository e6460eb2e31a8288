"""The offline editions, made from the real catalog: the PDF (read back with poppler's pdftotext and
pdftoppm, and pypdf for its links and bookmarks) and the offline zip (unpacked and driven in real Chromium
from file://). Plus the failures: a print page that needs the network, no built site, a zip that must be
reproducible."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers import REAL_SITE_GROUP, run_generator

from generator import routes
from generator.catalog import authored, resolve
from generator.catalog.edition import edition_of
from generator.catalog.history import Commit, History
from generator.editions.offline import pack_offline

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.xdist_group(REAL_SITE_GROUP)  # shares the real catalog's build (conftest.real_site)


def pdftotext(pdf: Path) -> list[str]:
    """The text of each page (layout kept, so a table's header row stays on one line)."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return out.stdout.split("\f")[:-1]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def page_starting(pages: list[str], title: str) -> int:
    """The page whose first line is the numbered heading `title` (not its line in the contents)."""
    return next(i for i, text in enumerate(pages) if re.fullmatch(rf"[\d.]+ {title}", text.strip().split("\n")[0]))


@pytest.fixture(scope="module")
def built(real_site):
    """The real catalog's site, its PDF and its offline zip, made by the commands `make offline` runs."""
    project = real_site
    site = project / "site"
    return {
        "project": project,
        "site": site,
        "pdf": site / "atlas.pdf",
        "zip": project / "dist" / "atlas-offline.zip",
        "pages": pdftotext(site / "atlas.pdf"),
        "models": json.loads((site / "api" / "models.json").read_text(encoding="utf-8")),
        "licences": json.loads((site / "api" / "licences.json").read_text(encoding="utf-8")),
    }


# ---------------------------------------------------------------- the PDF


@pytest.mark.build
@pytest.mark.browser
def test_pdf_names_every_model_and_licence(built):
    text = flat(" ".join(built["pages"]))
    missing = [m["name"] for m in built["models"] if flat(m["name"]) not in text]
    assert missing == []
    missing = [item["name"] for item in built["licences"] if flat(item["name"]) not in text]
    assert missing == []


@pytest.mark.build
@pytest.mark.browser
def test_pdf_has_every_page_of_the_site(built):
    site = built["site"]
    pages = [p.relative_to(site).as_posix() for p in site.rglob("*.html")]
    pages = [p for p in pages if p not in ("404.html", "print_page.html")]
    printed = set(re.findall(r'<section class="print-page" id="([^"]+)"', (site / "print_page.html").read_text()))
    keys = {p.lower().removesuffix(".html").replace("/", "-") for p in pages}
    assert keys - printed == set()
    assert len(pages) > 200
    # Each page starts on a new sheet, after the cover and the contents.
    assert len(built["pages"]) >= len(pages) + 2


@pytest.mark.build
@pytest.mark.browser
def test_pdf_cover_contents_numbering_and_page_numbers(built):
    pages = built["pages"]
    edition = json.loads((built["project"] / "docs" / ".atlas-edition.json").read_text(encoding="utf-8"))
    cover = flat(pages[0])
    assert "Open LLM Atlas" in cover and f"Catalog edition {edition['date']}" in cover
    assert f"{len(built['models'])} models" in cover and edition["version"] in cover
    contents = flat(pages[1]).strip()
    assert contents.startswith("Contents 1 Home 2 Selector 3 Models 3.1 Families")
    text = "\n".join(pages)
    # A model page's title is numbered by its place in the nav (an id with a dot in it too), its sections under it.
    number = re.search(r"^\s*((?:\d+\.){2,}\d+) Llama 3\.1 8B Instruct\s*$", text, re.M)
    assert number, "the model page's title is not numbered"
    assert re.search(rf"^\s*{re.escape(number[1])}\.1 Facts\s*$", text, re.M)
    total = len(pages)
    assert re.search(rf"\b5 / {total}\s*$", pages[4]) and re.search(rf"\b{total} / {total}\s*$", pages[-1])
    assert not re.search(r"\d+ / \d+\s*$", pages[0]), "the cover carries no page number"


@pytest.mark.build
@pytest.mark.browser
def test_pdf_links_all_land_and_bookmarks_exist(built):
    from pypdf import PdfReader

    reader = PdfReader(built["pdf"])
    names = set(reader.named_destinations)
    internal, dangling, outside = 0, [], []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            if link.get("/Subtype") != "/Link":
                continue
            if "/Dest" in link:
                internal += 1
                if str(link["/Dest"]) not in names:
                    dangling.append(str(link["/Dest"]))
            elif not str(link["/A"].get("/URI", "")).startswith(("https://", "http://", "mailto:")):
                outside.append(str(link["/A"].get("/URI")))
    assert internal > 1000 and dangling == [] and outside == []
    # The contents' entry for the glossary leads to the glossary's page.
    glossary = page_starting(built["pages"], "Glossary")
    target = reader.named_destinations["/glossary"]
    assert reader.get_destination_page_number(target) == glossary
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Contents" in titles and any(t.endswith(" Models") for t in titles)


@pytest.mark.build
@pytest.mark.browser
def test_pdf_tables_repeat_their_header_and_widgets_are_left_out(built):
    pages = built["pages"]
    header = re.compile(r"^\s*Model\s+Parameters\s+Active\s+Context\s+Licence\s+Commercial\s+Released", re.M)
    with_header = [i for i, text in enumerate(pages) if header.search(text)]
    runs = [i for i in with_header if i - 1 in with_header]
    assert runs, "the home page's table of every model is not continued under its header on the next page"
    text = flat(" ".join(pages))
    assert "Memory budget (GB)" not in text and "Input it must accept" not in text  # the selector's controls
    assert "Third run (optional)" not in text  # the comparator's
    assert "In print the selector's controls are left out" in text
    assert "In print the comparator's controls are left out" in text
    assert "Best models for 24 GB" in text  # a tier table standing in


@pytest.mark.build
@pytest.mark.browser
def test_pdf_chart_and_decision_tree_pages_are_drawn(built, tmp_path):
    pages = built["pages"]

    def coloured_pixels(index: int) -> int:
        prefix = tmp_path / f"page{index}"
        subprocess.run(["pdftoppm", "-f", str(index + 1), "-l", str(index + 1), "-r", "30", "-singlefile",
                        str(built["pdf"]), str(prefix)], check=True)  # fmt: skip
        data = (tmp_path / f"page{index}.ppm").read_bytes()
        *_header, pixels = re.match(rb"(P6)\s+(\d+)\s+(\d+)\s+(\d+)\s(.*)", data, re.S).groups()
        rgb = memoryview(pixels)
        # Chart bars are orange, red, green or teal; text is black or grey and links are blue.
        return sum(
            1 for i in range(0, len(rgb), 3) if max(rgb[i : i + 3]) - min(rgb[i : i + 3]) > 80 and rgb[i] > rgb[i + 2]
        )

    chart = next(
        i for i, t in enumerate(pages) if re.search(r"^\s*[\d.]+ Weight memory by quantization format", t, re.M)
    )
    assert coloured_pixels(chart) > 300
    text_only = page_starting(pages, "Why open models")
    assert coloured_pixels(text_only) < 50
    tree = page_starting(pages, "Coding")
    drawn = flat(pages[tree] + pages[tree + 1])  # drawn at its own size, the tree may start on the next page
    assert "How much GPU" in drawn and "Will you use it" in drawn  # labels wrap inside their boxes


@pytest.mark.build
@pytest.mark.browser
def test_home_page_links_the_pdf(built):
    home = (built["site"] / "index.html").read_text(encoding="utf-8")
    assert 'href="atlas.pdf"' in home and "atlas-offline.zip" in home


# ---------------------------------------------------------------- the offline site


@pytest.mark.build
@pytest.mark.browser
def test_offline_zip_works_from_a_folder_with_no_network(built, browser, tmp_path):
    with zipfile.ZipFile(built["zip"]) as archive:
        names = archive.namelist()
        assert all(n.startswith("atlas-offline/") for n in names)
        assert "atlas-offline/atlas.pdf" in names and "atlas-offline/index.html" in names
        archive.extractall(tmp_path)
    folder = tmp_path / "atlas-offline"
    page = browser.new_page()
    outside, errors = [], []
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "blob:")) else outside.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto((folder / "index.html").as_uri())
    page.locator(".md-search__input").first.click()
    page.keyboard.type("Llama 3.1 8B")
    page.locator(".md-search-result__item a").first.wait_for(timeout=15_000)
    assert "Llama 3.1 8B Instruct" in page.locator(".md-search-result__list").inner_text()

    page.goto((folder / "selector.html").as_uri())
    names = page.locator("[data-atlas-results] .atlas-selector__name")
    names.first.wait_for(timeout=10_000)
    page.get_by_label("Task").select_option("coding")
    before = names.all_inner_texts()
    page.get_by_label("Memory budget (GB)").fill("80")
    page.get_by_label("Memory budget (GB)").dispatch_event("change")
    page.get_by_label("Commercial use allowed").check()
    assert "of 80 GB" in page.locator("[data-atlas-summary]").inner_text()
    assert names.count() > 0 and names.all_inner_texts() != before

    page.goto((folder / "charts" / "index.html").as_uri())
    drawn = page.evaluate("""() => Promise.all([...document.querySelectorAll("img.atlas-chart")].map((img) => {
        img.loading = "eager";  // the charts below the fold load lazily
        return img.decode().then(() => img.naturalWidth, () => 0);
    }))""")
    assert drawn and min(drawn) > 0
    page.goto((folder / "use-cases" / "coding.html").as_uri())
    box = page.locator(".atlas-tree svg").first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 100
    page.close()
    assert outside == [] and errors == []


# ---------------------------------------------------------------- failures and reproducibility


@pytest.mark.build
@pytest.mark.browser
def test_pdf_refuses_a_page_that_needs_the_network(tmp_path):
    site = tmp_path / "site"
    (site / "assets" / "atlas").mkdir(parents=True)
    shutil.copy(ROOT / "overrides" / "assets" / "atlas" / "print.js", site / "assets" / "atlas")
    (site / routes.PRINT_PAGE).write_text(
        '<!doctype html><title>t</title><div id="print-site-page"><section class="print-page" heading-number="1">'
        '<h1>Page</h1><img src="https://example.invalid/chart.png"></section></div>'
        '<script src="assets/atlas/print.js"></script>'
    )
    (site / "atlas.pdf").write_bytes(b"the previous PDF")
    result = run_generator("pdf", "--site-dir", str(site))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "network request refused: https://example.invalid/chart.png" in result.stderr
    assert (site / "atlas.pdf").read_bytes() == b"the previous PDF"
    assert sorted(p.name for p in site.iterdir()) == ["assets", "atlas.pdf", routes.PRINT_PAGE]


@pytest.mark.build  # `generator pdf` and `generator offline`, stopped before they start
def test_pdf_and_offline_need_a_built_site(tmp_path):
    for command in ("pdf", "offline"):
        result = run_generator(command, "--site-dir", str(tmp_path), root=tmp_path)
        assert result.returncode == 1
        assert "make site" in result.stderr and "Traceback" not in result.stderr


def test_offline_zip_is_reproducible(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "index.html").write_text("<h1>Atlas</h1>")
    (site / "assets" / "a.css").write_text("h1 {}")
    first, second = tmp_path / "one.zip", tmp_path / "two.zip"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    assert pack_offline(site, first) == 2
    (site / "index.html").touch()
    pack_offline(site, second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert archive.namelist() == ["atlas-offline/assets/a.css", "atlas-offline/index.html"]
        assert {info.date_time for info in archive.infolist()} == {(2026, 1, 1, 0, 0, 0)}


def test_edition_date_and_version(tmp_path, monkeypatch):
    catalog = resolve.resolve(authored.read_authored(ROOT / "catalog"))
    (tmp_path / "pyproject.toml").write_text('[project]\nversion = "1.2.3"\n')
    commit = Commit("a" * 40, dt.datetime(2026, 3, 4, 5, 6, tzinfo=dt.UTC), "catalog change", ())
    from_git = edition_of(catalog, History(commits=[commit]), tmp_path)
    assert (from_git.date, from_git.version) == (dt.date(2026, 3, 4), "1.2.3+aaaaaaa")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert edition_of(catalog, None, tmp_path).date == dt.date(2026, 1, 1)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    stated = edition_of(catalog, None, tmp_path)
    newest = max(e.model.verified for e in catalog.models.values())
    assert stated.date >= newest and stated.version == "1.2.3"
