#!/usr/bin/env bash
# An sshd on 127.0.0.1 for SshEngineIT: devdb reaches the local Docker engine through it as it would
# a remote one (DOCKER_HOST=ssh://root@127.0.0.1:PORT runs `docker system dial-stdio` here).
#
#   sshd.sh start   start it (idempotent): its own port, configuration and host key, made here
#   sshd.sh stop    stop it and remove its files
#
# It logs in root with keys only, from $DIR/authorized_keys: the tests make a client key, add it there
# and take it out again. It never touches the system's sshd, /etc/ssh or root's ~/.ssh.
#
# What the tests read ($DIR, default /run/devdb-sshd):
#   port          the port it listens on, on 127.0.0.1
#   known_hosts   its host key, as ssh's UserKnownHostsFile wants it
#   authorized_keys
set -euo pipefail

DIR=${DEVDB_SSHD_DIR:-/run/devdb-sshd}
PORT=${DEVDB_SSHD_PORT:-42022}
LOG=/var/log/devdb-sshd.log
PIDFILE=$DIR/sshd.pid
TIMEOUT=${DEVDB_ENGINE_TIMEOUT:-60}

log() { echo "sshd.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

start() {
  if running; then
    return 0
  fi
  [ "$(id -u)" = 0 ] || die "an sshd that logs in root needs root"
  [ -x /usr/sbin/sshd ] || die "no /usr/sbin/sshd (apt-get install openssh-server)"
  command -v ssh >/dev/null 2>&1 || die "no ssh client on PATH (apt-get install openssh-client)"
  mkdir -p "$DIR" /run/sshd
  chmod 0755 "$DIR"
  rm -f "$DIR/host_ed25519" "$DIR/host_ed25519.pub"
  ssh-keygen -q -t ed25519 -N '' -C devdb-test-sshd -f "$DIR/host_ed25519"
  : >"$DIR/authorized_keys"
  chmod 0600 "$DIR/authorized_keys"
  cat >"$DIR/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $PORT
HostKey $DIR/host_ed25519
PidFile $PIDFILE
AuthorizedKeysFile $DIR/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes yes
AllowTcpForwarding local
AllowStreamLocalForwarding local
X11Forwarding no
PermitTTY no
LogLevel VERBOSE
EOF
  /usr/sbin/sshd -t -f "$DIR/sshd_config" || die "sshd refuses its configuration $DIR/sshd_config"
  echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$DIR/host_ed25519.pub")" >"$DIR/known_hosts"
  echo "$PORT" >"$DIR/port"
  log "starting sshd on 127.0.0.1:$PORT (log: $LOG)"
  # it detaches itself and writes its pid file once it listens
  /usr/sbin/sshd -f "$DIR/sshd_config" -E "$LOG"
  local deadline=$((SECONDS + TIMEOUT))
  until running && ssh-keyscan -T 2 -p "$PORT" 127.0.0.1 >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      tail -n 20 "$LOG" >&2 || true
      die "sshd did not answer on 127.0.0.1:$PORT within ${TIMEOUT}s"
    fi
    sleep 0.1
  done
  log "ready on 127.0.0.1:$PORT"
}

stop() {
  if running; then
    local pid
    pid=$(cat "$PIDFILE")
    log "stopping sshd $pid"
    # only the listener: the sessions it forked end when their clients do
    kill "$pid"
    local deadline=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
      sleep 0.1
    done
  fi
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
