#!/usr/bin/env bash
# Builds the Go tools of .ci/go-tools.txt into $(go env GOPATH)/bin, all of them or those
# named (install-go-tools.sh actionlint trivy); a tool already there is kept. Used by
# .ci/install.sh here and by .github/scripts/install-tools.sh on GitHub runners. A line
# that sets GO_BUILD_PACKAGE is built in its module's directory (go-build-module.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/lib.sh"
gobin="$(go env GOPATH)/bin"

while read -r bin module build_env; do
  if (($#)) && [[ " $* " != *" $bin "* ]]; then continue; fi
  [[ -x $gobin/$bin ]] && continue
  # shellcheck disable=SC2086 # build_env is a list of VAR=value words
  if [[ " ${build_env:-} " == *" GO_BUILD_PACKAGE="* ]]; then
    log "go build $module as $bin ${build_env:-}"
    env ${build_env:-} bash "$here/go-build-module.sh" "$gobin/$bin" "$module" </dev/null
  else
    log "go install $module ${build_env:-}"
    (cd /tmp && env ${build_env:-} go install "$module")
  fi
done < <(list "$here/go-tools.txt")
