#!/usr/bin/env bash
# Records a deliberate change of the public API in src/*/PublicAPI.Unshipped.txt: adds the symbols the build reports as
# new (RS0016) and drops those it reports as gone (RS0017), for BackdoorKit and BackdoorKit.Reporting. Review the diff.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
for project in BackdoorKit BackdoorKit.Reporting; do
  file="src/$project/PublicAPI.Unshipped.txt"
  log=$(dotnet build "src/$project" -c Release --nologo -v quiet 2>&1 || true)
  added=$(grep -E "src/$project/.*error RS0016" <<<"$log" | sed -E "s/.*Symbol '(.*)' is not part of the declared public API.*/\1/" | sort -u || true)
  removed=$(grep -E "src/$project/.*error RS0017" <<<"$log" | sed -E "s/.*Symbol '(.*)' is part of the declared API.*/\1/" | sort -u || true)
  if [ -n "$removed" ]; then
    grep -vxF -f <(printf '%s\n' "$removed") "$file" > "$file.tmp" || true
    mv "$file.tmp" "$file"
  fi
  if [ -n "$added" ]; then
    printf '%s\n' "$added" >> "$file"
  fi
  echo "$project: $(grep -c . <<<"$added" || true) added, $(grep -c . <<<"$removed" || true) removed"
done
