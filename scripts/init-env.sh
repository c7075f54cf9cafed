#!/usr/bin/env bash
# Creates the git-ignored files that hold the stack's secrets, with random values,
# and never overwrites a value that is there:
#   backend/.env  SECRET_KEY and DATABASE_URL (from backend/.env.example)
#   .env          GRAFANA_ADMIN_PASSWORD and POSTGRES_PASSWORD (read by Compose)
# POSTGRES_PASSWORD and the password in DATABASE_URL must be the same. Files made
# before the database existed get the missing half added, taken from the other
# file; when both are set and differ, it stops and says so rather than guess.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077

random() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
# value FILE NAME: the value of NAME= in FILE (empty when absent).
value() { [[ -f $1 ]] && sed -n "s/^$2=//p" "$1" | tail -n 1 || true; }
# The password of a DATABASE_URL for the Compose service `db`, else empty.
compose_db_password() { sed -n 's|^postgres\(ql\)\{0,1\}://app:\([^@]*\)@db:5432/app$|\2|p' <<<"$1"; }
database_url() { echo "postgres://app:$1@db:5432/app"; }
# append FILE LINE: on a line of its own, even when the file lacks a final newline.
append() { [[ -s $1 && -n $(tail -c 1 "$1") ]] && echo >>"$1"; echo "$2" >>"$1"; }

url="$(value backend/.env DATABASE_URL)"
from_url="$(compose_db_password "$url")"
password="$(value .env POSTGRES_PASSWORD)"
if [[ -n $password && -n $from_url && $password != "$from_url" ]]; then
  echo "error: POSTGRES_PASSWORD in .env and the password in backend/.env's DATABASE_URL differ;" >&2
  echo "       the backend could not log in. Make them the same (this script never overwrites)." >&2
  exit 1
fi
# A URL that does not point at the `db` service (an external database) is left alone.
source="the password of backend/.env's DATABASE_URL"
[[ -n $from_url ]] || source="random"
password="${password:-${from_url:-$(random 16)}}"

if [[ ! -f backend/.env ]]; then
  sed -e "s|^SECRET_KEY=.*|SECRET_KEY=$(random 32)|" \
      -e "s|^DATABASE_URL=.*|DATABASE_URL=$(database_url "$password")|" \
      backend/.env.example >backend/.env
  echo "created backend/.env (random SECRET_KEY, DATABASE_URL for the db service)"
elif [[ -z $url ]]; then
  sed -i '/^DATABASE_URL=$/d' backend/.env
  append backend/.env "DATABASE_URL=$(database_url "$password")"
  echo "added DATABASE_URL to backend/.env"
fi

if [[ ! -f .env ]]; then
  {
    echo "# Read by docker compose. Git-ignored. See .env.example for every setting."
    echo "GRAFANA_ADMIN_PASSWORD=$(random 16)"
    echo "POSTGRES_PASSWORD=$password"
  } >.env
  echo "created .env (random GRAFANA_ADMIN_PASSWORD and POSTGRES_PASSWORD: grep PASSWORD .env)"
elif [[ -z $(value .env POSTGRES_PASSWORD) ]]; then
  sed -i '/^POSTGRES_PASSWORD=$/d' .env
  append .env "POSTGRES_PASSWORD=$password"
  echo "added POSTGRES_PASSWORD to .env ($source)"
fi
