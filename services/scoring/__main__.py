"""`python -m services.scoring`."""

from runtime.service import serve
from services.scoring.app import build
from services.scoring.settings import ScoringSettings

if __name__ == "__main__":
    s = ScoringSettings()
    serve(build(s), s.http_host, s.http_port, s.graceful_timeout_s)
