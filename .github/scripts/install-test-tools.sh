#!/usr/bin/env bash
# The tools `npm test` runs, on a GitHub runner (or under act on a host that has them):
# the Debian servers the integration tests start themselves, then the Go-built tools and
# zizmor (install-tools.sh). Installs only what is missing, with sudo only when not root
# (act runs jobs on the host as the user who started it, and a root host may have no sudo).
# The runner keeps its own Docker, Compose and Chromium: .ci/install.sh, made for the
# project's root machines, would install Debian's docker.io over them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
packages=(nginx prometheus prometheus-alertmanager postgresql prometheus-postgres-exporter)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
sudo=()
((EUID == 0)) || sudo=(sudo)
if ((${#missing[@]})); then
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # Debian's packages start their services; the tests start their own.
  "${sudo[@]}" systemctl stop nginx prometheus prometheus-alertmanager postgresql \
    prometheus-node-exporter prometheus-postgres-exporter 2>/dev/null || true
fi
echo "Debian packages: ${missing[*]:-all present}"
bash "$here/install-tools.sh" "$@"
