"""The render stage: every generated file under docs/. Pages by section (pages.py, sections/) through
Jinja templates (jinja.py, templates/), charts (charts/), decision trees (trees.py), the data exports
(exports.py), with contributor text escaped for wherever it lands (escape.py) and formatted once
(format.py)."""
