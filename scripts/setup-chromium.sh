#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (Playwright drives it through playwright-core;
# Playwright's own browser download cannot reach its servers here). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v chromium >/dev/null 2>&1; then exit 0; fi
bash scripts/apt-install.sh "браузерных тестов (Chromium)" chromium
