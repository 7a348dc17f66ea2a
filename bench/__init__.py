"""Benchmarks on PostgreSQL: a generated dataset (generate.py) and the reminder run (reminders.py).
Results and the commands that reproduce them are in docs/benchmarks.md."""
