#!/usr/bin/env bash
# A CycloneDX SBOM of one pushed image, made by Trivy from the registry (by digest, so it
# describes exactly what was pushed); prints the number of components. Needs no Trivy DB.
# Usage: sbom.sh <image@sha256:…> <out.cdx.json>   (TRIVY: the trivy to run)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/cosign-lib.sh"
ref="${1:?usage: sbom.sh <image@sha256:…> <out.cdx.json>}" out="${2:?output file}"
flags=()
if is_loopback "$ref"; then flags+=(--insecure); fi
"${TRIVY:-trivy}" image --quiet --image-src remote "${flags[@]}" --format cyclonedx --output "$out" "$ref"
jq '.components // [] | length' "$out"
