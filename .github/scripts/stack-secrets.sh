#!/usr/bin/env bash
# Generates the stack's secrets for this job only, outside the workspace: the backend's
# env file (SECRET_KEY) and Grafana's admin password, both random and masked in the log.
# Exports BACKEND_ENV_FILE and GRAFANA_ADMIN_PASSWORD to later steps through $GITHUB_ENV
# (docker-compose.yml reads both). Nothing is written into the repository.
set -euo pipefail
dir="${RUNNER_TEMP:?}/stack-secrets"
mkdir -p "$dir" && chmod 700 "$dir"
random() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
secret_key="$(random 32)" grafana_password="$(random 16)"
echo "::add-mask::$secret_key"
echo "::add-mask::$grafana_password"
umask 077
printf 'SECRET_KEY=%s\nLOG_LEVEL=info\nNODE_ENV=production\n' "$secret_key" >"$dir/backend.env"
{
  echo "BACKEND_ENV_FILE=$dir/backend.env"
  echo "GRAFANA_ADMIN_PASSWORD=$grafana_password"
} >>"$GITHUB_ENV"
