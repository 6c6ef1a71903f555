#!/usr/bin/env bash
# Podman's Docker-compatible API on this machine, for PodmanIT: rootful, its own storage, served on
# a socket of its own by `podman system service`, with one test image loaded from the first engine.
#
#   podman.sh start   start it (idempotent), load the test image
#   podman.sh stop    remove its containers and stop the service
#
# Its configuration is a containers.conf of its own (CONTAINERS_CONF), its storage and run
# directories are its own: /etc/containers, the system's podman storage and the first engine are
# never touched. Storage is kept between runs, so the image is loaded once (again when it changes).
#
# What the tests read: the socket $RUN/podman.sock (PodmanIT skips when nothing answers there).
set -euo pipefail

BASE=${DEVDB_PODMAN_DIR:-/var/lib/devdb-podman}
RUN=/run/devdb-podman
SOCK=$RUN/podman.sock
PIDFILE=$RUN/service.pid
LOG=/var/log/devdb-podman.log
IMAGE=${DEVDB_PODMAN_IMAGE:-devdb-test/mariadb:11.8}
TIMEOUT=${DEVDB_ENGINE_TIMEOUT:-60}
export CONTAINERS_CONF=$BASE/containers.conf

log() { echo "podman.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
pod() { podman --root "$BASE/storage" --runroot "$RUN/storage" "$@"; }
running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
answers() { curl -sf --unix-socket "$SOCK" http://podman/_ping >/dev/null 2>&1; }

start() {
  command -v podman >/dev/null 2>&1 || die "no podman on PATH (apt-get install podman)"
  [ "$(id -u)" = 0 ] || die "the rootful Podman service needs root"
  mkdir -p "$BASE" "$RUN"
  # the containers here resolve names through the host (no resolver on the bridge), and get the
  # file limits the servers want
  cat >"$CONTAINERS_CONF" <<'EOF'
[containers]
dns_servers = ["127.0.0.1"]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
  # what earlier test runs left (this Podman serves the tests alone)
  pod rm -af -t 0 >/dev/null 2>&1 || true
  local ids
  ids=$(pod images -q --filter label=devdb.scope 2>/dev/null | sort -u)
  [ -z "$ids" ] || pod rmi -f $ids >/dev/null 2>&1 || true
  local want have
  want=$(docker image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null) || die "$IMAGE is not in the first engine: build the test images first"
  have=$(pod image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)
  if [ "${want#sha256:}" != "${have#sha256:}" ]; then
    log "loading $IMAGE into Podman"
    docker save "$IMAGE" | pod load -q >/dev/null
  fi
  if running && answers; then
    return 0
  fi
  rm -f "$SOCK" "$PIDFILE"
  log "starting podman system service on unix://$SOCK (log: $LOG)"
  setsid nohup podman --root "$BASE/storage" --runroot "$RUN/storage" system service --time=0 "unix://$SOCK" \
    >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  local deadline=$((SECONDS + TIMEOUT))
  until answers; do
    if [ $SECONDS -ge $deadline ]; then
      tail -n 20 "$LOG" >&2 || true
      die "Podman's service did not answer on $SOCK within ${TIMEOUT}s"
    fi
    sleep 0.1
  done
  log "ready: $(curl -s --unix-socket "$SOCK" http://podman/version | grep -o '"Version":"[^"]*"' | head -1)"
}

stop() {
  # containers first: their conmon processes outlive the service
  pod rm -af -t 0 >/dev/null 2>&1 || true
  if running; then
    local pid
    pid=$(cat "$PIDFILE")
    log "stopping podman system service $pid"
    kill "$pid"
    local deadline=$((SECONDS + 15))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
      sleep 0.1
    done
  fi
  rm -f "$PIDFILE" "$SOCK"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
