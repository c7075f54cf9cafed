#!/usr/bin/env bash
# The deploy's gate: for each image that publish-images pushed, verify it (verify-image.sh),
# pull it by digest and check that it is the build's image (same id); only when every one
# passes, write a Compose override that runs those digests. Anything that does not verify is
# refused: exit 1, and no override is written. A table of the results goes to the job
# summary (digests, tags, SBOM packages, verification).
# Usage: deploy-images.sh <publish-images' images JSON> <override.yml>
#   and the environment of verify-image.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
images="${1:?usage: deploy-images.sh <images json> <override.yml>}" override="${2:?override file}"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
rm -f "$override"
jq -e 'type == "object" and length > 0' <<<"$images" >/dev/null ||
  { echo "::error::the images input is not publish-images' images output (a JSON map)" >&2; exit 2; }

rows=() services=() refused=0
for service in $(jq -r 'keys[]' <<<"$images"); do
  ref="$(jq -r --arg s "$service" '.[$s].ref' <<<"$images")"
  id="$(jq -r --arg s "$service" '.[$s].id' <<<"$images")"
  tags="$(jq -r --arg s "$service" '.[$s].tags | join(" ")' <<<"$images")"
  if ! result="$(bash "$here/verify-image.sh" "$ref" | tail -n 1)"; then
    rows+=("| $service | \`${ref#*@}\` | $tags | | refused: see the log |")
    refused=1
    continue
  fi
  # By digest: the engine checks that what it gets hashes to it.
  if ! docker pull -q "$ref" >/dev/null; then
    echo "::error::$ref: the pull by digest failed" >&2
    rows+=("| $service | \`${ref#*@}\` | $tags | | refused: the pull failed |")
    refused=1
    continue
  fi
  pulled="$(docker image inspect --format '{{.Id}}' "$ref")"
  if [[ $pulled != "$id" ]]; then
    echo "::error::$ref: pulled image $pulled is not the build's $id" >&2
    rows+=("| $service | \`${ref#*@}\` | $tags | | refused: not the build's image |")
    refused=1
    continue
  fi
  packages="${result##*sbom-packages=}"
  echo "ok  $service $ref ($result)"
  rows+=("| $service | \`${ref#*@}\` | $tags | $packages | ${result%% sbom-packages=*} |")
  services+=("$service" "$ref")
done

{
  echo '### Deployed images'
  echo
  echo '| Service | Digest | Tags | SBOM packages | Verification |'
  echo '| --- | --- | --- | --- | --- |'
  printf '%s\n' "${rows[@]}"
  echo
} >>"$summary"
if ((refused)); then
  echo "::error::refused to deploy: an image did not verify (no override written)" >&2
  exit 1
fi

{
  echo '# Written by .github/scripts/deploy-images.sh: the stack runs the verified digests.'
  echo 'services:'
  for ((i = 0; i < ${#services[@]}; i += 2)); do
    printf '  %s:\n    image: %s\n' "${services[i]}" "${services[i + 1]}"
  done
} >"$override"
echo "deploying from $override"
