#!/usr/bin/env bash
# Saves the state of a Compose project (containers, health, last log lines) under a
# directory, for the artifact. stack-up's post step saves the same and tears the stack
# down, but post steps run after every other step, so a publish step in the same job
# would never see its files: this runs before publishing.
# Usage: stack-state.sh <project> <dir>
set -euo pipefail
project="${1:?usage: stack-state.sh <project> <dir>}" dir="${2:?dir}"
mkdir -p "$dir/logs"
label="label=com.docker.compose.project=$project"
docker ps -a --filter "$label" \
  --format 'table {{.Label "com.docker.compose.service"}}\t{{.Status}}\t{{.Image}}\t{{.Ports}}' \
  >"$dir/ps.txt"
for id in $(docker ps -aq --filter "$label"); do
  service="$(docker inspect -f '{{index .Config.Labels "com.docker.compose.service"}}' "$id")"
  docker logs --timestamps --tail 500 "$id" >"$dir/logs/$service.log" 2>&1 || true
done
echo "saved $(docker ps -aq --filter "$label" | wc -l) containers' state under $dir"
