"""The model stage: pure maths on the resolved catalog, repeated in the browser by the widgets' scripts:
memory and speed on a machine (hardware.py), the selector's ranking (selector.py), costs (costs.py)."""
