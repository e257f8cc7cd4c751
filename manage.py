#!/usr/bin/env python
"""Django's usual entry point; the same as the `artrights` command."""

import sys

from artrights.cli import main

if __name__ == "__main__":
    sys.exit(main())
