#!/usr/bin/env bash
# Stand-in for terraform in the tests (no real one can run there): appends each call to calls.log
# beside it (TF_DATA_DIR, then every argument in brackets), prints what terraform would, and answers
# `output -json` with outputs.json beside it. A file fail-<subcommand> beside it makes that subcommand fail.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
{
  printf 'TF_DATA_DIR=%s' "${TF_DATA_DIR:-}"
  for arg in "$@"; do printf ' [%s]' "$arg"; done
  printf '\n'
} >> "$here/calls.log"

subcommand=""
for arg in "$@"; do
  case "$arg" in
    -chdir=*) ;;
    *) subcommand="$arg"; break ;;
  esac
done

if [[ -e "$here/fail-$subcommand" ]]; then
  echo "Error: stand-in terraform was told to fail $subcommand" >&2
  exit 1
fi

case "$subcommand" in
  init) echo "Terraform has been successfully initialized!" ;;
  apply) echo "Apply complete! Resources: 9 added, 0 changed, 0 destroyed." ;;
  destroy) echo "Destroy complete! Resources: 9 destroyed." ;;
  output) cat "$here/outputs.json" ;;
  *) echo "stand-in terraform: unexpected call: $*" >&2; exit 1 ;;
esac
