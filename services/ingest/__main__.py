"""`python -m services.ingest`: the HTTP API and raw-topic intake in one process."""

from runtime.service import serve
from services.ingest.app import build
from services.ingest.settings import IngestSettings

if __name__ == "__main__":
    s = IngestSettings()
    serve(build(s), s.http_host, s.http_port, s.graceful_timeout_s)
