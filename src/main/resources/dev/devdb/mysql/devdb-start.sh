#!/bin/bash
# Starts the server of a devdb instance. devdb copies this script into each container it creates
# from a server image and makes it the entrypoint; $1 is the server binary (mysqld or mariadbd),
# the other arguments are server options.
#
# On an empty data directory it initialises one, keeping the contract of the official images'
# entrypoints: MYSQL_ROOT_PASSWORD, MYSQL_ROOT_HOST (default %), MYSQL_DATABASE, MYSQL_USER and
# MYSQL_PASSWORD; time zone tables loaded unless MYSQL_INITDB_SKIP_TZINFO is set; the scripts in
# /docker-entrypoint-initdb.d (*.sql, *.sql.gz, *.sh, in name order) run once, .sql against
# MYSQL_DATABASE, and .sh ones see the helpers such scripts use (docker_process_sql, "${mysql[@]}").
#
# The entrypoints set up a temporary server without networking, stop it and start the real one.
# Here the real server is set up once, and the file $READY says when that is done: devdb tells
# nobody to connect before it exists. On later starts of the container the server runs directly.
#
# With DEVDB_KEEP set, on data devdb copied from a running server (which needs crash recovery),
# the script starts the server without networking, stops it cleanly, creates $READY and
# $PREPARED, waits for devdb to have kept the clean data and to create $GO, and starts the server
# again: servers started from the kept data then skip crash recovery.
#
# Before anything else it checks that the image has what it needs (the README lists it): an image
# without it stops the container with exit code $UNFIT and one line that says what is missing.
# With DEVDB_CHECK_CONFIG set, the server then judges its configuration before a data directory is
# initialised; one it refuses stops the container with exit code $CONFIG_REFUSED and its own lines.
set -eo pipefail
shopt -s nullglob

READY=/var/lib/devdb/state/initialised
PREPARED=/var/lib/devdb/state/prepared
GO=/var/lib/devdb/state/go
UNFIT=78
CONFIG_REFUSED=79
SERVER=${1:?the server binary}
shift
if [ "$SERVER" = mariadbd ]; then CLIENT=mariadb; else CLIENT=mysql; fi

# Everything the script says goes to stderr, where the server and the clients write their errors:
# one stream keeps the order in the container's log, so an error follows the seed that made it
# (stdout and stderr are separate pipes, which the engine may interleave in either order).
_log() {
  local type=$1
  shift
  printf '%s [%s] [devdb]: %s\n' "$(date --rfc-3339=seconds)" "$type" "$*" >&2
}
note() { _log Note "$@"; }
warn() { _log Warn "$@"; }
SERVER_PID=
error() {
  _log ERROR "$@"
  exit 1
}

# Ends what runs in the background beside the set-up (the time zone loader, jobs of sourced
# scripts), each job with everything it started, and waits for it; the server is not one of them.
end_jobs() {
  local pid
  for pid in $(jobs -p); do
    [ "$pid" != "$SERVER_PID" ] || continue
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

# On every way out of the set-up, errors included: the background jobs end first, so that the
# failure reported is the one that stopped the set-up, not theirs when the server goes; then the
# server stops. Only the script itself does this: bash 5.1 may run the trap in a subshell too.
on_exit() {
  local rc=$?
  if [ "$BASHPID" = "$$" ]; then
    end_jobs
    if [ -n "$SERVER_PID" ]; then
      kill -TERM "$SERVER_PID" 2>/dev/null || true
      wait "$SERVER_PID" 2>/dev/null || true
    fi
  fi
  exit "$rc"
}

# The effective datadir, socket, pid file and secure-file-priv, read the way the server reads them:
# option files first, then the command line; the last one wins.
read_server_options() {
  local -a args=()
  local line a
  while IFS= read -r line; do DEFAULTS+=("$line"); done < <(my_print_defaults mysqld server mariadb mariadbd 2>/dev/null || true)
  args=("${DEFAULTS[@]}" "$@")
  DATADIR=/var/lib/mysql SOCKET=/var/run/mysqld/mysqld.sock PIDFILE='' FILEPRIV=''
  local name value
  for a in "${args[@]}"; do
    case "$a" in
      --*=*) a=${a#--}; name=${a%%=*}; value=${a#*=} ;;
      *) continue ;;
    esac
    name=${name#loose-}
    name=${name#loose_}
    case "${name//_/-}" in
      datadir) DATADIR=$value ;;
      socket) SOCKET=$value ;;
      pid-file) PIDFILE=$value ;;
      secure-file-priv) FILEPRIV=$value ;;
    esac
  done
  DATADIR=${DATADIR%/}
}

# What the rest of the script and the server need of the image: the programs, the mysql user to
# run as when started as root, and option files that read /etc/mysql/conf.d (where devdb's
# settings are) when my_print_defaults can tell. Builtins only: no process is started.
check_image() {
  local -a lacks=()
  command -v "$SERVER" >/dev/null || lacks+=("no $SERVER on PATH")
  command -v "$CLIENT" >/dev/null || lacks+=("no $CLIENT client on PATH")
  if [ "$SERVER" = mariadbd ] && ! command -v mariadb-install-db >/dev/null && ! command -v mysql_install_db >/dev/null; then
    lacks+=("no mariadb-install-db on PATH")
  fi
  local line user=
  if [ "$EUID" = 0 ]; then
    while IFS=: read -r line _; do [ "$line" = mysql ] && user=1 && break; done </etc/passwd
    [ -n "$user" ] || lacks+=("no mysql user")
  fi
  local cnf=/etc/mysql/conf.d/devdb.cnf key= read=
  if [ -f "$cnf" ] && command -v my_print_defaults >/dev/null; then
    while read -r line; do
      case "$line" in [a-z]*) key=${line%%[ =]*}; break ;; esac
    done <"$cnf"
    for line in "${DEFAULTS[@]}"; do
      case "$line" in "--$key" | "--$key="*) read=1 ;; esac
    done
    if [ -n "$key" ] && [ -z "$read" ]; then lacks+=("no option file that includes /etc/mysql/conf.d"); fi
  fi
  if [ ${#lacks[@]} -gt 0 ]; then
    local what
    what=$(printf ', %s' "${lacks[@]}")
    _log ERROR "unfit image: the image has ${what#, }" >&2
    exit $UNFIT
  fi
}

create_directories() {
  local -a dirs=("$DATADIR" "$(dirname "$READY")" "$(dirname "$SOCKET")")
  if [ -n "$PIDFILE" ] && [[ $PIDFILE == /* ]]; then dirs+=("$(dirname "$PIDFILE")"); fi
  if [ -n "$FILEPRIV" ] && [ "$FILEPRIV" != NULL ]; then dirs+=("$FILEPRIV"); fi
  mkdir -p "${dirs[@]}"
  if [ "$(id -u)" = 0 ]; then
    find "${dirs[@]}" -maxdepth 0 \! -user mysql -exec chown mysql:mysql '{}' +
  fi
}

# MariaDB 11.4 and later make a new self-signed TLS certificate at every start when none is configured
# (0.3 s of a quiet start, up to 2 s under load). On a new instance of such a server devdb puts one
# in $TLS_NEW; kept in the data directory and named in conf.d (read before devdb.cnf, so a profile's
# own ssl settings win), it is the one every later start from this data serves, as MySQL keeps the
# certificates it makes at initialisation. Another server, or one that cannot be set up so, leaves
# the server to do as it does.
TLS_NEW=/etc/mysql/devdb-tls
install_certificate() {
  [ -f "$TLS_NEW/server-key.pem" ] && [ -f "$TLS_NEW/server-cert.pem" ] || return 0
  local version
  version=$("$SERVER" --version 2>/dev/null) || version=
  if [[ $version =~ Ver\ ([0-9]+)\.([0-9]+)\.[0-9]+-MariaDB ]] \
      && { [ "${BASH_REMATCH[1]}" -gt 11 ] || { [ "${BASH_REMATCH[1]}" = 11 ] && [ "${BASH_REMATCH[2]}" -ge 4 ]; }; }; then
    if install -m 600 "$TLS_NEW/server-key.pem" "$DATADIR/devdb-server-key.pem" \
        && install -m 644 "$TLS_NEW/server-cert.pem" "$DATADIR/devdb-server-cert.pem" \
        && printf '[mariadb]\nssl_cert = %s\nssl_key = %s\n' "$DATADIR/devdb-server-cert.pem" \
          "$DATADIR/devdb-server-key.pem" >/etc/mysql/conf.d/devdb-tls.cnf; then
      [ "$(id -u)" != 0 ] || chown mysql:mysql "$DATADIR/devdb-server-key.pem" "$DATADIR/devdb-server-cert.pem"
    else
      warn "the server makes its own TLS certificate at every start: devdb's could not be kept"
      rm -f "$DATADIR/devdb-server-key.pem" "$DATADIR/devdb-server-cert.pem" /etc/mysql/conf.d/devdb-tls.cnf
    fi
  fi
  rm -rf "$TLS_NEW" 2>/dev/null || true
}

# client-helpers: begin (the test images' entrypoint sources this block; .ci/images/build.sh)
# The root password reaches the client in an option file on a pipe, never in an argument.
_client_options() {
  [ "$1" = --no-password ] && return 0
  local v=${MYSQL_ROOT_PASSWORD//\\/\\\\}
  v=${v//$'\n'/\\n}
  printf '[client]\npassword="%s"\n' "${v//\"/\\\"}"
}

# process_sql [--no-password] [client options]: the SQL on stdin, as root over the socket.
process_sql() {
  local pw=
  if [ "$1" = --no-password ]; then pw=$1; shift; fi
  if [ -n "$MYSQL_DATABASE" ]; then set -- --database="$MYSQL_DATABASE" "$@"; fi
  "$CLIENT" --defaults-extra-file=<(_client_options "$pw") --protocol=socket -uroot -hlocalhost \
    --socket="$SOCKET" --comments "$@"
}

# The names init scripts written for the official images use.
docker_process_sql() {
  if [ "$1" = --dont-use-mysql-root-password ]; then shift; process_sql --no-password "$@"
  else process_sql "$@"; fi
}
mysql_note() { note "$@"; }
mysql_warn() { warn "$@"; }
mysql_error() { error "$@"; }
# shellcheck disable=SC2034
mysql=(process_sql)
# client-helpers: end

# Whether a backslash in a string literal escapes the next character depends on sql_mode, and the
# server's may have NO_BACKSLASH_ESCAPES: SQL that holds a sql_string literal runs this statement
# first. devdb's Java side (Sql.literal) quotes the same way.
BACKSLASH_ESCAPES="SET SESSION sql_mode = TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','))"
# sql_string VALUE: VALUE as a string literal, quoted, on one line.
sql_string() {
  local s=${1//\\/\\\\}
  s=${s//\'/\'\'}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  printf "'%s'" "$s"
}

# The server reads every option as it would at start and says which it refuses: MySQL with
# --validate-config (8.0.16 and later), MariaDB with --help --verbose, which exits 0 on an option it
# could not apply to a plugin (it disables the plugin), so its [ERROR] lines count too.
validate_config() {
  local out rc=0
  if [ "$SERVER" = mariadbd ]; then
    out=$("$SERVER" "$@" --help --verbose 2>&1 >/dev/null) || rc=$?
    if [ "$rc" = 0 ] && [[ $out == *"[ERROR]"* ]]; then rc=1; fi
  else
    out=$("$SERVER" "$@" --validate-config 2>&1) || rc=$?
  fi
  if [ "$rc" != 0 ]; then
    printf '%s\n' "$out" >&2
    _log ERROR "configuration refused: $SERVER exit code $rc"
    exit $CONFIG_REFUSED
  fi
}

init_datadir() {
  note "Initializing database files"
  if [ "$SERVER" = mariadbd ]; then
    local install
    install=$(command -v mariadb-install-db || command -v mysql_install_db) \
      || error "neither mariadb-install-db nor mysql_install_db is in the image"
    "$install" --datadir="$DATADIR" --rpm --auth-root-authentication-method=normal "$@" \
      --skip-test-db --default-time-zone=SYSTEM --enforce-storage-engine= --skip-log-bin \
      --expire-logs-days=0 --loose-innodb_buffer_pool_load_at_startup=0 \
      --loose-innodb_buffer_pool_dump_at_shutdown=0 \
      || error "Database initialization failed ($install exit code $?)"
  else
    "$SERVER" "$@" --initialize-insecure --default-time-zone=SYSTEM \
      || error "Database initialization failed ($SERVER --initialize-insecure exit code $?)"
  fi
  note "Database files initialized"
}

start_server() {
  # Lock files copied from a running server name its process id, which here may be another process.
  rm -f "$SOCKET.lock" "$(dirname "$SOCKET")/mysqlx.sock.lock"
  "$SERVER" "$@" &
  SERVER_PID=$!
}

# Waits until the server answers on its socket, as root: without a password (a new data
# directory), or with --password, with MYSQL_ROOT_PASSWORD.
await_server() {
  local deadline=$((SECONDS + ${DEVDB_INIT_TIMEOUT:-120})) pw=--no-password
  [ "${1:-}" = --password ] && pw=
  until process_sql $pw --database=mysql <<<'SELECT 1' >/dev/null 2>&1; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      local rc=0
      wait "$SERVER_PID" || rc=$?
      SERVER_PID=
      error "Unable to start server: it exited with code $rc"
    fi
    if [ $SECONDS -ge $deadline ]; then
      error "Unable to start server: no answer on $SOCKET within ${DEVDB_INIT_TIMEOUT:-120}s"
    fi
    sleep 0.05
  done
}

# A clean shutdown (SIGTERM), as the server does for docker stop.
stop_server() {
  kill -TERM "$SERVER_PID"
  local rc=0
  wait "$SERVER_PID" || rc=$?
  SERVER_PID=
  [ "$rc" = 0 ] || error "The server did not shut down cleanly (exit code $rc)"
}

# Stops the server so that devdb can keep a clean copy of the data, then starts it again.
keep_for_devdb() {
  note "Stopping the server so that devdb can keep the initialised data"
  stop_server
  # Less to copy, and nothing lost: every start makes the temporary tablespaces anew, MySQL 8.0.20
  # and later make missing doublewrite files, and after a clean shutdown MySQL 8.0.30 and later
  # make new redo log files when there are none.
  rm -f "$DATADIR/ibtmp1" "$DATADIR/#innodb_temp/"*.ibt "$DATADIR/"#ib_*.dblwr
  if [ -d "$DATADIR/#innodb_redo" ]; then rm -f "$DATADIR/#innodb_redo/"*; fi
  : >"$READY"               # kept with the data: a server started from it needs no set-up
  : >"$PREPARED"
  local deadline=$((SECONDS + ${DEVDB_KEEP_TIMEOUT:-600}))
  until [ -e "$GO" ]; do
    [ $SECONDS -lt $deadline ] || { warn "devdb did not copy the data within ${DEVDB_KEEP_TIMEOUT:-600}s"; break; }
    sleep 0.02
  done
  note "Starting server"
  start_server "$@"
}

# Root from MYSQL_ROOT_HOST with the password; no anonymous users, no test database. Not binary-logged.
setup_root() {
  local pw host remote=
  pw=$(sql_string "$MYSQL_ROOT_PASSWORD")
  host=$(sql_string "${MYSQL_ROOT_HOST:-%}")
  if [ "${MYSQL_ROOT_HOST:-%}" != localhost ]; then
    remote="CREATE USER 'root'@${host} IDENTIFIED BY ${pw};
GRANT ALL ON *.* TO 'root'@${host} WITH GRANT OPTION;"
  fi
  if [ "$SERVER" = mariadbd ]; then
    [ "${MYSQL_ROOT_HOST:-%}" = localhost ] || remote+="
GRANT PROXY ON ''@'%' TO 'root'@${host} WITH GRANT OPTION;"
    process_sql --no-password --database=mysql --binary-mode <<-EOSQL
	SET @@SESSION.SQL_LOG_BIN=0;
	${BACKSLASH_ESCAPES};
	DROP USER IF EXISTS root@'127.0.0.1', root@'::1';
	EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS root@''', @@hostname, '''');
	DELETE FROM mysql.global_priv WHERE User = '';
	SET PASSWORD FOR 'root'@'localhost' = PASSWORD(${pw});
	${remote}
	FLUSH PRIVILEGES;
	EOSQL
  else
    process_sql --no-password --database=mysql <<-EOSQL
	SET autocommit = 1;
	SET @@SESSION.SQL_LOG_BIN=0;
	${BACKSLASH_ESCAPES};
	ALTER USER 'root'@'localhost' IDENTIFIED BY ${pw};
	GRANT ALL ON *.* TO 'root'@'localhost' WITH GRANT OPTION;
	FLUSH PRIVILEGES;
	${remote}
	DROP DATABASE IF EXISTS test;
	EOSQL
  fi
}

setup_database() {
  local user db=${MYSQL_DATABASE//\`/\`\`}
  if [ -n "$MYSQL_DATABASE" ]; then
    note "Creating database ${MYSQL_DATABASE}"
    process_sql --database=mysql <<<"CREATE DATABASE IF NOT EXISTS \`${db}\`;"
  fi
  if [ -n "$MYSQL_USER" ] && [ -n "$MYSQL_PASSWORD" ]; then
    note "Creating user ${MYSQL_USER}"
    user="$(sql_string "$MYSQL_USER")@'%'"
    process_sql --database=mysql <<<"${BACKSLASH_ESCAPES};
CREATE USER ${user} IDENTIFIED BY $(sql_string "$MYSQL_PASSWORD");"
    if [ -n "$MYSQL_DATABASE" ]; then
      note "Giving user ${MYSQL_USER} access to schema ${MYSQL_DATABASE}"
      process_sql --database=mysql <<<"${BACKSLASH_ESCAPES};
GRANT ALL ON \`${db//_/\\_}\`.* TO ${user};"
    fi
  fi
}

# Time zone tables, as the official images load them; in the background, beside the scripts.
TZ_PID=
load_time_zones() {
  [ -z "${MYSQL_INITDB_SKIP_TZINFO:-}" ] && [ -d /usr/share/zoneinfo ] || return 0
  local tool
  tool=$(command -v mariadb-tzinfo-to-sql || command -v mysql_tzinfo_to_sql) || return 0
  # kept out of the binary log, and out of the slow and general logs the user reads
  { printf 'SET SESSION sql_log_bin = 0; SET SESSION long_query_time = 31536000; SET SESSION sql_log_off = ON;\n'
    "$tool" /usr/share/zoneinfo 2>/dev/null | sed 's/Local time zone must be set--see zic manual page/FCTY/'
  } | process_sql --database=mysql &
  TZ_PID=$!
}

run_init_scripts() {
  local f any=
  for f in /docker-entrypoint-initdb.d/*; do
    any=1
    case "$f" in
      *.sh)
        if [ -x "$f" ]; then
          note "running $f"
          "$f" || error "$f exited with code $?"
        else
          note "sourcing $f"
          # shellcheck disable=SC1090
          . "$f"
        fi
        ;;
      *.sql) note "running $f"; process_sql <"$f" || error "$f failed" ;;
      *.sql.gz) note "running $f"; gunzip -c "$f" | process_sql || error "$f failed" ;;
      *.sql.xz) note "running $f"; xzcat "$f" | process_sql || error "$f failed" ;;
      *.sql.zst) note "running $f"; zstd -dc "$f" | process_sql || error "$f failed" ;;
      *) warn "ignoring $f" ;;
    esac
  done
  # devdb reads this: a failure from here on is none of the seeds'
  [ -z "$any" ] || note "all seed scripts have run"
}

# Until the server exits: TERM, INT and QUIT go on to it, and its exit code is the container's.
supervise() {
  trap 'kill -TERM "$SERVER_PID" 2>/dev/null' TERM INT QUIT
  local rc=0
  while :; do
    if wait "$SERVER_PID"; then rc=0; else rc=$?; fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
  done
  SERVER_PID=
  exit "$rc"
}

DEFAULTS=()
read_server_options "$@"
check_image
create_directories
[ -d "$DATADIR/mysql" ] || install_certificate
# A container started again with a pool of fresh databases in its data: the pool's refillers (root's,
# as devdb started them) start again once the server answers.
POOL_REFILLER=/var/lib/devdb/pool/devdb-pool.sh
if [ "$(id -u)" = 0 ] && [ -d "$DATADIR/mysql" ] && [ -f "$POOL_REFILLER" ]; then
  setsid bash "$POOL_REFILLER" --resume "$CLIENT" </dev/null >/dev/null 2>&1 &
fi
# The rest runs as the mysql user, as the official entrypoints do, when the image has a way there.
if [ "$(id -u)" = 0 ]; then
  if command -v gosu >/dev/null; then
    exec gosu mysql "$BASH" "${BASH_SOURCE[0]}" "$SERVER" "$@"
  elif command -v setpriv >/dev/null; then
    exec setpriv --reuid=mysql --regid=mysql --init-groups "$BASH" "${BASH_SOURCE[0]}" "$SERVER" "$@"
  fi
  set -- "$@" --user=mysql
fi
# Every job started from here on leads a process group of its own, which end_jobs ends as a whole.
set -m
trap on_exit EXIT
if [ -d "$DATADIR/mysql" ]; then
  if [ -n "${DEVDB_KEEP:-}" ] && [ ! -e "$GO" ]; then
    rm -f "$DATADIR/auto.cnf"   # each instance has its own server UUID
    note "Recovering the data so that devdb can keep it shut down cleanly"
    # MariaDB's redo log file is as large as innodb_log_file_size (96 MB by default), and a server
    # started from the copy would first copy all of it up from the image's layer. Kept at 4 MB (the
    # smallest every version takes), it is resized to the configured size by the server's start
    # instead (after a clean shutdown: a new file, allocated without being written).
    small_log=()
    [ "$SERVER" != mariadbd ] || small_log=(--innodb-log-file-size=4M)
    start_server "$@" --skip-networking "${small_log[@]}"
    await_server --password
    keep_for_devdb "$@"
    supervise
  fi
  rm -f "$SOCKET.lock" "$(dirname "$SOCKET")/mysqlx.sock.lock"
  exec "$SERVER" "$@"
fi
: "${MYSQL_ROOT_PASSWORD:?devdb sets MYSQL_ROOT_PASSWORD on every instance}"
[ -z "${DEVDB_CHECK_CONFIG:-}" ] || validate_config "$@"
init_datadir "$@"
note "Starting server"
start_server "$@"
await_server
setup_root
load_time_zones
setup_database
run_init_scripts
if [ -n "$TZ_PID" ]; then
  wait "$TZ_PID" || error "loading the time zone tables failed"
fi
: >"$READY"
note "Initialised: ready for connections"
supervise
