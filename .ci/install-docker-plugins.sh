#!/usr/bin/env bash
# Builds the Docker CLI plugins GitHub's runners have, Compose v2 (`docker compose`) and
# buildx, from their Go modules into ~/.docker/cli-plugins. Each is built once and kept
# (GOPATH and the Go build cache persist on a machine); a plugin already there at its
# version is left alone.
#   Compose: its module has `replace` directives, which `go install` refuses, so it is
#   built in its own module directory, as its Makefile does (with the version set).
#   buildx: `go install` works; the plugin is a link to the binary.
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
compose_module=github.com/docker/compose/v2 compose_version=v2.40.3
buildx_module=github.com/docker/buildx buildx_version=v0.38.2
plugins="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
gobin="$(go env GOPATH)/bin"
mkdir -p "$plugins"

if [[ "$("$plugins/docker-compose" version --short 2>/dev/null)" != "${compose_version#v}" ]]; then
  log "build $compose_module@$compose_version (docker compose)"
  dir="$(cd /tmp && go mod download -json "$compose_module@$compose_version" | jq -r .Dir)"
  (cd "$dir" && go build -trimpath \
    -ldflags "-w -X $compose_module/internal.Version=$compose_version" \
    -o "$plugins/docker-compose" ./cmd)
fi

if ! "$plugins/docker-buildx" version 2>/dev/null | grep -q " $buildx_version "; then
  log "go install $buildx_module/cmd/buildx@$buildx_version (docker buildx)"
  (cd /tmp && go install -trimpath \
    -ldflags "-X $buildx_module/version.Version=$buildx_version -X $buildx_module/version.Package=$buildx_module" \
    "$buildx_module/cmd/buildx@$buildx_version")
  ln -sfn "$gobin/buildx" "$plugins/docker-buildx"
fi
docker compose version
docker buildx version
