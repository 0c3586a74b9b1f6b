"""Measured budgets: `python -m benchmarks` prints every budget beside its measured figure."""
