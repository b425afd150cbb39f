#!/usr/bin/env bash
# The main job on embedded defaults: installs what it needs (once), then runs the Temporal dev
# server with its Web UI and a SQLite file under var/, the worker, the mail catcher, and the
# sample plan laid over the current year. PLANGRAF_PLAN and PLANGRAF_YEAR choose another.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/setup-temporal.sh
exec node --import tsx cli/main.ts up
