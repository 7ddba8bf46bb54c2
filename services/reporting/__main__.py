"""`python -m services.reporting`."""

from runtime.service import serve
from services.reporting.app import build
from services.reporting.settings import ReportingSettings

if __name__ == "__main__":
    s = ReportingSettings()
    serve(build(s), s.http_host, s.http_port, s.graceful_timeout_s)
