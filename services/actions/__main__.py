"""`python -m services.actions`."""

from runtime.service import serve
from services.actions.app import build
from services.actions.settings import ActionsSettings

if __name__ == "__main__":
    s = ActionsSettings()
    serve(build(s), s.http_host, s.http_port, s.graceful_timeout_s)
