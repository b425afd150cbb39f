#!/usr/bin/env bash
# The project's test command: installs what it needs, type-checks, and runs every test
# under three time zones (the domain must not depend on the machine's TZ), then prints
# one closing line: "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh

npx tsc --noEmit

results=var/test-results
rm -rf "$results"
mkdir -p "$results"
status=0
for zone in Europe/Moscow Pacific/Kiritimati America/St_Johns; do
  echo "== vitest, TZ=$zone" >&2
  TZ=$zone npx vitest run --reporter=default --reporter=json --outputFile="$results/${zone//\//-}.json" || status=1
done
node scripts/test-summary.mjs "$results"/*.json || status=1
exit $status
