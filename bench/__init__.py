"""Benchmarks of the Google backend against the loopback fake: `python -m bench` (see bench/__main__.py)."""
