"""The benchmark runner: a prompt suite (catalog/suites) against any OpenAI-compatible server, stored as a run
(catalog/runs) with its provenance. score.py scores answers, client.py talks to the server, runner.py runs,
journals and stores. Generated code is never executed: every check is textual.
"""
