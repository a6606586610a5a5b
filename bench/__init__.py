"""Benchmark tooling: synthetic content at scale (`populate_synthetic`) and `make bench`.

A Django app only in the development and test settings: production never installs it.
"""
