#!/usr/bin/env bash
# Smoke check of a running stack: the backend's /healthz, the frontend's /api/status
# (through nginx to the backend), and every active Prometheus target up.
# Usage: smoke.sh <backend-url> <frontend-url> <prometheus-url> [timeout seconds, 60]
set -euo pipefail
backend="${1:?backend url}" frontend="${2:?frontend url}" prometheus="${3:?prometheus url}"
deadline=$((SECONDS + ${4:-60}))

check() { # <what> <url>: 200 or fail with the status and body
  local body status
  body="$(mktemp)"
  status="$(curl -sS -o "$body" -w '%{http_code}' --max-time 5 "$2" || true)"
  if [[ $status != 200 ]]; then
    echo "::error::$1: $2 answered ${status:-nothing}: $(head -c 300 "$body")"
    rm -f "$body"
    return 1
  fi
  echo "ok  $1 ($2): $(head -c 120 "$body")"
  rm -f "$body"
}

check 'backend /healthz' "$backend/healthz"
check 'frontend /api/status' "$frontend/api/status"

# The first scrape comes about 5 s after Prometheus starts: poll until every active
# target is up (and there is at least one), or the deadline.
while :; do
  targets="$(curl -sS --max-time 5 "$prometheus/api/v1/targets?state=active" || echo '{}')"
  summary="$(jq -r '[.data.activeTargets[]? | "\(.labels.job)=\(.health)"] | join(" ")' <<<"$targets")"
  if jq -e '(.data.activeTargets | length) > 0 and all(.data.activeTargets[]; .health == "up")' \
    <<<"$targets" >/dev/null 2>&1; then
    echo "ok  Prometheus targets up: $summary"
    exit 0
  fi
  if ((SECONDS >= deadline)); then
    echo "::error::Prometheus targets not all up after ${4:-60} s: ${summary:-none}"
    exit 1
  fi
  sleep 2
done
