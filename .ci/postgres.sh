# Sourced by .ci/run: start_postgres starts a throwaway PostgreSQL server as
# an unprivileged user, on a free loopback port with its socket and data in
# a temporary directory, and exports its URL as RESUME_TEST_DATABASE;
# stop_postgres stops it and removes the directory.

# as_pg runs a command as the server's unprivileged user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    setpriv --reuid="$PG_USER" --regid="$PG_GROUP" --clear-groups -- "$@"
  else
    "$@"
  fi
}

start_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ]; then
    echo "postgresql is not installed" >&2
    return 1
  fi
  PG_DIR=$(mktemp -d)
  PG_USER=nobody PG_GROUP=nogroup
  if [ "$(id -u)" -ne 0 ]; then
    PG_USER=$(id -un) PG_GROUP=$(id -gn)
  fi
  chown "$PG_USER:$PG_GROUP" "$PG_DIR"
  as_pg "$bin/initdb" -D "$PG_DIR/data" -U resume --auth=trust -E UTF8 >"$PG_DIR/initdb.log"
  local port
  for port in $(seq 25432 25532); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
  done
  as_pg "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  PG_CTL="$bin/pg_ctl"
  export RESUME_TEST_DATABASE="postgres://resume@127.0.0.1:$port/postgres?sslmode=disable"
  echo "PostgreSQL at $RESUME_TEST_DATABASE"
}

stop_postgres() {
  if [ -n "${PG_DIR:-}" ]; then
    as_pg "$PG_CTL" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
