#!/usr/bin/env bash
# Stand-in for prom/prometheus: Prometheus 3 and promtool at the version the compose
# file pins, built from their Go module by .ci/install-go-tools.sh (prometheus-pinned,
# promtool-pinned; without the web UI's assets, the API complete), a busybox shell
# with wget for the healthcheck, running as nobody (65534) with its data in
# /prometheus, as the official image does. Same ENTRYPOINT; the compose file passes
# its own command line. Rebuilt when the Prometheus under it changes.
. "$(dirname "$0")/lib.sh"
tag="$STANDIN_PREFIX/prometheus:latest"
prometheus="$(standin_gotool prometheus-pinned)"
promtool="$(standin_gotool promtool-pinned)"
version="$(standin_version prometheus)"
standin_current "$tag" "$version" && { standin_log "$tag ($version) is cached"; exit 0; }

root="$(standin_rootfs)"
standin_busybox "$root"
mkdir -p "$root/etc/prometheus" "$root/prometheus"
cp "$prometheus" "$root/bin/prometheus"
cp "$promtool" "$root/bin/promtool"
chown 65534:65534 "$root/prometheus"
standin_import "$root" "$tag" \
  "ENV STANDIN_VERSION=$version" \
  'USER 65534' \
  'WORKDIR /prometheus' \
  'EXPOSE 9090' \
  'ENTRYPOINT ["/bin/prometheus"]' \
  'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]'
