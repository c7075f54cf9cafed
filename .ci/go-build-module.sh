#!/usr/bin/env bash
# Builds one binary from a Go module that `go install M/cmd/x@V` cannot build as is, for
# the go-tools.txt lines that set GO_BUILD_PACKAGE. Usage (install-go-tools.sh calls it):
#   GO_BUILD_PACKAGE=./cmd/x [GO_BUILD_VERSION_VAR=pkg.Var] [GO_BUILD_PLACEHOLDER=dir] \
#     go-build-module.sh <output path> <module@version>
# - in a writable copy of the module's directory (the module cache is read-only);
# - GO_BUILD_VERSION_VAR: set with -ldflags -X to the module's own VERSION file, so the
#   binary reports the release it is (Prometheus and Alertmanager say "" otherwise);
# - GO_BUILD_PLACEHOLDER: a directory that a //go:embed needs and the module lacks
#   (Alertmanager's built web UI, ui/app/dist), created with a one-line index.html.
set -euo pipefail
out="${1:?usage: go-build-module.sh <output path> <module@version>}"
module="${2:?usage: go-build-module.sh <output path> <module@version>}"
: "${GO_BUILD_PACKAGE:?GO_BUILD_PACKAGE (the package to build, e.g. ./cmd/prometheus) is not set}"

mkdir -p "$(dirname "$out")"
dir="$(cd /tmp && go mod download -json "$module" | jq -er .Dir)"
work="$(mktemp -d /tmp/go-build-module.XXXXXX)"
trap 'chmod -R u+w "$work" && rm -rf "$work"' EXIT
cp -r "$dir/." "$work/"
chmod -R u+w "$work"

ldflags=()
if [[ -n ${GO_BUILD_VERSION_VAR:-} ]]; then
  [[ -s $work/VERSION ]] || { echo "$module has no VERSION file for $GO_BUILD_VERSION_VAR" >&2; exit 1; }
  ldflags=(-ldflags "-X $GO_BUILD_VERSION_VAR=$(tr -d '[:space:]' <"$work/VERSION")")
fi
if [[ -n ${GO_BUILD_PLACEHOLDER:-} ]]; then
  mkdir -p "$work/$GO_BUILD_PLACEHOLDER"
  echo '<!doctype html><title>UI not built</title><p>Built without its web UI; the API is complete.' \
    >"$work/$GO_BUILD_PLACEHOLDER/index.html"
fi
# GOWORK=off: a module may ship a go.work naming directories its zip leaves out.
(cd "$work" && GOWORK=off go build -trimpath "${ldflags[@]}" -o "$out.tmp" "$GO_BUILD_PACKAGE")
mv "$out.tmp" "$out"
