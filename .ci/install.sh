#!/usr/bin/env bash
# Installs every tool the tests need: Debian packages, then Go-built tools.
# Idempotent: a second run installs nothing new.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/lib.sh"

mapfile -t packages < <(list "$here/apt-packages.txt")
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

export GOPATH="${GOPATH:-$HOME/go}"
export PATH="$GOPATH/bin:/usr/local/go/bin:$PATH"
bash "$here/install-go-tools.sh"
# docker compose (v2) and docker buildx, the CLI plugins GitHub's runners have.
bash "$here/install-docker-plugins.sh"

# zizmor (PyPI), the workflow security linter the workflow tests run: pinned, in its
# own venv, linked as ~/.local/bin/zizmor.
bash "$here/../.github/scripts/install-zizmor.sh"
