#!/usr/bin/env python
"""Kept for habit; the project's entry point is `samspill` (samspill/cli.py)."""

from samspill.cli import main

if __name__ == "__main__":
    main()
