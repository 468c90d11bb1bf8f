"""Queries, one module per domain: the only place that builds SQL for the windows and commands."""
