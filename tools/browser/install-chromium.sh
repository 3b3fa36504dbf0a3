#!/usr/bin/env bash
# Installs Debian's Chromium (/usr/bin/chromium) for the specs that load a page in a real browser
# through playwright-core (executablePath /usr/bin/chromium; Playwright never downloads a browser
# of its own here). Idempotent; needs root for apt-get, as CI and the development machines have.
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
if [[ "$(id -u)" -ne 0 ]]; then
  echo "/usr/bin/chromium is missing: run 'apt-get install chromium' as root, then this script again" >&2
  exit 1
fi
install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >/dev/null; }
if ! install; then
  apt-get update -q >/dev/null
  install
fi
/usr/bin/chromium --version
