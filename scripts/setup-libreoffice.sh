#!/usr/bin/env bash
# Installs LibreOffice Writer without a GUI and the Liberation fonts (metric twins of Times New
# Roman and Arial), once: `--pdf` converts documents with them, and the document tests read
# every rendered document back through LibreOffice. Idempotent: does nothing when they are there.
set -euo pipefail

has_fonts() { fc-list 2>/dev/null | grep -qi 'Liberation Serif'; }
if command -v soffice >/dev/null 2>&1 && has_fonts; then exit 0; fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "plangraf: нужен LibreOffice (soffice) и шрифты Liberation; установите их средствами своей системы" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "plangraf: чтобы установить LibreOffice, выполните от root: apt-get install libreoffice-writer-nogui fonts-liberation2" >&2
    exit 1
  fi
fi
echo "plangraf: устанавливаю LibreOffice Writer и шрифты Liberation (один раз, пару минут)…" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui fonts-liberation2 >/dev/null
