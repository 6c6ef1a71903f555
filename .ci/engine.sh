#!/usr/bin/env bash
# Start a local Docker engine if none answers. Idempotent; safe to run repeatedly.
#   - installs docker.io (+ debootstrap, for .ci/images/build.sh) with apt-get when dockerd is missing
#   - starts dockerd fully detached, logging to /var/log/devdb-dockerd.log
#   - waits up to ${DEVDB_ENGINE_TIMEOUT:-60} s for `docker info` to answer
# The `docker` on PATH may be only a client (/usr/local/bin/docker); the engine is /usr/sbin/dockerd.
set -euo pipefail

LOG=/var/log/devdb-dockerd.log
SOCK=/var/run/docker.sock
TIMEOUT=${DEVDB_ENGINE_TIMEOUT:-60}

log() { echo "engine.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Talk to the local engine on the default socket unless the caller chose another one.
export DOCKER_HOST=${DOCKER_HOST:-unix://$SOCK}

engine_up() { docker info >/dev/null 2>&1; }

if engine_up; then
  exit 0
fi

if [ "${DOCKER_HOST}" != "unix://$SOCK" ]; then
  die "DOCKER_HOST=$DOCKER_HOST does not answer, and this script only starts a local engine on $SOCK"
fi

[ "$(id -u)" = 0 ] || die "no Docker engine answers and starting one needs root"

DOCKERD=$(command -v dockerd || true)
[ -n "$DOCKERD" ] || { [ -x /usr/sbin/dockerd ] && DOCKERD=/usr/sbin/dockerd; } || true
if [ -z "$DOCKERD" ] || ! command -v debootstrap >/dev/null 2>&1; then
  log "installing docker.io and debootstrap with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  # Another apt-get may hold the lock (e.g. a background install): wait for it.
  apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 || die "apt-get update failed"
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends docker.io debootstrap >&2 \
    || die "apt-get install docker.io debootstrap failed"
  DOCKERD=$(command -v dockerd || echo /usr/sbin/dockerd)
fi
[ -x "$DOCKERD" ] || die "dockerd not found after installing docker.io"
command -v docker >/dev/null 2>&1 || die "no docker client on PATH"

if pgrep -x dockerd >/dev/null 2>&1; then
  log "a dockerd process exists but does not answer yet; waiting for it"
else
  # A stale socket or pid file from a killed engine prevents a clean start.
  if [ -S "$SOCK" ] && ! engine_up; then rm -f "$SOCK"; fi
  rm -f /var/run/docker.pid
  log "starting $DOCKERD (log: $LOG)"
  # setsid + nohup + closed stdin: the engine must outlive this script and the CI step's session.
  setsid nohup "$DOCKERD" -H "unix://$SOCK" >>"$LOG" 2>&1 </dev/null &
fi

deadline=$((SECONDS + TIMEOUT))
until engine_up; do
  if [ $SECONDS -ge $deadline ]; then
    log "last lines of $LOG:"
    tail -n 30 "$LOG" >&2 2>/dev/null || true
    die "Docker engine did not answer on $SOCK within ${TIMEOUT}s"
  fi
  sleep 0.5
done
log "Docker engine ready ($(docker version --format 'server {{.Server.Version}}, API {{.Server.APIVersion}}' 2>/dev/null || echo '?'))"
