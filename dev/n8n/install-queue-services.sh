#!/usr/bin/env bash
# Redis and PostgreSQL for n8n's queue mode (`npm start -- --queue`, `npm run test:scale`), from
# Debian's own packages: redis-server (Redis 7) and postgresql (PostgreSQL 15).
#
#   bash dev/n8n/install-queue-services.sh    # about 20 s the first time (as root), instant afterwards
#
# Only the programs are needed: nothing here starts them as system services. dev/n8n/redis.ts and
# dev/n8n/postgres.ts start their own servers on 127.0.0.1, on free ports, with throw-away data
# folders.
set -euo pipefail
started=$SECONDS
say() { printf '[queue-services %3ss] %s\n' "$((SECONDS - started))" "$*" >&2; }
fail() { printf '[queue-services] FAILED: %s\n' "$*" >&2; exit 1; }

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
[[ ${#missing[@]} -eq 0 ]] && exit 0

[[ "$(id -u)" == 0 ]] || fail "${missing[*]} missing, and installing needs root: sudo apt-get install -y ${missing[*]}"
say "installing Debian's ${missing[*]} (apt-get, about 20 s)"
export DEBIAN_FRONTEND=noninteractive
log="${TMPDIR:-/tmp}/imini-queue-services-install.log"
apt-get update -qq > "$log" 2>&1 || { tail -20 "$log" >&2; fail "apt-get update failed (log: $log)"; }
# policy-rc.d says "do not start services": the packages' own servers stay off (there is no
# init system here anyway), so only ours ever run.
policy=/usr/sbin/policy-rc.d
created_policy=
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created_policy=1
fi
trap 'if [[ -n $created_policy ]]; then rm -f "$policy"; fi' EXIT
apt-get install -y -qq --no-install-recommends "${missing[@]}" >> "$log" 2>&1 \
  || { tail -20 "$log" >&2; fail "apt-get install ${missing[*]} failed (log: $log)"; }
command -v redis-server >/dev/null 2>&1 || fail "redis-server is still missing"
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || fail "PostgreSQL's server is still missing"
say "ready: $(redis-server --version | cut -d' ' -f1-3), $(ls -d /usr/lib/postgresql/*/bin/postgres | tail -1)"
