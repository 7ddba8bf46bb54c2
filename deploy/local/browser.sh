#!/usr/bin/env bash
# Make sure a headless Chromium is present for the dashboard's browser test: Debian's
# `chromium` package (Playwright drives it through QL_CHROMIUM; it downloads no browser).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
CHROMIUM="${QL_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then exit 0; fi
if ! command -v apt-get >/dev/null; then
  echo "browser.sh: no $CHROMIUM and no apt-get; install Chromium and set QL_CHROMIUM" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi
echo "browser.sh: installing Debian's chromium (once)" >&2
$SUDO apt-get install -y -q chromium >/dev/null 2>&1 || {
  $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q chromium >/dev/null
}
test -x "$CHROMIUM"
