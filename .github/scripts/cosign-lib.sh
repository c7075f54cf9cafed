# Sourced by the signing and verifying scripts: which mode, and the flags each needs.
#
# Keyless (GitHub): cosign gets the job's OIDC token (id-token: write), Fulcio certifies
# this workflow's identity, Rekor logs the signature. Key pair (act, the e2e test): the key
# comes from COSIGN_KEY (private, with COSIGN_PASSWORD) or COSIGN_PUBLIC_KEY (PEM text, not
# a path), there is no transparency log, and a loopback registry is plain HTTP.
COSIGN="${COSIGN:-cosign}"
OIDC_ISSUER=https://token.actions.githubusercontent.com

# A registry on this machine's loopback: no TLS (127.0.0.1:5000/..., localhost:5000/...).
is_loopback() { [[ $1 == 127.0.0.1:* || $1 == localhost:* || $1 == '[::1]':* ]]; }

# The flags every cosign call on <ref> needs in the mode of the environment.
registry_flags() { # <ref>
  if is_loopback "$1"; then echo --allow-insecure-registry; fi
}

# owner/repo/.github/workflows/x.yml@ref -> the certificate identity GitHub's OIDC gives it.
identity() { echo "${SERVER_URL:-https://github.com}/$EXPECTED_REPOSITORY/$EXPECTED_WORKFLOW@$EXPECTED_REF"; }

need_env() { # <name>...: fails naming the first variable that is empty
  local name
  for name in "$@"; do
    [[ -n ${!name:-} ]] || { echo "::error::$name is not set" >&2; exit 2; }
  done
}

# An offline signing config (no Fulcio, no Rekor, no TSA) for key-pair signing: cosign v3
# otherwise asks Sigstore's TUF repository for the public-good services.
offline_signing_config() { # <dir>: prints the file's path
  "$COSIGN" signing-config create --out "$1/signing-config.json" >/dev/null
  echo "$1/signing-config.json"
}
