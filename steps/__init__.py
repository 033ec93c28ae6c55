"""Your steps: one file at a time, in order. `python -m kata` says which is next."""
