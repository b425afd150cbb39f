#!/usr/bin/env bash
# Installs LibreOffice Writer without a GUI and the Liberation fonts (metric twins of Times New
# Roman and Arial), once: `--pdf` converts documents with them, and the document tests read
# every rendered document back through LibreOffice. Idempotent: does nothing when they are there.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v soffice >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi 'Liberation Serif'; then exit 0; fi
bash scripts/apt-install.sh "документов (LibreOffice и шрифты Liberation)" libreoffice-writer-nogui fonts-liberation2
