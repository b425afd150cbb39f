#!/usr/bin/env bash
# The main job on embedded defaults. For now: the sample plan laid over the current year
# on the production calendar. (The Temporal runtime, the mail catcher and the pages join it
# as they are built.)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh

plan=${PLANGRAF_PLAN:-calendars/ryazan-2020.yaml}
year=${PLANGRAF_YEAR:-$(date +%Y)}
npm run -s plangraf -- validate "$plan" --year "$year"
npm run -s plangraf -- schedule "$plan" --year "$year"
