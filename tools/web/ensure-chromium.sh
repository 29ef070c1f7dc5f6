#!/usr/bin/env bash
# The browser tests drive the system Chromium (Debian's `chromium` package), not a Playwright download:
# one browser, patched by the OS, and no binary fetched at test time. Installs it when it is missing.
set -euo pipefail
CHROMIUM="${PLAYWRIGHT_CHROMIUM_EXECUTABLE:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: $CHROMIUM is missing; as root run: apt-get update && apt-get install -y chromium" >&2
  echo "  (or point PLAYWRIGHT_CHROMIUM_EXECUTABLE at a Chromium/Chrome binary)" >&2
  exit 1
fi
echo "ensure-chromium: installing Debian's chromium package" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium fonts-liberation
test -x "$CHROMIUM"
