#!/usr/bin/env bash
# Stand-in for node:24-bookworm-slim: this machine's node and npm, a busybox
# shell, the CA bundle and a `node` user with uid 1000 (as in the official image).
. "$(dirname "$0")/lib.sh"
tag="$STANDIN_PREFIX/node:latest"
standin_exists "$tag" && { standin_log "$tag is cached"; exit 0; }

root="$(standin_rootfs)"
standin_busybox "$root"
standin_binary "$root" "$(readlink -f "$(command -v node)")"
[[ -e "$root/usr/bin/node" ]] || ln -s "$(readlink -f "$(command -v node)")" "$root/usr/bin/node"
mkdir -p "$root/usr/lib/node_modules"
cp -r /usr/lib/node_modules/npm "$root/usr/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/bin/npx"
standin_ca "$root"
standin_user "$root" node 1000
standin_import "$root" "$tag" \
  'ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin' \
  'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  'CMD ["node"]'
