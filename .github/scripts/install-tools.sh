#!/usr/bin/env bash
# The tools `npm test` runs, on a GitHub runner: the Go-built ones named (default
# actionlint, trivy, and Prometheus, promtool, Alertmanager and amtool at the compose
# file's pins) from .ci/go-tools.txt, the same versions and build settings as
# .ci/install.sh, and zizmor. The runner keeps its own Docker: .ci/install.sh, made for
# the project's root machines, would install Debian's docker.io over it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
(($#)) || set -- actionlint trivy prometheus-pinned promtool-pinned alertmanager-pinned amtool-pinned
gobin="$(go env GOPATH)/bin"
bash "$root/.ci/install-go-tools.sh" "$@"

bash "$root/.github/scripts/install-zizmor.sh"

if [[ -n ${GITHUB_PATH:-} ]]; then
  echo "$gobin" >>"$GITHUB_PATH"
  echo "$HOME/.local/bin" >>"$GITHUB_PATH"
fi
