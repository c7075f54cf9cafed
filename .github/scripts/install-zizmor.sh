#!/usr/bin/env bash
# Installs zizmor, the workflow security linter, from PyPI at a pinned version into a
# venv of its own, and links it as ~/.local/bin/zizmor. Idempotent: a second run with
# the same version installs nothing. Used by .ci/install.sh and by the pipeline.
set -euo pipefail
version=1.32.0
venv="${XDG_DATA_HOME:-$HOME/.local/share}/zizmor/$version"
bin="$HOME/.local/bin"

if ! "$venv/bin/zizmor" --version 2>/dev/null | grep -qx "zizmor $version"; then
  printf '\n==> pip install zizmor==%s (venv %s)\n' "$version" "$venv" >&2
  rm -rf "$venv"
  # Debian's python3 needs the python3-venv package for this.
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input "zizmor==$version"
fi
mkdir -p "$bin"
ln -sfn "$venv/bin/zizmor" "$bin/zizmor"
