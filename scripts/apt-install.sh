#!/usr/bin/env bash
# Installs Debian packages for the setup scripts: as root, or through a sudo that needs no
# password; otherwise says what to run. Usage: bash scripts/apt-install.sh "what for" PACKAGE…
set -euo pipefail
purpose=$1
shift
if ! command -v apt-get >/dev/null 2>&1; then
  echo "plangraf: для $purpose нужны пакеты $*; установите их средствами своей системы" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "plangraf: для $purpose выполните от root: apt-get install $*" >&2
    exit 1
  fi
fi
echo "plangraf: устанавливаю $* для $purpose (один раз, пару минут)…" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
