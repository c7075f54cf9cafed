#!/usr/bin/env bash
# Prints the stack's URLs as step outputs (backend-url, frontend-url, prometheus-url):
# the host ports Docker published for each service of the Compose project. Works with
# fixed ports (5000, 8080, 9090) and with random ones (*_PORT=0, as under act here),
# and with Compose v1 or v2: it asks the engine, not Compose.
# Usage: stack-urls.sh <project>   (appends to $GITHUB_OUTPUT, or prints to stdout)
set -euo pipefail
project="${1:?usage: stack-urls.sh <compose project>}"

url() { # <service> <container port>
  local id mapping
  id="$(docker ps -q \
    --filter "label=com.docker.compose.project=$project" \
    --filter "label=com.docker.compose.service=$1" | head -n 1)"
  [[ -n $id ]] || { echo "::error::no running container for service $1 in project $project" >&2; return 1; }
  mapping="$(docker port "$id" "$2/tcp" | head -n 1)"
  [[ -n $mapping ]] || { echo "::error::$1 publishes no port for $2/tcp" >&2; return 1; }
  # 127.0.0.1:49153 or 0.0.0.0:49153 or [::]:49153: the port is what follows the last ':'
  echo "http://127.0.0.1:${mapping##*:}"
}

# Each URL on its own line first: a failure inside "$(...)" within echo's arguments
# would be lost, and the step would pass with empty outputs.
backend="$(url backend 5000)"
frontend="$(url frontend 8080)"
prometheus="$(url prometheus 9090)"
{
  echo "backend-url=$backend"
  echo "frontend-url=$frontend"
  echo "prometheus-url=$prometheus"
} >>"${GITHUB_OUTPUT:-/dev/stdout}"
