#!/usr/bin/env bash
# Makes sure the C++ runtime that TorchSharp 0.107 (LibTorch 2.10) needs is present: libstdc++ with GLIBCXX_3.4.32.
# Debian 12 ships GLIBCXX up to 3.4.30; there this script installs Debian 13's libstdc++6 from the apt mirror the
# machine already uses, pinned so that nothing else is upgraded from that suite later. Every other platform the
# project supports (Ubuntu 24.04+, Debian 13+, Fedora 39+) already has it and is left alone. Idempotent.
set -euo pipefail

needed=GLIBCXX_3.4.32

has_runtime() {
  local lib
  for lib in /lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/x86_64-linux-gnu/libstdc++.so.6 \
             /lib/aarch64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6 /usr/lib/libstdc++.so.6; do
    if [ -e "$lib" ] && grep -a -q "$needed" "$lib"; then return 0; fi
  done
  return 1
}

if [ "$(uname -s)" != Linux ] || has_runtime; then
  exit 0
fi

. /etc/os-release
if [ "${ID:-}" != debian ] || [ "${VERSION_ID:-}" != 12 ]; then
  echo "error: libstdc++ with $needed (GCC 13 or newer) is required by TorchSharp 0.107; install it with your" \
       "distribution's package manager (Ubuntu 24.04+, Debian 13+ and Fedora 39+ have it)." >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "error: libstdc++ with $needed is missing and installing Debian 13's libstdc++6 needs root;" \
       "run: sudo bash eng/install-native-runtime.sh" >&2
  exit 1
fi

# Reuse the mirror this machine is configured with, never a hard-coded host.
mirror=""
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  mirror=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
fi
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list)
fi
if [ -z "$mirror" ]; then
  echo "error: could not find the Debian mirror in /etc/apt/sources.list(.d); add a 'trixie' source and run" \
       "'apt-get install -t trixie libstdc++6'" >&2
  exit 1
fi

echo "Installing libstdc++6 from Debian 13 (trixie) for $needed (TorchSharp's native runtime) ..."
cat > /etc/apt/sources.list.d/backdoorkit-trixie.sources <<SRC
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
cat > /etc/apt/preferences.d/backdoorkit-trixie.pref <<PIN
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq -t trixie libstdc++6 >/dev/null
if ! has_runtime; then
  echo "error: libstdc++6 was installed from trixie but still lacks $needed" >&2
  exit 1
fi
echo "libstdc++ now provides $needed."
