#!/usr/bin/env bash
# Local Kafka (4.x, KRaft, single node) and PostgreSQL as plain processes on 127.0.0.1.
#   deploy/local/stack.sh up | wait | status | down | wipe | env | kafka-up | kafka-down
# Everything lives under $QL_HOME (default <repo>/.local, git-ignored): kafka-libs/ (jars that
# Maven resolves from Maven Central), data/kafka, data/pg, logs/, run/.
# Overridable: QL_HOME, QL_KAFKA_PORT (19092), QL_KAFKA_CONTROLLER_PORT (19093),
# QL_PG_PORT (15432), QL_KAFKA_HEAP (512m), QL_KAFKA_LIBS (<repo>/.local/kafka-libs).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/deploy/local"
QL_HOME="${QL_HOME:-$ROOT/.local}"
KAFKA_PORT="${QL_KAFKA_PORT:-19092}"
CONTROLLER_PORT="${QL_KAFKA_CONTROLLER_PORT:-19093}"
PG_PORT="${QL_PG_PORT:-15432}"
HEAP="${QL_KAFKA_HEAP:-512m}"
LIBS="${QL_KAFKA_LIBS:-$ROOT/.local/kafka-libs}"  # shared by every QL_HOME
KDATA="$QL_HOME/data/kafka"
PGDATA="$QL_HOME/data/pg"
LOGS="$QL_HOME/logs"
RUN="$QL_HOME/run"
KAFKA_PID="$RUN/kafka.pid"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/kafka/pom.xml")"
DB_URL="postgresql://qualityloop:qualityloop@127.0.0.1:$PG_PORT/qualityloop"

say() { echo "[stack] $*"; }
die() { echo "[stack] error: $*" >&2; exit 1; }
now() { date +%s.%N; }

# ---------------------------------------------------------------- Kafka
need_java() {
  command -v java >/dev/null || die "Java 17+ is required (apt-get install openjdk-17-jre-headless)"
  local major
  major="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
  [ "${major:-0}" -ge 17 ] || die "Java 17+ is required (found $major)"
}

resolve_jars() {
  if ls "$LIBS"/kafka_2.13-"$KAFKA_VERSION".jar >/dev/null 2>&1; then return; fi
  command -v mvn >/dev/null || die "Maven is required to fetch the Kafka jars (apt-get install maven)"
  say "resolving Kafka $KAFKA_VERSION jars from Maven Central into $LIBS"
  rm -rf "$LIBS.tmp"
  mvn -q -B -f "$HERE/kafka/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$LIBS.tmp" -DincludeScope=runtime >"$LOGS/maven.log" 2>&1 \
    || die "Maven failed; see $LOGS/maven.log"
  rm -rf "$LIBS" && mv "$LIBS.tmp" "$LIBS"
  say "$(ls "$LIBS" | wc -l) jars resolved"
}

kafka_properties() {
  cat <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KDATA
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.check.interval.ms=60000
PROPS
}

# The stock kafka-server-start.sh JVM options, with a bounded heap.
jvm_opts() {
  echo -Xmx"$HEAP" -Xms"$HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$HERE/kafka/log4j2.properties" -Dkafka.logs.dir="$LOGS"
}
# Tools (StorageTool, TopicCommand) get a small heap of their own.
kafka_tool() {
  java -Xmx256m -Dlog4j2.configurationFile="$HERE/kafka/log4j2.properties" \
    -Dkafka.logs.dir="$LOGS/tools" -cp "$LIBS/*" "$@"
}

kafka_running() { [ -f "$KAFKA_PID" ] && kill -0 "$(cat "$KAFKA_PID")" 2>/dev/null; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Healthy = the broker answers a metadata request (TopicCommand --list), not just a port.
kafka_answers() {
  kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" \
    --list >/dev/null 2>>"$LOGS/kafka-health.log"
}

kafka_up() {
  need_java
  mkdir -p "$KDATA" "$LOGS" "$RUN"
  if kafka_running; then say "kafka already running (pid $(cat "$KAFKA_PID"))"; return; fi
  rm -f "$KAFKA_PID"
  resolve_jars
  kafka_properties >"$RUN/server.properties"
  if [ ! -f "$KDATA/meta.properties" ]; then
    local cluster
    cluster="$(kafka_tool kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
    kafka_tool kafka.tools.StorageTool format -t "$cluster" -c "$RUN/server.properties" \
      --standalone >"$LOGS/kafka-format.log" 2>&1 || die "formatting failed; see $LOGS/kafka-format.log"
    say "kafka storage formatted (cluster $cluster)"
  fi
  # shellcheck disable=SC2046 # word splitting of the options is intended
  nohup setsid java $(jvm_opts) -cp "$LIBS/*" kafka.Kafka "$RUN/server.properties" \
    >"$LOGS/kafka.out" 2>&1 &
  echo $! >"$KAFKA_PID"
  say "kafka starting on 127.0.0.1:$KAFKA_PORT (pid $!)"
}

kafka_wait() {
  for _ in $(seq 1 240); do
    kafka_running || die "kafka exited; see $LOGS/kafka.out and $LOGS/kafka-server.log"
    if port_open "$KAFKA_PORT"; then
      for _ in 1 2 3 4 5; do kafka_answers && return; sleep 1; done
      die "kafka listens but does not answer; see $LOGS/kafka-server.log"
    fi
    sleep 0.25
  done
  die "kafka not listening after 60 s; see $LOGS/kafka-server.log"
}

kafka_down() {
  if ! kafka_running; then rm -f "$KAFKA_PID"; return; fi
  local pid; pid="$(cat "$KAFKA_PID")"
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then say "kafka did not stop in 30 s: killing"; kill -KILL "$pid"; fi
  rm -f "$KAFKA_PID"
  say "kafka stopped"
}

# ---------------------------------------------------------------- PostgreSQL
PGBIN=""
find_pg() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  if [ -z "$dir" ] && command -v pg_ctl >/dev/null; then dir="$(dirname "$(command -v pg_ctl)")"; fi
  PGBIN="$dir"
}

install_pg() {
  find_pg
  [ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] && return
  say "PostgreSQL server not found: installing Debian's postgresql package"
  local sudo=""
  if [ "$(id -u)" != 0 ]; then command -v sudo >/dev/null && sudo="sudo" || die "install postgresql (as root)"; fi
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
  find_pg
  [ -x "$PGBIN/initdb" ] || die "PostgreSQL install failed"
}

# initdb and postgres refuse to run as root: as root, run them as a system user.
PGUSER_OS=""
as_pg() {
  if [ -n "$PGUSER_OS" ]; then runuser -u "$PGUSER_OS" -- "$@"; else "$@"; fi
}
pick_pg_user() {
  if [ "$(id -u)" = 0 ]; then
    if id postgres >/dev/null 2>&1; then PGUSER_OS=postgres
    else id qlpg >/dev/null 2>&1 || useradd --system --no-create-home qlpg; PGUSER_OS=qlpg; fi
  fi
}

pg_running() { [ -n "$PGBIN" ] && [ -f "$PGDATA/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }

pg_up() {
  install_pg
  pick_pg_user
  mkdir -p "$PGDATA" "$LOGS" "$RUN/pg"
  if [ -n "$PGUSER_OS" ]; then
    chown "$PGUSER_OS" "$PGDATA" "$RUN/pg"; chmod 700 "$PGDATA"
    touch "$LOGS/postgres.log"; chown "$PGUSER_OS" "$LOGS/postgres.log"
    # The OS user must be able to reach the data dir through its parents.
    local d="$PGDATA"; while [ "$d" != "/" ]; do d="$(dirname "$d")"; chmod o+x "$d" 2>/dev/null || true; done
  fi
  if pg_running; then say "postgres already running"; return; fi
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
      >"$LOGS/initdb.log" 2>&1 || as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 \
      >"$LOGS/initdb.log" 2>&1 || die "initdb failed; see $LOGS/initdb.log"
    say "postgres cluster initialised in $PGDATA"
  fi
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$LOGS/postgres.log" -w -t 60 start \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$RUN/pg -c max_connections=200" \
    >/dev/null || die "postgres did not start; see $LOGS/postgres.log"
  local psql="$PGBIN/psql -h 127.0.0.1 -p $PG_PORT -U postgres -d postgres -qtA"
  $psql -c "SELECT 1 FROM pg_roles WHERE rolname='qualityloop'" | grep -q 1 || \
    $psql -c "CREATE ROLE qualityloop LOGIN SUPERUSER PASSWORD 'qualityloop'"
  $psql -c "SELECT 1 FROM pg_database WHERE datname='qualityloop'" | grep -q 1 || \
    $psql -c "CREATE DATABASE qualityloop OWNER qualityloop"
  say "postgres up on 127.0.0.1:$PG_PORT"
}

pg_wait() {
  for _ in $(seq 1 120); do
    if "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && \
       "$PGBIN/psql" "$DB_URL" -qtAc 'select 1' >/dev/null 2>&1; then return; fi
    sleep 0.5
  done
  die "postgres not healthy; see $LOGS/postgres.log"
}

pg_down() {
  find_pg; pick_pg_user
  if pg_running; then as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null; say "postgres stopped"; fi
}

# ---------------------------------------------------------------- commands
cmd="${1:-up}"
case "$cmd" in
  up)
    t0="$(now)"
    if kafka_running && { find_pg; pick_pg_user; pg_running; }; then
      kafka_wait; pg_wait; say "already up (no-op)"; exit 0
    fi
    kafka_up; pg_up; kafka_wait; pg_wait
    say "up in $(python3 -c "print(round($(now) - $t0, 1))")s — Kafka 127.0.0.1:$KAFKA_PORT, Postgres 127.0.0.1:$PG_PORT"
    ;;
  wait) find_pg; pick_pg_user; kafka_wait; pg_wait; say "healthy" ;;
  status)
    if kafka_running; then say "kafka running (pid $(cat "$KAFKA_PID"), 127.0.0.1:$KAFKA_PORT)"; else say "kafka stopped"; fi
    find_pg; pick_pg_user
    if pg_running; then say "postgres running (127.0.0.1:$PG_PORT, data $PGDATA)"; else say "postgres stopped"; fi
    ;;
  down) kafka_down; pg_down ;;
  kafka-up) kafka_up; kafka_wait; say "kafka up on 127.0.0.1:$KAFKA_PORT" ;;   # fault tests
  kafka-down) kafka_down ;;
  wipe) kafka_down; pg_down; rm -rf "$QL_HOME/data" "$RUN"; say "data wiped (jar cache kept)" ;;
  env)
    echo "export KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT"
    echo "export DATABASE_URL=$DB_URL"
    ;;
  *) die "usage: $0 up|wait|status|down|wipe|env|kafka-up|kafka-down" ;;
esac
