#!/usr/bin/env bash
# Headless Chromium and fonts for the UI's browser tests (tests/test_ui_browser.py).
# Debian's chromium, driven by Python playwright with executable_path=/usr/bin/chromium;
# never `playwright install` (it downloads a browser from the internet). Chinese and emoji
# fonts so screenshots and chart images render every glyph.
# Does nothing when chromium is already there; without root it only says what to run
# (the browser tests then skip with that reason), so `make test` works for everyone.
set -euo pipefail

PACKAGES=(chromium fonts-wqy-microhei fonts-noto-color-emoji)

if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: no /usr/bin/chromium; browser tests will be skipped." >&2
    echo "install-browser: to run them: sudo apt-get install -y ${PACKAGES[*]}" >&2
    exit 0
fi
echo "install-browser: installing ${PACKAGES[*]} ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${PACKAGES[@]}" >/dev/null
