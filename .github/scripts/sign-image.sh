#!/usr/bin/env bash
# Signs one pushed image by digest with cosign, and with a key pair also attests its SBOM
# and its provenance (on GitHub, actions/attest makes those attestations). The signature
# carries the repository, ref and workflow as annotations, which verify-image.sh checks in
# key-pair mode, where no certificate names the workflow.
# Usage: sign-image.sh <image@sha256:…> [<sbom.cdx.json> <provenance.json>]
#   keyless when COSIGN_KEY is empty; else COSIGN_KEY (PEM) and COSIGN_PASSWORD.
#   EXPECTED_REPOSITORY, EXPECTED_REF, EXPECTED_WORKFLOW: what this run is.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/cosign-lib.sh"
ref="${1:?usage: sign-image.sh <image@sha256:…> [sbom provenance]}"
sbom="${2:-}" provenance="${3:-}"
[[ $ref == *@sha256:* ]] || { echo "::error::$ref is not a digest reference (image@sha256:…)" >&2; exit 2; }
need_env EXPECTED_REPOSITORY EXPECTED_REF EXPECTED_WORKFLOW
read -r -a flags <<<"$(registry_flags "$ref")"
annotations=(-a "repository=$EXPECTED_REPOSITORY" -a "ref=$EXPECTED_REF" -a "workflow=$EXPECTED_WORKFLOW")

if [[ -z ${COSIGN_KEY:-} ]]; then
  "$COSIGN" sign --yes "${flags[@]}" "${annotations[@]}" "$ref"
  echo "signed (keyless) $ref"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
config="$(offline_signing_config "$work")"
key=(--key env://COSIGN_KEY --signing-config "$config")
"$COSIGN" sign --yes "${key[@]}" "${flags[@]}" "${annotations[@]}" "$ref"
echo "signed (key pair) $ref"
if [[ -n $sbom ]]; then
  "$COSIGN" attest --yes "${key[@]}" "${flags[@]}" --type cyclonedx --predicate "$sbom" "$ref"
  echo "attested the SBOM of $ref"
fi
if [[ -n $provenance ]]; then
  "$COSIGN" attest --yes "${key[@]}" "${flags[@]}" --type slsaprovenance1 --predicate "$provenance" "$ref"
  echo "attested the provenance of $ref"
fi
