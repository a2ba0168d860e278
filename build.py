#!/usr/bin/env python3
"""Entry point: `python build.py [build|check|serve] ...`; the engine is the `sitegen` package."""

import sys

from sitegen.cli import main

if __name__ == "__main__":
    sys.exit(main())
