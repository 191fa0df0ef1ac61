# shellcheck shell=bash
# Throwaway PostgreSQL 15 for tests -- the one implementation, sourced by
# scripts/with-postgres and scripts/test.
#
#   pg_ensure_installed   install the PostgreSQL 15 server with apt if it is missing
#   pg_start              initdb + start on a free 127.0.0.1 port (trust auth, fsync=off),
#                         exports SINERGI_TEST_POSTGRES_URL and DATABASE_URL_PG
#   pg_stop               stop the server and delete its temp dirs (idempotent; call from a trap)
#
# Everything on this machine runs as root and PostgreSQL refuses to run as root, so the
# server runs as the `postgres` system user (created if missing).

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DATA=""
PG_SOCK=""
PG_PORT=""

pg_log() { printf '[postgres] %s\n' "$*" >&2; }

pg_ensure_installed() {
  if [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" && -x "$PG_BIN/postgres" ]]; then
    return 0
  fi
  pg_log "PostgreSQL 15 server not found in $PG_BIN; installing with apt-get"
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    pg_log "cannot install: need root and apt-get (install postgresql-15 yourself, or set PG_BIN)"
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  # scripts/test sets APT_UPDATED=1 once it has run apt-get update itself.
  if [[ ${APT_UPDATED:-0} != 1 ]]; then
    apt-get update -qq
    APT_UPDATED=1
  fi
  apt-get install -y -qq postgresql-15 || apt-get install -y -qq postgresql
  if [[ ! -x "$PG_BIN/initdb" ]]; then
    pg_log "installed, but $PG_BIN/initdb is still missing"
    return 1
  fi
}

# A free TCP port on 127.0.0.1 (node is always present here; python3 as a fallback).
pg_free_port() {
  if command -v node >/dev/null; then
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
  else
    python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
  fi
}

# Run a command as the postgres user (or directly when we are not root).
pg_as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_start() {
  pg_ensure_installed
  if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home postgres
  fi

  PG_DATA=$(mktemp -d "${TMPDIR:-/tmp}/pgdata.XXXXXX")
  PG_SOCK=$(mktemp -d "${TMPDIR:-/tmp}/pgsock.XXXXXX")
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres:postgres "$PG_DATA" "$PG_SOCK"
  fi
  chmod 700 "$PG_DATA"

  if ! pg_as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust \
      -E UTF8 --locale=C.UTF-8 >"$PG_SOCK/initdb.log" 2>&1; then
    pg_log "initdb failed:"; cat "$PG_SOCK/initdb.log" >&2
    return 1
  fi

  # The port is picked before the server binds it; retry if another process won the race.
  local attempt
  for attempt in 1 2 3; do
    PG_PORT=$(pg_free_port)
    if pg_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_SOCK -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null; then
      break
    fi
    if [[ $attempt -eq 3 ]]; then
      pg_log "pg_ctl start failed; server log:"; cat "$PG_DATA/server.log" >&2 || true
      return 1
    fi
    pg_log "start on port $PG_PORT failed (attempt $attempt), retrying"
  done

  export SINERGI_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  export DATABASE_URL_PG="$SINERGI_TEST_POSTGRES_URL"
  export PGHOST=127.0.0.1 PGPORT=$PG_PORT PGUSER=postgres PGDATABASE=postgres
  pg_log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (data $PG_DATA)"
}

pg_stop() {
  if [[ -n "$PG_DATA" && -f "$PG_DATA/postmaster.pid" ]]; then
    pg_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 \
      || pg_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate stop >/dev/null 2>&1 \
      || true
    pg_log "stopped"
  fi
  [[ -n "$PG_DATA" ]] && rm -rf "$PG_DATA"
  [[ -n "$PG_SOCK" ]] && rm -rf "$PG_SOCK"
  PG_DATA="" PG_SOCK=""
  return 0
}
