#!/usr/bin/env bash
# Builds the Go tools of .ci/go-tools.txt into $(go env GOPATH)/bin, all of them or those
# named (install-go-tools.sh actionlint trivy); a tool already there is kept. Used by
# .ci/install.sh here and by .github/scripts/install-tools.sh on GitHub runners.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/lib.sh"
gobin="$(go env GOPATH)/bin"

while read -r bin module build_env; do
  if (($#)) && [[ " $* " != *" $bin "* ]]; then continue; fi
  [[ -x $gobin/$bin ]] && continue
  log "go install $module ${build_env:-}"
  # shellcheck disable=SC2086 # build_env is a list of VAR=value words
  (cd /tmp && env ${build_env:-} go install "$module")
done < <(list "$here/go-tools.txt")
