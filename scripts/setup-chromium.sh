#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (Playwright drives it through playwright-core;
# Playwright's own browser download cannot reach its servers here). Idempotent.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "plangraf: для браузерных тестов нужен Chromium (chromium); установите его средствами своей системы" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "plangraf: чтобы установить Chromium, выполните от root: apt-get install chromium" >&2
    exit 1
  fi
fi
echo "plangraf: устанавливаю Chromium для браузерных тестов (один раз)…" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null
