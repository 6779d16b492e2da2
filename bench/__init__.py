"""Benchmark scripts: speed is measured here, against a seeded PostgreSQL database, never in
unit tests. See bench/README.md."""
