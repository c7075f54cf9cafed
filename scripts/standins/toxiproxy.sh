#!/usr/bin/env bash
# Stand-in for ghcr.io/shopify/toxiproxy: the toxiproxy server built from its Go module
# (.ci/go-tools.txt: `go install …/toxiproxy/v2/cmd/server@v2.5.0`, which names it
# `server`) as /toxiproxy, and its CLI as /toxiproxy-cli, like the official image (the
# compose healthcheck runs the CLI), plus a busybox shell. Same ENTRYPOINT and CMD; the
# compose file's `toxiproxy` profile passes its own command line. Rebuilt when the
# version in go-tools.txt changes.
. "$(dirname "$0")/lib.sh"
tag="$STANDIN_PREFIX/toxiproxy:latest"
server="$(standin_gotool server)"
cli="$(standin_gotool toxiproxy-cli)"
version="$(standin_version toxiproxy)"
standin_current "$tag" "$version" && { standin_log "$tag ($version) is cached"; exit 0; }

root="$(standin_rootfs)"
standin_busybox "$root"
# With the shared libraries they load (a cgo build links libc for its DNS resolver).
standin_binary "$root" "$server" "$cli"
ln -s "$server" "$root/toxiproxy"
ln -s "$cli" "$root/toxiproxy-cli"
standin_import "$root" "$tag" \
  "ENV STANDIN_VERSION=$version" \
  'USER 65534' \
  'EXPOSE 8474' \
  'ENTRYPOINT ["/toxiproxy"]' \
  'CMD ["-host=0.0.0.0"]'
