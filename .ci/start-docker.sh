#!/usr/bin/env bash
# Starts the Docker engine when none answers (this machine has only the client).
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

if docker info >/dev/null 2>&1; then exit 0; fi
command -v dockerd >/dev/null || die "dockerd is not installed (apt-get install docker.io)"
log "starting dockerd"
setsid dockerd >/tmp/dockerd.log 2>&1 < /dev/null &
for _ in $(seq 1 60); do
  docker info >/dev/null 2>&1 && exit 0
  sleep 0.5
done
tail -n 20 /tmp/dockerd.log >&2
die "dockerd did not become ready within 30 s (log above)"
