#!/usr/bin/env bash
# Start the local Kafka + Postgres (unless servers are named by KAFKA_BOOTSTRAP_SERVERS and
# DATABASE_URL) and run the whole test suite: unit, integration, end-to-end.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
if [ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ] || [ -z "${DATABASE_URL:-}" ]; then
  if ! .venv/bin/python -c 'import docker; docker.from_env(timeout=3).ping()' 2>/dev/null; then
    deploy/local/stack.sh up
    eval "$(deploy/local/stack.sh env)"
    export KAFKA_BOOTSTRAP_SERVERS DATABASE_URL
  fi
fi
mkdir -p test-artifacts
exec .venv/bin/python -m pytest "$@"
