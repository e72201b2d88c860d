#!/usr/bin/env bash
# Everything a fresh machine needs before building: the C++ runtime TorchSharp needs, a font for the report figures
# and the offline sample data.
# Idempotent and quick when already done.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/install-native-runtime.sh"
bash "$here/install-fonts.sh"
bash "$here/prepare-sample-data.sh"
