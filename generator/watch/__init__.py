"""The watch: what publishers released on the Hugging Face Hub that the catalog does not hold yet.

hub.py asks the Hub (through huggingface_hub), releases.py decides which repositories are new releases of a
family and writes its report (catalog/watch/<family>.yaml, shown on the Freshness page), and draft.py turns a
release into a model file a person finishes. `python -m generator watch [--draft]` runs them.
"""
