#!/usr/bin/env bash
# The report figures (ScottPlot on SkiaSharp) need one TrueType font for titles, labels and cell values. Minimal
# Debian images have none; this installs DejaVu (fonts-dejavu-core) with apt when no .ttf font is present.
set -euo pipefail
if find /usr/share/fonts /usr/local/share/fonts -name '*.ttf' -print -quit 2>/dev/null | grep -q .; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get > /dev/null; then
  echo "warning: no TrueType font found; install one (Debian: apt-get install fonts-dejavu-core) or report figures have no text" >&2
  exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core > /dev/null
