#!/usr/bin/env bash
# Start the local Kafka + Postgres (unless servers are named by KAFKA_BOOTSTRAP_SERVERS and
# DATABASE_URL) and run the whole test suite: unit, integration, end-to-end.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
if [ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ] || [ -z "${DATABASE_URL:-}" ]; then
  if ! .venv/bin/python -c 'import docker; docker.from_env(timeout=3).ping()' 2>/dev/null; then
    # A stack of its own (own data, own ports), so tests and a running demo never mix.
    export QL_HOME="$ROOT/.local/test-stack" QL_KAFKA_PORT=19192 QL_KAFKA_CONTROLLER_PORT=19193 \
           QL_PG_PORT=15532
    deploy/local/stack.sh up
    eval "$(deploy/local/stack.sh env)"
    export KAFKA_BOOTSTRAP_SERVERS DATABASE_URL
    # Leave no servers behind (QL_KEEP_STACK=1 keeps them for a quicker next run).
    if [ "${QL_KEEP_STACK:-0}" != "1" ]; then trap 'deploy/local/stack.sh down >/dev/null' EXIT; fi
  fi
fi
deploy/local/browser.sh
mkdir -p test-artifacts
.venv/bin/python -m pytest "$@"
