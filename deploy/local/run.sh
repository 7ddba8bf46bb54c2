#!/usr/bin/env bash
# Run the whole platform locally: Kafka + Postgres (stack.sh), the four services as processes,
# then a simulated contact-centre day with injected problems and a summary of what was found. Stays in the foreground until Ctrl-C (then stops the services
# cleanly); QL_DETACH=1 returns after the feed and leaves everything running.
#   deploy/local/run.sh          start + simulated day (QL_SIM_SEED, QL_SIM_DAY, QL_SIM_SPEED)
#   deploy/local/run.sh stop     stop the four services (stack.sh down stops Kafka/Postgres)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
QL_HOME="${QL_HOME:-$ROOT/.local}"
RUN="$QL_HOME/run"; LOGS="$QL_HOME/logs"
mkdir -p "$RUN" "$LOGS"
SERVICES=(ingest scoring actions reporting)
declare -A PORTS=([ingest]="${QL_INGEST_PORT:-8080}" [scoring]="${QL_SCORING_PORT:-8081}"
                  [actions]="${QL_ACTIONS_PORT:-8082}" [reporting]="${QL_REPORTING_PORT:-8083}")

running() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

stop_services() {
  for s in "${SERVICES[@]}"; do
    if running "$s"; then
      kill -TERM "$(cat "$RUN/$s.pid")"
    fi
  done
  for s in "${SERVICES[@]}"; do
    for _ in $(seq 1 100); do running "$s" || break; sleep 0.2; done
    if running "$s"; then kill -KILL "$(cat "$RUN/$s.pid")"; fi
    rm -f "$RUN/$s.pid"
  done
  echo "services stopped"
}

if [ "${1:-}" = "stop" ]; then stop_services; exit 0; fi

deploy/local/stack.sh up
# Development mode with the stack's generated secrets (QL_HOME/secrets.env); each service
# then runs as its own Kafka principal and Postgres role (`stack.sh service-env`).
eval "$(deploy/local/stack.sh env)"
as() { eval "$(deploy/local/stack.sh service-env "$1")"; }
# The simulated day starts with no human evaluations: its automated criteria are trusted until
# measured (the default is unverified until measured: the AutoQA trust gate, AUTOQA_GATE_*).
export AUTOQA_GATE_UNMEASURED="${AUTOQA_GATE_UNMEASURED:-trusted}"
for s in "${SERVICES[@]}"; do
  if running "$s"; then echo "$s already running (pid $(cat "$RUN/$s.pid"))"; continue; fi
  (as "$s"; HTTP_PORT="${PORTS[$s]}" exec nohup .venv/bin/python -m "services.$s" >>"$LOGS/$s.log" 2>&1) &
  echo $! >"$RUN/$s.pid"
done
for s in "${SERVICES[@]}"; do
  url="http://127.0.0.1:${PORTS[$s]}/ready"
  for i in $(seq 1 300); do
    if curl -fs "$url" >/dev/null 2>&1; then break; fi
    if ! running "$s"; then echo "$s failed to start; see $LOGS/$s.log" >&2; tail -20 "$LOGS/$s.log" >&2; exit 1; fi
    sleep 0.3
    [ "$i" = 300 ] && { echo "$s not ready; see $LOGS/$s.log" >&2; exit 1; }
  done
  echo "$s ready on http://127.0.0.1:${PORTS[$s]} (log: $LOGS/$s.log)"
done

# An API key for the simulated source systems and an operations-manager token for the read API
# and the dashboard (kept with the data they belong to).
KEY_FILE="$QL_HOME/data/demo.key"; TOKEN_FILE="$QL_HOME/data/ops.token"
if [ ! -s "$KEY_FILE" ]; then
  (umask 077; as ingest; .venv/bin/python -m services.ingest keys create --source /sim --types '*' \
     --note "make run demo" 2>/dev/null >"$KEY_FILE")
fi
if [ ! -s "$TOKEN_FILE" ]; then
  # Tokens are issued by the database's administrator (services may only read them).
  (umask 077; .venv/bin/python -m services.reporting tokens create --role ops_manager \
     --label "make run demo" 2>/dev/null >"$TOKEN_FILE")
fi
DAY="${QL_SIM_DAY:-$(date -u -d yesterday +%F)}"
echo
echo "Simulating a contact-centre day ($DAY, seed ${QL_SIM_SEED:-7}, speed ${QL_SIM_SPEED:-max}) with injected problems..."
(as source  # a source system's principal: writes raw.*, reads ql.assignments (QA desk)
.venv/bin/python -m simulator send --seed "${QL_SIM_SEED:-7}" --day "$DAY" \
  --speed "${QL_SIM_SPEED:-max}" --qa plan --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --api-key "$(cat "$KEY_FILE")" \
  --ingest-url "http://127.0.0.1:${PORTS[ingest]}" --reporting-url "http://127.0.0.1:${PORTS[reporting]}" \
  --token "$(cat "$TOKEN_FILE")" $(for s in "${SERVICES[@]}"; do echo --service-url "http://127.0.0.1:${PORTS[$s]}"; done) \
  --ground-truth "$QL_HOME/data/ground-truth.json") || true

cat <<INFO

Dashboard              http://127.0.0.1:${PORTS[reporting]}/dashboard?day=$DAY#token=$(cat "$TOKEN_FILE")
Where else to look:
  ingest API (OpenAPI)   http://127.0.0.1:${PORTS[ingest]}/docs   (API key in $KEY_FILE)
  read API (OpenAPI)     http://127.0.0.1:${PORTS[reporting]}/docs (ops token in $TOKEN_FILE)
  AsyncAPI (each svc)    http://127.0.0.1:${PORTS[ingest]}/asyncapi.json  (also :${PORTS[scoring]} :${PORTS[actions]} :${PORTS[reporting]})
  ground truth           $QL_HOME/data/ground-truth.json
  Postgres (BI views)    eval "\$(deploy/local/stack.sh env)"; psql "\$DATABASE_URL" -c 'select * from reporting.kpi_daily'
  secrets (mode 0600)    $QL_HOME/secrets.env
  logs                   $LOGS/
INFO

if [ "${QL_DETACH:-0}" = "1" ]; then
  echo "left running; stop with: make stop"
  exit 0
fi
echo "Running. Ctrl-C stops the services (Kafka and Postgres keep running: make stop)."
trap 'echo; stop_services; exit 0' INT TERM
while true; do sleep 1; done
