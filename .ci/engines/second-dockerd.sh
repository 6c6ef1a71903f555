#!/usr/bin/env bash
# A second Docker engine on this machine, for RemoteEngineIT: it speaks TCP with TLS on
# 127.0.0.1:2376 (certificates made here with openssl), and a Docker context names it.
#
#   second-dockerd.sh start   start it (idempotent), load the test image into it, write the context
#   second-dockerd.sh stop    stop it and remove its bridge, mounts and firewall rule
#
# It has its own data root, exec root, pid file, configuration and a bridge of its own made with
# `ip link` (never --bridge=none: that deletes the first engine's docker0). The first engine is never
# touched: its containers, images, networks and docker0 stay as they are, whatever happens here.
# The data root is kept between runs, so the test image is loaded once (again when it changes).
#
# What the tests need (RemoteEngineIT reads it, or skips naming this script):
#   $DOCKER_CONFIG_DIR  a docker configuration directory whose context $CONTEXT is this engine,
#                       with TLS files; its client key is PKCS#1 RSA, as docker-machine writes them
set -euo pipefail

BASE=${DEVDB_SECOND_ENGINE_DIR:-/var/lib/devdb-second-engine}
RUN=/run/devdb-second-engine
DATA=$BASE/data
CERTS=$BASE/certs
DOCKER_CONFIG_DIR=$BASE/config
CONTEXT=devdb-second
PIDFILE=$RUN/dockerd.pid
SOCK=$RUN/docker.sock
LOG=/var/log/devdb-second-dockerd.log
BRIDGE=devdb2br0
BRIDGE_ADDR=172.31.250.1/24
PORT=2376
IMAGE=${DEVDB_SECOND_ENGINE_IMAGE:-devdb-test/mariadb:10.5}
TIMEOUT=${DEVDB_ENGINE_TIMEOUT:-60}

log() { echo "second-dockerd.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
second() { docker -H "unix://$SOCK" "$@"; }
running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
forward_rule=(FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT)

certificates() {
  # A certificate authority, the engine's certificate for 127.0.0.1 and localhost, and a client's.
  local dir=$CERTS.new
  rm -rf "$dir"
  mkdir -p "$dir"
  (
    cd "$dir"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days 30 \
      -subj "/CN=devdb test CA" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr \
      -subj "/CN=127.0.0.1" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 30 \
      -extfile server.ext -out server-cert.pem 2>/dev/null
    # the client's key as docker-machine and older openssl write it: PKCS#1 ("BEGIN RSA PRIVATE KEY")
    openssl genrsa -traditional -out key.pem 2048 2>/dev/null
    openssl req -new -key key.pem -out client.csr -subj "/CN=devdb test client" 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 30 \
      -extfile client.ext -out cert.pem 2>/dev/null
    chmod 0600 ./*key.pem
  )
  grep -q 'BEGIN RSA PRIVATE KEY' "$dir/key.pem" || die "openssl did not write a PKCS#1 client key"
  rm -rf "$CERTS"
  mv "$dir" "$CERTS"
}

start_engine() {
  if running && second info >/dev/null 2>&1; then
    return 0
  fi
  [ "$(id -u)" = 0 ] || die "starting a second Docker engine needs root"
  command -v dockerd >/dev/null 2>&1 || die "no dockerd on PATH (apt-get install docker.io)"
  command -v openssl >/dev/null 2>&1 || die "no openssl on PATH"
  mkdir -p "$DATA" "$RUN/exec" "$DOCKER_CONFIG_DIR"
  certificates
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add "$BRIDGE_ADDR" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
  # containers on the bridge reach each other (the FORWARD policy here may be DROP)
  iptables -C "${forward_rule[@]}" 2>/dev/null || iptables -I "${forward_rule[@]}"
  echo '{}' >"$BASE/daemon.json"
  rm -f "$PIDFILE" "$SOCK"
  log "starting dockerd on tcp://127.0.0.1:$PORT with TLS (log: $LOG)"
  setsid nohup dockerd \
    --config-file "$BASE/daemon.json" \
    --data-root "$DATA" --exec-root "$RUN/exec" --pidfile "$PIDFILE" \
    -H "unix://$SOCK" -H "tcp://127.0.0.1:$PORT" \
    --tlsverify --tlscacert "$CERTS/ca.pem" --tlscert "$CERTS/server-cert.pem" --tlskey "$CERTS/server-key.pem" \
    --bridge="$BRIDGE" --iptables=false --ip-masq=false --dns=127.0.0.1 \
    >>"$LOG" 2>&1 </dev/null &
  local deadline=$((SECONDS + TIMEOUT))
  until second info >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      tail -n 30 "$LOG" >&2 || true
      die "the second engine did not answer on $SOCK within ${TIMEOUT}s"
    fi
    sleep 0.2
  done
}

start() {
  start_engine
  # what earlier test runs left in this engine (it serves the tests alone)
  local ids
  ids=$(second ps -aq)
  [ -z "$ids" ] || second rm -f -v $ids >/dev/null
  ids=$(second images -q --filter label=devdb.scope | sort -u)
  [ -z "$ids" ] || second rmi -f $ids >/dev/null 2>&1 || true
  local want have
  want=$(docker image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null) || die "$IMAGE is not in the first engine: build the test images first"
  have=$(second image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)
  if [ "$want" != "$have" ]; then
    log "loading $IMAGE into the second engine"
    docker save "$IMAGE" | second load -q >/dev/null
  fi
  DOCKER_CONFIG=$DOCKER_CONFIG_DIR docker context rm -f "$CONTEXT" >/dev/null 2>&1 || true
  DOCKER_CONFIG=$DOCKER_CONFIG_DIR docker context create "$CONTEXT" \
    --description "devdb's second test engine" \
    --docker "host=tcp://127.0.0.1:$PORT,ca=$CERTS/ca.pem,cert=$CERTS/cert.pem,key=$CERTS/key.pem" >/dev/null
  DOCKER_CONFIG=$DOCKER_CONFIG_DIR docker --context "$CONTEXT" version --format \
    'second-dockerd.sh: ready through context '"$CONTEXT"': server {{.Server.Version}}' >&2
}

stop() {
  if running; then
    local pid
    pid=$(cat "$PIDFILE")
    log "stopping dockerd $pid"
    kill "$pid"
    local deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null; do
      if [ $SECONDS -ge $deadline ]; then
        log "dockerd $pid did not stop within 30s; killing it"
        kill -9 "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.2
    done
  fi
  rm -f "$PIDFILE" "$SOCK"
  if [ -d "$RUN/exec/netns" ]; then
    for ns in "$RUN/exec/netns"/*; do
      [ -e "$ns" ] || continue
      umount "$ns" 2>/dev/null || true
    done
  fi
  while iptables -C "${forward_rule[@]}" 2>/dev/null; do
    iptables -D "${forward_rule[@]}"
  done
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link del "$BRIDGE"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
