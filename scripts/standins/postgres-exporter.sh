#!/usr/bin/env bash
# Stand-in for prometheuscommunity/postgres-exporter: Debian's
# prometheus-postgres-exporter as /bin/postgres_exporter, a busybox shell with wget
# for the healthcheck, running as nobody on port 9187, as the official image
# (busybox-based) does. It reads the same DATA_SOURCE_URI, DATA_SOURCE_USER and
# DATA_SOURCE_PASS the compose file sets. Rebuilt when the exporter under it changes.
. "$(dirname "$0")/lib.sh"
tag="$STANDIN_PREFIX/postgres-exporter:latest"
exporter="$(command -v prometheus-postgres-exporter || true)"
[[ -n $exporter ]] || { echo "prometheus-postgres-exporter is not installed (apt-get install prometheus-postgres-exporter)" >&2; exit 1; }
version="$(standin_version postgres-exporter)"
standin_current "$tag" "$version" && { standin_log "$tag ($version) is cached"; exit 0; }

root="$(standin_rootfs)"
standin_busybox "$root"
standin_binary "$root" "$exporter"
ln -s "$exporter" "$root/bin/postgres_exporter"
standin_import "$root" "$tag" \
  "ENV STANDIN_VERSION=$version" \
  'USER 65534' \
  'EXPOSE 9187' \
  'ENTRYPOINT ["/bin/postgres_exporter"]'
