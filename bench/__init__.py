"""Benchmark: our assistant against a stock `rasa init` bot on the same machine (see docs/benchmarks.md)."""
