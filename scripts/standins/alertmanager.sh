#!/usr/bin/env bash
# Stand-in for prom/alertmanager: Debian's prometheus-alertmanager (0.25) and
# amtool, a busybox shell with wget, running as nobody with its data in
# /alertmanager, as the official image does.
. "$(dirname "$0")/lib.sh"
tag="$STANDIN_PREFIX/alertmanager:latest"
standin_exists "$tag" && { standin_log "$tag is cached"; exit 0; }
command -v prometheus-alertmanager >/dev/null || { echo "prometheus-alertmanager is not installed" >&2; exit 1; }

root="$(standin_rootfs)"
standin_busybox "$root"
standin_binary "$root" "$(command -v prometheus-alertmanager)" "$(command -v amtool)"
ln -s "$(command -v prometheus-alertmanager)" "$root/bin/alertmanager"
ln -s "$(command -v amtool)" "$root/bin/amtool"
# Debian's build reads its default notification templates from here.
mkdir -p "$root/usr/share/prometheus"
cp -r /usr/share/prometheus/alertmanager "$root/usr/share/prometheus/alertmanager"
mkdir -p "$root/etc/alertmanager" "$root/alertmanager"
chown 65534:65534 "$root/alertmanager"
standin_import "$root" "$tag" \
  'USER 65534' \
  'WORKDIR /alertmanager' \
  'EXPOSE 9093' \
  'ENTRYPOINT ["/bin/alertmanager"]' \
  'CMD ["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"]'
