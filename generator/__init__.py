"""Open LLM Atlas generator: catalog/ YAML -> validated catalog -> Markdown pages and data exports."""
