# Shared helpers for the stand-in base images. Sourced, not run.
#
# No container registry is reachable on the machines this project is tested on,
# so the official base images (node, nginx-unprivileged, prometheus, postgres...)
# cannot be pulled. A stand-in is a minimal root file system made from this
# machine's own binaries (Debian packages) and imported with `docker import`.
# Our real Dockerfiles then build FROM it through their base-image build args.
set -euo pipefail

STANDIN_PREFIX="${STANDIN_PREFIX:-local/standin}"

standin_log() { printf '==> [standin] %s\n' "$*" >&2; }

# standin_exists TAG: true when the image is already there (stand-ins are cached).
standin_exists() { [[ -z "${STANDIN_REBUILD:-}" ]] && docker image inspect "$1" >/dev/null 2>&1; }

# standin_current TAG VERSION: true when the cached image was made from VERSION (its
# STANDIN_VERSION env), so a stand-in is rebuilt when the software under it changes.
standin_current() {
  standin_exists "$1" &&
    docker image inspect -f '{{join .Config.Env "\n"}}' "$1" | grep -qx "STANDIN_VERSION=$2"
}

# standin_gotool NAME: the path of a tool that .ci/install-go-tools.sh builds.
standin_gotool() {
  local path
  path="$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin/$1"
  [[ -x $path ]] || path="$(command -v "$1" || true)"
  [[ -n $path ]] || { echo "$1 is not built (bash .ci/install-go-tools.sh $1)" >&2; return 1; }
  echo "$path"
}

# standin_pgbin: the newest Debian PostgreSQL server's bin directory.
standin_pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# standin_version NAME: the version of the software the stand-in NAME is made of,
# as its own binary reports it (scripts/standins/test/versions.test.ts compares these
# with the compose file's and the Dockerfiles' pins).
standin_version() {
  local out
  case "$1" in
    node) out="$(node --version)" ;;
    nginx) out="$(nginx -v 2>&1)" ;;
    prometheus) out="$("$(standin_gotool prometheus-pinned)" --version)" ;;
    alertmanager) out="$("$(standin_gotool alertmanager-pinned)" --version)" ;;
    postgres) out="$("$(standin_pgbin)/postgres" --version)" ;;
    postgres-exporter) out="$(prometheus-postgres-exporter --version 2>&1)" ;;
    # The module version .ci/go-tools.txt builds (its binaries report only "git").
    toxiproxy) out="$(awk '$1 == "server" { print $2 }' "$(dirname "${BASH_SOURCE[0]}")/../../.ci/go-tools.txt")" ;;
    # The module version cadvisor.sh builds (go.mod pins it exactly).
    cadvisor) out="$(awk '$1 == "github.com/google/cadvisor/lib" { print $2 }' "$(dirname "${BASH_SOURCE[0]}")/cadvisor/go.mod")" ;;
    *) echo "standin_version: no stand-in named '$1'" >&2; return 1 ;;
  esac
  out="$(grep -oE '[0-9]+(\.[0-9]+)+' <<<"$out" | head -n 1)"
  [[ -n $out ]] || { echo "standin_version: $1 reported no version" >&2; return 1; }
  echo "$out"
}

# standin_rootfs: a fresh temporary root with the skeleton every image needs.
standin_rootfs() {
  local root
  root="$(mktemp -d /tmp/standin.XXXXXX)"
  mkdir -p "$root"/{bin,sbin,etc,tmp,var/tmp,usr/bin,usr/sbin,usr/lib,usr/share,root,home,run,proc,sys,dev}
  chmod 1777 "$root/tmp" "$root/var/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
  echo "$root"
}

# standin_user ROOT NAME UID [HOME]: adds a user and its group with the same id.
standin_user() {
  local root="$1" name="$2" id="$3" home="${4:-/home/$2}"
  echo "$name:x:$id:$id::$home:/bin/sh" >>"$root/etc/passwd"
  echo "$name:x:$id:" >>"$root/etc/group"
  mkdir -p "$root$home" && chown "$id:$id" "$root$home"
}

# standin_binary ROOT PATH...: copies executables and every shared library they load.
standin_binary() {
  local root="$1"; shift
  local bin lib
  for bin in "$@"; do
    mkdir -p "$root$(dirname "$bin")"
    cp -L "$bin" "$root$bin"
    for lib in $(ldd "$bin" 2>/dev/null | grep -oE '/[^ ]+' | sort -u); do
      [[ -e "$root$lib" ]] && continue
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done
  done
}

# standin_busybox ROOT: /bin/sh and the usual applets from busybox-static.
standin_busybox() {
  local root="$1" applet
  [[ -x /bin/busybox ]] || { echo "busybox-static is not installed" >&2; return 1; }
  cp /bin/busybox "$root/bin/busybox"
  ln -s /bin/busybox "$root/usr/bin/env"  # shebangs say /usr/bin/env
  for applet in $(/bin/busybox --list); do
    [[ -e "$root/bin/$applet" || -e "$root/usr/bin/$applet" ]] || ln -s /bin/busybox "$root/bin/$applet"
  done
}

# standin_ca ROOT: the machine's CA bundle (TLS to the registries goes through a proxy).
standin_ca() {
  mkdir -p "$1/etc/ssl/certs"
  cp /etc/ssl/certs/ca-certificates.crt "$1/etc/ssl/certs/ca-certificates.crt"
}

# standin_import ROOT TAG [docker import -c CHANGE]...: imports and removes ROOT.
standin_import() {
  local root="$1" tag="$2"; shift 2
  local changes=() change
  for change in "$@"; do changes+=(-c "$change"); done
  tar -C "$root" -c . | docker import "${changes[@]}" - "$tag" >/dev/null
  rm -rf "$root"
  standin_log "built $tag"
}
