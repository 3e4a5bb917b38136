"""Benchmarks and load tests of compass-graph, run side by side on this machine."""
