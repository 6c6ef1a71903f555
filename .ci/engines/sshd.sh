#!/usr/bin/env bash
# An sshd on 127.0.0.1 for SshEngineIT: devdb reaches the local Docker engine through it as it would
# a remote one (DOCKER_HOST=ssh://root@127.0.0.1:PORT runs `docker system dial-stdio` here).
#
#   sshd.sh start   start it (idempotent): its own port, configuration and host key, made here
#   sshd.sh stop    stop it and its sessions, and remove its files
#
# It logs in root with keys only, from $DIR/authorized_keys: the tests make a client key, add it there
# and take it out again. It never touches the system's sshd, /etc/ssh or root's ~/.ssh: it reads only
# its own configuration, and its pid file, host key and known_hosts are its own. Where OpenSSH is not
# installed, it installs openssh-server and openssh-client with apt-get, without letting the package
# start the system's sshd.
#
# What the tests read ($DIR, default /run/devdb-sshd):
#   port          the port it listens on, on 127.0.0.1 and ::1 where there is one ($DEVDB_SSHD_PORT, default 42022, or the next free
#                 one when another program has that)
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
# Is the sshd of this directory running? (its pid file names a live sshd reading this configuration)
running() {
  [ -f "$PIDFILE" ] || return 1
  local pid
  pid=$(cat "$PIDFILE")
  [[ $pid =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-f $DIR/sshd_config"
}
# The processes whose parent is $1 (read from /proc: a minimal Debian has no ps)
children() {
  local f stat fields
  for f in /proc/[0-9]*/stat; do
    read -r stat 2>/dev/null <"$f" || continue
    read -r -a fields <<<"${stat##*) }"
    [ "${fields[1]}" != "$1" ] || { f=${f#/proc/}; echo "${f%/stat}"; }
  done
}
# Does something accept connections on 127.0.0.1:PORT?
taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

install() {
  log "installing openssh-server and openssh-client with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  # The package would start the system's sshd on port 22: a policy-rc.d that refuses every start keeps
  # it stopped (one already there, as in container images, is left as it is).
  local policy=/usr/sbin/policy-rc.d made=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# made by devdb'"'"'s .ci/engines/sshd.sh while it installs OpenSSH\nexit 101\n' >"$policy"
    chmod 0755 "$policy"
    made=1
  fi
  local ok=1
  apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 \
    && apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends openssh-server openssh-client >&2 \
    || ok=
  [ -z "$made" ] || rm -f "$policy"
  [ -n "$ok" ] || die "apt-get install openssh-server openssh-client failed"
}

start() {
  if running; then
    return 0
  fi
  [ "$(id -u)" = 0 ] || die "an sshd that logs in root needs root"
  local tool missing=
  for tool in ssh ssh-keygen ssh-keyscan; do
    command -v "$tool" >/dev/null 2>&1 || missing=1
  done
  if [ ! -x /usr/sbin/sshd ] || [ -n "$missing" ]; then
    install
  fi
  [ -x /usr/sbin/sshd ] || die "no /usr/sbin/sshd after installing openssh-server"
  local port=$PORT
  while taken "$port"; do
    [ -n "${DEVDB_SSHD_PORT:-}" ] && die "127.0.0.1:$port is taken (DEVDB_SSHD_PORT)"
    port=$((port + 1))
    [ $port -lt $((PORT + 100)) ] || die "no free port on 127.0.0.1 from $PORT to $((PORT + 99))"
  done
  PORT=$port
  # sshd's privilege separation directory, which the package makes at boot
  mkdir -p "$DIR" /run/sshd
  chmod 0755 "$DIR"
  rm -f "$DIR/host_ed25519" "$DIR/host_ed25519.pub"
  ssh-keygen -q -t ed25519 -N '' -C devdb-test-sshd -f "$DIR/host_ed25519"
  : >"$DIR/authorized_keys"
  chmod 0600 "$DIR/authorized_keys"
  # Without PAM, sshd refuses a root whose password is locked ("!" in /etc/shadow, as a Debian install
  # without a root password leaves it), keys or not; through PAM's account check it logs in with a key.
  local pam=no
  [[ $(getent shadow root | cut -d: -f2) != '!'* ]] || pam=yes
  # ::1 as well where this machine has it, for an IPv6 endpoint (ssh://root@[::1]:PORT)
  local v6=
  ! grep -q '^0\{31\}1 .* lo$' /proc/net/if_inet6 2>/dev/null || v6="ListenAddress [::1]"
  cat >"$DIR/sshd_config" <<EOF
ListenAddress 127.0.0.1
$v6
Port $PORT
HostKey $DIR/host_ed25519
PidFile $PIDFILE
AuthorizedKeysFile $DIR/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM $pam
StrictModes yes
AllowTcpForwarding local
AllowStreamLocalForwarding local
X11Forwarding no
PermitTTY no
LogLevel VERBOSE
# bash reads ~/.bashrc for a command sshd runs unless it is a nested shell: root's may be slow to load
# (pyenv, say), and the tests measure devdb, not this machine's shell start-up
SetEnv SHLVL=1
EOF
  /usr/sbin/sshd -t -f "$DIR/sshd_config" || die "sshd refuses its configuration $DIR/sshd_config"
  echo "[127.0.0.1]:$PORT${v6:+,[::1]:$PORT} $(cut -d' ' -f1,2 "$DIR/host_ed25519.pub")" >"$DIR/known_hosts"
  echo "$PORT" >"$DIR/port"
  log "starting sshd on 127.0.0.1:$PORT (log: $LOG)"
  # it detaches itself and writes its pid file once it listens
  /usr/sbin/sshd -f "$DIR/sshd_config" -E "$LOG" || die "sshd did not start (log: $LOG)"
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
    # the listener and the sessions it forked (its children), found by their parent's pid
    local sessions
    sessions=$(children "$pid")
    log "stopping sshd $pid${sessions:+ and its sessions $(echo $sessions)}"
    kill "$pid" $sessions 2>/dev/null || true
    local deadline=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && die "sshd $pid did not stop within 10 s"
  fi
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
