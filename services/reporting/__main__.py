"""`python -m services.reporting [serve | rebuild | tokens ...]`."""

import sys

from services.reporting.cli import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
