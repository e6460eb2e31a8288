"""The site's pages by section, one module each: a `pages(inputs, render)` function yielding (path under
docs/, Markdown) for every page of the section. render/pages.py lists them in SECTIONS."""
