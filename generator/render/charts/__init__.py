"""Static charts: Plotly figures of the catalog (catalog.py), of costs and runs (usage.py), in one look
(style.py), rendered to cached SVG for the site (svg.py)."""
