#!/usr/bin/env python3
"""Runs the devchain: `python infra/devchain/devchain.py --port 8545` (see README.md)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from aiplat_devchain.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
