"""`python -m services.ingest [serve | keys ... | backfill ...]`."""

import sys

from services.ingest.cli import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
