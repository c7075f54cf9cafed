#!/usr/bin/env bash
# Checks a running Grafana through its HTTP API against this repository's dashboards:
# - Grafana is up (/api/health);
# - every dashboard file in <dashboards dir> is provisioned: found by its uid
#   (/api/dashboards/uid/<uid>) with its title;
# - every datasource the panels use is provisioned and healthy
#   (/api/datasources/uid/<uid>/health says status OK);
# - every panel query, run through Grafana (/api/ds/query, the last 5 minutes),
#   returns at least one series.
# Data appears a few scrapes after the stack starts, so failing checks are retried
# until the deadline; then each one still failing is named (dashboard, panel, refId).
# Usage: grafana-check.sh <grafana url> <dashboards dir> [timeout seconds, 120]
# Env: GRAFANA_ADMIN_PASSWORD (required; the name .env and stack-secrets.sh use),
# GRAFANA_USER (default admin). The password goes to curl through a config on a
# file descriptor: never in argv or in the log.
set -euo pipefail
grafana="${1:?usage: grafana-check.sh <grafana url> <dashboards dir> [timeout seconds]}"
dir="${2:?usage: grafana-check.sh <grafana url> <dashboards dir> [timeout seconds]}"
deadline=$((SECONDS + ${3:-120}))
interval="${GRAFANA_CHECK_INTERVAL:-5}"
: "${GRAFANA_ADMIN_PASSWORD:?GRAFANA_ADMIN_PASSWORD is not set (the Grafana admin password)}"
user="${GRAFANA_USER:-admin}"
shopt -s nullglob
files=("$dir"/*.json)
((${#files[@]})) || { echo "::error::no dashboard JSON in $dir"; exit 1; }

status='' body=''
api() { # <method> <path> [json body]: sets $status and $body
  local out credentials
  out="$(mktemp)"
  credentials="${user}:${GRAFANA_ADMIN_PASSWORD}"
  credentials="${credentials//\\/\\\\}"
  status="$(curl -sS -o "$out" -w '%{http_code}' --max-time 10 -X "$1" \
    -K <(printf 'user = "%s"\n' "${credentials//\"/\\\"}") \
    -H 'Accept: application/json' -H 'Content-Type: application/json' \
    ${3:+--data-binary "$3"} "$grafana$2" 2>/dev/null || true)"
  body="$(cat "$out")"
  rm -f "$out"
}
message() { jq -r '.message // .error // empty' <<<"$body" 2>/dev/null | head -c 300 || true; }

# One check per line, tab-separated: <kind> <label> <argument (base64 where JSON)>.
checks() {
  local file
  for file in "${files[@]}"; do
    jq -r --arg file "$(basename "$file")" '
      "dashboard\t\(.title) (uid \(.uid), \($file))\t\(.uid)\t\(.title)",
      (.title as $dashboard | .panels[] | .title as $panel | .targets[] |
        "panel\t\($dashboard) / \($panel) (\(.refId))\t\(.refId)\t\(
          {queries: [. + {intervalMs: 15000, maxDataPoints: 100}], from: "now-5m", to: "now"}
          | tojson | @base64)")' "$file"
  done
  jq -r '[.panels[] | (.datasource.uid?, .targets[].datasource.uid?)] | .[] | select(.)' "${files[@]}" |
    sort -u | while read -r uid; do printf 'datasource\tdatasource %s\t%s\t\n' "$uid" "$uid"; done
}

# check <kind> <label> <arg> <extra>: 0 when it passes; prints why not on stdout otherwise.
check() {
  local series error
  case "$1" in
    dashboard)
      api GET "/api/dashboards/uid/$3"
      [[ $status == 200 ]] || { echo "Grafana answered $status: $(message)"; return 1; }
      jq -e --arg uid "$3" --arg title "$4" '.dashboard.uid == $uid and .dashboard.title == $title' \
        <<<"$body" >/dev/null 2>&1 || { echo "the answer is not this dashboard (uid or title differ)"; return 1; }
      ;;
    datasource)
      api GET "/api/datasources/uid/$3/health"
      jq -e '.status == "OK"' <<<"$body" >/dev/null 2>&1 ||
        { echo "health check answered $status: $(message)"; return 1; }
      ;;
    panel)
      api POST /api/ds/query "$(base64 -d <<<"$4")"
      series="$(jq -r --arg ref "$3" \
        '[.results[$ref].frames[]? | select(((.data.values // [])[0] // []) | length > 0)] | length' \
        <<<"$body" 2>/dev/null || echo 0)"
      error="$(jq -r --arg ref "$3" '.results[$ref].error // .message // empty' <<<"$body" 2>/dev/null | head -c 300 || true)"
      if [[ $status != 200 || -n $error ]]; then
        echo "the query failed (${status:-no answer}): ${error:-no message}"
        return 1
      fi
      ((series > 0)) || { echo "the query returned no series"; return 1; }
      echo "$series series"
      ;;
  esac
}

# Grafana itself first: nothing else can pass before it answers.
until api GET /api/health && [[ $status == 200 ]] && jq -e '.database == "ok"' <<<"$body" >/dev/null 2>&1; do
  if ((SECONDS >= deadline)); then
    echo "::error::Grafana at $grafana is not healthy: /api/health answered ${status:-nothing}"
    exit 1
  fi
  sleep "$interval"
done
echo "ok  Grafana $(jq -r '.version // "?"' <<<"$body") at $grafana"

mapfile -t pending < <(checks)
while :; do
  failing=() reasons=()
  for line in "${pending[@]}"; do
    IFS=$'\t' read -r kind label arg extra <<<"$line"
    if result="$(check "$kind" "$label" "$arg" "$extra")"; then
      echo "ok  $label${result:+: $result}"
    else
      failing+=("$line") reasons+=("$label: $result")
    fi
  done
  ((${#failing[@]})) || exit 0
  if ((SECONDS >= deadline)); then
    for reason in "${reasons[@]}"; do echo "::error::$reason"; done
    exit 1
  fi
  pending=("${failing[@]}")
  sleep "$interval"
done
