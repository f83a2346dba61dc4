#!/usr/bin/env bash
# The compat smoke (test/e2e/compat.e2e.test.ts) on every n8n in dev/n8n/versions.json's "compat"
# list, each installed into its own .tools/n8n-<version> by install.sh (about 8 minutes and 1.8-2.9 GB
# the first time, well under a second after). The pinned n8n runs the smoke within test:e2e.
# Every version is tried; the exit code is 0 only when all passed. Run with Node 24 (npm run
# test:compat does) after `npm run build`.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
versions="$(node -p "require('./dev/n8n/versions.json').compat.join(' ')")"
failed=()
for version in $versions; do
  started=$SECONDS
  echo "[compat] n8n $version: install"
  if ! N8N_VERSION="$version" bash dev/n8n/install.sh; then
    failed+=("$version (install)")
    continue
  fi
  echo "[compat] n8n $version: smoke"
  if ! N8N_VERSION="$version" node --experimental-vm-modules --disable-warning=ExperimentalWarning --disable-warning=MODULE_TYPELESS_PACKAGE_JSON \
    node_modules/jest/bin/jest.js -c test/e2e/jest.config.js test/e2e/compat.e2e.test.ts; then
    failed+=("$version")
  fi
  echo "[compat] n8n $version: $((SECONDS - started)) s"
done
if (( ${#failed[@]} )); then
  echo "[compat] FAILED on n8n ${failed[*]}" >&2
  exit 1
fi
echo "[compat] passed on n8n $versions"
