"""Content-Security-Policy: every page carries a meta tag that lets the browser run only the scripts the
build produced: script files served with the site ('self') and, by their SHA-256 hash, the inline scripts
of the page's template (the theme's and the plugins'). The hashes are taken from the page with its
<article> (all of its content) cut out, so a script that ever slipped into page content, whatever it says,
is blocked. Contributor text outside the article (the <title>, nav titles) is escaped, and the hostile-input
test checks that every page of a depth allows the same scripts. The offline search's worker shim
(iframe-worker) writes one inline script into a hidden frame, which inherits the policy; its hash is allowed
too (`shim_script`).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re

from .. import routes

INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
SCRIPT_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
RUNNABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}
CHARSET = re.compile(r"<meta charset=[^>]*>", re.I)
HEAD = re.compile(r"<head\b[^>]*>", re.I)
SHIM = routes.ROOT / routes.VENDOR / "iframe-worker" / "shim.js"
SEARCH_WORKER = re.compile(r'"search": "([^"]+)"')  # the theme's config block names the search worker's file


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script in `html` a browser would run (JSON data blocks are not run)."""
    found = []
    for attributes, body in INLINE_SCRIPT.findall(html):
        kind = SCRIPT_TYPE.search(attributes)
        if "src=" not in attributes.lower() and (kind.group(1).lower() if kind else "") in RUNNABLE_TYPES:
            found.append(body)
    return found


def digest(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


@functools.cache
def _shim_parts() -> tuple[str, str, str, str] | None:
    """iframe-worker's frame script, as a template around the worker's URL: (before, after) and the two
    helper functions it inlines by their source text. None when the shim is not vendored."""
    if not SHIM.is_file():
        return None
    source = SHIM.read_text(encoding="utf-8")
    template = re.search(r"document\.write\(`<html><body><script>(.*?)<\\/script>", source, re.S)
    functions = {name: _function_source(source, name) for name in ("c", "d")}
    post_message, import_scripts = functions["c"], functions["d"]
    if not template or post_message is None or import_scripts is None:
        return None
    before, after = template.group(1).split("${e}")
    return before, after, post_message, import_scripts


def _function_source(source: str, name: str) -> str | None:
    """The source text of `function <name>(…){…}` in minified `source` (braces balanced)."""
    start = source.find(f"function {name}(")
    if start < 0:
        return None
    depth, i = 0, source.index("{", start)
    while i < len(source):
        depth += {"{": 1, "}": -1}.get(source[i], 0)
        if depth == 0:
            return source[start : i + 1]
        i += 1
    return None


def shim_script(worker_url: str) -> str | None:
    """The inline script iframe-worker writes into its frame for `worker_url`, or None without the shim."""
    parts = _shim_parts()
    if parts is None:
        return None
    before, after, post_message, import_scripts = parts
    return (before + worker_url + after).replace("${c}", post_message).replace("${d}", import_scripts)


def policy(scripts: list[str]) -> str:
    hashes = " ".join(sorted({digest(s) for s in scripts}))
    return f"script-src 'self' {hashes}; object-src 'none'; base-uri 'self'".replace("  ", " ")


def protect(html: str) -> str:
    """`html` with a CSP meta tag right after its charset. Allowed by hash: the inline scripts outside the
    page's <article> (which holds all page content, from its first opening to its last closing tag) and the
    search worker's frame script."""
    start, end = html.find("<article"), html.rfind("</article>")
    template = html[:start] + html[end:] if 0 <= start < end else html
    scripts = inline_scripts(template)
    worker = SEARCH_WORKER.search(template)
    if worker and (frame := shim_script(worker.group(1))):
        scripts.append(frame)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(scripts)}">'
    head = CHARSET.search(html) or HEAD.search(html)
    at = head.end() if head else 0
    return html[:at] + meta + html[at:]
