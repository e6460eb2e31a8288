"""Page weight: the theme's templates leave runs of blank lines and indentation in every page (a third of a
model page's bytes). `squeeze` collapses each run of whitespace that holds a line break to one line break,
which renders the same everywhere but inside <pre>, <textarea>, <script> and <style>; those are left as
they are. `first_abbreviations` keeps each abbreviation's expansion on its first use in a page only (the
glossary's abbreviations repeat down every table: 2 KB of a model page). `aligned_cells` gives a right-aligned
table cell the class "num" (atlas.css) instead of the tables extension's inline style: 16 bytes less for each
of a model page's ~140 numeric cells, and no inline style. Pure regular expressions: about a millisecond per
page."""

from __future__ import annotations

import re

VERBATIM = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)
BLANK_RUN = re.compile(r"[ \t]*\n\s*")


def squeeze(html: str) -> str:
    parts = VERBATIM.split(html)  # text, verbatim block, its tag name, text, …
    out = []
    for i in range(0, len(parts), 3):
        out.append(BLANK_RUN.sub("\n", parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)


ABBREVIATION = re.compile(r'<abbr title="[^"]*">([^<]*)</abbr>')


def first_abbreviations(html: str) -> str:
    """Each abbreviation keeps its title (the expansion Material shows as a tooltip) on its first use in the
    page; later uses stay <abbr> elements without it."""
    seen: set[str] = set()

    def once(found: re.Match) -> str:
        if found.group(1) in seen:
            return f"<abbr>{found.group(1)}</abbr>"
        seen.add(found.group(1))
        return found.group(0)

    return ABBREVIATION.sub(once, html)


ALIGNED_CELL = re.compile(r'<(td|th) style="text-align: right;">')


def aligned_cells(html: str) -> str:
    return ALIGNED_CELL.sub(r'<\1 class="num">', html)
