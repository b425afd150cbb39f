#!/usr/bin/env bash
# Installs the npm dependencies when they are missing or older than package-lock.json.
# Idempotent: a second run does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1; then
  echo "plangraf: не найден Node.js; установите Node.js 20 или новее" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "plangraf: нужен Node.js 20 или новее, а установлен $(node --version)" >&2
  exit 1
fi

stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "plangraf: устанавливаю зависимости (npm ci)…" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
