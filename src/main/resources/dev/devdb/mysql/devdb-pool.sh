#!/bin/bash
# Keeps an instance's pool of fresh databases filled (the procedures are in devdb-pool.sql): while
# fewer databases than the pool's size are ready or being made, it makes one more by running the
# copy script devdb wrote (template.sql) under the name the pool gives it; otherwise it drops a
# database given back. The workers run in the background in the instance's container, as root, with
# root's password in MYSQL_PWD; each worker number runs once at a time, and each ends when the pool
# is taken down (its size set to 0, or its database dropped).
#
# devdb-pool.sh CLIENT N: worker number N, CLIENT the client (mysql or mariadb).
#
# devdb-pool.sh --resume CLIENT [--set-up]: starts the workers that do not run, once the server
# answers. The container's entrypoint runs it in the background when the container starts again
# with a pool (as root, with MYSQL_ROOT_PASSWORD), and devdb with --set-up once a container that
# replaced one with a pool is ready (MYSQL_PWD given): it first sets the pool up again (setup.sql)
# when the data lacks it (data from the cache).
set -u
DIR=/var/lib/devdb/pool
TEMPLATE=$DIR/template.sql
SETUP=$DIR/setup.sql
ERRORS=$DIR/refiller.err
MARK=@DEVDB_POOL_DB@
WORKERS=@DEVDB_POOL_WORKERS@

sql() {
  "$CLIENT" -uroot --batch --skip-column-names --default-character-set=utf8mb4 "$@"
}

if [ "${1:-}" = --resume ]; then
  CLIENT=${2:?the client}
  if [ "${3:-}" = --set-up ]; then
    if ! sql -e 'SELECT 1 FROM _devdb_pool.settings' >/dev/null 2>&1; then
      sql <"$SETUP" || exit
    fi
  else
    export MYSQL_PWD=${MYSQL_ROOT_PASSWORD:-}
    deadline=$((SECONDS + ${DEVDB_POOL_RESUME_TIMEOUT:-900}))
    until sql -e 'SELECT 1' >/dev/null 2>&1; do
      [ $SECONDS -lt $deadline ] || exit 0
      sleep 0.2
    done
  fi
  # a pool in this data, not taken down: its workers (otherwise the devdb that replaced the container
  # sets it up and starts them)
  size=$(sql -e 'SELECT size FROM _devdb_pool.settings WHERE id = 1' 2>/dev/null) || size=0
  [ "${size:-0}" -gt 0 ] 2>/dev/null || exit 0
  for ((w = 1; w <= WORKERS; w++)); do
    setsid bash "$0" "$CLIENT" "$w" </dev/null >/dev/null 2>&1 &
  done
  exit 0
fi

CLIENT=${1:?the client}
WORKER=${2:?the worker number}

# One process per worker number: the first to lock the worker's file runs, the lock goes with its
# process. Without flock, a pid file does (a stale one names a process that is gone).
if command -v flock >/dev/null; then
  exec 9>"$DIR/worker-$WORKER.lock"
  flock -n 9 || exit 0
else
  PIDFILE=$DIR/worker-$WORKER.pid
  if ! (set -o noclobber; echo $$ >"$PIDFILE") 2>/dev/null; then
    other=$(cat "$PIDFILE" 2>/dev/null)
    if [ -n "$other" ] && kill -0 "$other" 2>/dev/null; then exit 0; fi
    echo $$ >"$PIDFILE"
  fi
  trap 'rm -f "$PIDFILE"' EXIT
fi

# what changed while no worker ran (a reset inside the server drops the pool's databases)
sql -e "CALL _devdb_pool.heal()" 2>/dev/null

# Each worker keeps one client session open and feeds it job after job: a client process per copy
# (its start, its login, a shell and sed around it) costs more than the copy's statements. After each
# job the session asks for the next one (refill_wait), and its one line of output says what it is.
# An error ends the session (the client stops at the first one): the worker starts another.
trap '' PIPE
TO=
FROM=
session=
# the session's pipes are copied to TO and FROM: bash closes a coprocess's own when it has ended; the
# client does not hold the worker's lock
open_session() {
  coproc SESSION { exec "$CLIENT" -uroot --batch --skip-column-names --unbuffered --skip-reconnect \
    --default-character-set=utf8mb4 2>"$ERRORS.$WORKER" 9>&-; }
  session=$SESSION_PID
  exec {TO}>&"${SESSION[1]}" {FROM}<&"${SESSION[0]}"
}
# once the session's client has ended
close_session() {
  exec {TO}>&- {FROM}<&-
  wait "$session" 2>/dev/null
  session=
}
# ask TEXT: sends the statements to the session and reads the next job into $job; fails when the
# session ended (its error is then in $ERRORS). Only builtins: no process per job.
ask() {
  [ -n "$session" ] || open_session
  printf '%s\n' "$1" >&"$TO"
  while IFS= read -r -u "$FROM" job; do
    case $job in stop | idle | "fill "* | "drop "*) return 0 ;; esac
  done
  close_session
  mv -f "$ERRORS.$WORKER" "$ERRORS"
  job=
  return 1
}

failures=0
gone=0
next="CALL _devdb_pool.refill_wait($WORKER);"
job=
while :; do
  if [ -z "$job" ] && ! ask "$next"; then
    # the pool's database or procedures are gone (for more than the moment a set-up takes): nothing
    # more to fill
    if grep -qE '^ERROR (1049|1305|1146) ' "$ERRORS"; then
      gone=$((gone + 1))
      [ $gone -lt 10 ] || exit 0
    fi
    sleep 1
    continue
  fi
  gone=0
  case $job in
    stop) exit 0 ;;
    "fill "*) name=${job#fill } ;;
    "drop "*)
      ask "CALL _devdb_pool.refill_drop('${job#drop }'); $next"
      continue
      ;;
    *) job=; continue ;;
  esac
  # the copy script as it is now (a pool set up again writes it anew), with the name in it
  IFS= read -r -d '' script <"$TEMPLATE"
  if ask "${script//"$MARK"/$name}$next"; then
    failures=0
  else
    sql -e "CALL _devdb_pool.refill_discard('$name')" 2>/dev/null
    failures=$((failures + 1))
    # a copy that keeps failing (a broken seed, a full disk) is retried ever more slowly, up to 30 s
    sleep $((failures < 30 ? failures : 30))
  fi
done
