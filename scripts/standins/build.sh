#!/usr/bin/env bash
# Builds (or reuses) every stand-in base image, or those named: build.sh node nginx
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if (($#)); then names=("$@"); else
  names=(); for f in "$here"/*.sh; do n="$(basename "$f" .sh)"; [[ $n == lib || $n == build ]] || names+=("$n"); done
fi
for name in "${names[@]}"; do bash "$here/$name.sh"; done
