#!/usr/bin/env bash
# Stand-in for prom/alertmanager: Alertmanager and amtool at the version the compose
# file pins, built from their Go module by .ci/install-go-tools.sh
# (alertmanager-pinned, amtool-pinned; a placeholder instead of the web UI, the API
# complete), a busybox shell with wget, running as nobody with its data in
# /alertmanager, as the official image does. Its default notification templates are
# compiled in. Rebuilt when the Alertmanager under it changes.
. "$(dirname "$0")/lib.sh"
tag="$STANDIN_PREFIX/alertmanager:latest"
alertmanager="$(standin_gotool alertmanager-pinned)"
amtool="$(standin_gotool amtool-pinned)"
version="$(standin_version alertmanager)"
standin_current "$tag" "$version" && { standin_log "$tag ($version) is cached"; exit 0; }

root="$(standin_rootfs)"
standin_busybox "$root"
mkdir -p "$root/etc/alertmanager" "$root/alertmanager"
cp "$alertmanager" "$root/bin/alertmanager"
cp "$amtool" "$root/bin/amtool"
chown 65534:65534 "$root/alertmanager"
standin_import "$root" "$tag" \
  "ENV STANDIN_VERSION=$version" \
  'USER 65534' \
  'WORKDIR /alertmanager' \
  'EXPOSE 9093' \
  'ENTRYPOINT ["/bin/alertmanager"]' \
  'CMD ["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"]'
