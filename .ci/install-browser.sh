#!/usr/bin/env bash
# Installs what the browser end-to-end test (tests/it/browser.rs) needs: Debian's Chromium and
# ChromeDriver (/usr/bin/chromium, /usr/bin/chromedriver) and a CJK font so screenshots show
# the Chinese page. Idempotent: does nothing when all are present. Needs root (CI runs as root).
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
if command -v fc-list >/dev/null 2>&1; then
  fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-wqy-zenhei)
else
  need+=(fonts-wqy-zenhei)
fi

if [ ${#need[@]} -eq 0 ]; then
  echo "install-browser: chromium, chromedriver and a CJK font are present"
else
  echo "install-browser: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need[@]}"
fi

chromium --version
chromedriver --version
