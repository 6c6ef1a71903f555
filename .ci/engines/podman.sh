#!/usr/bin/env bash
# Podman's Docker-compatible API on this machine, for PodmanIT: rootful, its own storage, served on
# a socket of its own by `podman system service`, with the test images loaded from the first engine.
#
#   podman.sh start   install Podman if missing, start the service (idempotent), load the test images
#   podman.sh stop    remove its containers and networks, stop the service
#
# Its configuration is a containers.conf of its own (CONTAINERS_CONF); its storage, run directory and
# network definitions are its own: /etc/containers, the system's Podman storage and the first engine
# (its containers, images, docker0 and firewall rules) are never touched. Networking is netavark with
# aardvark-dns, so containers on one network find each other by name (--replicas); netavark's bridges
# (podman0, podman1 ...) and firewall chains (NETAVARK_*) go when its containers do, and `stop` takes
# away the empty chains it leaves. Storage is kept between runs, so an image is loaded once (again when
# it changes).
#
# What the tests read: the socket $RUN/podman.sock (PodmanIT skips when nothing answers there).
set -euo pipefail

BASE=${DEVDB_PODMAN_DIR:-/var/lib/devdb-podman}
RUN=/run/devdb-podman
SOCK=$RUN/podman.sock
PIDFILE=$RUN/service.pid
LOG=/var/log/devdb-podman.log
IMAGES=${DEVDB_PODMAN_IMAGES:-devdb-test/mariadb:11.8 devdb-test/mysql:9.7}
TIMEOUT=${DEVDB_ENGINE_TIMEOUT:-60}
PACKAGES=(podman netavark aardvark-dns)
export CONTAINERS_CONF=$BASE/containers.conf

log() { echo "podman.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
pod() { podman --root "$BASE/storage" --runroot "$RUN/storage" "$@"; }
running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
answers() { curl -sf --unix-socket "$SOCK" http://podman/_ping >/dev/null 2>&1; }

install() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing+=("$p")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

configure() {
  mkdir -p "$BASE/networks"
  # The servers want these file limits. Network definitions live here, not in /etc/containers/networks
  # (or CNI's /etc/cni/net.d), where another Podman on this machine keeps its own.
  cat >"$CONTAINERS_CONF" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"

[network]
network_backend = "netavark"
network_config_dir = "$BASE/networks"
EOF
}

load_images() {
  local image want have
  for image in $IMAGES; do
    want=$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null) \
      || die "$image is not in the first engine: build the test images first (.ci/images/build.sh)"
    have=$(pod image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
    if [ "${want#sha256:}" != "${have#sha256:}" ]; then
      log "loading $image into Podman"
      docker save "$image" | pod load -q >/dev/null
    fi
  done
}

start() {
  [ "$(id -u)" = 0 ] || die "the rootful Podman service needs root"
  install
  mkdir -p "$BASE" "$RUN"
  configure
  if ! (running && answers); then
    # what earlier test runs left (this Podman serves the tests alone)
    pod rm -af -t 0 >/dev/null 2>&1 || true
    pod network prune -f >/dev/null 2>&1 || true
  fi
  local ids
  ids=$(pod images -q --filter label=devdb.scope 2>/dev/null | sort -u)
  [ -z "$ids" ] || pod rmi $ids >/dev/null 2>&1 || true
  load_images
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
    if ! running; then
      tail -n 20 "$LOG" >&2 || true
      die "Podman's service ended at once (its log is above)"
    fi
    if [ $SECONDS -ge $deadline ]; then
      tail -n 20 "$LOG" >&2 || true
      die "Podman's service did not answer on $SOCK within ${TIMEOUT}s"
    fi
    sleep 0.1
  done
  log "ready: Podman $(pod version --format '{{.Server.Version}}' 2>/dev/null), $(pod info --format \
    '{{.Host.NetworkBackend}}' 2>/dev/null) networking, on unix://$SOCK"
}

stop() {
  [ -f "$CONTAINERS_CONF" ] || return 0
  # containers first (their conmon processes outlive the service), then the networks they were on:
  # netavark takes its bridges and firewall rules away with them
  pod rm -af -t 0 >/dev/null 2>&1 || true
  pod network prune -f >/dev/null 2>&1 || true
  if running; then
    local pid
    pid=$(cat "$PIDFILE")
    log "stopping podman system service $pid"
    kill "$pid"
    local deadline=$((SECONDS + 15))
    while kill -0 "$pid" 2>/dev/null; do
      if [ $SECONDS -ge $deadline ]; then
        log "podman system service $pid did not stop within 15s; killing it"
        kill -9 "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.1
    done
  fi
  rm -f "$PIDFILE" "$SOCK"
  # the monitors of finished exec sessions wait five minutes for a reader of their exit code
  local p cmd monitors=()
  for p in /proc/[0-9]*; do
    cmd=$( { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null) || continue
    case $cmd in
      *conmon\ *" -b $BASE/storage/overlay-containers/"*) monitors+=("${p#/proc/}") ;;
    esac
  done
  if [ ${#monitors[@]} -gt 0 ]; then
    kill "${monitors[@]}" 2>/dev/null || true
    local deadline=$((SECONDS + 5))
    for p in "${monitors[@]}"; do
      while kill -0 "$p" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
        sleep 0.1
      done
    done
  fi
  # the storage's own mount of its layer directory
  umount "$BASE/storage/overlay" 2>/dev/null || true
  remove_empty_netavark_chains
}

# netavark leaves its chains (NETAVARK_*, NETAVARK-HOSTPORT-*), the jumps to them and the isolation
# rules of bridges it removed when its last network goes; they are taken away only when no rule in them
# names an address, a port or an interface that still exists, so another Podman's networks keep theirs
remove_empty_netavark_chains() {
  local table line rule dev
  for table in filter nat; do
    local rules in_use=false
    rules=$(iptables-save -t "$table" 2>/dev/null) || continue
    while IFS= read -r line; do
      case " $line " in
        *" -s "* | *" -d "* | *" --dport "*) in_use=true ;;
      esac
      for dev in $(grep -oE ' -[io] [^ ]+' <<<" $line" | cut -d' ' -f3); do
        if ip link show "$dev" >/dev/null 2>&1; then
          in_use=true
        fi
      done
    done < <(grep -E '^-A NETAVARK' <<<"$rules")
    if $in_use; then
      continue
    fi
    while IFS= read -r line; do
      rule=${line#-A }
      eval "set -- $rule"
      iptables -t "$table" -D "$@" 2>/dev/null || true
    done < <(grep -E '^-A [A-Z]+ .*-j NETAVARK' <<<"$rules" | grep -vE '^-A NETAVARK')
    while IFS= read -r line; do
      iptables -t "$table" -F "${line#:}" 2>/dev/null || true
    done < <(grep -oE '^:NETAVARK[^ ]*' <<<"$rules")
    while IFS= read -r line; do
      iptables -t "$table" -X "${line#:}" 2>/dev/null || true
    done < <(grep -oE '^:NETAVARK[^ ]*' <<<"$rules")
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
