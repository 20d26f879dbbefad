"""Benchmarks, run by `make bench` (python -m bench): every bench/bench_*.py module's main()."""
