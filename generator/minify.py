"""Page weight: the theme's templates leave runs of blank lines and indentation in every page (a third of a
model page's bytes). `squeeze` collapses each run of whitespace that holds a line break to one line break,
which renders the same everywhere but inside <pre>, <textarea>, <script> and <style>; those are left as
they are. Pure regular expressions: about a millisecond per page."""

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
