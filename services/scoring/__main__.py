"""`python -m services.scoring`."""

import os

# One BLAS thread: AutoQA's matrix products are small and the service shares the machine;
# threads spinning on them cost more than they give. Set before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from runtime.service import serve
from services.scoring.app import build
from services.scoring.settings import ScoringSettings

if __name__ == "__main__":
    s = ScoringSettings()
    serve(build(s), s.http_host, s.http_port, s.graceful_timeout_s)
