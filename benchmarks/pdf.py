"""The offline editions' cost, on the full catalog: the site build (which makes the print page), printing the
PDF, and zipping the offline site, in one run.

Target (issue 9): the PDF of the full catalog in under 60 s (printing the built site's print page: browser
start, loading, numbering and printing every page). The site build and the zip are reported, not judged
(the build's own targets belong to the build-speed benchmark).
Prints each figure, its target and their ratio; exits 1 when a target is missed.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from report import report  # noqa: E402

from generator.build import build_site  # noqa: E402
from generator.editions.offline import pack_offline  # noqa: E402
from generator.editions.pdf import make_pdf  # noqa: E402

TARGET_PDF_S = 60.0


def page_count(pdf: Path) -> int:
    """Pages of a PDF as Chromium writes it (no object streams): its /Type /Page objects."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes()))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        start = time.perf_counter()
        build_site(ROOT, site)
        built = time.perf_counter() - start
        printed = make_pdf(site)
        start = time.perf_counter()
        files = pack_offline(site, Path(tmp) / "atlas-offline.zip")
        zipped = time.perf_counter() - start
        zip_mb = (Path(tmp) / "atlas-offline.zip").stat().st_size / 1e6
        pages = page_count(printed.path)
    rows = [
        ("site build with its print page, s (not judged here)", built, None),
        (f"PDF of the full catalog, s ({pages} pages, {printed.bytes / 1e6:.1f} MB)", printed.seconds, TARGET_PDF_S),
        (f"offline zip, s ({files} files, {zip_mb:.1f} MB)", zipped, None),
    ]
    return report("pdf", "offline editions benchmark", rows)


if __name__ == "__main__":
    sys.exit(main())
