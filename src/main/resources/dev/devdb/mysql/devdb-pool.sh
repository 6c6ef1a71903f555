#!/bin/bash
# Keeps an instance's pool of fresh databases filled (the procedures are in devdb-pool.sql): while
# fewer databases than the pool's size are ready or being made, it makes one more by running the
# copy script devdb wrote (template.sql) under a new name. devdb starts it in the background in the
# instance's container, as root, with root's password in MYSQL_PWD; one runs at a time, and it
# ends when the pool is taken down (its size set to 0, or its database dropped).
#
# $1: the client (mysql or mariadb); $2: the prefix of the names it makes ([A-Za-z0-9_] only).
set -u
CLIENT=${1:?the client}
PREFIX=${2:?the prefix of the names}
DIR=/var/lib/devdb/pool
TEMPLATE=$DIR/template.sql
ERRORS=$DIR/refiller.err
MARK=@DEVDB_POOL_DB@

# One refiller at a time: the first to lock the file runs, the lock goes with its process.
if command -v flock >/dev/null; then
  exec 9>"$DIR/refiller.lock"
  flock -n 9 || exit 0
else
  if ! (set -o noclobber; echo $$ >"$DIR/refiller.pid") 2>/dev/null; then
    other=$(cat "$DIR/refiller.pid" 2>/dev/null)
    if [ -n "$other" ] && kill -0 "$other" 2>/dev/null; then exit 0; fi
    echo $$ >"$DIR/refiller.pid"
  fi
  trap 'rm -f "$DIR/refiller.pid"' EXIT
fi

sql() {
  "$CLIENT" -uroot --batch --skip-column-names --default-character-set=utf8mb4 "$@"
}

failures=0
while :; do
  if ! state=$(sql -e 'CALL _devdb_pool.refill_wait()' 2>"$ERRORS.tmp"); then
    mv -f "$ERRORS.tmp" "$ERRORS"
    # the pool's database or procedures are gone: nothing more to fill
    if grep -qE '^ERROR (1049|1305|1146) ' "$ERRORS"; then exit 0; fi
    sleep 1
    continue
  fi
  case $state in
    stop) exit 0 ;;
    fill) ;;
    *) continue ;;
  esac
  name=$PREFIX$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
  if sed "s/$MARK/$name/g" "$TEMPLATE" | sql 2>"$ERRORS.tmp"; then
    failures=0
  else
    mv -f "$ERRORS.tmp" "$ERRORS"
    sql -e "CALL _devdb_pool.refill_discard('$name')" 2>/dev/null
    failures=$((failures + 1))
    # a copy that keeps failing (a broken seed, a full disk) is retried ever more slowly, up to 30 s
    sleep $((failures < 30 ? failures : 30))
  fi
done
