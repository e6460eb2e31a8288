"""The catalog stage: YAML files read with their positions (parse.py), validated against the one schema
(schema.py, schema_runs.py, fields.py) into authored records (authored.py), family defaults merged
(resolve.py), cross-file checks (checks.py); load.py runs them all. Beside them: the editor schema files,
the git history, the edition, the performance figures and the new-model scaffold."""
