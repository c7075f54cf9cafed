#!/usr/bin/env bash
# Creates the git-ignored files that hold the stack's secrets, with random values,
# unless they exist already (it never overwrites): backend/.env (SECRET_KEY, from
# backend/.env.example) and .env (GRAFANA_ADMIN_PASSWORD, read by Compose).
set -euo pipefail
cd "$(dirname "$0")/.."

random() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

if [[ ! -f backend/.env ]]; then
  umask 077
  sed -e "s|^SECRET_KEY=.*|SECRET_KEY=$(random 32)|" \
      -e "s|change-me@|$(random 12)@|" backend/.env.example >backend/.env
  echo "created backend/.env (random SECRET_KEY)"
fi
if [[ ! -f .env ]]; then
  umask 077
  {
    echo "# Read by docker compose. Git-ignored. See .env.example for every setting."
    echo "GRAFANA_ADMIN_PASSWORD=$(random 16)"
  } >.env
  echo "created .env (random GRAFANA_ADMIN_PASSWORD: grep GRAFANA .env)"
fi
