#!/usr/bin/env bash
# Check that devdb's test images honour the official images' contract, for real.
#   .ci/images/smoke-test.sh [IMAGE...]     (default: every test image)
# Every container and volume it creates is labelled devdb.smoke-test=1 and removed at the end.
# Prints the time from `docker run` to the first successful TCP query for each image.
set -euo pipefail
export DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock}
IMAGES=("$@")
[ ${#IMAGES[@]} -gt 0 ] || IMAGES=(devdb-test/mysql:9.7 devdb-test/mariadb:10.5 devdb-test/mariadb:10.11 devdb-test/mariadb:11.8)
LABEL=devdb.smoke-test=1
FAILS=0
TMP=$(mktemp -d)

remove_containers() {
  local ids
  ids=$(docker ps -aq --filter "label=$LABEL")
  # shellcheck disable=SC2086
  [ -z "$ids" ] || docker rm -f -v $ids >/dev/null
}
cleanup() { remove_containers; rm -rf "$TMP"; }
trap cleanup EXIT

pass() { echo "  ok   $*"; }
fail() { echo "  FAIL $*"; FAILS=$((FAILS + 1)); }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# wait_tcp CONTAINER USER PASSWORD [DB] [TIMEOUT]: poll a TCP query through docker exec
wait_tcp() {
  local c=$1 u=$2 p=$3 db=${4:-} t=${5:-120} deadline
  deadline=$((SECONDS + t))
  while [ $SECONDS -lt $deadline ]; do
    if docker exec -e MYSQL_PWD="$p" "$c" "$CLIENT" -u"$u" -h127.0.0.1 --protocol=TCP ${db:+"$db"} -e 'SELECT 1' >/dev/null 2>&1; then
      return 0
    fi
    [ "$(docker inspect -f '{{.State.Running}}' "$c")" = true ] || return 1
    sleep 0.1
  done
  return 1
}

logs_have() { # logs_have CONTAINER REGEX (no pipe: grep -q would SIGPIPE docker logs under pipefail)
  local out; out=$(docker logs "$1" 2>&1)
  grep -q -- "$2" <<<"$out"
}

q() { # q CONTAINER USER PASSWORD SQL -> first column of the result, no headers
  docker exec -e MYSQL_PWD="$3" "$1" "$CLIENT" -u"$2" -h127.0.0.1 --protocol=TCP -N -B -e "$4"
}

wait_exit() { # wait_exit CONTAINER TIMEOUT -> exit code
  timeout "$2" docker wait "$1" || echo timeout
}

for img in "${IMAGES[@]}"; do
  echo "== $img"
  docker image inspect "$img" >/dev/null || { fail "$img missing"; continue; }
  # What devdb needs of an image (README, Images), and the MariaDB 11 names.
  tools=$(docker run --rm --entrypoint bash "$img" -c 'for t in mariadbd mysqld mariadb mysql mariadb-install-db mariadb-tzinfo-to-sql mysql_tzinfo_to_sql my_print_defaults gosu; do command -v $t >/dev/null && printf "%s " $t; done; id -u mysql >/dev/null && echo user')
  has() { local t; for t; do [[ " $tools " == *" $t "* ]] || return 1; done; }
  if has mariadbd; then
    CLIENT=mariadb
    has mariadb mariadb-install-db mariadb-tzinfo-to-sql \
      && pass "mariadbd, mariadb, mariadb-install-db, mariadb-tzinfo-to-sql on PATH" || fail "MariaDB programs: $tools"
    major=$(docker image inspect -f '{{index .Config.Labels "org.opencontainers.image.version"}}' "$img" | sed 's/^[0-9]*://; s/\..*//')
    if [ "$major" -ge 11 ]; then
      [[ " $tools " != *" mysql"* ]] && pass "MariaDB $major: no mysql* names, as the official image" || fail "mysql* names in MariaDB $major: $tools"
    fi
  else
    CLIENT=mysql
    has mysqld mysql mysql_tzinfo_to_sql \
      && pass "mysqld, mysql, mysql_tzinfo_to_sql on PATH" || fail "MySQL programs: $tools"
  fi
  has gosu user && pass "gosu and the mysql user" || fail "gosu, mysql user: $tools"
  run=(docker run -d --label "$LABEL")

  # 1. first start: env contract, server option, timing
  t0=$(now)
  c=$("${run[@]}" -e MYSQL_ROOT_PASSWORD=x -e MYSQL_DATABASE=app -e MYSQL_USER=u -e MYSQL_PASSWORD=p \
      -p 127.0.0.1::3306 "$img" --max-connections=77)
  if wait_tcp "$c" u p app; then
    t1=$(now)
    pass "first start answers over TCP after $(elapsed "$t0" "$t1") s"
  else
    fail "first start"; docker logs "$c" 2>&1 | tail -20
    continue
  fi
  [ "$(q "$c" u p "SELECT @@max_connections")" = 77 ] && pass "server option --max-connections=77" || fail "max_connections"
  [ "$(q "$c" root x "SELECT COUNT(*) FROM mysql.user WHERE user='root' AND host='%'")" = 1 ] && pass "root@'%' with password" || fail "root@%"
  q "$c" u p "CREATE TABLE app.t (i int); INSERT INTO app.t VALUES (1)" && pass "user u has ALL on app" || fail "user grants"
  [ "$(docker exec "$c" cat /proc/1/comm)" != bash ] && [ "$(docker exec "$c" awk '/^Uid/ {print $2}' /proc/1/status)" != 0 ] \
    && pass "server is PID 1 ($(docker exec "$c" cat /proc/1/comm)), not root" || fail "PID 1"
  logs_have "$c" 'ready for connections' && pass "server log on docker logs" || fail "server log not on stderr"
  # restart on the initialised datadir; SIGTERM reaches the server
  t0=$(now); docker stop -t 30 "$c" >/dev/null; t1=$(now)
  [ "$(docker inspect -f '{{.State.ExitCode}}' "$c")" = 0 ] && pass "docker stop: clean exit 0 in $(elapsed "$t0" "$t1") s" || fail "stop exit code"
  t0=$(now); docker start "$c" >/dev/null
  if wait_tcp "$c" u p app; then pass "restart on initialised datadir: TCP after $(elapsed "$t0" "$(now)") s"; else fail "restart"; fi
  [ "$(q "$c" u p "SELECT COUNT(*) FROM app.t")" = 1 ] && pass "data survived restart" || fail "data after restart"

  # 2. .cnf copied into a created container before start
  printf '[mysqld]\nmax_connections = 55\nslow_query_log = 1\n' > "$TMP/zz-devdb.cnf"
  chmod 0644 "$TMP/zz-devdb.cnf"
  c=$(docker create --label "$LABEL" -e MYSQL_ALLOW_EMPTY_PASSWORD=1 "$img")
  docker cp "$TMP/zz-devdb.cnf" "$c:/etc/mysql/conf.d/zz-devdb.cnf"
  docker start "$c" >/dev/null
  if wait_tcp "$c" root ""; then
    [[ "$(q "$c" root "" "SELECT CONCAT(@@max_connections, ',', @@slow_query_log)")" =~ ^55,(1|ON)$ ]] \
      && pass "conf.d/*.cnf copied before start is read" || fail "conf.d cnf not applied"
  else fail "start with conf.d cnf"; docker logs "$c" 2>&1 | tail -20; fi

  # 3. bad server option: non-zero exit, the server's [ERROR] in the logs (first start = init)
  c=$("${run[@]}" -e MYSQL_ROOT_PASSWORD=x "$img" --no-such-option=1)
  rc=$(wait_exit "$c" 60)
  if [ "$rc" != 0 ] && [ "$rc" != timeout ] && logs_have "$c" '\[ERROR\].*no-such-option'; then
    pass "bad option: exit $rc, [ERROR] in logs"
  else fail "bad option: exit $rc"; docker logs "$c" 2>&1 | tail -10; fi

  # 3b. bad option in a conf.d file
  printf '[mysqld]\nno_such_variable = 1\n' > "$TMP/bad.cnf"; chmod 0644 "$TMP/bad.cnf"
  c=$(docker create --label "$LABEL" -e MYSQL_ROOT_PASSWORD=x "$img")
  docker cp "$TMP/bad.cnf" "$c:/etc/mysql/conf.d/bad.cnf"; docker start "$c" >/dev/null
  rc=$(wait_exit "$c" 60)
  if [ "$rc" != 0 ] && [ "$rc" != timeout ] && logs_have "$c" '\[ERROR\]'; then
    pass "bad option in conf.d: exit $rc"
  else fail "bad conf.d option: exit $rc"; docker logs "$c" 2>&1 | tail -10; fi

  # 4. no password variable: error, exit 1
  c=$("${run[@]}" "$img")
  rc=$(wait_exit "$c" 30)
  [ "$rc" = 1 ] && logs_have "$c" 'password option is not specified' \
    && pass "no password env: exit 1 with message" || fail "no password env: exit $rc"

  # 5. datadir outside the VOLUME, init scripts, random root password, awkward password
  printf 'CREATE TABLE t1 (i int); INSERT INTO t1 VALUES (42);\n' > "$TMP/10-a.sql"
  printf 'CREATE TABLE t2 (i int);\n' | gzip > "$TMP/20-b.sql.gz"
  printf '#!/bin/bash\necho "CREATE TABLE t3 (i int);" | docker_process_sql\n' > "$TMP/30-c.sh"
  c=$(docker create --label "$LABEL" -e MYSQL_RANDOM_ROOT_PASSWORD=yes -e MYSQL_DATABASE=db2 \
      -e MYSQL_USER=u2 -e MYSQL_PASSWORD="p'\\\"x" "$img" --datadir=/srv/devdb-data)
  for f in 10-a.sql 20-b.sql.gz 30-c.sh; do docker cp "$TMP/$f" "$c:/docker-entrypoint-initdb.d/$f"; done
  docker start "$c" >/dev/null
  if wait_tcp "$c" u2 "p'\\\"x" db2; then
    pass "awkward user password works"
    [ "$(q "$c" u2 "p'\\\"x" "SELECT @@datadir")" = /srv/devdb-data/ ] && pass "--datadir=/srv/devdb-data honoured" || fail "datadir"
    docker exec "$c" test -d /srv/devdb-data/mysql && ! docker exec "$c" test -e /var/lib/mysql/mysql \
      && pass "datadir initialised outside the VOLUME" || fail "datadir location"
    [ "$(q "$c" u2 "p'\\\"x" "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='db2' AND table_name IN ('t1','t2','t3')")" = 3 ] \
      && pass "initdb.d .sql, .sql.gz, .sh ran against MYSQL_DATABASE" || fail "init scripts"
    pw=$(docker logs "$c" 2>&1 | sed -n 's/.*GENERATED ROOT PASSWORD: //p')
    [ -n "$pw" ] && [ "$(q "$c" root "$pw" "SELECT 1")" = 1 ] && pass "random root password logged and works" || fail "random root password"
  else fail "datadir/init scripts start"; docker logs "$c" 2>&1 | tail -20; fi

  # 6. MariaDB: MARIADB_* variables
  if [ "$CLIENT" = mariadb ]; then
    c=$("${run[@]}" -e MARIADB_ROOT_PASSWORD=mr -e MARIADB_DATABASE=mdb -e MARIADB_USER=mu -e MARIADB_PASSWORD=mp "$img" mariadbd)
    if wait_tcp "$c" mu mp mdb && [ "$(q "$c" root mr "SELECT 1")" = 1 ]; then pass "MARIADB_* variables"; else fail "MARIADB_*"; fi
  fi

  remove_containers
done

if [ "$FAILS" -gt 0 ]; then echo "smoke-test: $FAILS check(s) failed" >&2; exit 1; fi
echo "smoke-test: all checks passed"
