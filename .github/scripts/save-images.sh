#!/usr/bin/env bash
# Saves the pipeline's images (<service>-demo:dev) from the engine as `docker save`
# archives into a directory, one per image: the build job's handoff to the scan and stack
# jobs, and, under act (jobs share this host's engine), the scan job's own copy.
# Usage: save-images.sh <dir> [image ...]   (default: backend-demo frontend-demo)
set -euo pipefail
dir="${1:?usage: save-images.sh <dir> [image ...]}"
shift
(($#)) || set -- backend-demo frontend-demo
mkdir -p "$dir"
for image in "$@"; do
  docker image inspect "$image:dev" >/dev/null || {
    echo "::error::no image $image:dev in the engine (did the build job run?)"
    exit 1
  }
  docker save "$image:dev" -o "$dir/$image.tar"
done
ls -l "$dir"
