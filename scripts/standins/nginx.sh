#!/usr/bin/env bash
# Stand-in for nginxinc/nginx-unprivileged: Debian's nginx binary, a busybox
# shell, envsubst (gettext-base), Debian's mime.types and an `nginx` user with
# uid 101. It behaves like the official image where our Dockerfile relies on it:
# /docker-entrypoint.sh runs /docker-entrypoint.d (local resolvers, templates
# from /etc/nginx/templates rendered into $NGINX_ENVSUBST_OUTPUT_DIR, default
# /etc/nginx/conf.d), nginx.conf keeps the pid and temp files in /tmp, the logs
# go to stdout/stderr, and it runs as uid 101 with CMD nginx -g 'daemon off;'.
# (docker import cannot set STOPSIGNAL: the frontend Dockerfile sets SIGQUIT itself.)
. "$(dirname "$0")/lib.sh"
tag="$STANDIN_PREFIX/nginx:latest"
standin_exists "$tag" && { standin_log "$tag is cached"; exit 0; }
command -v nginx >/dev/null || { echo "nginx is not installed (apt-get install nginx)" >&2; exit 1; }
command -v envsubst >/dev/null || { echo "envsubst is not installed (apt-get install gettext-base)" >&2; exit 1; }

root="$(standin_rootfs)"
standin_busybox "$root"
standin_binary "$root" "$(command -v nginx)" "$(command -v envsubst)"
[[ -e "$root/usr/sbin/nginx" ]] || ln -s "$(command -v nginx)" "$root/usr/sbin/nginx"
[[ -e "$root/usr/bin/envsubst" ]] || ln -s "$(command -v envsubst)" "$root/usr/bin/envsubst"

mkdir -p "$root"/etc/nginx/{conf.d,templates} "$root"/usr/share/nginx/html \
  "$root"/var/cache/nginx "$root"/var/log/nginx "$root"/var/lib/nginx "$root"/docker-entrypoint.d
cp /etc/nginx/mime.types "$root/etc/nginx/mime.types"
ln -s /dev/stdout "$root/var/log/nginx/access.log"
ln -s /dev/stderr "$root/var/log/nginx/error.log"

# The official image's nginx.conf after its unprivileged edits.
cat >"$root/etc/nginx/nginx.conf" <<'EOF'
worker_processes auto;
error_log /var/log/nginx/error.log notice;
pid /tmp/nginx.pid;

events {
    worker_connections 1024;
}

http {
    proxy_temp_path /tmp/proxy_temp;
    client_body_temp_path /tmp/client_temp;
    fastcgi_temp_path /tmp/fastcgi_temp;
    uwsgi_temp_path /tmp/uwsgi_temp;
    scgi_temp_path /tmp/scgi_temp;

    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log /var/log/nginx/access.log;
    sendfile on;
    keepalive_timeout 65;
    include /etc/nginx/conf.d/*.conf;
}
EOF
cat >"$root/etc/nginx/conf.d/default.conf" <<'EOF'
server {
    listen 8080;
    server_name localhost;
    location / {
        root /usr/share/nginx/html;
        index index.html index.htm;
    }
}
EOF
echo '<!doctype html><title>nginx stand-in</title><p>nginx stand-in image</p>' \
  >"$root/usr/share/nginx/html/index.html"

# /docker-entrypoint.sh: like the official one, configure only when the command
# is nginx: source *.envsh (their exports reach the later scripts), run *.sh.
cat >"$root/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
log() { [ -n "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ] || echo "$0: $*"; }
if [ "$1" = nginx ] || [ "$1" = nginx-debug ]; then
  for f in $(find /docker-entrypoint.d/ -mindepth 1 -maxdepth 1 -type f | sort); do
    case "$f" in
      *.envsh) log "sourcing $f"; . "$f" ;;
      *.sh) if [ -x "$f" ]; then log "launching $f"; "$f"; else log "ignoring $f, not executable"; fi ;;
      *) log "ignoring $f" ;;
    esac
  done
  log "configuration complete; ready for start up"
fi
exec "$@"
EOF

# NGINX_ENTRYPOINT_LOCAL_RESOLVERS=1 exports the container's DNS servers as
# NGINX_LOCAL_RESOLVERS, for `resolver ${NGINX_LOCAL_RESOLVERS};` in templates.
cat >"$root/docker-entrypoint.d/15-local-resolvers.envsh" <<'EOF'
[ -n "${NGINX_ENTRYPOINT_LOCAL_RESOLVERS:-}" ] || return 0
NGINX_LOCAL_RESOLVERS=$(awk 'BEGIN{ORS=" "} $1=="nameserver" {if ($2 ~ ":") {print "["$2"]"} else {print $2}}' /etc/resolv.conf)
NGINX_LOCAL_RESOLVERS="${NGINX_LOCAL_RESOLVERS% }"
export NGINX_LOCAL_RESOLVERS
EOF

# Templates: every *.template under the template dir, through envsubst limited
# to the variables that are set, into the output dir (same relative path).
cat >"$root/docker-entrypoint.d/20-envsubst-on-templates.sh" <<'EOF'
#!/bin/sh
set -e
template_dir="${NGINX_ENVSUBST_TEMPLATE_DIR:-/etc/nginx/templates}"
suffix="${NGINX_ENVSUBST_TEMPLATE_SUFFIX:-.template}"
output_dir="${NGINX_ENVSUBST_OUTPUT_DIR:-/etc/nginx/conf.d}"
filter="${NGINX_ENVSUBST_FILTER:-}"
[ -d "$template_dir" ] || exit 0
if [ ! -w "$output_dir" ]; then
  echo "$0: ERROR: $template_dir exists, but $output_dir is not writable" >&2
  exit 0
fi
defined_envs=$(printf '${%s} ' $(awk "END { for (name in ENVIRON) { print ( name ~ /${filter}/ ) ? name : \"\" } }" </dev/null))
find "$template_dir" -follow -type f -name "*$suffix" -print | while read -r template; do
  relative="${template#"$template_dir/"}"
  output="$output_dir/${relative%"$suffix"}"
  mkdir -p "$(dirname "$output")"
  [ -n "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ] || echo "$0: running envsubst on $template to $output"
  envsubst "$defined_envs" <"$template" >"$output"
done
EOF
chmod 755 "$root/docker-entrypoint.sh" "$root/docker-entrypoint.d/20-envsubst-on-templates.sh"
chmod 644 "$root/docker-entrypoint.d/15-local-resolvers.envsh"

standin_user "$root" nginx 101 /var/cache/nginx
# As in the official image: uid 101 owns the config and cache dirs (group root).
chown -R 101:0 "$root/etc/nginx" "$root/var/cache/nginx" "$root/var/lib/nginx"
chmod -R g+w "$root/etc/nginx" "$root/var/cache/nginx"
standin_import "$root" "$tag" \
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  'ENTRYPOINT ["/docker-entrypoint.sh"]' \
  'EXPOSE 8080' \
  'USER 101' \
  'CMD ["nginx", "-g", "daemon off;"]'
