#!/usr/bin/env bash
# Stand-in for prom/prometheus: Debian's prometheus and promtool (2.42), a busybox
# shell with wget for the healthcheck, running as nobody (65534) with its data in
# /prometheus, as the official image does. Same ENTRYPOINT; the compose file
# passes its own command line.
. "$(dirname "$0")/lib.sh"
tag="$STANDIN_PREFIX/prometheus:latest"
standin_exists "$tag" && { standin_log "$tag is cached"; exit 0; }
command -v prometheus >/dev/null || { echo "prometheus is not installed (apt-get install prometheus)" >&2; exit 1; }

root="$(standin_rootfs)"
standin_busybox "$root"
standin_binary "$root" "$(command -v prometheus)" "$(command -v promtool)"
ln -s "$(command -v prometheus)" "$root/bin/prometheus"
ln -s "$(command -v promtool)" "$root/bin/promtool"
mkdir -p "$root/etc/prometheus" "$root/prometheus"
chown 65534:65534 "$root/prometheus"
standin_import "$root" "$tag" \
  'USER 65534' \
  'WORKDIR /prometheus' \
  'EXPOSE 9090' \
  'ENTRYPOINT ["/bin/prometheus"]' \
  'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]'
