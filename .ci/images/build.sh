#!/usr/bin/env bash
# Build devdb's test images without any container registry, from Debian packages:
#
#   devdb-test/mysql:9.7       MySQL 9.7 from Debian sid
#   devdb-test/mariadb:10.5    MariaDB 10.5 from bullseye
#   devdb-test/mariadb:10.11   MariaDB 10.11 from bookworm
#   devdb-test/mariadb:11.8    MariaDB 11.8 from trixie
#
# Each rootfs is made with `debootstrap --variant=minbase`, laid out like the official images
# (docker-library/mysql, MariaDB/mariadb-docker) as far as Debian's packages allow, given
# docker-entrypoint.sh (the official images' contract, as far as devdb's tests use it), trimmed,
# and turned into an image with `docker import`. The README (Images) lists what differs.
# Each image carries the label devdb.test-image.inputs, a digest of what it was built from: this
# script (without the IMAGES table), docker-entrypoint.sh, the client-helpers block of devdb's start
# script (which the entrypoint sources) and the image's own line of the table.
# An image whose label matches is kept; a missing or different one is rebuilt (set
# DEVDB_IMAGES_REBUILD=1 to rebuild all, e.g. to pick up newer Debian packages). The images are
# built in parallel; the script exits non-zero if any fails, with the end of its log.
#
# Needs root, debootstrap, a running Docker engine (.ci/engine.sh) and deb.debian.org.
# Environment: DEVDB_DEBIAN_MIRROR (default http://deb.debian.org/debian),
#              DEVDB_IMAGE_WORKDIR (default /var/tmp/devdb-images), DEVDB_IMAGES_REBUILD=1.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MIRROR=${DEVDB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
WORK=${DEVDB_IMAGE_WORKDIR:-/var/tmp/devdb-images}
ENTRYPOINT_SRC=$HERE/docker-entrypoint.sh
START_SCRIPT=$HERE/../../src/main/resources/dev/devdb/mysql/devdb-start.sh
export DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock}

# The client helpers of devdb's start script (process_sql and the names init scripts use), which
# the entrypoint sources: one copy of them in the project.
client_helpers() {
  sed -n '/^# client-helpers: begin/,/^# client-helpers: end/p' "$START_SCRIPT"
}

log() { printf '%s build.sh: %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# packages: installed with their dependencies; the first is the server's, whose version becomes
# the image's version label. from: PACKAGE=FILE,... files taken out of a package that is not
# installed (mariadb-server would bring perl, galera and a server set-up at install time), or -.
#             tag                 suite     flavour  packages                                      from
IMAGES=(
  "devdb-test/mysql:9.7       sid       mysql    mysql-server-core,mysql-client-core,gosu      -"
  "devdb-test/mariadb:10.5    bullseye  mariadb  mariadb-server-core-10.5,mariadb-client-core-10.5,mariadb-client-10.5,gosu  mariadb-server-10.5=/etc/mysql/mariadb.conf.d/50-server.cnf,/usr/bin/mysql_tzinfo_to_sql,/usr/bin/mariadb-tzinfo-to-sql"
  "devdb-test/mariadb:10.11   bookworm  mariadb  mariadb-server-core,mariadb-client-core,mariadb-client,gosu  mariadb-server=/etc/mysql/mariadb.conf.d/50-server.cnf"
  "devdb-test/mariadb:11.8    trixie    mariadb  mariadb-server-core,mariadb-client-core,mariadb-client,gosu  mariadb-server=/etc/mysql/mariadb.conf.d/50-server.cnf"
)
INPUTS_LABEL=devdb.test-image.inputs

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot)"
command -v debootstrap >/dev/null || die "debootstrap is missing (run .ci/engine.sh, it installs it)"
docker info >/dev/null 2>&1 || die "no Docker engine answers (run .ci/engine.sh first)"
[ -r "$ENTRYPOINT_SRC" ] || die "missing $ENTRYPOINT_SRC"
[ -n "$(client_helpers)" ] || die "no client-helpers block in $START_SCRIPT"
bash -n "$ENTRYPOINT_SRC" || die "$ENTRYPOINT_SRC has a syntax error"

# Unmount whatever debootstrap/chroot left mounted below $1, deepest first.
unmount_below() {
  local root=$1 m
  while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done < <(awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r)
}

remove_tree() {
  local dir=$1
  [ -e "$dir" ] || return 0
  unmount_below "$dir"
  # --one-file-system: never descend into something still mounted (e.g. a bind-mounted /dev)
  rm -rf --one-file-system "$dir"
}

# Option files where the official images have them. MySQL: /etc/my.cnf as the official image
# makes it (its own settings, then /etc/mysql/conf.d/). MariaDB: /etc/mysql/my.cnf -> mariadb.cnf,
# which reads mariadb.conf.d/ and then conf.d/ (the official image swaps Debian's order so that
# conf.d wins), 05-skipcache.cnf, and the server's 50-server.cnf with its bind-address and log
# lines commented out, as the official image does. No error log is set: the server logs to stderr.
write_my_cnf() {
  local root=$1 flavour=$2
  mkdir -p "$root/etc/mysql/conf.d"
  if [ "$flavour" = mysql ]; then
    rm -f "$root/etc/mysql/my.cnf"
    cat > "$root/etc/my.cnf" <<'EOF'
[mysqld]
host-cache-size=0
skip-name-resolve
datadir=/var/lib/mysql
socket=/var/run/mysqld/mysqld.sock
secure-file-priv=/var/lib/mysql-files

pid-file=/var/run/mysqld/mysqld.pid
[client]
socket=/var/run/mysqld/mysqld.sock

!includedir /etc/mysql/conf.d/
EOF
    chmod 0644 "$root/etc/my.cnf"
    return
  fi
  local conf=$root/etc/mysql
  [ -f "$conf/mariadb.cnf" ] || die "no /etc/mysql/mariadb.cnf in the MariaDB packages"
  ln -sfn mariadb.cnf "$conf/my.cnf"
  sed -i -e '/^!includedir/d' "$conf/mariadb.cnf"
  printf '%s\n' '!includedir /etc/mysql/mariadb.conf.d/' '!includedir /etc/mysql/conf.d/' >>"$conf/mariadb.cnf"
  printf '[mariadb]\nhost-cache-size=0\nskip-name-resolve\n' >"$conf/mariadb.conf.d/05-skipcache.cnf"
  find "$conf" -name '*.cnf' -type f -exec sed -Ei 's/^(bind-address|log|user\s)/#&/' '{}' +
  chmod 0644 "$conf"/*.cnf "$conf"/*.d/*.cnf
}

# take_from_package ROOT FROM: the files FROM names (PACKAGE=FILE,...) out of the package's .deb
take_from_package() {
  local root=$1 pkg=${2%%=*} i
  local -a members=()
  IFS=, read -r -a members <<<"${2#*=}"
  for i in "${!members[@]}"; do members[i]=.${members[i]}; done
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  chroot "$root" apt-get -qq update >/dev/null || die "$pkg: apt-get update in the rootfs failed"
  chroot "$root" sh -c "cd /tmp && apt-get -qq download '$pkg'" >/dev/null 2>&1 \
    || die "$pkg: apt-get download failed"
  dpkg-deb --fsys-tarfile "$root"/tmp/"${pkg}"_*.deb | tar -x -C "$root" "${members[@]}" \
    || die "$pkg: ${members[*]} not found in the package"
  rm -f "$root"/tmp/"${pkg}"_*.deb
}

customise_rootfs() {
  local root=$1 flavour=$2 from=$3 version=$4
  if [ "$from" != - ]; then take_from_package "$root" "$from"; fi
  # The mysql user and group (999 like the official images when free).
  if ! chroot "$root" getent group mysql >/dev/null; then
    if chroot "$root" getent group 999 >/dev/null; then chroot "$root" groupadd -r mysql
    else chroot "$root" groupadd -r -g 999 mysql; fi
  fi
  if ! chroot "$root" getent passwd mysql >/dev/null; then
    if chroot "$root" getent passwd 999 >/dev/null; then
      chroot "$root" useradd -r -g mysql -d /var/lib/mysql -M -s /usr/sbin/nologin mysql
    else
      chroot "$root" useradd -r -u 999 -g mysql -d /var/lib/mysql -M -s /usr/sbin/nologin mysql
    fi
  fi
  local uid gid
  uid=$(chroot "$root" id -u mysql); gid=$(chroot "$root" id -g mysql)

  write_my_cnf "$root" "$flavour"

  # /var/run is an absolute symlink to /run: never follow it out of the rootfs onto the host.
  local rundir=$root/var/run/mysqld
  [ -L "$root/var/run" ] && rundir=$root/run/mysqld
  mkdir -p "$root/var/lib/mysql" "$rundir" "$root/docker-entrypoint-initdb.d"
  chown "$uid:$gid" "$root/var/lib/mysql" "$rundir"
  chmod 1777 "$rundir"    # any --user can create its socket there
  if [ "$flavour" = mysql ]; then
    chmod 1777 "$root/var/lib/mysql"   # as the official MySQL image
    mkdir -p "$root/var/lib/mysql-files"
    chown "$uid:$gid" "$root/var/lib/mysql-files"
    chmod 0750 "$root/var/lib/mysql-files"
  else
    chmod 0755 "$root/var/lib/mysql"
  fi
  # MariaDB 11 and later: the official images have no mysql* names for the mariadb* programs (the
  # -compat packages are not installed); Debian still ships some. Scripts must use mariadb*.
  if [ "$flavour" = mariadb ] && dpkg --compare-versions "${version#*:}" ge 11; then
    find "$root/usr/bin" "$root/usr/sbin" -maxdepth 1 -type l -name 'mysql*' -delete
  fi

  install -D -m 0755 "$ENTRYPOINT_SRC" "$root/usr/local/bin/docker-entrypoint.sh"
  mkdir -p "$root/usr/local/lib/devdb"
  client_helpers >"$root/usr/local/lib/devdb/client-helpers.sh"

  # Trim: package caches and lists, docs, man pages, translations, logs.
  rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* \
         "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
         "$root"/usr/share/locale/* "$root"/usr/share/lintian "$root"/usr/share/linda \
         "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old \
         "$root"/var/cache/ldconfig/aux-cache "$root"/tmp/* "$root"/var/tmp/* "$root"/root/.cache
  find "$root/var/log" -type f -delete
  # Keep dpkg from reinstalling what was trimmed, should anyone apt-get inside the image.
  mkdir -p "$root/etc/dpkg/dpkg.cfg.d"
  printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-exclude /usr/share/man/*' \
    'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' \
    > "$root/etc/dpkg/dpkg.cfg.d/01-devdb-nodoc"
  # No build-host identity in the image (Docker provides hostname and resolv.conf at run time).
  rm -f "$root/etc/hostname" "$root/etc/machine-id" "$root/etc/resolv.conf"
  : > "$root/etc/resolv.conf"
}

package_version() {
  chroot "$1" dpkg-query -W -f '${Version}' "$2" 2>/dev/null || echo unknown
}

# inputs_digest SPEC: digest of everything an image is built from (see the header)
inputs_digest() {
  {
    sed '/^IMAGES=(/,/^)/d' "${BASH_SOURCE[0]}"
    cat "$ENTRYPOINT_SRC"
    client_helpers
    printf '%s\n' "$1" | tr -s ' '
  } | sha256sum | cut -d' ' -f1
}

build_image() {
  local tag=$1 suite=$2 flavour=$3 pkgs=$4 from=$5 digest=$6
  local name=${tag//[\/:]/_}
  local dir=$WORK/$name
  local root=$dir/rootfs
  local t0=$SECONDS

  remove_tree "$dir"
  mkdir -p "$dir"
  trap 'remove_tree "'"$dir"'"' EXIT

  log "$tag: debootstrap $suite with $pkgs"
  if ! debootstrap --variant=minbase --include="$pkgs" "$suite" "$root" "$MIRROR" >"$dir/debootstrap.log" 2>&1; then
    tail -n 40 "$dir/debootstrap.log" >&2
    [ -f "$root/debootstrap/debootstrap.log" ] && tail -n 40 "$root/debootstrap/debootstrap.log" >&2
    die "$tag: debootstrap of $suite failed"
  fi
  unmount_below "$root"
  log "$tag: debootstrap done in $((SECONDS - t0))s"

  local server_pkg=${pkgs%%,*} version
  version=$(package_version "$root" "$server_pkg")

  customise_rootfs "$root" "$flavour" "$from" "$version"
  rm -rf "$root/debootstrap"

  local changes=(
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
    --change 'VOLUME /var/lib/mysql'
    --change 'EXPOSE 3306'
    --change 'ENTRYPOINT ["docker-entrypoint.sh"]'
    --change "LABEL org.opencontainers.image.title=$tag org.opencontainers.image.version=$version devdb.test-image=$flavour $INPUTS_LABEL=$digest"
  )
  if [ "$flavour" = mysql ]; then
    local v=${version%%-*}
    changes+=( --change "ENV MYSQL_MAJOR=${v%.*} MYSQL_VERSION=$version" --change 'EXPOSE 33060' --change 'CMD ["mysqld"]' )
  else
    changes+=( --change "ENV MARIADB_VERSION=$version" --change 'CMD ["mariadbd"]' )
  fi

  log "$tag: importing ($server_pkg $version)"
  tar --numeric-owner --xattrs -C "$root" \
      --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' \
      -c . \
    | docker import "${changes[@]}" --message "devdb test image from Debian $suite ($server_pkg $version)" - "$tag" >/dev/null \
    || die "$tag: docker import failed"

  remove_tree "$dir"
  trap - EXIT
  log "$tag: built in $((SECONDS - t0))s, $(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}')"
}

mkdir -p "$WORK"
pids=() tags=()
for spec in "${IMAGES[@]}"; do
  read -r tag suite flavour pkgs from <<<"$spec"
  digest=$(inputs_digest "$spec")
  have=$(docker image inspect -f "{{index .Config.Labels \"$INPUTS_LABEL\"}}" "$tag" 2>/dev/null || true)
  if [ -z "${DEVDB_IMAGES_REBUILD:-}" ] && [ "$have" = "$digest" ]; then
    log "$tag: up to date, kept"
    continue
  fi
  if [ -n "$have" ]; then log "$tag: build inputs changed, rebuilding"; fi
  ( build_image "$tag" "$suite" "$flavour" "$pkgs" "$from" "$digest" ) &
  pids+=( $! ); tags+=( "$tag" )
done

# Ctrl-C / TERM: stop the builders (their EXIT traps clean up the rootfs).
trap 'kill "${pids[@]}" 2>/dev/null; wait; exit 130' INT TERM

failed=()
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then failed+=( "${tags[$i]}" ); fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  die "failed to build: ${failed[*]}"
fi
log "images ready: $(for spec in "${IMAGES[@]}"; do read -r t _ <<<"$spec"; printf '%s ' "$t"; done)"
