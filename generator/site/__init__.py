"""The site stage: MkDocs builds the generated docs (engine.py runs it and swaps the new site in), through
the hook (hook.py) and the guides' macros (macros.py); every page gets its Content-Security-Policy (csp.py)
and loses its blank runs (minify.py)."""
