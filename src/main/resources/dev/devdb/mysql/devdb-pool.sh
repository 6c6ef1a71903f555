#!/bin/bash
# Keeps an instance's pool of fresh databases filled (the procedures are in devdb-pool.sql): while
# fewer databases than the pool's size are ready or being made, it makes one more by running the
# copy script devdb wrote (template.sql) under a new name; otherwise it drops a database given back.
# devdb starts the workers in the background in the instance's container, as root, with root's
# password in MYSQL_PWD; each worker number runs once at a time, and each ends when the pool is taken
# down (its size set to 0, or its database dropped).
#
# $1: the client (mysql or mariadb); $2: the prefix of the names it makes ([A-Za-z0-9_] only);
# $3: the worker's number.
set -u
CLIENT=${1:?the client}
PREFIX=${2:?the prefix of the names}
WORKER=${3:?the worker number}
DIR=/var/lib/devdb/pool
TEMPLATE=$DIR/template.sql
ERRORS=$DIR/refiller.err
MARK=@DEVDB_POOL_DB@

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

sql() {
  "$CLIENT" -uroot --batch --skip-column-names --default-character-set=utf8mb4 "$@"
}

failures=0
while :; do
  if ! job=$(sql -e "CALL _devdb_pool.refill_wait($WORKER)" 2>"$ERRORS.$WORKER"); then
    mv -f "$ERRORS.$WORKER" "$ERRORS"
    # the pool's database or procedures are gone: nothing more to fill
    if grep -qE '^ERROR (1049|1305|1146) ' "$ERRORS"; then exit 0; fi
    sleep 1
    continue
  fi
  case $job in
    stop) exit 0 ;;
    fill) ;;
    "drop "*)
      sql -e "CALL _devdb_pool.refill_drop('${job#drop }')" 2>"$ERRORS.$WORKER" || mv -f "$ERRORS.$WORKER" "$ERRORS"
      continue
      ;;
    *) continue ;;
  esac
  name=$PREFIX$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
  if sed "s/$MARK/$name/g; s/@DEVDB_POOL_WORKER@/$WORKER/g" "$TEMPLATE" | sql 2>"$ERRORS.$WORKER"; then
    failures=0
  else
    mv -f "$ERRORS.$WORKER" "$ERRORS"
    sql -e "CALL _devdb_pool.refill_discard('$name')" 2>/dev/null
    failures=$((failures + 1))
    # a copy that keeps failing (a broken seed, a full disk) is retried ever more slowly, up to 30 s
    sleep $((failures < 30 ? failures : 30))
  fi
done
