#!/bin/bash
# Entrypoint of devdb's test images (built by build.sh). devdb never runs it: it starts servers with
# its own script. It exists so that the images behave like the official ones under a plain
# `docker run`, as bench/run's raw side and the smoke test use them, and it does what the official
# entrypoints do on an empty datadir: initialise it, start a temporary server without networking,
# set up root, MYSQL_DATABASE and MYSQL_USER, run /docker-entrypoint-initdb.d/*.sql|.sql.gz|.sh,
# stop the temporary server, and exec the server as the mysql user.
#
# Environment: MYSQL_ROOT_PASSWORD | MYSQL_ALLOW_EMPTY_PASSWORD | MYSQL_RANDOM_ROOT_PASSWORD (one
# is required on an empty datadir), MYSQL_ROOT_HOST (default %), MYSQL_DATABASE, MYSQL_USER,
# MYSQL_PASSWORD; on MariaDB the MARIADB_* names too, which win. Arguments starting with '-' are
# server options. Left out (devdb does not use them): *_FILE variables, time zone tables, the
# `--verbose --help` configuration check, MYSQL_ONETIME_PASSWORD, MariaDB's healthcheck users,
# upgrades and replication variables, .sql.xz/.sql.zst scripts.
set -eo pipefail
shopt -s nullglob

if command -v mariadbd >/dev/null; then SERVER=mariadbd CLIENT=mariadb; else SERVER=mysqld CLIENT=mysql; fi

_log() { printf '%s [%s] [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$1" "${*:2}"; }
note() { _log Note "$@"; }
warn() { _log Warn "$@" >&2; }
error() { _log ERROR "$@" >&2; exit 1; }

if [ "$SERVER" = mariadbd ]; then
  for v in ROOT_PASSWORD ROOT_HOST DATABASE USER PASSWORD RANDOM_ROOT_PASSWORD; do
    m=MARIADB_$v
    if [ -n "${!m:-}" ]; then export "MYSQL_$v=${!m}"; fi
  done
  if [ -n "${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:-}" ]; then export MYSQL_ALLOW_EMPTY_PASSWORD=1; fi
fi

# The datadir and socket the server will use: option files, then the command line (last one wins).
read_server_options() {
  local a groups=(mysqld server)
  local -a options=()
  if [ "$SERVER" = mariadbd ]; then groups=(--mysqld); fi   # every group mariadbd reads
  mapfile -t options < <(my_print_defaults "${groups[@]}" 2>/dev/null || true)
  DATADIR=/var/lib/mysql SOCKET=/var/run/mysqld/mysqld.sock
  for a in "${options[@]}" "$@"; do
    case "$a" in
      --datadir=*) DATADIR=${a#*=} ;;
      --socket=*) SOCKET=${a#*=} ;;
    esac
  done
  DATADIR=${DATADIR%/}
}

# process_sql, docker_process_sql, "${mysql[@]}" and mysql_note/warn/error: the very block of
# devdb's start script (src/main/resources/dev/devdb/mysql/devdb-start.sh), copied in by build.sh.
# shellcheck source=/dev/null
. /usr/local/lib/devdb/client-helpers.sh

sql_escape() {
  local s=${1//\\/\\\\}
  s=${s//$'\n'/\\n}
  printf '%s' "${s//\'/\\\'}"
}

initialise() {
  if [ -z "$MYSQL_ROOT_PASSWORD" ] && [ -z "$MYSQL_ALLOW_EMPTY_PASSWORD" ] && [ -z "$MYSQL_RANDOM_ROOT_PASSWORD" ]; then
    error $'Database is uninitialized and password option is not specified\n\tYou need to specify one of MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD and MYSQL_RANDOM_ROOT_PASSWORD'
  fi
  note "Initializing database files"
  if [ "$SERVER" = mariadbd ]; then
    mariadb-install-db --datadir="$DATADIR" --rpm --auth-root-authentication-method=normal "${@:2}" \
      --skip-test-db --default-time-zone=SYSTEM --skip-log-bin --expire-logs-days=0 \
      || error "Database initialization failed"
  else
    "$@" --initialize-insecure --default-time-zone=SYSTEM || error "Database initialization failed"
  fi

  note "Starting temporary server"
  "$@" --skip-networking --default-time-zone=SYSTEM --socket="$SOCKET" &
  local pid=$! deadline=$((SECONDS + 120))
  until process_sql --no-password --database=mysql <<<'SELECT 1' >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || error "Unable to start server"
    [ $SECONDS -lt $deadline ] || error "Unable to start server: no answer on $SOCKET"
    sleep 0.1
  done

  if [ -n "$MYSQL_RANDOM_ROOT_PASSWORD" ]; then
    MYSQL_ROOT_PASSWORD=$(head -c 24 /dev/urandom | base64)
    note "GENERATED ROOT PASSWORD: $MYSQL_ROOT_PASSWORD"
  fi
  local pw host=${MYSQL_ROOT_HOST:-%} remote=
  pw=$(sql_escape "$MYSQL_ROOT_PASSWORD")
  if [ "$host" != localhost ]; then
    remote="CREATE USER 'root'@'$host' IDENTIFIED BY '$pw'; GRANT ALL ON *.* TO 'root'@'$host' WITH GRANT OPTION;"
  fi
  # system users are not binary-logged, as in the official images
  if [ "$SERVER" = mariadbd ]; then
    process_sql --no-password --database=mysql --binary-mode <<-EOSQL
	SET @@SESSION.SQL_LOG_BIN=0;
	SET @@SESSION.SQL_MODE=REPLACE(@@SESSION.SQL_MODE, 'NO_BACKSLASH_ESCAPES', '');
	DROP USER IF EXISTS root@'127.0.0.1', root@'::1';
	EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS root@\'', @@hostname, '\'');
	DELETE FROM mysql.global_priv WHERE User = '';
	FLUSH PRIVILEGES;
	SET PASSWORD FOR 'root'@'localhost' = PASSWORD('$pw');
	$remote
	EOSQL
  else
    process_sql --no-password --database=mysql <<-EOSQL
	SET @@SESSION.SQL_LOG_BIN=0;
	SET @@SESSION.SQL_MODE=REPLACE(@@SESSION.SQL_MODE, 'NO_BACKSLASH_ESCAPES', '');
	ALTER USER 'root'@'localhost' IDENTIFIED BY '$pw';
	$remote
	EOSQL
  fi
  if [ -n "$MYSQL_DATABASE" ]; then
    note "Creating database $MYSQL_DATABASE"
    process_sql --database=mysql <<<"CREATE DATABASE IF NOT EXISTS \`$MYSQL_DATABASE\`;"
  fi
  if [ -n "$MYSQL_USER" ] && [ -n "$MYSQL_PASSWORD" ]; then
    note "Creating user $MYSQL_USER"
    process_sql --database=mysql <<<"CREATE USER '$MYSQL_USER'@'%' IDENTIFIED BY '$(sql_escape "$MYSQL_PASSWORD")';"
    if [ -n "$MYSQL_DATABASE" ]; then
      process_sql --database=mysql <<<"GRANT ALL ON \`${MYSQL_DATABASE//_/\\_}\`.* TO '$MYSQL_USER'@'%';"
    fi
  fi

  # shellcheck disable=SC2034  # for scripts that use "${mysql[@]}" as with the official images
  mysql=(process_sql)
  local f
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh)
        # shellcheck disable=SC1090
        if [ -x "$f" ]; then note "running $f"; "$f"; else note "sourcing $f"; . "$f"; fi ;;
      *.sql) note "running $f"; process_sql <"$f" ;;
      *.sql.gz) note "running $f"; gunzip -c "$f" | process_sql ;;
      *) warn "ignoring $f" ;;
    esac
  done

  note "Stopping temporary server"
  kill -TERM "$pid"
  wait "$pid" || error "The temporary server did not shut down cleanly"
  note "Init process done. Ready for start up."
}

if [ "${1:0:1}" = - ]; then set -- "$SERVER" "$@"; fi
if { [ "$1" = mysqld ] || [ "$1" = mariadbd ]; } && [[ " $* " != *" --help "* && " $* " != *" --version "* ]]; then
  read_server_options "$@"
  if [ "$(id -u)" = 0 ]; then
    mkdir -p "$DATADIR" "$(dirname "$SOCKET")"
    find "$DATADIR" "$(dirname "$SOCKET")" -maxdepth 0 \! -user mysql -exec chown mysql:mysql '{}' +
    exec gosu mysql "$BASH" "${BASH_SOURCE[0]}" "$@"
  fi
  if [ ! -d "$DATADIR/mysql" ]; then initialise "$@"; fi
fi
exec "$@"
