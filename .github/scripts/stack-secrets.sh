#!/usr/bin/env bash
# Generates the stack's secrets for this job only, outside the workspace, random and
# masked in the log: the backend's env file (SECRET_KEY, DATABASE_URL), Grafana's admin
# password and Postgres' password (the same one as in DATABASE_URL, as
# scripts/init-env.sh makes them). Exports BACKEND_ENV_FILE, GRAFANA_ADMIN_PASSWORD and
# POSTGRES_PASSWORD to later steps through $GITHUB_ENV (docker-compose.yml reads them).
# Nothing is written into the repository.
set -euo pipefail
dir="${RUNNER_TEMP:?}/stack-secrets"
mkdir -p "$dir" && chmod 700 "$dir"
random() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
secret_key="$(random 32)" grafana_password="$(random 16)" postgres_password="$(random 16)"
for secret in "$secret_key" "$grafana_password" "$postgres_password"; do
  echo "::add-mask::$secret"
done
umask 077
{
  echo "SECRET_KEY=$secret_key"
  echo "DATABASE_URL=postgres://app:$postgres_password@db:5432/app"
  echo "LOG_LEVEL=info"
} >"$dir/backend.env"
{
  echo "BACKEND_ENV_FILE=$dir/backend.env"
  echo "GRAFANA_ADMIN_PASSWORD=$grafana_password"
  echo "POSTGRES_PASSWORD=$postgres_password"
} >>"$GITHUB_ENV"
