#!/usr/bin/env bash
# Stand-in for postgres:17-bookworm: Debian's PostgreSQL 15 server and client
# binaries, a busybox shell and setpriv (for dropping root, as gosu does in the
# official image). It behaves like the official image where our compose file
# relies on it: /usr/local/bin/docker-entrypoint.sh initdb's an empty
# PGDATA (/var/lib/postgresql/data) with POSTGRES_USER, POSTGRES_PASSWORD
# (required), POSTGRES_DB and POSTGRES_INITDB_ARGS, listens on '*' with
# `host all all all scram-sha-256`, runs as uid 999 `postgres`, and pg_isready
# is on PATH. Started as root it fixes the ownership of PGDATA and
# /var/run/postgresql first (so a tmpfs works there), like the official one.
# Not imitated: /docker-entrypoint-initdb.d scripts, POSTGRES_HOST_AUTH_METHOD.
# (docker import cannot set STOPSIGNAL: the compose file sets SIGINT itself.)
. "$(dirname "$0")/lib.sh"
tag="$STANDIN_PREFIX/postgres:latest"
standin_exists "$tag" && { standin_log "$tag is cached"; exit 0; }
pgbin="$(standin_pgbin)"
[[ -x "$pgbin/postgres" ]] || { echo "postgresql is not installed (apt-get install postgresql)" >&2; exit 1; }
command -v setpriv >/dev/null || { echo "setpriv is not installed (util-linux)" >&2; exit 1; }
major="$(basename "$(dirname "$pgbin")")"

root="$(standin_rootfs)"
standin_busybox "$root"
standin_binary "$root" "$(command -v setpriv)"
standin_binary "$root" "$pgbin"/{postgres,initdb,pg_ctl,pg_isready,psql}
ln -s postgres "$root$pgbin/postmaster"
# Server modules (plpgsql, encodings, snowball dictionaries...) and the share
# dir initdb reads. Not the LLVM JIT: 100+ MB, and Postgres runs without it.
for module in /usr/lib/postgresql/"$major"/lib/*.so; do
  [[ $module == */llvmjit* ]] || standin_binary "$root" "$module"
done
mkdir -p "$root/usr/share/postgresql"
cp -r "/usr/share/postgresql/$major" "$root/usr/share/postgresql/$major"
# Debian builds with the system's time zone data.
cp -r /usr/share/zoneinfo "$root/usr/share/zoneinfo"

standin_user "$root" postgres 999 /var/lib/postgresql
mkdir -p "$root/var/lib/postgresql/data" "$root/var/run/postgresql" "$root/usr/local/bin"
chown 999:999 "$root/var/lib/postgresql/data" "$root/var/run/postgresql"
chmod 700 "$root/var/lib/postgresql/data"
chmod 3777 "$root/var/run/postgresql"

cat >"$root/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
# The official image's entrypoint, in its essentials (see scripts/standins/postgres.sh).
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
export PGDATA

# `docker run image -c foo=bar` means `postgres -c foo=bar`.
case "${1:-}" in -*) set -- postgres "$@" ;; esac
[ "${1:-}" = postgres ] || exec "$@"

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  chmod 3775 /var/run/postgresql
  find "$PGDATA" /var/run/postgresql \! -user postgres -exec chown postgres:postgres '{}' +
  # The full path: busybox sh prefers its own (smaller) setpriv applet.
  exec /usr/bin/setpriv --reuid=postgres --regid=postgres --clear-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "Error: Database is uninitialized and superuser password is not specified." >&2
    echo "       You must specify POSTGRES_PASSWORD to a non-empty value for the superuser." >&2
    exit 1
  fi
  pwfile="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of words
  initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --auth-local=trust \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C ${POSTGRES_INITDB_ARGS:-}
  rm -f "$pwfile"
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    # A server on the socket only, so nothing connects before it is ready.
    pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
    # From stdin, not -c: psql interpolates :"db" (quoted as an identifier) only there.
    echo 'CREATE DATABASE :"db";' | psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" \
      --no-password --dbname postgres --set db="$POSTGRES_DB"
    pg_ctl -D "$PGDATA" -m fast -w stop
  fi
  echo "PostgreSQL init process complete; ready for start up."
fi
exec "$@"
EOF
chmod 755 "$root/usr/local/bin/docker-entrypoint.sh"
ln -s usr/local/bin/docker-entrypoint.sh "$root/docker-entrypoint.sh"

standin_import "$root" "$tag" \
  "ENV PATH=/usr/local/sbin:/usr/local/bin:$pgbin:/usr/sbin:/usr/bin:/sbin:/bin" \
  'ENV PGDATA=/var/lib/postgresql/data' \
  'VOLUME /var/lib/postgresql/data' \
  'ENTRYPOINT ["docker-entrypoint.sh"]' \
  'EXPOSE 5432' \
  'CMD ["postgres"]'
