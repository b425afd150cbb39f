#!/usr/bin/env bash
# The project's test command: installs what it needs (npm packages, the Temporal servers,
# LibreOffice for reading documents back, Chromium for the browser tests),
# type-checks, runs the unit tests under three time zones (the domain must not depend on the
# machine's TZ), then the workflow tests (time-skipping server), the end-to-end tests (dev
# server, real SMTP) and every bench once with small arguments (a crash or a malformed figure
# fails; a slow one does not), and prints one closing line: "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/setup-temporal.sh
bash scripts/setup-libreoffice.sh
bash scripts/setup-chromium.sh

npx tsc --noEmit

results=var/test-results
rm -rf "$results"
mkdir -p "$results"
status=0
for zone in Europe/Moscow Pacific/Kiritimati America/St_Johns; do
  echo "== unit tests, TZ=$zone" >&2
  TZ=$zone npx vitest run tests/unit --reporter=default --reporter=json --outputFile="$results/unit-${zone//\//-}.json" || status=1
done
if compgen -G "tests/workflows/*.test.ts" >/dev/null || compgen -G "tests/e2e/*.test.ts" >/dev/null; then
  echo "== workflow and end-to-end tests (real Temporal servers, real SMTP), the benches' smoke run, TZ=America/St_Johns" >&2
  TZ=America/St_Johns npx vitest run tests/workflows tests/e2e tests/bench --no-file-parallelism --testTimeout=30000 --reporter=default --reporter=json --outputFile="$results/runtime.json" || status=1
fi
node scripts/test-summary.mjs "$results"/*.json || status=1
exit $status
