#!/usr/bin/env bash
# Tests BackdoorKit from outside: packs BackdoorKit and BackdoorKit.Reporting into a local feed (artifacts/consumer-feed)
# under a version of their own, then builds and runs tests/BackdoorKit.Consumer.Tests, which references them only as
# packages. eng/test.sh runs it after the solution's tests; arguments go to `dotnet test`.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
version="0.1.0-consumer.$(date -u +%Y%m%d%H%M%S)"
feed="$root/artifacts/consumer-feed"
rm -rf "$feed"
mkdir -p "$feed"
for project in BackdoorKit BackdoorKit.Reporting; do
  dotnet pack "src/$project/$project.csproj" -c Release -o "$feed" -p:PackageVersion="$version" --nologo -v quiet || exit 1
done
echo "consumer test: packed BackdoorKit $version into artifacts/consumer-feed"
dotnet test tests/BackdoorKit.Consumer.Tests -c Release --nologo -p:BackdoorKitPackageVersion="$version" "$@"
status=$?
# Each run restores a new version into the global packages folder; drop it again.
packages=$(dotnet nuget locals global-packages --list | sed -E 's/^global-packages: //')
rm -rf "$packages/backdoorkit/$version" "$packages/backdoorkit.reporting/$version"
exit "$status"
