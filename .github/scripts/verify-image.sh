#!/usr/bin/env bash
# Verifies one image by digest against the identity that must have made it: its cosign
# signature, its SLSA provenance and its SBOM attestation, each for this repository's
# workflow on this ref. Exits 1 on anything that does not verify, naming it. Prints, last,
# one line of results: mode=… signature=verified provenance=verified sbom=verified sbom-packages=N.
# Usage: verify-image.sh <image@sha256:…>
#   EXPECTED_REPOSITORY (owner/repo), EXPECTED_REF (refs/heads/main), EXPECTED_WORKFLOW
#   (.github/workflows/pipeline.yml), SERVER_URL (https://github.com).
#   Keyless (GitHub) when COSIGN_PUBLIC_KEY is empty: the certificate's identity and issuer,
#   and `gh attestation verify` (GH_TOKEN) for GitHub's attestations. Key pair otherwise:
#   the key, the signature's annotations, and cosign's attestations, whose provenance must
#   name the same repository, ref and workflow.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/cosign-lib.sh"
ref="${1:?usage: verify-image.sh <image@sha256:…>}"
[[ $ref =~ @(sha256:[0-9a-f]{64})$ ]] || { echo "::error::$ref is not a digest reference (image@sha256:…)" >&2; exit 2; }
digest="${BASH_REMATCH[1]}"
need_env EXPECTED_REPOSITORY EXPECTED_REF EXPECTED_WORKFLOW
server="${SERVER_URL:-https://github.com}"
read -r -a flags <<<"$(registry_flags "$ref")"
annotations=(-a "repository=$EXPECTED_REPOSITORY" -a "ref=$EXPECTED_REF" -a "workflow=$EXPECTED_WORKFLOW")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

refuse() { echo "::error::$ref: $*" >&2; exit 1; }

if [[ -z ${COSIGN_PUBLIC_KEY:-} ]]; then
  "$COSIGN" verify "${flags[@]}" "${annotations[@]}" --certificate-identity "$(identity)" \
    --certificate-oidc-issuer "$OIDC_ISSUER" "$ref" >"$work/signature.json" 2>"$work/err" ||
    refuse "no signature of $(identity) (issuer $OIDC_ISSUER): $(tail -n 1 "$work/err")"
  gh_verify() { # <predicate type> <out>
    gh attestation verify "oci://$ref" --repo "$EXPECTED_REPOSITORY" \
      --signer-workflow "$EXPECTED_REPOSITORY/$EXPECTED_WORKFLOW" --source-ref "$EXPECTED_REF" \
      --predicate-type "$1" --format json >"$2" 2>"$work/err"
  }
  gh_verify https://slsa.dev/provenance/v1 "$work/provenance.json" ||
    refuse "no provenance attestation by $EXPECTED_REPOSITORY/$EXPECTED_WORKFLOW on $EXPECTED_REF: $(tail -n 1 "$work/err")"
  gh_verify https://cyclonedx.org/bom "$work/sbom.json" ||
    refuse "no SBOM attestation by $EXPECTED_REPOSITORY/$EXPECTED_WORKFLOW on $EXPECTED_REF: $(tail -n 1 "$work/err")"
  packages="$(jq '.[0].verificationResult.statement.predicate.components // [] | length' "$work/sbom.json")"
  echo "mode=keyless signature=verified provenance=verified sbom=verified sbom-packages=$packages"
  exit 0
fi

key=(--key env://COSIGN_PUBLIC_KEY --insecure-ignore-tlog=true)
"$COSIGN" verify "${key[@]}" "${flags[@]}" "${annotations[@]}" "$ref" >"$work/signature.json" 2>"$work/err" ||
  refuse "no signature by this key for repository $EXPECTED_REPOSITORY, ref $EXPECTED_REF, workflow $EXPECTED_WORKFLOW: $(tail -n 1 "$work/err")"

# Every in-toto statement of <type> whose signature verifies with the key, as one array.
statements() { # <cosign type> <out>
  "$COSIGN" verify-attestation "${key[@]}" "${flags[@]}" --type "$1" "$ref" >"$work/$1.jsonl" 2>"$work/err" ||
    return 1
  jq -r '.payload' "$work/$1.jsonl" | while read -r payload; do base64 -d <<<"$payload"; echo; done |
    jq -s --arg digest "${digest#sha256:}" 'map(select([.subject[].digest.sha256] | index($digest)))' >"$2"
}
statements slsaprovenance1 "$work/provenance.json" ||
  refuse "no provenance attestation by this key: $(tail -n 1 "$work/err")"
# Each provenance of this digest must name this build: one of another ref or repository
# means the key signed for a build that is not this one.
jq -e --arg repo "$server/$EXPECTED_REPOSITORY" --arg ref "$EXPECTED_REF" --arg path "$EXPECTED_WORKFLOW" '
  length > 0 and
  all(.[]; .predicate.buildDefinition.externalParameters.workflow == {ref: $ref, repository: $repo, path: $path})
' "$work/provenance.json" >/dev/null ||
  refuse "the provenance names another build: $(jq -c 'map(.predicate.buildDefinition.externalParameters.workflow)' "$work/provenance.json")"
statements cyclonedx "$work/sbom.json" || refuse "no SBOM attestation by this key: $(tail -n 1 "$work/err")"
jq -e 'length > 0' "$work/sbom.json" >/dev/null || refuse "no SBOM attestation for this digest"
packages="$(jq '.[0].predicate.components // [] | length' "$work/sbom.json")"
echo "mode=key signature=verified provenance=verified sbom=verified sbom-packages=$packages"
