#!/usr/bin/env bash
# Local Kafka (4.x, KRaft, single node) and PostgreSQL as plain processes on 127.0.0.1.
#   deploy/local/stack.sh up | wait | status | down | wipe | env | kafka-up | kafka-down
#   deploy/local/stack.sh service-env <ingest|scoring|actions|reporting|source|admin> [database]
#   deploy/local/stack.sh db-roles [database]
# Everything lives under $QL_HOME (default <repo>/.local, git-ignored): kafka-libs/ (jars that
# Maven resolves from Maven Central), data/kafka, data/pg, logs/, run/, and secrets.env: every
# password and secret, generated at random on first use (mode 0600; kept by `wipe`).
# Postgres asks every role for its password (SCRAM); each service has a role of its own
# (ql_<service>) owning only its schema. QL_KAFKA_SECURE=1 starts Kafka with SASL/SCRAM and
# ACLs: a principal per service (deploy/local/kafka_acls.py); data formatted that way stays
# secure until `wipe` (QL_KAFKA_SECURE=0 forces plaintext).
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
SECRETS="$QL_HOME/secrets.env"
SERVICES=(ingest scoring actions reporting)
PRINCIPALS=(admin "${SERVICES[@]}" source)  # Kafka users; admin is the super user

say() { echo "[stack] $*"; }
die() { echo "[stack] error: $*" >&2; exit 1; }
now() { date +%s.%N; }

# ---------------------------------------------------------------- secrets
# One random value per name, generated on first use and kept in $SECRETS (mode 0600).
secret() {
  local name="$1" value=""
  mkdir -p "$QL_HOME"
  [ -f "$SECRETS" ] && value="$(sed -n "s/^$name=//p" "$SECRETS" | tail -1)"
  if [ -z "$value" ]; then
    value="$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
    (umask 077; echo "$name=$value" >>"$SECRETS")
  fi
  chmod 600 "$SECRETS"
  printf '%s' "$value"
}
upper() { echo "$1" | tr '[:lower:]' '[:upper:]'; }
db_url() {  # db_url <role> <password name> [database]
  echo "postgresql://$1:$(secret "$2")@127.0.0.1:$PG_PORT/${3:-qualityloop}"
}
admin_url() { db_url qualityloop PG_ADMIN_PASSWORD "${1:-qualityloop}"; }

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

# Secure unless told otherwise once the data was formatted with SCRAM users.
kafka_secure() {
  case "${QL_KAFKA_SECURE:-}" in 1) return 0 ;; 0) return 1 ;; esac
  [ -f "$KDATA/.ql-secure" ]
}

kafka_listeners() {
  if kafka_secure; then
    local pw; pw="$(secret KAFKA_ADMIN_PASSWORD)"
    # Clients: SASL/SCRAM-SHA-512. The controller listener takes SASL/PLAIN (KRaft cannot use
    # SCRAM there); only the broker itself, as admin, talks to it. Nobody is anonymous.
    cat <<PROPS
listeners=SASL_PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=SASL_PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
inter.broker.listener.name=SASL_PLAINTEXT
listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$pw";
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$pw" user_admin="$pw";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin
allow.everyone.if.no.acl.found=false
PROPS
  else
    cat <<PROPS
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
PROPS
  fi
}

kafka_properties() {
  kafka_listeners
  cat <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$CONTROLLER_PORT
controller.listener.names=CONTROLLER
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

# The admin's client settings, for Kafka's own tools.
admin_client_properties() {
  cat <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(secret KAFKA_ADMIN_PASSWORD)";
PROPS
}

# KAFKA_* variables for one principal (plaintext: just the protocol).
kafka_env() {
  if kafka_secure; then
    echo "export KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT"
    echo "export KAFKA_SASL_MECHANISM=SCRAM-SHA-512"
    echo "export KAFKA_SASL_USERNAME=$1"
    echo "export KAFKA_SASL_PASSWORD=$(secret "KAFKA_$(upper "$1")_PASSWORD")"
  else
    echo "export KAFKA_SECURITY_PROTOCOL=PLAINTEXT"
  fi
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
  local auth=()
  if kafka_secure; then auth=(--command-config "$RUN/admin-client.properties"); fi
  kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" \
    "${auth[@]}" --list >/dev/null 2>>"$LOGS/kafka-health.log"
}

kafka_up() {
  need_java
  mkdir -p "$KDATA" "$LOGS" "$RUN"
  if kafka_running; then say "kafka already running (pid $(cat "$KAFKA_PID"))"; return; fi
  rm -f "$KAFKA_PID"
  resolve_jars
  if kafka_secure && [ -f "$KDATA/meta.properties" ] && [ ! -f "$KDATA/.ql-secure" ]; then
    die "kafka data in $KDATA was formatted without SCRAM users: 'stack.sh wipe' to start secure"
  fi
  (umask 077; kafka_properties >"$RUN/server.properties"; admin_client_properties >"$RUN/admin-client.properties")
  if [ ! -f "$KDATA/meta.properties" ]; then
    local cluster users=() u
    cluster="$(kafka_tool kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
    if kafka_secure; then
      for u in "${PRINCIPALS[@]}"; do
        users+=(--add-scram "SCRAM-SHA-512=[name=$u,password=$(secret "KAFKA_$(upper "$u")_PASSWORD")]")
      done
    fi
    kafka_tool kafka.tools.StorageTool format -t "$cluster" -c "$RUN/server.properties" \
      --standalone "${users[@]}" >"$LOGS/kafka-format.log" 2>&1 \
      || die "formatting failed; see $LOGS/kafka-format.log"
    if kafka_secure; then touch "$KDATA/.ql-secure"; fi
    say "kafka storage formatted (cluster $cluster)"
  fi
  # shellcheck disable=SC2046 # word splitting of the options is intended
  nohup setsid java $(jvm_opts) -cp "$LIBS/*" kafka.Kafka "$RUN/server.properties" \
    >"$LOGS/kafka.out" 2>&1 &
  echo $! >"$KAFKA_PID"
  if kafka_secure; then say "kafka starting on 127.0.0.1:$KAFKA_PORT, SASL/SCRAM + ACLs (pid $!)"
  else say "kafka starting on 127.0.0.1:$KAFKA_PORT (pid $!)"; fi
}

# Secure mode: every topic and every principal's ACLs, applied as admin (idempotent).
kafka_acls() {
  kafka_secure || return 0
  local py="$ROOT/.venv/bin/python"
  [ -x "$py" ] || die "secure Kafka needs the project's virtualenv (make setup)"
  (eval "$(kafka_env admin)"; export KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT"
   cd "$ROOT" && PYTHONPATH="$ROOT" "$py" -m deploy.local.kafka_acls) \
    2>>"$LOGS/kafka-acls.log" || die "setting up topics and ACLs failed; see $LOGS/kafka-acls.log"
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

# psql as the cluster's super user (postgres), SQL on stdin (passwords never reach `ps`).
pg_psql() {
  PGOPTIONS="-c client_min_messages=warning" PGPASSWORD="$(secret PG_SUPERUSER_PASSWORD)" \
    "$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" \
    -U postgres -qtA -v ON_ERROR_STOP=1 "$@"
}

# Every connection authenticates with its password (SCRAM); nothing is trusted.
pg_hba() {
  cat <<HBA
# Written by deploy/local/stack.sh: every role proves its password (SCRAM-SHA-256).
local all all               scram-sha-256
host  all all 127.0.0.1/32  scram-sha-256
host  all all ::1/128       scram-sha-256
HBA
}

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
    local pwfile="$RUN/pg/initdb.pw"
    (umask 077; secret PG_SUPERUSER_PASSWORD >"$pwfile")
    if [ -n "$PGUSER_OS" ]; then chown "$PGUSER_OS" "$pwfile"; fi
    local init=(-D "$PGDATA" -U postgres -A scram-sha-256 --pwfile="$pwfile" -E UTF8)
    as_pg "$PGBIN/initdb" "${init[@]}" --locale=C.UTF-8 >"$LOGS/initdb.log" 2>&1 \
      || as_pg "$PGBIN/initdb" "${init[@]}" >"$LOGS/initdb.log" 2>&1 \
      || { rm -f "$pwfile"; die "initdb failed; see $LOGS/initdb.log"; }
    rm -f "$pwfile"
    say "postgres cluster initialised in $PGDATA"
  fi
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$LOGS/postgres.log" -w -t 60 start \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$RUN/pg -c max_connections=200" \
    >/dev/null || die "postgres did not start; see $LOGS/postgres.log"
  pg_setup
  say "postgres up on 127.0.0.1:$PG_PORT (password authentication; roles ql_<service>)"
}

# Passwords required, the owner role, the database, the services' roles (idempotent).
pg_setup() {
  pg_require_passwords
  pg_psql -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'qualityloop') THEN
    CREATE ROLE qualityloop LOGIN SUPERUSER;
  END IF;
END \$\$;
ALTER ROLE qualityloop WITH LOGIN SUPERUSER PASSWORD '$(secret PG_ADMIN_PASSWORD)';
SQL
  pg_psql -d postgres -c "SELECT 1 FROM pg_database WHERE datname='qualityloop'" | grep -q 1 || \
    pg_psql -d postgres -c "CREATE DATABASE qualityloop OWNER qualityloop"
  db_roles qualityloop
}

# A cluster made before passwords (trust): set the super user's password while trust still
# lets us in, then require passwords from everyone.
pg_require_passwords() {
  local hba="$PGDATA/pg_hba.conf"
  if [ "$(pg_hba)" = "$(cat "$hba" 2>/dev/null)" ]; then return; fi
  local trusted=0
  if grep -Eq '^[^#]*[[:space:]]trust([[:space:]]|$)' "$hba"; then
    trusted=1
    "$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qtA -v ON_ERROR_STOP=1 \
      >/dev/null <<SQL
ALTER ROLE postgres PASSWORD '$(secret PG_SUPERUSER_PASSWORD)';
SQL
  fi
  pg_hba >"$hba"; chmod 600 "$hba"
  if [ -n "$PGUSER_OS" ]; then chown "$PGUSER_OS" "$hba"; fi
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" reload >/dev/null
  sleep 0.5  # the reload is asynchronous
  if [ "$trusted" = 1 ]; then say "postgres no longer trusts anyone: passwords (SCRAM) from now on"; fi
}

# Per service: a login role ql_<service> (no superuser, no CREATEDB/CREATEROLE) that owns its
# schema in <database> and everything in it (objects an admin created there are handed over),
# and nothing else; bi_reader (reporting's BI views) exists before reporting migrates.
db_roles() {
  local db="${1:-qualityloop}" s role roles="" schemas=""
  for s in "${SERVICES[@]}"; do
    role="ql_$s"
    roles+="
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$role') THEN CREATE ROLE $role; END IF;
END \$\$;
ALTER ROLE $role WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD '$(secret "PG_$(upper "$s")_PASSWORD")';"
    schemas+="
CREATE SCHEMA IF NOT EXISTS $s AUTHORIZATION $role;
ALTER SCHEMA $s OWNER TO $role;
DO \$\$ DECLARE r record; BEGIN
  FOR r IN SELECT c.oid::regclass AS name, CASE c.relkind WHEN 'v' THEN 'VIEW'
             WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind
           FROM pg_class c
           WHERE c.relnamespace = '$s'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
             AND c.relowner <> '$role'::regrole
             AND NOT EXISTS (SELECT 1 FROM pg_depend d  -- a column's sequence follows its table
                             WHERE d.objid = c.oid AND d.deptype IN ('a', 'i') AND c.relkind = 'S')
  LOOP EXECUTE format('ALTER %s %s OWNER TO $role', r.kind, r.name); END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p
           WHERE p.pronamespace = '$s'::regnamespace AND p.proowner <> '$role'::regrole
  LOOP EXECUTE format('ALTER ROUTINE %s OWNER TO $role', r.name); END LOOP;
END \$\$;"
  done
  pg_psql -d postgres >/dev/null <<SQL
$roles
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bi_reader') THEN
    CREATE ROLE bi_reader NOLOGIN;
  END IF;
END \$\$;
SQL
  pg_psql -d "$db" >/dev/null <<SQL
$schemas
-- The platform's shared identity (tokens, access log): owned by a role nobody logs in as;
-- its migration grants each service only what it needs (runtime/identity/migrations).
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ql_identity') THEN
    CREATE ROLE ql_identity NOLOGIN;
  END IF;
END \$\$;
CREATE SCHEMA IF NOT EXISTS identity AUTHORIZATION ql_identity;
SQL
  # Services cannot create in it: the administrator migrates it (as its owner).
  DATABASE_URL="$(admin_url "$db")" "$ROOT/.venv/bin/python" -m runtime.identity migrate >/dev/null
}

pg_wait() {
  for _ in $(seq 1 120); do
    if "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && \
       "$PGBIN/psql" "$(admin_url)" -qtAc 'select 1' >/dev/null 2>&1; then return; fi
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
      kafka_wait; kafka_acls; pg_setup; pg_wait; say "already up"; exit 0
    fi
    kafka_up; pg_up; kafka_wait; kafka_acls; pg_wait
    say "up in $(python3 -c "print(round($(now) - $t0, 1))")s — Kafka 127.0.0.1:$KAFKA_PORT, Postgres 127.0.0.1:$PG_PORT"
    ;;
  wait) find_pg; pick_pg_user; kafka_wait; pg_wait; say "healthy" ;;
  status)
    if kafka_running; then say "kafka running (pid $(cat "$KAFKA_PID"), 127.0.0.1:$KAFKA_PORT)"; else say "kafka stopped"; fi
    find_pg; pick_pg_user
    if pg_running; then say "postgres running (127.0.0.1:$PG_PORT, data $PGDATA)"; else say "postgres stopped"; fi
    ;;
  down) kafka_down; pg_down ;;
  kafka-up) kafka_up; kafka_wait; kafka_acls; say "kafka up on 127.0.0.1:$KAFKA_PORT" ;;   # fault tests
  kafka-down) kafka_down ;;
  wipe) kafka_down; pg_down; rm -rf "$QL_HOME/data" "$RUN"; say "data wiped (jar cache and $SECRETS kept)" ;;
  env)  # the operator's view: Kafka admin, the database owner, the services' shared secrets
    echo "export QL_ENV=development"
    echo "export KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT"
    kafka_env admin
    echo "export DATABASE_URL=$(admin_url)"
    echo "export PSEUDONYM_SECRET=$(secret PSEUDONYM_SECRET)"
    echo "export WEBHOOK_SECRET=$(secret WEBHOOK_SECRET)"
    ;;
  service-env)  # one principal's own Kafka user and database role (after `env`)
    who="${2:-}"
    case "$who" in
      ingest|scoring|actions|reporting) kafka_env "$who"
        echo "export DATABASE_URL=$(db_url "ql_$who" "PG_$(upper "$who")_PASSWORD" "${3:-qualityloop}")" ;;
      source|admin) kafka_env "$who" ;;
      *) die "usage: $0 service-env ingest|scoring|actions|reporting|source|admin [database]" ;;
    esac
    ;;
  db-roles) find_pg; pick_pg_user; db_roles "${2:-qualityloop}" ;;
  *) die "usage: $0 up|wait|status|down|wipe|env|service-env|db-roles|kafka-up|kafka-down" ;;
esac
