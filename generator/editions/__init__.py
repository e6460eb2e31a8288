"""The offline editions of a built site: the whole atlas as one PDF (pdf.py) and as a zipped site that runs
from a folder (offline.py)."""
