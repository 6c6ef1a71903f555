#!/usr/bin/env bash
# Entrypoint of devdb's test images (devdb-test/mysql, devdb-test/mariadb), built from Debian
# packages by .ci/images/build.sh. It follows the contract of the official Docker Hub images
# (mysql, mariadb) where devdb relies on it:
#
#   - MYSQL_ROOT_PASSWORD | MYSQL_ALLOW_EMPTY_PASSWORD | MYSQL_RANDOM_ROOT_PASSWORD (one required
#     on an empty datadir), MYSQL_ROOT_HOST (default %), MYSQL_DATABASE, MYSQL_USER,
#     MYSQL_PASSWORD, MYSQL_ONETIME_PASSWORD (mysql), *_FILE variants; MariaDB also takes MARIADB_*
#     (MARIADB_ROOT_PASSWORD, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD, ...), which win over MYSQL_*.
#   - arguments starting with '-' are options for the server; `mysqld` and `mariadbd` both work.
#   - on an empty datadir: initialise, start a temporary server (--skip-networking, socket only),
#     create root@'%', the database and the user, run /docker-entrypoint-initdb.d/*.sh|.sql|.sql.gz
#     (.sql against MYSQL_DATABASE), stop it; then exec the server (PID 1) as user mysql.
#   - the datadir and socket come from the option files and the arguments (--datadir=...), so a
#     datadir outside the VOLUME works.
# Deliberate differences: time zone tables are not loaded, no `mysqld --verbose --help` config
# pre-check (it costs ~1 s; a bad option makes initialisation or the server itself fail with its
# own [ERROR] lines), no MariaDB healthcheck users or upgrade handling.
set -eo pipefail
shopt -s nullglob

if [ -x /usr/sbin/mariadbd ]; then FLAVOUR=mariadb; SERVER=mariadbd; CLIENT=mariadb
else FLAVOUR=mysql; SERVER=mysqld; CLIENT=mysql; fi

_log() { local type=$1; shift; printf '%s [%s] [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$type" "$*"; }
note() { _log Note "$@"; }
warn() { _log Warn "$@" >&2; }
error() { _log ERROR "$@" >&2; exit 1; }

# file_env VAR [DEFAULT]: VAR or the contents of the file named by VAR_FILE
file_env() {
  local var=$1 fileVar="${1}_FILE" def=${2:-}
  if [ -n "${!var:-}" ] && [ -n "${!fileVar:-}" ]; then
    error "Both $var and $fileVar are set (but are exclusive)"
  fi
  local val=$def
  if [ -n "${!var:-}" ]; then val=${!var}
  elif [ -n "${!fileVar:-}" ]; then val=$(< "${!fileVar}")
  fi
  export "$var"="$val"
  unset "$fileVar"
}

# MariaDB: MARIADB_<x> and MYSQL_<y> mean the same; MARIADB_ wins; both end up set.
maria_env() {
  local my=$1 maria=$2 def=${3:-}
  file_env "$my" "$def"
  file_env "$maria" "${!my}"
  export "$my"="${!maria}"
}

_want_help() {
  local arg
  for arg; do
    case "$arg" in -'?'|--help|--print-defaults|-V|--version) return 0 ;; esac
  done
  return 1
}

# Find the effective value of a server option the way the server does: option files (as the server
# reads them, honouring --defaults-file/--defaults-extra-file/--no-defaults/--defaults-group-suffix
# given first) then the command line; the last one wins. Sets DATADIR, SOCKET, PIDFILE, FILEPRIV.
read_server_options() {
  local -a defaultsArgs=() args=()
  local a
  for a in "${@:2}"; do
    case "$a" in
      --no-defaults|--defaults-file=*|--defaults-extra-file=*|--defaults-group-suffix=*) defaultsArgs+=("$a") ;;
      *) break ;;
    esac
  done
  local line
  local -a groups
  if [ "$FLAVOUR" = mariadb ]; then groups=(--mysqld)   # every group mariadbd reads
  else groups=(mysqld server ${MYSQL_MAJOR:+"mysqld-$MYSQL_MAJOR"}); fi
  while IFS= read -r line; do args+=("$line"); done < <(my_print_defaults "${defaultsArgs[@]}" "${groups[@]}" 2>/dev/null || true)
  args+=("${@:2}")

  DATADIR=/var/lib/mysql SOCKET=/var/run/mysqld/mysqld.sock PIDFILE='' FILEPRIV=''
  local i name value n=${#args[@]}
  for ((i = 0; i < n; i++)); do
    a=${args[i]}
    value=
    case "$a" in
      -h?*) name=datadir; value=${a#-h} ;;
      -h)   name=datadir; value=${args[i+1]:-}; ((i++)) || true ;;
      -S?*) name=socket; value=${a#-S} ;;
      -S)   name=socket; value=${args[i+1]:-}; ((i++)) || true ;;
      --*)
        a=${a#--}
        a=${a#loose-}; a=${a#loose_}
        if [[ $a == *=* ]]; then name=${a%%=*}; value=${a#*=}
        else
          name=$a
          case "${name//_/-}" in
            datadir|socket|pid-file|secure-file-priv) value=${args[i+1]:-}; ((i++)) || true ;;
            *) continue ;;
          esac
        fi
        ;;
      *) continue ;;
    esac
    case "${name//_/-}" in
      datadir) DATADIR=$value ;;
      socket) SOCKET=$value ;;
      pid-file) PIDFILE=$value ;;
      secure-file-priv) FILEPRIV=$value ;;
    esac
  done
  DATADIR=${DATADIR%/}
  [ -n "$DATADIR" ] || DATADIR=/
}

# As root: create the datadir and the socket/pid/secure-file-priv directories, owned by mysql.
create_directories() {
  local -a dirs=("$DATADIR" "$(dirname "$SOCKET")")
  [ -n "$PIDFILE" ] && [[ $PIDFILE == /* ]] && dirs+=("$(dirname "$PIDFILE")")
  [ -n "$FILEPRIV" ] && [ "$FILEPRIV" != NULL ] && dirs+=("$FILEPRIV")
  mkdir -p "${dirs[@]}" || [ "$(id -u)" != 0 ]
  if [ "$(id -u)" = 0 ]; then
    # cheaper than chown -R on an initialised datadir
    find "${dirs[@]}" \! -user mysql -exec chown --no-dereference mysql:mysql '{}' +
  fi
}

setup_env() {
  if [ "$FLAVOUR" = mariadb ]; then
    maria_env MYSQL_ROOT_HOST MARIADB_ROOT_HOST %
    maria_env MYSQL_DATABASE MARIADB_DATABASE
    maria_env MYSQL_USER MARIADB_USER
    maria_env MYSQL_PASSWORD MARIADB_PASSWORD
    maria_env MYSQL_ROOT_PASSWORD MARIADB_ROOT_PASSWORD
    maria_env MYSQL_ALLOW_EMPTY_PASSWORD MARIADB_ALLOW_EMPTY_ROOT_PASSWORD
    maria_env MYSQL_RANDOM_ROOT_PASSWORD MARIADB_RANDOM_ROOT_PASSWORD
  else
    file_env MYSQL_ROOT_HOST %
    file_env MYSQL_DATABASE
    file_env MYSQL_USER
    file_env MYSQL_PASSWORD
    file_env MYSQL_ROOT_PASSWORD
  fi
}

verify_minimum_env() {
  if [ -z "$MYSQL_ROOT_PASSWORD" ] && [ -z "$MYSQL_ALLOW_EMPTY_PASSWORD" ] && [ -z "$MYSQL_RANDOM_ROOT_PASSWORD" ]; then
    if [ "$FLAVOUR" = mariadb ]; then
      error $'Database is uninitialized and password option is not specified\n\tYou need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD'
    fi
    error $'Database is uninitialized and password option is not specified\n    You need to specify one of the following as an environment variable:\n    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD'
  fi
  if [ "$MYSQL_USER" = root ]; then
    error 'MYSQL_USER="root", MYSQL_USER and MYSQL_PASSWORD are for configuring a regular user and cannot be used for the root user'
  fi
  if [ -n "$MYSQL_USER" ] && [ -z "$MYSQL_PASSWORD" ]; then
    warn 'MYSQL_USER specified, but missing MYSQL_PASSWORD; MYSQL_USER will not be created'
  elif [ -z "$MYSQL_USER" ] && [ -n "$MYSQL_PASSWORD" ]; then
    warn 'MYSQL_PASSWORD specified, but missing MYSQL_USER; MYSQL_PASSWORD will be ignored'
  fi
}

# SQL string literal body: escape \ and ' (and newlines)
sql_escape() {
  local s=${1//\\/\\\\}
  s=${s//$'\n'/\\n}
  printf '%s' "${s//\'/\\\'}"
}

# client options file with the root password, never on a command line. In option files a value
# in double quotes loses just the outer quotes; backslash starts an escape (\\, \n).
_passfile() {
  [ "$1" = --no-password ] && return 0
  [ -n "$MYSQL_ROOT_PASSWORD" ] || return 0
  local v=${MYSQL_ROOT_PASSWORD//\\/\\\\}
  v=${v//$'\n'/\\n}
  printf '[client]\nuser=root\npassword="%s"\n' "$v"
}

# process_sql [--no-password] [client args]: run the SQL on stdin as root through the socket
process_sql() {
  local pw=
  if [ "$1" = --no-password ]; then pw=$1; shift; fi
  if [ -n "$MYSQL_DATABASE" ]; then set -- --database="$MYSQL_DATABASE" "$@"; fi
  "$CLIENT" --defaults-extra-file=<(_passfile "$pw") --protocol=socket -uroot -hlocalhost \
    --socket="$SOCKET" --comments "$@"
}

init_database_dir() {
  note "Initializing database files"
  if [ "$FLAVOUR" = mariadb ]; then
    # other options are passed through to mariadbd --bootstrap
    mariadb-install-db --datadir="$DATADIR" --rpm --auth-root-authentication-method=normal \
      "${@:2}" \
      --skip-test-db --default-time-zone=SYSTEM --enforce-storage-engine= --skip-log-bin \
      --expire-logs-days=0 --loose-innodb_buffer_pool_load_at_startup=0 \
      --loose-innodb_buffer_pool_dump_at_shutdown=0 \
      || error "Database initialization failed (mariadb-install-db exit code $?)"
  else
    "$@" --initialize-insecure --default-time-zone=SYSTEM \
      || error "Database initialization failed ($1 --initialize-insecure exit code $?)"
  fi
  note "Database files initialized"
}

TEMP_SERVER_PID=
temp_server_start() {
  local -a extra=(--skip-networking --default-time-zone=SYSTEM --socket="$SOCKET")
  if [ "$FLAVOUR" = mariadb ]; then
    extra+=(--loose-wsrep_on=OFF --expire-logs-days=0 --loose-innodb_buffer_pool_load_at_startup=0)
  fi
  "$@" "${extra[@]}" &
  TEMP_SERVER_PID=$!
  note "Waiting for server startup"
  local deadline=$((SECONDS + ${DEVDB_INIT_TIMEOUT:-120}))
  until process_sql --no-password --database=mysql <<<'SELECT 1' >/dev/null 2>&1; do
    if ! kill -0 "$TEMP_SERVER_PID" 2>/dev/null; then
      local rc=0
      wait "$TEMP_SERVER_PID" || rc=$?
      error "Unable to start server: the temporary server exited with code $rc"
    fi
    if [ $SECONDS -ge $deadline ]; then
      kill -KILL "$TEMP_SERVER_PID" 2>/dev/null || true
      error "Unable to start server: no answer on $SOCKET within ${DEVDB_INIT_TIMEOUT:-120}s"
    fi
    sleep 0.1
  done
}

temp_server_stop() {
  kill -TERM "$TEMP_SERVER_PID"
  local rc=0
  wait "$TEMP_SERVER_PID" || rc=$?
  [ "$rc" = 0 ] || error "The temporary server did not shut down cleanly (exit code $rc)"
}

setup_db() {
  if [ -n "$MYSQL_RANDOM_ROOT_PASSWORD" ]; then
    MYSQL_ROOT_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -d '\n')
    export MYSQL_ROOT_PASSWORD
    [ "$FLAVOUR" = mariadb ] && export MARIADB_ROOT_PASSWORD=$MYSQL_ROOT_PASSWORD
    note "GENERATED ROOT PASSWORD: $MYSQL_ROOT_PASSWORD"
  fi
  local pw; pw=$(sql_escape "$MYSQL_ROOT_PASSWORD")
  local rootCreate=
  if [ -n "$MYSQL_ROOT_HOST" ] && [ "$MYSQL_ROOT_HOST" != localhost ]; then
    rootCreate="CREATE USER 'root'@'${MYSQL_ROOT_HOST}' IDENTIFIED BY '${pw}';
GRANT ALL ON *.* TO 'root'@'${MYSQL_ROOT_HOST}' WITH GRANT OPTION;"
    if [ "$FLAVOUR" = mariadb ]; then
      rootCreate+="
GRANT PROXY ON ''@'%' TO 'root'@'${MYSQL_ROOT_HOST}' WITH GRANT OPTION;"
    fi
  fi

  # system users: not binary-logged (as in the official images)
  if [ "$FLAVOUR" = mariadb ]; then
    process_sql --no-password --database=mysql --binary-mode <<-EOSQL
	SET @@SESSION.SQL_LOG_BIN=0;
	SET @@SESSION.SQL_MODE=REPLACE(@@SESSION.SQL_MODE, 'NO_BACKSLASH_ESCAPES', '');
	DROP USER IF EXISTS root@'127.0.0.1', root@'::1';
	EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS root@\'', @@hostname, '\'');
	DELETE FROM mysql.global_priv WHERE User = '';
	SET PASSWORD FOR 'root'@'localhost' = PASSWORD('${pw}');
	${rootCreate}
	FLUSH PRIVILEGES;
	EOSQL
  else
    process_sql --no-password --database=mysql <<-EOSQL
	SET autocommit = 1;
	SET @@SESSION.SQL_LOG_BIN=0;
	ALTER USER 'root'@'localhost' IDENTIFIED BY '${pw}';
	GRANT ALL ON *.* TO 'root'@'localhost' WITH GRANT OPTION;
	FLUSH PRIVILEGES;
	${rootCreate}
	DROP DATABASE IF EXISTS test;
	EOSQL
  fi

  if [ -n "$MYSQL_DATABASE" ]; then
    note "Creating database ${MYSQL_DATABASE}"
    process_sql --database=mysql <<<"CREATE DATABASE IF NOT EXISTS \`${MYSQL_DATABASE}\`;"
  fi
  if [ -n "$MYSQL_USER" ] && [ -n "$MYSQL_PASSWORD" ]; then
    note "Creating user ${MYSQL_USER}"
    process_sql --database=mysql <<<"CREATE USER '${MYSQL_USER}'@'%' IDENTIFIED BY '$(sql_escape "$MYSQL_PASSWORD")';"
    if [ -n "$MYSQL_DATABASE" ]; then
      note "Giving user ${MYSQL_USER} access to schema ${MYSQL_DATABASE}"
      process_sql --database=mysql <<<"GRANT ALL ON \`${MYSQL_DATABASE//_/\\_}\`.* TO '${MYSQL_USER}'@'%';"
    fi
  fi
}

# names used by init scripts written for the official images
docker_process_sql() {
  if [ "$1" = --dont-use-mysql-root-password ]; then shift; process_sql --no-password "$@"
  else process_sql "$@"; fi
}
mysql_note() { note "$@"; }
mysql_warn() { warn "$@"; }
mysql_error() { error "$@"; }

process_init_files() {
  # for scripts that use "${mysql[@]}" like with the official images
  # shellcheck disable=SC2034
  mysql=(process_sql)
  local f
  for f; do
    case "$f" in
      *.sh)
        # shellcheck disable=SC1090
        if [ -x "$f" ]; then note "$0: running $f"; "$f"
        else note "$0: sourcing $f"; . "$f"; fi ;;
      *.sql)     note "$0: running $f"; process_sql < "$f" ;;
      *.sql.gz)  note "$0: running $f"; gunzip -c "$f" | process_sql ;;
      *.sql.xz)  note "$0: running $f"; xzcat "$f" | process_sql ;;
      *.sql.bz2) note "$0: running $f"; bunzip2 -c "$f" | process_sql ;;
      *.sql.zst) note "$0: running $f"; zstd -dc "$f" | process_sql ;;
      *)         warn "$0: ignoring $f" ;;
    esac
  done
}

_main() {
  # options only: they are for the server
  if [ "${1:0:1}" = '-' ]; then set -- "$SERVER" "$@"; fi

  if { [ "$1" = mysqld ] || [ "$1" = mariadbd ]; } && ! _want_help "$@"; then
    read_server_options "$@"
    create_directories
    if [ "$(id -u)" = 0 ]; then
      note "Entrypoint script for $FLAVOUR server ${MYSQL_VERSION:-${MARIADB_VERSION:-}} started."
      # re-run as the mysql user; the server then runs as mysql too
      exec setpriv --reuid=mysql --regid=mysql --init-groups "${BASH_SOURCE[0]}" "$@"
    fi

    if [ ! -d "$DATADIR/mysql" ]; then
      setup_env
      verify_minimum_env
      ls /docker-entrypoint-initdb.d/ >/dev/null
      init_database_dir "$@"

      note "Starting temporary server"
      temp_server_start "$@"
      note "Temporary server started."

      setup_db
      process_init_files /docker-entrypoint-initdb.d/*
      if [ "$FLAVOUR" = mysql ] && [ -n "${MYSQL_ONETIME_PASSWORD:-}" ] && [ -n "$MYSQL_ROOT_HOST" ] && [ "$MYSQL_ROOT_HOST" != localhost ]; then
        process_sql --database=mysql <<<"ALTER USER 'root'@'${MYSQL_ROOT_HOST}' PASSWORD EXPIRE;"
      fi

      note "Stopping temporary server"
      temp_server_stop
      note "Temporary server stopped"
      echo
      note "$FLAVOUR init process done. Ready for start up."
      echo
    fi
  fi
  exec "$@"
}

_main "$@"
