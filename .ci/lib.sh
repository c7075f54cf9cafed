# Helpers for the .ci scripts. Sourced, not run.
log() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
# Non-comment, non-blank lines of a list file.
list() { grep -Ev '^[[:space:]]*(#|$)' "$1"; }
