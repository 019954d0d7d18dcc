"""Pieces of the Ward benchmark harness; bench/bench.py runs them and writes the report."""
