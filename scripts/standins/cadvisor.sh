#!/usr/bin/env bash
# Stand-in for gcr.io/cadvisor/cadvisor: our small main package around cAdvisor's
# own library (scripts/standins/cadvisor/main.go says why it exists), built
# statically with this machine's Go, plus busybox for the health check. Same
# entrypoint, port (8080), /metrics, /healthz and HEALTHCHECK as the real image.
#
# The binary is cached in ${XDG_CACHE_HOME:-~/.cache}/standins/ under the hash of
# the sources and the Go version; GOPATH and GOCACHE are the machine's, so only
# the first build on a machine is slow. The image carries the same hash in an
# ENV and is rebuilt when the sources change (or with STANDIN_REBUILD=1).
. "$(dirname "$0")/lib.sh"
tag="$STANDIN_PREFIX/cadvisor:latest"
src="$(cd "$(dirname "$0")/cadvisor" && pwd)"
go="$(command -v go || echo /usr/local/go/bin/go)"
[[ -x "$go" ]] || { echo "go is not installed (needed to build the cAdvisor stand-in)" >&2; exit 1; }

hash="$(cat "$0" "$src/main.go" "$src/go.mod" "$src/go.sum" <("$go" version) | sha256sum | cut -c1-16)"
# An ENV, not a LABEL: cAdvisor would export a label on every container's series.
stamp="CADVISOR_STANDIN_SOURCE=$hash"
if standin_exists "$tag" && docker image inspect -f '{{join .Config.Env "\n"}}' "$tag" | grep -qx "$stamp"; then
  standin_log "$tag is cached"
  exit 0
fi

cache="${XDG_CACHE_HOME:-$HOME/.cache}/standins"
bin="$cache/cadvisor-$hash"
if [[ -x "$bin" ]]; then
  standin_log "cadvisor binary is up to date ($bin)"
else
  standin_log "building cadvisor (first build on a machine takes a few minutes)"
  mkdir -p "$cache"
  version="$(cd "$src" && "$go" list -m -f '{{.Version}}' github.com/google/cadvisor/lib)"
  (cd "$src" && CGO_ENABLED=0 "$go" build -trimpath \
    -ldflags="-s -w -X github.com/google/cadvisor/lib/version.Version=$version-standin" -o "$bin.tmp" .)
  mv "$bin.tmp" "$bin"
  find "$cache" -maxdepth 1 -name 'cadvisor-*' ! -name "cadvisor-$hash" -delete
fi

root="$(standin_rootfs)"
standin_busybox "$root"
cp "$bin" "$root/usr/bin/cadvisor"
standin_import "$root" "$tag" \
  "ENV $stamp" \
  'ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin' \
  'EXPOSE 8080' \
  'HEALTHCHECK --interval=5s --timeout=3s --start-period=5s CMD wget -qO- http://127.0.0.1:8080/healthz || exit 1' \
  'ENTRYPOINT ["/usr/bin/cadvisor", "-logtostderr"]'
