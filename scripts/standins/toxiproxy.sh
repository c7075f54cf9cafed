#!/usr/bin/env bash
# Stand-in for ghcr.io/shopify/toxiproxy: the toxiproxy server built from its Go module
# (.ci/go-tools.txt: `go install …/toxiproxy/v2/cmd/server@v2.5.0`, which names it
# `server`), as /toxiproxy like the official image, plus a busybox shell. Same ENTRYPOINT
# and CMD; the compose file's `toxiproxy` profile passes its own command line.
. "$(dirname "$0")/lib.sh"
tag="$STANDIN_PREFIX/toxiproxy:latest"
standin_exists "$tag" && { standin_log "$tag is cached"; exit 0; }
server="$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin/server"
[[ -x $server ]] || { echo "toxiproxy's server is not built (bash .ci/install-go-tools.sh server)" >&2; exit 1; }

root="$(standin_rootfs)"
standin_busybox "$root"
# With the shared libraries it loads (a cgo build links libc for its DNS resolver).
standin_binary "$root" "$server"
ln -s "$server" "$root/toxiproxy"
standin_import "$root" "$tag" \
  'USER 65534' \
  'EXPOSE 8474' \
  'ENTRYPOINT ["/toxiproxy"]' \
  'CMD ["-host=0.0.0.0"]'
